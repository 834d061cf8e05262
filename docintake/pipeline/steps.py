"""The pipeline: one list of named steps over the Bundle model, each adding one thing.

Every step has the signature `step(bundle, ctx) -> None` and reads or enriches the Bundle; STEPS
lists them in order, each optional one with the setting that enables it. The CLI runs the list
directly (docintake.pipeline.run) and the Prefect flow runs each step as a task (flows/bundle.py).
Reading a page is itself a list of passes (extractors/scan.py for scans and photos,
extractors/text_layer.py for born-digital pages), run once per page inside `read_text`, whose
per-file reader a flow may swap for a cached one (Context.read_file).

A step stops the chain by raising BundleError (an unusable bundle path); bad files or pages
never stop it: they become findings.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image

from docintake.core.datamodel import (
    Bundle,
    DocType,
    DocumentReport,
    Page,
    PageInfo,
    PageRef,
    Seal,
    SealKind,
    SourceFile,
    SourceFileReport,
    TextSource,
)
from docintake.core.settings import Limits, Settings
from docintake.extractors.classify import classify_page
from docintake.extractors.fields import extract_fields as fields_of
from docintake.extractors.filing_rows import keep_filing_row_of
from docintake.extractors.grouping import PageGroup, group_pages
from docintake.extractors.ingest import bundle_sha256, open_bundle, safe_name
from docintake.extractors.known_names import confirm_known_names as confirm_names
from docintake.extractors.ocr import get_engine
from docintake.extractors.ofd.content import page_count
from docintake.extractors.ofd.package import OfdPackage
from docintake.extractors.pages import FileUnreadable, read_pages, summarise
from docintake.extractors.qr import read_invoice_qr as read_qr
from docintake.extractors.same_invoice import merge_same_invoices
from docintake.extractors.seal_owners import (
    applicant_names,
    bundle_firms,
    bundle_people,
    document_lexicon,
    name_party_seal_owners,
    read_party_seal_owners,
    registration_authorities,
)
from docintake.extractors.under_seals import missing_key_fields, reread_document_under_seals
from docintake.pipeline.history import default_url
from docintake.pipeline.registry_store import load_registry
from docintake.validators.checklist import load_checklist
from docintake.validators.registry import Registry
from docintake.validators.run import validate_documents

LONE_SLICE_ARC = 0.9  # share of a ring's arc a slice on a one-page document must hold
Progress = Callable[[str, int, int], None]  # (what, done, total)
FileReader = Callable[[SourceFile, "Context"], tuple[list[Page], str | None]]


def read_file(file: SourceFile, ctx: "Context", on_page: Callable[[], None] = lambda: None
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


class Context:
    """What steps share besides the Bundle: settings, a scratch folder, progress, the OCR engine,
    and the per-file reader (a Prefect flow substitutes a cached, retried task)."""

    def __init__(self, settings: Settings, workdir: Path, progress: Progress,
                 read_file: FileReader | None = None, history: str | None = None):
        self.settings = settings
        self.workdir = workdir
        self.progress = progress
        self.read_file = read_file
        self.history = history  # the store holding the imported filing lists (None: HOME's)
        self._registry: Registry | None = None

    def registry(self) -> Registry:
        """The CAC filing registry: the snapshot, the store's imported lists, the settings' CSV."""
        if self._registry is None:
            location = default_url(self.history, self.settings.home)
            self._registry = load_registry(location, self.settings.registry_csv)
        return self._registry

    def engine(self):
        # Created on first use: a bundle of born-digital PDFs never loads the OCR models. Steps
        # hand the method itself on, called only where a page is actually read.
        s = self.settings
        return get_engine(s.ocr_engine, s.ocr_threads, s.ocr_model_dirs)


def ingest(bundle: Bundle, ctx: Context) -> None:
    bundle.name = safe_name(bundle.name)  # a folder name may carry control characters too
    bundle.files = open_bundle(bundle.path, ctx.workdir / "unpacked", ctx.settings.limits)
    bundle.sha256 = bundle_sha256(bundle.files)
    for file in bundle.files:
        if not file.error:
            file.page_count = _count_pages(file.path, file.format, ctx.settings.limits)


def _count_pages(path: Path, fmt: str, limits: Limits) -> int:
    try:
        if fmt == "pdf":
            with pymupdf.open(path, filetype="pdf") as doc:
                return doc.page_count
        if fmt == "xml":
            return 1
        if fmt == "ofd":
            with OfdPackage(path, limits) as pkg:
                return page_count(pkg) or 1
        with Image.open(path) as img:
            return getattr(img, "n_frames", 1)
    except Exception:
        return 1  # read_text reports the real problem


def read_text(bundle: Bundle, ctx: Context) -> None:
    """Every page of every readable file, with its text lines, seals and signatures."""
    bundle.pages = []  # a retried step starts afresh, and reads again what it failed to read
    bundle.timings = {k: v for k, v in bundle.timings.items() if not k.startswith("read_text.")}
    for file in bundle.files:
        if file.error_from_reading:
            file.error, file.error_from_reading = None, False
    limit = ctx.settings.limits.max_pages_per_file
    total = sum(min(f.page_count, limit) for f in bundle.files if not f.error)
    if total > (most := ctx.settings.limits.max_pages_per_bundle):  # refused, not read for hours
        for file in bundle.files:
            if not file.error:
                file.error = f"材料包共 {total} 页，超过上限 {most} 页，未读取；请拆分或精简后重新提交"
                file.error_from_reading = True
        return
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        ctx.progress("页面", done, total)

    for file in bundle.files:
        if not file.error:
            pages, file.error = (ctx.read_file(file, ctx) if ctx.read_file else read_file(file, ctx, tick))
            file.error_from_reading = file.error is not None
            bundle.pages.extend(pages)
    for page in bundle.pages:  # the page passes' seconds, summed over the bundle
        for name, seconds in page.timings.items():
            bundle.timings[f"read_text.{name}"] = bundle.timings.get(f"read_text.{name}", 0.0) + seconds


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


def document_seals(pages: list[Page]) -> list[Seal]:
    """The seals of a document's pages. A 骑缝章 is stamped across the edges of a document's
    pages; on a one-page document (a page photographed on its own, or an invoice) a slice is kept
    only where it holds a clear ring arc: a red print frame or a letter at the edge does not."""
    seals = [seal for p in pages for seal in p.seals]
    if len(pages) > 1:
        return seals
    return [s for s in seals if s.kind != SealKind.paging_seal or (s.confidence or 0.0) >= LONE_SLICE_ARC]


def _document(number: int, group: PageGroup) -> DocumentReport:
    first = group.pages[0]
    return DocumentReport(
        id=f"d{number}",
        source=first.source,
        pages=[p.page for p in group.pages if p.source == first.source],
        doc_type=group.doc_type,
        text_source=_text_source(group.pages),
        parts=[PageRef(source=p.source, page=p.page) for p in group.pages],
        seals=document_seals(group.pages),
        signatures=[s for p in group.pages for s in p.signatures],
        signature_labels=[s for p in group.pages for s in p.signature_labels],
        signature=next((p.e_signature for p in group.pages if p.e_signature), None),
        sources=list(dict.fromkeys(p.source for p in group.pages)),
        conflicts=[c for p in group.pages for c in p.field_conflicts],
        page_info=[
            PageInfo(source=p.source, page=p.page, text_source=p.text_source, width=p.width,
                     height=p.height, rotation=p.rotation, skew=p.skew, perspective=p.perspective,
                     ocr_confidence=p.ocr_confidence, chars=p.chars, grey=p.grey, blank=p.blank,
                     title=p.label.title if p.label else None,
                     doc_type_score=p.label.score if p.label else 0.0,
                     type_support=p.label.scores if p.label else {})
            for p in group.pages
        ],
    )


def _documents(bundle: Bundle, doc_type: DocType | None = None) -> list[tuple[DocumentReport, list[Page]]]:
    """Each document (of `doc_type`, if given) with its pages."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    return [(doc, [pages[(ref.source, ref.page)] for ref in doc.parts]) for doc in bundle.documents
            if doc_type is None or doc.doc_type == doc_type]


