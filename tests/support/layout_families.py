"""Bundles of the generator's second layout families (samples/generator/families.py) and the real
pipeline run on them: how the reading code does on layouts it was not tuned on."""

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from docintake.core.datamodel import Bundle, DocumentReport
from docintake.core.settings import Settings
from docintake.extractors import values
from docintake.extractors.fields import KEY_FIELDS, load_field_rules
from docintake.pipeline.run import process_bundle
from docintake.samples.generator import generate_bundle
from docintake.samples.generator.scenario import make_facts

# a programme that asks for all four types (payment proofs included)
PROGRAMME = "nanshan-model-voucher-2026q1"
# two bundles cover every second family; the first family of each type is the original look
SETS = {
    "A": {"payment_proof": "side_labels", "application_form": "cover",
          "business_licence": "portrait", "contract": "provider_first"},
    "B": {"payment_proof": "plain_lines", "business_licence": "sole_trader", "contract": "role_words"},
}


@dataclass
class Run:
    truth: dict
    docs: list[dict]  # the truth documents of the forced types, the first of each
    bundle: Bundle | None  # None until the pipeline ran
    folder: Path  # the bundle of those documents' files alone


def open_ended_seed(programme: str = PROGRAMME) -> int:
    """The first seed whose applicant's licence runs 长期, so the licence shows "…至长期"
    (make_bundle draws the facts first from this same stream)."""
    return next(s for s in range(1, 500)
                if make_facts(programme, random.Random(f"{programme}:{s}")).applicant.valid_until is None)


def generate(root: Path, name: str, render: str) -> Run:
    """The set's bundle, and a bundle of the files of its family documents alone, the first of each
    type (a forced render makes the bundle tidy: no file mixes documents). More would only slow
    the OCR down."""
    layouts = SETS[name]
    # Scans and photos: the family documents' files alone are made (their pixels are the cost). The
    # born-digital set is written whole: tests check its truth against every file.
    only = None if render == "born_digital" else set(layouts)
    truth = generate_bundle(root / "gen", PROGRAMME, open_ended_seed(), render=render, as_zip=False,
                            layouts=layouts, only=only)
    docs = list({d["doc_type"]: d for d in reversed(truth["documents"]) if d["doc_type"] in layouts}.values())
    src, folder = root / "gen" / PROGRAMME / truth["bundle"], root / "bundle"
    for file in {p[0] for d in docs for p in d["pages"]}:
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / file, folder / file)
    return Run(truth, docs, None, folder)


def read(run: Run) -> Run:
    run.bundle = process_bundle(run.folder, PROGRAMME, Settings())
    return run


def documents_of(run: Run, doc: dict) -> list[DocumentReport]:
    """The predicted documents holding exactly the truth document's pages: one, or, for a document
    photographed page by page into files with only a bare page number (- 2 -) to join them, one
    per file (a report's document lies in one file; each part is typed as the whole)."""
    want = {tuple(p) for p in doc["pages"]}
    whole = [d for d in run.bundle.documents if {(r.source, r.page) for r in d.parts} == want]
    if whole:
        return whole
    parts = [d for d in run.bundle.documents if {(r.source, r.page) for r in d.parts} <= want]
    files = {source for source, _ in want}
    held = {(r.source, r.page) for d in parts for r in d.parts}
    one_per_file = len(parts) == len(files) and all(len({r.source for r in d.parts}) == 1 for d in parts)
    return parts if held == want and one_per_file else []


def page_types(run: Run, doc: dict) -> dict[tuple[str, int], str | None]:
    """Each page of a truth document -> the doc type of the predicted document holding it."""
    held = {(r.source, r.page): d.doc_type.value for d in run.bundle.documents for r in d.parts}
    return {tuple(p): held.get(tuple(p)) for p in doc["pages"]}


def key_fields(doc_type: str) -> list[str]:
    return sorted(KEY_FIELDS[doc_type])


def checks(doc_type: str, without: tuple[str, ...] = ()) -> list[str]:
    """The checks of a document type: "document" (typed and grouped as the truth's) and its key fields."""
    return [c for c in ["document", *key_fields(doc_type)] if c not in without]


def same(doc_type: str, field: str, expected, found) -> bool:
    kind = next(r.type for r in load_field_rules()[doc_type] if r.name == field)
    if found is None:
        return expected is None
    if kind == "amount":
        return abs(float(expected) - float(found)) <= 0.01
    if kind in ("name", "person", "model", "text", "programme_title"):
        return values.normalise_name(str(expected)) == values.normalise_name(str(found))
    return str(expected).upper() == str(found).upper()


def page_text(run: Run, doc: dict) -> str:
    """The truth document's pages as read (for a failure message): each line with its bbox."""
    want = {tuple(p) for p in doc["pages"]}
    out = []
    for page in run.bundle.pages:
        if (page.source, page.page) in want:
            label = page.label.doc_type.value if page.label else None
            out.append(f"== {page.source} p{page.page} ({page.text_source.value}, label {label})")
            out += [f"  [{' '.join(f'{v:6.1f}' for v in ln.bbox)}] {ln.text}" for ln in page.lines]
    return "\n".join(out)


def check_field(run: Run, doc_type: str, field: str) -> list[str]:
    """Problems with one key field over every document of the type (empty: all equal the truth)."""
    problems = []
    for doc in (d for d in run.docs if d["doc_type"] == doc_type):
        expected, found = doc["fields"].get(field), documents_of(run, doc)
        if not found:
            problems.append(f"{doc['pages']}: not read as one {doc_type} document")
            continue
        value = next((d.fields[field].value for d in found if field in d.fields), None)
        if not same(doc_type, field, expected, value):
            problems.append(f"{doc['layout']} {doc['pages']}: {field} {value!r}, truth {expected!r}\n"
                            + page_text(run, doc))
    return problems


def check_document(run: Run, doc_type: str) -> list[str]:
    """Problems with the typing and grouping of every document of the type."""
    problems = []
    for doc in (d for d in run.docs if d["doc_type"] == doc_type):
        types = page_types(run, doc)
        if set(types.values()) != {doc_type}:
            problems.append(f"{doc['layout']}: pages typed {types}")
        if not documents_of(run, doc):
            found = [[(r.source, r.page) for r in d.parts] for d in run.bundle.documents]
            problems.append(f"{doc['layout']}: pages {doc['pages']} not one document; found {found}")
    return problems
