"""Pages and text: one Page per PDF page or image frame, with text lines in page points.

A page's own text layer is used when it is usable (born-digital, ~1 ms); the page is OCRed only
when it has none, and only image regions are OCRed on a page whose text layer does not cover
them (a scanned licence pasted into a typed PDF). Scans and photos are straightened first.
"""

import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageOps

from docintake.config import Settings
from docintake.datamodel import Page, Seal, SourceFile, TextLine, TextSource

from .ingest import read_head, sniff_format
from .normalise import normalise_text
from .ocr import OcrEngine, OcrResult
from .seals import find_seals, remove_red_ink
from .straighten import rotate_quarter, straighten

A4_LONG_SIDE_PT = 842.0
MIN_REGION_SHARE = 0.08  # images smaller than this share of the page are seals, logos, QR codes
REGION_DPI = 200


class FileUnreadable(Exception):
    """The file cannot be opened at all; the message is for the reviewer (Chinese)."""


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


def _to_bgr(pix: pymupdf.Pixmap) -> np.ndarray:
    arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)
    return np.ascontiguousarray(arr[:, :, 2::-1] if pix.n >= 3 else arr[:, :, 0])


def ocr_image(image: np.ndarray, engine: OcrEngine, scale: float, origin=(0.0, 0.0)
              ) -> tuple[list[TextLine], OcrResult]:
    """OCR an image; boxes become points with `scale` points per pixel from `origin`."""
    result = engine.read(image)
    ox, oy = origin
    lines = []
    for line in result.lines:
        text = normalise_text(line.text)
        if text:
            x0, y0, x1, y1 = line.box
            bbox = (ox + x0 * scale, oy + y0 * scale, ox + x1 * scale, oy + y1 * scale)
            lines.append(TextLine(text=text, bbox=bbox, confidence=line.confidence,
                                  source=TextSource.ocr, size=(y1 - y0) * scale))
    return lines, result


def _mostly_vertical(lines: list[TextLine]) -> bool:
    """Most text boxes taller than wide: the page is still sideways."""
    sized = [ln for ln in lines if len(ln.text) >= 3]
    tall = sum(1 for ln in sized if (ln.bbox[3] - ln.bbox[1]) > 1.5 * (ln.bbox[2] - ln.bbox[0]))
    return len(sized) >= 3 and tall > 0.6 * len(sized)


SEAL_RENDER_LONG_SIDE = 1200  # seal detection decides on a 1200 px copy anyway


def find_page_seals(image: np.ndarray, points_per_px: float, page: Page, engine: OcrEngine | None
                    ) -> list[Seal]:
    """Seals on a page image, boxes in page points. With no engine: detection only, no text."""
    return [Seal(page=page.page, source=page.source, kind=hit.kind, shape=hit.shape, text=hit.text,
                 owner=hit.owner, confidence=hit.confidence,
                 bbox=tuple(round(v * points_per_px, 1) for v in hit.bbox))
            for hit in find_seals(image, engine)]


def read_scan(image: np.ndarray, engine: OcrEngine, points_per_px: float, page: Page,
              read_seals: bool = False) -> Page:
    """Straighten a page image, OCR it, and fill `page` (whose size follows the straightened image)."""
    straight, how = straighten(image)
    lines, result = ocr_image(straight, engine, points_per_px)
    turns = how.quarter_turns
    if _mostly_vertical(lines):
        # A sparse page can fool the layout check; the OCR boxes cannot. Turn it a quarter
        # anticlockwise and read again: the direction classifier settles 90 versus 270.
        first_seconds = result.seconds
        straight = rotate_quarter(straight, 3)
        turns = (turns + 3) % 4
        lines, result = ocr_image(straight, engine, points_per_px)
        result.seconds += first_seconds
    h, w = straight.shape[:2]
    page.width, page.height = w * points_per_px, h * points_per_px
    page.lines = lines
    page.ocr_seconds = result.seconds
    page.rotation = turns * 90
    page.skew = how.skew_degrees
    page.perspective = how.perspective
    page.text_source = TextSource.ocr if lines else TextSource.none
    if result.upside_down:
        # The engine mapped its boxes to the upright page; the image must follow for seal work.
        page.rotation = (page.rotation + 180) % 360
        straight = rotate_quarter(straight, 2)
    if not lines:
        page.error = "页面上没有可识别的文字（空白、全黑或严重模糊）"
    page.seals = find_page_seals(straight, points_per_px, page, engine if read_seals else None)
    if read_seals:
        # A second OCR around every seal: +30% on a scanned page with seals, so it comes with
        # the (optional) seal reading rather than by default.
        page.lines = merge_readings(page.lines, read_under_seals(straight, page, engine, points_per_px))
    return page


