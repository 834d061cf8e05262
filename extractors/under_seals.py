"""A second look under the seals of a document whose key fields were not all found.

A tax bureau's seal is stamped over the certificate's date, a company seal over a form's date
line: OCR loses text under red ink. Reading every seal's neighbourhood again costs ~30% of a
scanned page, so by default it is done only here, for documents that miss a key field and carry
a round or oval seal on a scanned page (Settings.read_seals does it for every page).
"""

from pathlib import Path

from docintake.core.datamodel import DocumentReport, Page, TextSource

from .fields import KEY_FIELDS
from .ocr import OcrEngine
from .page_frames import page_frame
from .pages import merge_readings, optional, read_under_seals

UNSURE = 0.8  # a field read less surely than this is worth the second look too


def missing_key_fields(doc: DocumentReport) -> set[str]:
    """Key fields not found, or found unsurely (OCR of characters half under red ink)."""
    return {name for name in KEY_FIELDS.get(doc.doc_type.value, ())
            if name not in doc.fields or (doc.fields[name].confidence or 0) < UNSURE}


def reread_under_seals(pages: list[Page], paths: dict[str, Path], engine: OcrEngine, long_side: int
                       ) -> bool:
    """Merge what the red-ink-free seal neighbourhoods read into the pages' lines; True if any
    page gained a line."""
    gained = False
    for page in pages:
        if (page.text_source != TextSource.ocr or page.under_seals_read
                or not any(s.shape in ("round", "oval") for s in page.seals)):
            continue  # born-digital, read under its seals already, or nothing to look under
        image = page_frame(page, paths, long_side)
        if image is None:
            continue
        second = optional(read_under_seals, (image, page, engine, page.width / image.shape[1]), [], page)
        merged = merge_readings(page.lines, second)
        gained |= merged != page.lines
        page.lines, page.under_seals_read = merged, True
    return gained
