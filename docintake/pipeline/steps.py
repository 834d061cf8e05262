"""The pipeline: small named steps over the Bundle model, each adding one thing.

ingest -> read_text -> classify -> group -> extract -> validate, then build_report. Steps are plain
functions so flows (Prefect) and the CLI call the same code. A step stops the chain by raising
BundleError (an unusable bundle path); bad files or pages never stop it: they become findings.
"""

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pymupdf
from PIL import Image

from docintake import __version__
from docintake.core.datamodel import (
    Applicant,
    Bundle,
    DocType,
    DocumentReport,
    Page,
    PageInfo,
    PageRef,
    Report,
    SourceFile,
    SourceFileReport,
    TextSource,
)
from docintake.core.settings import Settings
from docintake.extractors.classify import classify_page
from docintake.extractors.fields import extract_fields, keep_filing_row_of
from docintake.extractors.grouping import PageGroup, group_pages
from docintake.extractors.ingest import BundleError, bundle_sha256, open_bundle, safe_name
from docintake.extractors.known_names import confirm_known_names
from docintake.extractors.ocr import get_engine
from docintake.extractors.pages import FileUnreadable, read_pages, summarise
from docintake.extractors.qr import read_invoice_qr
from docintake.extractors.seal_owners import (
    applicant_names,
    bundle_firms,
    name_party_seal_owners,
    read_party_seal_owners,
)
from docintake.extractors.under_seals import missing_key_fields, reread_under_seals
from docintake.validators.checklist import load_checklist
from docintake.validators.context import applicant_from
from docintake.validators.run import validate_documents, verdict_of

Progress = Callable[[str, int, int], None]  # (what, done, total)


def _no_progress(what: str, done: int, total: int) -> None:
    pass


class Context:
    def __init__(self, settings: Settings, workdir: Path, progress: Progress):
        self.settings = settings
        self.workdir = workdir
        self.progress = progress

    def engine(self):
        # Created on first use: a bundle of born-digital PDFs never loads the OCR models.
        s = self.settings
        return get_engine(s.ocr_engine, s.ocr_threads, s.ocr_model_dirs)


def ingest(bundle: Bundle, ctx: Context) -> None:
    bundle.name = safe_name(bundle.name)  # a folder name may carry control characters too
    bundle.files = open_bundle(bundle.path, ctx.workdir / "unpacked", ctx.settings.limits)
    bundle.sha256 = bundle_sha256(bundle.files)
    for file in bundle.files:
        if not file.error:
            file.page_count = _count_pages(file.path, file.format)


def _count_pages(path: Path, fmt: str) -> int:
    try:
        if fmt == "pdf":
            with pymupdf.open(path, filetype="pdf") as doc:
                return doc.page_count
        with Image.open(path) as img:
            return getattr(img, "n_frames", 1)
    except Exception:
        return 1  # read_text reports the real problem


def read_file(file: SourceFile, ctx: Context, on_page: Callable[[], None] = lambda: None
              ) -> tuple[list[Page], str | None]:
    """The pages of one file and why (part of) it could not be read. Depends only on the file's
    content and the settings, so a flow can cache it by the file's sha256."""
    pages: list[Page] = []
    error = None
    notes: list[str] = []  # pages left out and why, page limit, scripts, attachments...
    try:
        start = time.perf_counter()
        for page in read_pages(file, ctx.settings, ctx.engine, notes):
            page.seconds = time.perf_counter() - start
            pages.append(page)
            on_page()
            start = time.perf_counter()
    except FileUnreadable as exc:
        error = str(exc)
    except Exception as exc:  # a file that breaks a library must not break the bundle
        error = f"读取文件时出错（{type(exc).__name__}：{exc}）"
    return pages, error or summarise(notes)


def read_text(bundle: Bundle, ctx: Context) -> None:
    bundle.pages = []  # a retried step starts afresh, and reads again what it failed to read
    for file in bundle.files:
        if file.error_from_reading:
            file.error, file.error_from_reading = None, False
    limit = ctx.settings.limits.max_pages_per_file
    total = sum(min(f.page_count, limit) for f in bundle.files if not f.error)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        ctx.progress("页面", done, total)

    for file in bundle.files:
        if not file.error:
            pages, file.error = read_file(file, ctx, tick)
            file.error_from_reading = file.error is not None
            bundle.pages.extend(pages)


def classify(bundle: Bundle, ctx: Context) -> None:
    for page in bundle.pages:
        if page.lines:
            page.label = classify_page(page)


def group(bundle: Bundle, ctx: Context) -> None:
    bundle.documents = [_document(i + 1, g) for i, g in enumerate(group_pages(bundle.pages))]


def _text_source(pages: list[Page]) -> TextSource:
    kinds = {p.text_source for p in pages} - {TextSource.none}
    if not kinds:
        return TextSource.none
    return kinds.pop() if len(kinds) == 1 else TextSource.mixed