def _paths(bundle: Bundle) -> dict[str, Path]:
    return {f.name: f.path for f in bundle.files}


def extract_fields(bundle: Bundle, ctx: Context) -> None:
    """Key fields of each document, by its type's rules (extractors/rules/fields.yaml)."""
    for doc, pages in _documents(bundle):
        doc.fields = fields_of(doc.doc_type, pages)
        # An electronic original's exact fields (OFD tags, XML) replace what its text gave
        doc.fields.update({k: f for p in pages for k, f in p.exact_fields.items()})


def reread_under_seals(bundle: Bundle, ctx: Context) -> None:
    """A document missing a key field has its scanned pages' seal neighbourhoods read again with
    the ink whitened, and its fields extracted again. (With read_seals every page had it.)"""
    paths = _paths(bundle)
    for doc, pages in _documents(bundle):
        if missing_key_fields(doc) and reread_document_under_seals(
                pages, paths, ctx.engine, ctx.settings.ocr_long_side):
            doc.fields = fields_of(doc.doc_type, pages)


def read_invoice_qr(bundle: Bundle, ctx: Context) -> None:
    """An invoice's QR code: its number, date and amount confirm or correct the printed ones."""
    paths = _paths(bundle)
    for doc, pages in _documents(bundle, DocType.invoice):
        read_qr(doc, pages, paths, ctx.settings.ocr_long_side)