def read_under_seals(image: np.ndarray, page: Page, engine: OcrEngine, points_per_px: float
                     ) -> list[TextLine]:
    """Text a seal is stamped over (a date, a signature line) is lost to OCR in red ink: OCR the
    seal's neighbourhood again with the red ink whitened."""
    found = []
    h, w = image.shape[:2]
    for seal in page.seals:
        if seal.shape == "slice" or not seal.bbox:
            continue
        x0, y0, x1, y1 = (v / points_per_px for v in seal.bbox)
        pad_x, pad_y = 0.6 * (x1 - x0), 0.05 * (y1 - y0)  # wide: lines under a seal run past it
        box = (max(0, int(x0 - pad_x)), max(0, int(y0 - pad_y)),
               min(w, int(x1 + pad_x)), min(h, int(y1 + pad_y)))
        crop = remove_red_ink(image[box[1]:box[3], box[0]:box[2]])
        lines, _ = ocr_image(crop, engine, points_per_px, (box[0] * points_per_px, box[1] * points_per_px))
        found += [ln for ln in lines if ln.confidence >= 0.8]
    return found


def merge_readings(lines: list[TextLine], second: list[TextLine]) -> list[TextLine]:
    """Add a second reading's lines; one that covers shorter fragments of the first replaces them."""
    merged = list(lines)
    for line in second:
        covered = [k for k in merged if _overlaps(line, k)]
        if covered and len(line.text) <= max(len(k.text) for k in covered):
            continue
        merged = [k for k in merged if k not in covered] + [line]
    return merged


def _overlaps(a: TextLine, b: TextLine) -> bool:
    ix = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    iy = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return ix > 0 and iy > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _pdf_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine]
               ) -> Iterator[Page]:
    try:
        doc = pymupdf.open(file.path, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own types for broken files
        raise FileUnreadable(f"PDF 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise FileUnreadable("PDF 文件已加密（需要打开密码），无法读取")
        if doc.page_count == 0:
            raise FileUnreadable("PDF 文件没有页面")
        for index in range(min(doc.page_count, settings.limits.max_pages_per_file)):
            yield _pdf_page(doc, index, file.name, settings, engine)


def _pdf_page(doc: pymupdf.Document, index: int, source: str, settings: Settings,
              engine: Callable[[], OcrEngine]) -> Page:
    try:
        pdf_page = doc[index]
        rect = pdf_page.rect
        page = Page(source=source, page=index + 1, width=rect.width, height=rect.height)
        lines = text_layer_lines(pdf_page)
    except Exception as exc:
        return Page(source=source, page=index + 1, width=595, height=842,
                    error=f"第 {index + 1} 页无法解析（{type(exc).__name__}）")
    if not text_layer_usable(lines):
        # No usable text: render so the long side fits what the OCR engine works at.
        zoom = settings.ocr_long_side / max(rect.width, rect.height, 1)
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                                  alpha=False)
        return read_scan(_to_bgr(pix), engine(), 1 / zoom, page, settings.read_seals)
    page.lines, page.text_source = lines, TextSource.text_layer
    if pdf_page.get_image_info():
        # E-seals are images on born-digital pages: look at a small render, only where images are.
        zoom = SEAL_RENDER_LONG_SIDE / max(rect.width, rect.height, 1)
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                                  alpha=False)
        page.seals = find_page_seals(_to_bgr(pix), 1 / zoom, page,
                                     engine() if settings.read_seals else None)
    regions = _uncovered_image_regions(pdf_page, lines)
    for region in regions:
        zoom = REGION_DPI / 72
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=region,
                                  colorspace=pymupdf.csRGB, alpha=False)
        ocr_lines, result = ocr_image(_to_bgr(pix), engine(), 1 / zoom, (region.x0, region.y0))
        page.lines.extend(ocr_lines)
        page.ocr_seconds += result.seconds
    if regions:
        page.text_source = TextSource.mixed
    return page


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


