"""Files into pages: one Page per PDF page or image frame, with text lines in page points.

A page's own text layer is used when it is usable (born-digital, ~1 ms: its passes are
extractors/text_layer.py); a page without one is rendered and read as a scan, as are images
(straightened, OCRed, seals and signatures: the passes of extractors/scan.py).

Bad input never stops a file: a page that cannot be read is left out and its reason, like
other notes on the file (page limit, JavaScript, attachments, repairs), goes to `file.error`,
which the report turns into DOCUMENT_UNREADABLE.

Time per page: OCR (ONNX Runtime) and rendering (MuPDF) run in-process and cannot be stopped
safely mid-call, so the limits are checked where they can be. Pixel counts are read from
headers before anything is decoded, which bounds every single call (MuPDF also subsamples big
images while decoding); optional work on a page (a second reading of a turned page, seals,
image regions) is skipped once the page's time is up; a file's remaining pages are skipped
once the file's time is up. A hard stop for a library stuck in C is the batch worker's job.
"""

import re
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image, ImageOps

from docintake.core.datamodel import Page, SourceFile, TextSource
from docintake.core.settings import Settings

from .blank import GLANCE_SHRINK, empty_pdf_page, is_blank, surely_blank
from .ocr import OcrEngine
from .ofd.package import OfdError
from .ofd.reader import read_ofd
from .ofd.xml_invoice import read_xml
from .page_ocr import Deadline
from .pdf_signature import check_pdf_signatures
from .render import render_at, rgb_to_bgr, zoom_to_fit
from .scan import NO_TEXT, read_scan
from .text_layer import TextLayerWork, read_text_layer, text_layer_lines, text_layer_usable

A4_LONG_SIDE_PT = 842.0
MAX_NOTES = 5  # per file, in the report; the count of the rest is given
MAX_XREFS_SCANNED = 200_000
_ACTIVE_CONTENT = re.compile(r"/(JavaScript|JS|Launch)(?![A-Za-z])")
_EMBEDDED_FILE = re.compile(r"/EmbeddedFile(?![A-Za-z])")

# PIL warns on stderr about corrupt EXIF and the like; what matters is reported per page.
warnings.filterwarnings("ignore", module=r"PIL\.")


class FileUnreadable(Exception):
    """The file cannot be opened at all; the message is for the reviewer (Chinese)."""


def _failed(source: str, index: int, exc: Exception) -> Page:
    """A page a library broke on: left out of the bundle, its reason noted on the file."""
    detail = str(exc)[:120]
    return Page(source=source, page=index + 1, width=595, height=842,
                error=f"读取出错，该页未检查（{type(exc).__name__}{'：' + detail if detail else ''}）")


def _over_time(started: float, limit: float, index: int, notes: list[str]) -> bool:
    if time.monotonic() - started <= limit:
        return False
    notes.append(f"文件处理时间超过上限 {limit:g} 秒，第 {index + 1} 页起未检查")
    return True