def name_seal_owners(bundle: Bundle, ctx: Context) -> None:
    """Every seal was read with its page (read_seals): name the firms of those readings."""
    name_party_seal_owners(bundle.documents)


def read_party_seals(bundle: Bundle, ctx: Context) -> None:
    """Every document's party seals are read now, against the firms the bundle names: whose seal
    it is decides whether the party that had to seal did (a contract's 甲方 and 乙方, an invoice's
    seller, the applicant on its own letters)."""
    firms, people, paths = bundle_firms(bundle.documents), bundle_people(bundle.documents), _paths(bundle)
    for doc, pages in _documents(bundle):
        # A contract's seals are its parties'; other materials may carry the seal of an
        # organisation their own text names (the audit firm, the tax bureau, the bank).
        contract = doc.doc_type == DocType.contract
        strict = applicant_names(bundle.documents, doc) if contract else set()
        lexicon = firms if contract else document_lexicon(pages, firms) + registration_authorities(doc)
        read_party_seal_owners(doc, pages, paths, ctx.engine, ctx.settings.ocr_long_side, lexicon, strict,
                               people)


def keep_filing_rows(bundle: Bundle, ctx: Context) -> None:
    """A CAC list printout names many models: keep the row of the contract's provider or model."""
    parties = {d.fields[k].value for d in bundle.documents if d.doc_type == DocType.contract
               for k in ("party_b", "party_a", "model_name") if k in d.fields}
    for doc, pages in _documents(bundle, DocType.cac_filing):
        keep_filing_row_of(doc, pages, parties)


def confirm_known_names(bundle: Bundle, ctx: Context) -> None:
    """A name read one character off a name the bundle knows is checked against the ink."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    confirm_names(bundle.documents, pages, _paths(bundle), ctx.engine, ctx.settings.ocr_long_side)


def merge_formats(bundle: Bundle, ctx: Context) -> None:
    """One invoice given as PDF and OFD (or XML) is one document, its amounts counted once."""
    electronic = {f.name for f in bundle.files if f.format in ("ofd", "xml")}
    if electronic:
        bundle.documents = merge_same_invoices(bundle.documents, electronic)


def file_reports(bundle: Bundle) -> list[SourceFileReport]:
    return [SourceFileReport(name=f.name, sha256=f.sha256, size=f.size, format=f.format,
                             pages=f.page_count, error=f.error) for f in bundle.files]


def validate(bundle: Bundle, ctx: Context) -> None:
    result = validate_documents(bundle.documents, file_reports(bundle), load_checklist(bundle.programme),
                                ctx.registry())
    bundle.findings, bundle.subsidy = result.findings, result.subsidy
    bundle.filing_checks = result.filing_checks


@dataclass(frozen=True)
class Step:
    """One named step; `enabled` reads the settings (an optional pass)."""

    run: Callable[[Bundle, Context], None]
    enabled: Callable[[Settings], bool] = lambda settings: True

    @property
    def name(self) -> str:
        return self.run.__name__


STEPS = [
    Step(ingest),
    Step(read_text),  # per page: extractors/scan.py SCAN_STEPS or extractors/text_layer.py
    Step(classify),
    Step(group),
    Step(extract_fields),
    Step(reread_under_seals, lambda s: not s.read_seals),
    Step(read_invoice_qr),
    Step(name_seal_owners, lambda s: s.read_seals),
    Step(read_party_seals, lambda s: not s.read_seals and s.read_contract_seals),
    Step(keep_filing_rows),
    Step(confirm_known_names),
    Step(merge_formats),
    Step(validate),
]