def _image_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine]
                 ) -> Iterator[Page]:
    Image.MAX_IMAGE_PIXELS = settings.limits.max_image_pixels
    try:
        img = Image.open(file.path)
        frames = getattr(img, "n_frames", 1)
    except Exception as exc:
        raise FileUnreadable(f"图片文件已损坏或格式不受支持（{type(exc).__name__}）") from exc
    with img:
        for index in range(min(frames, settings.limits.max_pages_per_file)):
            page = Page(source=file.name, page=index + 1, width=595, height=842)
            try:
                img.seek(index)
                yield _image_page(img, page, settings, engine)
            except Exception as exc:
                page.error = f"第 {index + 1} 帧图片无法解码（{type(exc).__name__}：{exc}）"
                yield page


def _image_page(img: Image.Image, page: Page, settings: Settings,
                engine: Callable[[], OcrEngine]) -> Page:
    long_side = settings.ocr_long_side
    dpi = _plausible_dpi(img)
    full_long = max(img.size)  # before draft(): dpi refers to the stored size
    if img.format == "JPEG":
        img.draft("RGB", (long_side, long_side))  # decode big photos at a reduced scale: fast
    frame = (ImageOps.exif_transpose(img) or img).convert("RGB")
    if max(frame.size) > long_side:
        ratio = long_side / max(frame.size)
        frame = frame.resize((round(frame.width * ratio), round(frame.height * ratio)),
                             Image.Resampling.LANCZOS)
    # Points per pixel of the image handed to OCR: from the scan's dpi, else fit A4.
    scan_scale = 72 / dpi * full_long if dpi else A4_LONG_SIDE_PT
    points_per_px = scan_scale / max(frame.size)
    bgr = np.ascontiguousarray(np.asarray(frame)[:, :, ::-1])
    return read_scan(bgr, engine(), points_per_px, page, settings.read_seals)


def _plausible_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if dpi and 100 <= float(dpi[0]) <= 1200:
        return float(dpi[0])
    return None


def page_image(path: Path, page: int, long_side: int) -> np.ndarray:
    """One page of a PDF or image file as a BGR image whose long side is `long_side` at most."""
    if sniff_format(read_head(path)) == "pdf":
        with pymupdf.open(path, filetype="pdf") as doc:
            pdf_page = doc[page - 1]
            zoom = long_side / max(pdf_page.rect.width, pdf_page.rect.height)
            pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                                      alpha=False)
            return _to_bgr(pix)
    with Image.open(path) as img:
        img.seek(page - 1)
        frame = img.convert("RGB")
        frame.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
        return np.ascontiguousarray(np.asarray(frame)[:, :, ::-1])


def read_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine]
               ) -> Iterator[Page]:
    """Yield the pages of one file; raises FileUnreadable if the file cannot be opened."""
    if file.format == "pdf":
        yield from _pdf_pages(file, settings, engine)
    else:
        yield from _image_pages(file, settings, engine)


__all__ = ["FileUnreadable", "page_image", "read_pages", "text_layer_usable"]