def _pdf_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
               notes: list[str]) -> Iterator[Page]:
    try:
        doc = pymupdf.open(file.path, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own types for broken files
        raise FileUnreadable(f"PDF 文件已损坏，无法打开（{type(exc).__name__}）") from exc
    with doc:
        if doc.needs_pass and not doc.authenticate(""):
            raise FileUnreadable("PDF 文件已加密（需要打开密码），无法读取")
        if doc.page_count == 0:
            raise FileUnreadable("PDF 文件没有页面")
        notes += _pdf_notes(doc)
        signature = check_pdf_signatures(file.path, file.name)
        limits = settings.limits
        if doc.page_count > limits.max_pages_per_file:
            notes.append(f"文件共 {doc.page_count} 页，超过上限 {limits.max_pages_per_file} 页，"
                         f"第 {limits.max_pages_per_file + 1} 页起未检查")
        started = time.monotonic()
        for index in range(min(doc.page_count, limits.max_pages_per_file)):
            if _over_time(started, limits.max_seconds_per_file, index, notes):
                return
            try:
                page = _pdf_page(doc, index, file.name, settings, engine)
            except Exception as exc:  # an OCR engine or MuPDF failing on one page
                page = _failed(file.name, index, exc)
            page.e_signature = signature if index == 0 else None  # signed PDFs: the file's verdict
            yield page


def _pdf_notes(doc: pymupdf.Document) -> list[str]:
    """What a reviewer must know about a PDF that opened: repairs, scripts, attachments."""
    notes = []
    if doc.is_repaired:
        notes.append("PDF 文件结构已损坏（可能不完整），已尽量修复后读取，请核对页数和内容")
    active = embedded = 0
    for xref in range(1, min(doc.xref_length(), MAX_XREFS_SCANNED)):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:
            continue
        active += bool(_ACTIVE_CONTENT.search(obj))
        embedded += bool(_EMBEDDED_FILE.search(obj))
    if active:
        notes.append("PDF 含有 JavaScript 脚本或自动执行的动作（未执行），请勿在浏览器中直接打开")
    if embedded:
        notes.append(f"PDF 内嵌 {embedded} 个附件文件，附件未检查；如属申报材料请单独提交")
    return notes


def _largest_image(infos: list[dict]) -> tuple[int, int]:
    return max(((int(i["width"]), int(i["height"])) for i in infos), key=lambda wh: wh[0] * wh[1],
               default=(0, 0))


def _pdf_page(doc: pymupdf.Document, index: int, source: str, settings: Settings,
              engine: Callable[[], OcrEngine]) -> Page:
    """A page with a usable text layer is read from it (extractors/text_layer.py); one without is
    rendered and read as a scan (extractors/scan.py)."""
    deadline = Deadline(settings.limits.max_seconds_per_page)
    pdf_page = doc[index]
    rect = pdf_page.rect
    page = Page(source=source, page=index + 1, width=rect.width, height=rect.height)
    lines = text_layer_lines(pdf_page)
    infos = pdf_page.get_image_info()  # sizes from the image dictionaries, nothing decoded
    width, height = _largest_image(infos)
    too_big = width * height > settings.limits.max_image_pixels
    size = f"{width}×{height} 像素，上限 {settings.limits.max_image_pixels} 像素"
    if not text_layer_usable(lines):
        if too_big:
            page.error = f"页面图像过大（{size}），未识别"
            return page
        # Nothing drawn, or no mark at a glance: blank without the full render.
        glance = settings.ocr_long_side // GLANCE_SHRINK
        if empty_pdf_page(pdf_page, bool(infos)) or (
                not lines and surely_blank(render_at(pdf_page, zoom_to_fit(pdf_page, glance)))):
            page.blank = True
            return page
        # No usable text: render so the long side fits what the OCR engine works at.
        zoom = zoom_to_fit(pdf_page, settings.ocr_long_side)
        bgr = render_at(pdf_page, zoom)
        if not lines and is_blank(bgr):  # before OCR (and before loading its models)
            page.blank = True
            return page
        page = read_scan(bgr, engine(), 1 / zoom, page, settings.read_seals, deadline)
        return deadline.note(page)
    page.lines, page.text_source = lines, TextSource.text_layer
    if too_big:
        page.error = f"页面内嵌图片过大（{size}），图片部分未识别"
        return page
    return read_text_layer(TextLayerWork(pdf_page, page, lines, infos, engine, settings.read_seals, deadline,
                                         settings.ocr_long_side))


def _image_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
                 notes: list[str]) -> Iterator[Page]:
    limits = settings.limits
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels  # PIL's own guard, at twice this, on open
    try:
        img = Image.open(file.path)
        frames = getattr(img, "n_frames", 1)
    except Image.DecompressionBombError as exc:
        raise FileUnreadable(f"图片像素过多（超过上限 {limits.max_image_pixels} 像素），未解码") from exc
    except Exception as exc:
        raise FileUnreadable(f"图片文件已损坏或格式不受支持（{type(exc).__name__}）") from exc
    with img:
        if frames > limits.max_pages_per_file:
            notes.append(f"图片共 {frames} 帧，超过上限 {limits.max_pages_per_file} 页，"
                         f"第 {limits.max_pages_per_file + 1} 帧起未检查")
        started = time.monotonic()
        for index in range(min(frames, limits.max_pages_per_file)):
            if _over_time(started, limits.max_seconds_per_file, index, notes):
                return
            page = Page(source=file.name, page=index + 1, width=595, height=842)
            try:
                img.seek(index)
                width, height = img.size  # from the header: checked before decoding
                if width * height > limits.max_image_pixels:
                    page.error = (f"图片像素过多（{width}×{height} 像素，上限 {limits.max_image_pixels} "
                                  "像素），未识别")
                else:
                    page = _image_page(img, file.path, page, settings, engine)
            except OSError as exc:  # PIL's truncated or corrupt data
                page.error = f"图片数据已损坏或不完整，无法解码（{exc}）"
            except Exception as exc:  # an OCR engine failing on one page
                page = _failed(file.name, index, exc)
            yield page


