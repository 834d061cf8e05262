"""An OFD package's pages drawn as PDF pages: its images, its stamps' seal pictures, its text."""

import io

import numpy as np
import pymupdf
from PIL import Image

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


MAX_PIXELS = 40_000_000  # a seal picture is far smaller; larger images are not decoded to look


def _red(data: bytes) -> bool:
    """Whether an image has red ink (an e-seal picture), judged on a small copy."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:  # from the header: never decoded
                return False
            img.draft("RGB", (96, 96))
            small = np.asarray(img.convert("RGB").resize((96, 96)), dtype=np.int16)
    except Exception:  # an image nothing can decode: nothing to look for seals in
        return False
    r, g, b = small[..., 0], small[..., 1], small[..., 2]
    return float(((r > 140) & (r - g > 60) & (r - b > 60)).mean()) > 0.005


def with_red_images(pkg: OfdPackage, doc: OfdDocument) -> set[int]:
    """Pages whose own images hold red ink: only there can a printed seal be found by looking.
    (Stamps are known from their signatures; a QR code or a logo needs no seal search.)"""
    return {page.index for page in doc.pages
            if any(i.member and pkg.has(i.member) and _red(pkg.read(i.member)) for i in page.images)}


def sheets(pkg: OfdPackage, doc: OfdDocument, check: SignatureCheck | None) -> pymupdf.Document:
    return draw([_sheet(pkg, p, check.stamps if check else []) for p in doc.pages])


def drawing(pkg: OfdPackage, max_pages: int) -> pymupdf.Document:
    """The package's pages drawn as PDF pages (report images and thumbnails)."""
    doc = read_document(pkg, max_pages)
    return sheets(pkg, doc, check_signatures(pkg, doc, ""))
