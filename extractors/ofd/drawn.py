"""An OFD package's pages drawn as PDF pages: its images, its stamps' seal pictures, its text."""

import pymupdf

from .content import OfdDocument, OfdPage, read_document
from .package import OfdPackage
from .rendition import Sheet, draw
from .signature import SignatureCheck, check_signatures


def _sheet(pkg: OfdPackage, page: OfdPage, stamps: list) -> Sheet:
    images = []
    for image in page.images:
        if image.member and pkg.has(image.member):
            images.append((image.bbox, pkg.read(image.member)))
    images += [(s.bbox, s.picture) for s in stamps if s.page_id == page.id and s.picture]
    texts = [(t.text, t.xs or [t.bbox[0]], t.baseline, t.size) for t in page.texts]
    return Sheet(page.width, page.height, texts, images)


def sheets(pkg: OfdPackage, doc: OfdDocument, check: SignatureCheck | None) -> pymupdf.Document:
    return draw([_sheet(pkg, p, check.stamps if check else []) for p in doc.pages])


def drawing(pkg: OfdPackage, max_pages: int) -> pymupdf.Document:
    """The package's pages drawn as PDF pages (report images and thumbnails)."""
    doc = read_document(pkg, max_pages)
    return sheets(pkg, doc, check_signatures(pkg, doc, ""))