def _image_page(img: Image.Image, path: Path, page: Page, settings: Settings,
                engine: Callable[[], OcrEngine]) -> Page:
    deadline = Deadline(settings.limits.max_seconds_per_page)
    long_side = settings.ocr_long_side
    dpi = _plausible_dpi(img)
    full_long = max(img.size)  # before draft(): dpi refers to the stored size
    if surely_blank(_glance(img, path, long_side // GLANCE_SHRINK)):  # before decoding in full
        page.blank = True
        return page
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
    bgr = rgb_to_bgr(np.asarray(frame))
    if is_blank(bgr):
        page.blank = True
        return page
    return deadline.note(read_scan(bgr, engine(), points_per_px, page, settings.read_seals, deadline))


def _glance(img: Image.Image, path: Path, long_side: int) -> np.ndarray:
    """The frame at about `long_side`: a JPEG decoded at that scale (its DCT averages each block,
    and it is a few times cheaper than a full decode), any other frame shrunk by area."""
    k = long_side / max(img.size)
    if img.format == "JPEG":
        with Image.open(path) as small:  # draft() must come before the first decode
            small.draft("RGB", (round(img.width * k), round(img.height * k)))
            return np.asarray(small.convert("RGB"))
    frame = np.asarray(img.convert("RGB"))
    return cv2.resize(frame, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) if k < 1 else frame


def _plausible_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if dpi and 100 <= float(dpi[0]) <= 1200:
        return float(dpi[0])
    return None


def _ofd_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
               notes: list[str]) -> Iterator[Page]:
    """An OFD file (extractors/ofd/): its own text objects, exact invoice fields, signatures."""
    try:
        yield from read_ofd(file, settings, engine, notes)
    except OfdError as exc:
        raise FileUnreadable(str(exc)) from exc


def _xml_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
               notes: list[str]) -> Iterator[Page]:
    try:
        yield read_xml(file, settings.limits)
    except OfdError as exc:
        raise FileUnreadable(str(exc)) from exc


READERS = {"pdf": _pdf_pages, "ofd": _ofd_pages, "xml": _xml_pages}


def read_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
               notes: list[str] | None = None) -> Iterator[Page]:
    """Yield the pages of one file; raises FileUnreadable if the file cannot be opened.

    A page nothing could be read from is not yielded; why, like every other remark on the file
    (page limit, scripts, attachments, repairs, time), is appended to `notes` for the reviewer.
    """
    notes = [] if notes is None else notes
    reader = READERS.get(file.format, _image_pages)
    for page in reader(file, settings, engine, notes):
        if page.error and page.error != NO_TEXT:
            notes.append(f"第 {page.page} 页{page.error}")
        if page.lines or page.error in (None, NO_TEXT):
            yield page


def summarise(notes: list[str]) -> str | None:
    """Notes on a file as one message (a file's DOCUMENT_UNREADABLE finding)."""
    if not notes:
        return None
    more = f"（另有 {len(notes) - MAX_NOTES} 处未列出）" if len(notes) > MAX_NOTES else ""
    return "；".join(notes[:MAX_NOTES]) + more


__all__ = ["FileUnreadable", "read_pages", "summarise"]
