"""A born-digital PDF page, read from its own text layer (~1 ms) by a list of named passes.

Passes after the text layer look at images only: e-seals are images, so a small render is
searched for seals where the page has images; a large image with no text over it (a scanned
licence pasted into a typed PDF) is OCRed as a region (`text_source: mixed`); 签字 labels have
their answer areas rendered to find a hand. Each runs only while the page's time budget lasts.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pymupdf

from docintake.core.datamodel import Page, TextLine, TextSource

from .normalise import normalise_text
from .ocr import OcrEngine
from .page_ocr import Deadline, PagePass, ocr_image, optional, run_passes
from .render import render_at, to_bgr, zoom_to_fit
from .seals import Blob, SealPixels, crop_box, cut_pixels, find_page_seals, moved, rescaled
from .signatures import find_pdf_signatures

MIN_REGION_SHARE = 0.08  # images smaller than this share of the page are seals, logos, QR codes
REGION_DPI = 200
SEAL_RENDER_LONG_SIDE = 1200  # seal detection decides on a 1200 px copy anyway


def text_layer_usable(lines: list[TextLine]) -> bool:
    """Enough real characters, and not the mojibake of fonts without a ToUnicode map."""
    text = "".join(line.text for line in lines).replace(" ", "")
    if len(text) < 8:
        return False
    bad = sum(1 for ch in text if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cn"))
    return bad / len(text) < 0.05


def text_layer_lines(page: pymupdf.Page) -> list[TextLine]:
    lines = []
    matrix = page.rotation_matrix  # text coordinates are unrotated; reviewers see the rotated page
    for block in page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)["blocks"]:
        for line in block.get("lines", []):
            text = normalise_text("".join(span["text"] for span in line["spans"]))
            if not text:
                continue
            rect = pymupdf.Rect(line["bbox"]) * matrix
            size = max(span["size"] for span in line["spans"])
            lines.append(TextLine(text=text, bbox=tuple(rect), size=size))
    return lines


@dataclass
class TextLayerWork:
    """A born-digital page being read: its text-layer lines are already on `page`."""

    pdf_page: pymupdf.Page
    page: Page
    lines: list[TextLine]  # the text layer's own lines (region OCR adds to page.lines)
    images: list[dict]  # pymupdf image infos: sizes and boxes, nothing decoded
    engine: Callable[[], OcrEngine]
    read_seals: bool
    deadline: Deadline
    seal_long_side: int  # the long side unread seals are read at later (Settings.ocr_long_side)


def find_e_seals(work: TextLayerWork) -> None:
    """E-seals are images on born-digital pages: look at a small render, only where images are.
    Seals left unread keep their pixels at the scale read_party_seals reads them."""
    zoom = zoom_to_fit(work.pdf_page, SEAL_RENDER_LONG_SIDE)
    engine = work.engine() if work.read_seals else None
    k = work.seal_long_side / SEAL_RENDER_LONG_SIDE
    cut = None if engine else partial(clip_at_scale, work.pdf_page, k)
    work.page.seals = find_page_seals(render_at(work.pdf_page, zoom), 1 / zoom, work.page, engine, cut)


def clip_at_scale(pdf_page: pymupdf.Page, k: float, _small: np.ndarray, blob: Blob) -> SealPixels:
    """A seal found on a small render, cut from the page rendered k times as large: only its clip
    is rendered, which gives the pixels a render of the whole page has there (a turned page, whose
    clips are in unturned coordinates, is rendered whole)."""
    rect = pdf_page.rect
    zoom = k * SEAL_RENDER_LONG_SIDE / max(rect.width, rect.height, 1)
    matrix = pymupdf.Matrix(zoom, zoom)
    big = rescaled(blob, 1 / k)
    whole = (rect * matrix).irect
    box = crop_box(big, whole.width, whole.height)
    if pdf_page.rotation == 0:
        pix = pdf_page.get_pixmap(matrix=matrix, clip=pymupdf.Rect(box) / zoom, colorspace=pymupdf.csRGB,
                                  alpha=False)
        if (pix.x, pix.y, pix.x + pix.w, pix.y + pix.h) == box:
            return SealPixels(to_bgr(pix), moved(big, box[0], box[1]))
    return cut_pixels(render_at(pdf_page, zoom), big)


def ocr_image_regions(work: TextLayerWork) -> None:
    """Large images with no text over them, OCRed at REGION_DPI; the page becomes `mixed`."""
    page = work.page
    regions = _uncovered_image_regions(work.pdf_page, work.lines)
    for region in regions:
        if work.deadline.expired():
            break
        zoom = REGION_DPI / 72
        pix = work.pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=region,
                                       colorspace=pymupdf.csRGB, alpha=False)
        ocr_lines, result = ocr_image(to_bgr(pix), work.engine(), 1 / zoom, (region.x0, region.y0))
        page.lines.extend(ocr_lines)
        page.ocr_seconds += result.seconds
    if regions:
        page.text_source = TextSource.mixed


def _uncovered_image_regions(pdf_page: pymupdf.Page, lines: list[TextLine]) -> list[pymupdf.Rect]:
    """Large images with no text-layer text over them hold text only OCR can read."""
    page_area = abs(pdf_page.rect) or 1
    regions = []
    for info in pdf_page.get_image_info():
        rect = pymupdf.Rect(info["bbox"]) & pdf_page.rect
        if rect.is_empty or abs(rect) / page_area < MIN_REGION_SHARE:
            continue
        inside = sum(len(ln.text) for ln in lines if pymupdf.Rect(ln.bbox).intersects(rect))
        if inside < 10:
            regions.append(rect)
    return regions


def find_signed_labels(work: TextLayerWork) -> None:
    """Renders only the answer areas of 签字 labels, if any."""
    page = work.page
    page.signatures, page.signature_labels = optional(find_pdf_signatures, (work.pdf_page, page),
                                                      ([], []), page)


TEXT_LAYER_STEPS = [
    PagePass(find_e_seals, lambda w: bool(w.images) and not w.deadline.expired()),
    PagePass(ocr_image_regions),
    PagePass(find_signed_labels, lambda w: not w.deadline.expired()),
]


def read_text_layer(work: TextLayerWork) -> Page:
    """Run TEXT_LAYER_STEPS on a page whose text layer is read."""
    run_passes(TEXT_LAYER_STEPS, work, work.page)
    return work.deadline.note(work.page)