def _document(number: int, group: PageGroup) -> DocumentReport:
    first = group.pages[0]
    return DocumentReport(
        id=f"d{number}",
        source=first.source,
        pages=[p.page for p in group.pages if p.source == first.source],
        doc_type=group.doc_type,
        text_source=_text_source(group.pages),
        parts=[PageRef(source=p.source, page=p.page) for p in group.pages],
        seals=[seal for p in group.pages for seal in p.seals],
        signatures=[s for p in group.pages for s in p.signatures],
        signature_labels=[s for p in group.pages for s in p.signature_labels],
        page_info=[
            PageInfo(source=p.source, page=p.page, text_source=p.text_source, width=p.width,
                     height=p.height, rotation=p.rotation, skew=p.skew, perspective=p.perspective,
                     ocr_confidence=p.ocr_confidence, chars=p.chars, grey=p.grey,
                     title=p.label.title if p.label else None,
                     doc_type_score=p.label.score if p.label else 0.0)
            for p in group.pages
        ],
    )


def extract(bundle: Bundle, ctx: Context) -> None:
    pages = {(p.source, p.page): p for p in bundle.pages}
    paths = {f.name: f.path for f in bundle.files}
    for doc in bundle.documents:
        doc_pages = [pages[(ref.source, ref.page)] for ref in doc.parts]
        doc.fields = extract_fields(doc.doc_type, doc_pages)
        if (missing_key_fields(doc) and not ctx.settings.read_seals
                and reread_under_seals(doc_pages, paths, ctx.engine(), ctx.settings.ocr_long_side)):
            doc.fields = extract_fields(doc.doc_type, doc_pages)
        if doc.doc_type == DocType.invoice:
            read_invoice_qr(doc, doc_pages, paths, ctx.settings.ocr_long_side)
    if ctx.settings.read_seals:  # every seal was read with its page: name the firms of those readings
        name_party_seal_owners(bundle.documents)
    elif ctx.settings.read_contract_seals:  # read party seals now, against the firms the bundle names
        firms = bundle_firms(bundle.documents)
        for doc in bundle.documents:
            if doc.doc_type == DocType.contract:
                read_party_seal_owners(doc, [pages[(ref.source, ref.page)] for ref in doc.parts], paths,
                                       ctx.engine(), ctx.settings.ocr_long_side, firms,
                                       applicant_names(bundle.documents, doc))
    parties = {d.fields[k].value for d in bundle.documents if d.doc_type == DocType.contract
               for k in ("party_b", "party_a", "model_name") if k in d.fields}
    for doc in bundle.documents:
        if doc.doc_type == DocType.cac_filing:
            keep_filing_row_of(doc, [pages[(ref.source, ref.page)] for ref in doc.parts], parties)
    confirm_known_names(bundle.documents, pages, paths, ctx.engine(), ctx.settings.ocr_long_side)


def applicant_of(documents: list[DocumentReport]) -> Applicant:
    """The applicant is who the business licence says."""
    found = applicant_from(documents)
    return Applicant(name=found.name, uscc=found.uscc)


def _file_reports(bundle: Bundle) -> list[SourceFileReport]:
    return [SourceFileReport(name=f.name, sha256=f.sha256, size=f.size, format=f.format,
                             pages=f.page_count, error=f.error) for f in bundle.files]


def validate(bundle: Bundle, ctx: Context) -> None:
    result = validate_documents(bundle.documents, _file_reports(bundle), load_checklist(bundle.programme))
    bundle.findings, bundle.subsidy = result.findings, result.subsidy


STEPS = [ingest, read_text, classify, group, extract, validate]


def build_report(bundle: Bundle) -> Report:
    return Report(
        programme=bundle.programme,
        bundle=bundle.name,
        bundle_sha256=bundle.sha256,
        applicant=applicant_of(bundle.documents),
        documents=bundle.documents,
        findings=bundle.findings,
        subsidy=bundle.subsidy,
        verdict=verdict_of(bundle.findings),
        files=_file_reports(bundle),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        timings={k: round(v, 3) for k, v in bundle.timings.items()},
    )


def run_steps(bundle: Bundle, ctx: Context, steps=STEPS) -> Bundle:
    for step in steps:
        start = time.perf_counter()
        step(bundle, ctx)
        bundle.timings[step.__name__] = time.perf_counter() - start
    return bundle


def process_bundle(path: Path, programme: str, settings: Settings | None = None,
                   progress: Progress = _no_progress) -> Bundle:
    """Run every step on one bundle. Raises BundleError / ChecklistError for unusable input."""
    settings = settings or Settings.from_env()
    load_checklist(programme)  # fail fast on an unknown programme, before any OCR
    path = Path(path)
    bundle = Bundle(name=path.name, path=path, programme=programme)
    with tempfile.TemporaryDirectory(prefix="docintake-") as tmp:
        return run_steps(bundle, Context(settings, Path(tmp), progress))


def check_bundle(path: Path, programme: str, settings: Settings | None = None,
                 progress: Progress = _no_progress) -> Report:
    """Check one bundle end to end and return its report."""
    return build_report(process_bundle(path, programme, settings, progress))


__all__ = ["STEPS", "BundleError", "Context", "build_report", "check_bundle",
           "process_bundle", "read_file", "run_steps", "verdict_of"]
