"""Pages and text: one Page per PDF page or image frame, with text lines in page points.

A page's own text layer is used when it is usable (born-digital, ~1 ms); the page is OCRed only
when it has none, and only image regions are OCRed on a page whose text layer does not cover
them (a scanned licence pasted into a typed PDF). Scans and photos are straightened first.

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

import logging
import re
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageOps

from docintake.core.datamodel import Page, Seal, SourceFile, TextLine, TextSource
from docintake.core.settings import Settings

from .ingest import read_head, sniff_format
from .normalise import normalise_text
from .ocr import OcrEngine, OcrResult
from .seals import find_seals, remove_seal_ink
from .seals.detect import is_grey
from .signatures import find_labels, find_pdf_signatures, find_signatures
from .straighten import rotate_quarter, straighten
from .unsure_lines import reread_unsure_lines

A4_LONG_SIDE_PT = 842.0
MIN_REGION_SHARE = 0.08  # images smaller than this share of the page are seals, logos, QR codes
REGION_DPI = 200
NO_TEXT = "页面上没有可识别的文字（空白、全黑或严重模糊）"  # read fine, nothing on it
MAX_NOTES = 5  # per file, in the report; the count of the rest is given
MAX_XREFS_SCANNED = 200_000
_ACTIVE_CONTENT = re.compile(r"/(JavaScript|JS|Launch)(?![A-Za-z])")
_EMBEDDED_FILE = re.compile(r"/EmbeddedFile(?![A-Za-z])")

# PIL warns on stderr about corrupt EXIF and the like; what matters is reported per page.
warnings.filterwarnings("ignore", module=r"PIL\.")

log = logging.getLogger(__name__)
# Words of a page that is signed (申报单位（盖章）, 法定代表人（签字）, 承诺单位, an ID card copy the
# holder signs): a seal on such a page may hide the 签字 label, and the seal itself may hide 盖章.
SIGNING_WORDS = re.compile(r"盖章|签字|签名|签章|承诺|法定代表人|授权代表|身份证|复印件")


class FileUnreadable(Exception):
    """The file cannot be opened at all; the message is for the reviewer (Chinese)."""


class Deadline:
    """A page's time budget; optional work checks it between steps (see the module docstring)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.hit = False

    def expired(self) -> bool:
        self.hit = self.hit or time.monotonic() > self.end
        return self.hit

    def note(self, page: Page) -> Page:
        if self.hit and not page.error:
            page.error = f"处理超过 {self.seconds:g} 秒，印章或图片区域等部分内容未识别"
        return page


NO_DEADLINE = Deadline(float("inf"))


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


def ocr_image(image: np.ndarray, engine: OcrEngine, scale: float, origin=(0.0, 0.0), crop: bool = False
              ) -> tuple[list[TextLine], OcrResult]:
    """OCR an image; boxes become points with `scale` points per pixel from `origin`. `crop`:
    part of a page image already read (see OcrEngine.read)."""
    result = engine.read(image, crop=True) if crop else engine.read(image)
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
              read_seals: bool = False, deadline: Deadline = NO_DEADLINE) -> Page:
    """Straighten a page image, OCR it, and fill `page` (whose size follows the straightened image)."""
    straight, how = straighten(image)
    lines, result = ocr_image(straight, engine, points_per_px)
    turns = how.quarter_turns

    if _mostly_vertical(lines) and not deadline.expired():
        # A sparse page can fool the layout check; the OCR boxes cannot. Turn it a quarter
        # anticlockwise and read again: the direction classifier settles 90 versus 270.
        seconds = result.seconds
        straight, turns = rotate_quarter(straight, 3), (turns + 3) % 4
        lines, result = ocr_image(straight, engine, points_per_px)
        result.seconds += seconds
    h, w = straight.shape[:2]
    page.width, page.height = w * points_per_px, h * points_per_px
    page.lines = lines
    page.ocr_seconds = result.seconds
    page.rotation = turns * 90
    page.skew = how.skew_degrees
    page.perspective = how.perspective
    page.grey = is_grey(straight)
    page.text_source = TextSource.ocr if lines else TextSource.none
    if result.upside_down:
        # The engine mapped its boxes to the upright page; the image must follow for seal work.
        page.rotation = (page.rotation + 180) % 360
        straight = rotate_quarter(straight, 2)
    if not lines:
        page.error = NO_TEXT
    if deadline.expired():
        return page
    page.lines = optional(reread_unsure_lines, (straight, page.lines, engine, points_per_px),
                          page.lines, page)
    page.seals = optional(find_page_seals, (straight, points_per_px, page, engine if read_seals else None),
                          [], page)
    if (read_seals or _signing_under_seal(page)) and not deadline.expired():
        # A second OCR around every seal: +30% on a scanned page with seals, so by default only
        # where a signing block shows but its 签字 label does not (a seal stamped over it).
        page.lines = optional(_lines_under_seals, (straight, page, engine, points_per_px, deadline),
                              page.lines, page)
    # After the seal reading: it may recover a 签字 label a seal covers. ~2-10 ms with a label.
    page.signatures, page.signature_labels = optional(find_signatures, (straight, points_per_px, page),
                                                      ([], []), page)
    if not page.under_seals_read and _unsigned_by_a_seal(page) and not deadline.expired():
        # A label with no hand found beside it, a seal stamped there: the name written under the
        # red ink may read once the ink is whitened (本人签学: | 闫艳雨).
        page.lines = optional(_lines_under_seals, (straight, page, engine, points_per_px, deadline),
                              page.lines, page)
        page.signatures, page.signature_labels = optional(
            find_signatures, (straight, points_per_px, page), (page.signatures, page.signature_labels), page)
    return page


def _unsigned_by_a_seal(page: Page) -> bool:
    """A 签字 label with no signature found, a round seal within reach of it."""
    signed = {s.label for s in page.signatures}
    return any(label.label not in signed and label.bbox and any(
        s.shape == "round" and s.bbox and s.bbox[0] < label.bbox[2] + 200 and s.bbox[2] > label.bbox[0]
        and s.bbox[1] < label.bbox[3] + 60 and s.bbox[3] > label.bbox[1] - 60 for s in page.seals)
        for label in page.signature_labels)


def _lines_under_seals(image: np.ndarray, page: Page, engine: OcrEngine, points_per_px: float,
                       deadline: Deadline) -> list[TextLine]:
    """The page's lines with what its seals' neighbourhoods read with the red ink whitened."""
    lines = merge_readings(page.lines, read_under_seals(image, page, engine, points_per_px))
    page.under_seals_read = True
    if _signing_under_seal(page.model_copy(update={"lines": lines})) and not deadline.expired():
        # Text detection on a small crop is fickle: a taller crop of the same seal reads anew, its
        # text detected at the page's scale (a scribble beside 法定代表人（签字）： once merged
        # with it into one tall box that read as ":()").
        lines = merge_readings(lines, read_under_seals(image, page, engine, points_per_px, pad_y=0.2,
                                                       fine=True))
    return lines


def _signing_under_seal(page: Page) -> bool:
    """A sealed page with a signing block (盖章/签字 words) on which no 签字 label was read."""
    return (any(s.shape == "round" for s in page.seals)
            and any(SIGNING_WORDS.search(ln.text) for ln in page.lines) and not find_labels(page))


def optional(step, args: tuple, fallback, page: Page):
    """Run an extra look at a page (signatures, seals): its failure must not cost the page its
    text, so it is noted on the page and the page goes on without it."""
    try:
        return step(*args)
    except Exception as exc:
        log.warning("%s failed on %s p.%d: %s", step.__name__, page.source, page.page, exc)
        return fallback


def read_under_seals(image: np.ndarray, page: Page, engine: OcrEngine, points_per_px: float,
                     pad_y: float = 0.05, fine: bool = False) -> list[TextLine]:
    """Text a seal is stamped over (a date, a signature line) is lost to OCR in red ink: OCR the
    seal's neighbourhood again with the seal's ink whitened (red, or its grey on a grey scan).
    `fine`: detect text at the scale a whole page gets (slower) rather than the crop's own."""
    found = []
    h, w = image.shape[:2]
    for seal in page.seals:
        if seal.shape == "slice" or not seal.bbox:
            continue
        x0, y0, x1, y1 = (v / points_per_px for v in seal.bbox)
        pad_x, pad_y = 0.6 * (x1 - x0), pad_y * (y1 - y0)  # wide: lines under a seal run past it
        box = (max(0, int(x0 - pad_x)), max(0, int(y0 - pad_y)),
               min(w, int(x1 + pad_x)), min(h, int(y1 + pad_y)))
        seal_px = (int(x0) - box[0], int(y0) - box[1], int(x1) - box[0], int(y1) - box[1])
        crop = remove_seal_ink(image[box[1]:box[3], box[0]:box[2]], seal_px)
        lines, _ = ocr_image(crop, engine, points_per_px, (box[0] * points_per_px, box[1] * points_per_px),
                             crop=not fine)
        # Seal-text fragments read unsurely are dropped; a signing label (（签字）：) is what the
        # reread is often for, and its bracket next to the seal's ink lowers the engine's score.
        found += [ln for ln in lines if ln.confidence >= 0.8
                  or (ln.confidence >= 0.6 and SIGNING_WORDS.search(ln.text))]
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
    """Two readings of one line: over half the taller box's height shared. (A tilted line's box
    is tall and reaches into the lines above and below: it covers neither.)"""
    ix = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    iy = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return ix > 0 and iy > 0.5 * max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


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
        # No usable text: render so the long side fits what the OCR engine works at.
        zoom = settings.ocr_long_side / max(rect.width, rect.height, 1)
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                                  alpha=False)
        page = read_scan(_to_bgr(pix), engine(), 1 / zoom, page, settings.read_seals, deadline)
        return deadline.note(page)
    page.lines, page.text_source = lines, TextSource.text_layer
    if too_big:
        page.error = f"页面内嵌图片过大（{size}），图片部分未识别"
        return page
    if infos and not deadline.expired():
        # E-seals are images on born-digital pages: look at a small render, only where images are.
        zoom = SEAL_RENDER_LONG_SIDE / max(rect.width, rect.height, 1)
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB,
                                  alpha=False)
        page.seals = find_page_seals(_to_bgr(pix), 1 / zoom, page,
                                     engine() if settings.read_seals else None)
    regions = _uncovered_image_regions(pdf_page, lines)
    for region in regions:
        if deadline.expired():
            break
        zoom = REGION_DPI / 72
        pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=region,
                                  colorspace=pymupdf.csRGB, alpha=False)
        ocr_lines, result = ocr_image(_to_bgr(pix), engine(), 1 / zoom, (region.x0, region.y0))
        page.lines.extend(ocr_lines)
        page.ocr_seconds += result.seconds
    if regions:
        page.text_source = TextSource.mixed
    if not deadline.expired():  # renders only the answer areas of 签字 labels, if any
        found = optional(find_pdf_signatures, (pdf_page, page), ([], []), page)
        page.signatures, page.signature_labels = found
    return deadline.note(page)


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
                    page = _image_page(img, page, settings, engine)
            except OSError as exc:  # PIL's truncated or corrupt data
                page.error = f"图片数据已损坏或不完整，无法解码（{exc}）"
            except Exception as exc:  # an OCR engine failing on one page
                page = _failed(file.name, index, exc)
            yield page


def _image_page(img: Image.Image, page: Page, settings: Settings,
                engine: Callable[[], OcrEngine]) -> Page:
    deadline = Deadline(settings.limits.max_seconds_per_page)
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
    return deadline.note(read_scan(bgr, engine(), points_per_px, page, settings.read_seals, deadline))


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


def read_pages(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
               notes: list[str] | None = None) -> Iterator[Page]:
    """Yield the pages of one file; raises FileUnreadable if the file cannot be opened.

    A page nothing could be read from is not yielded; why, like every other remark on the file
    (page limit, scripts, attachments, repairs, time), is appended to `notes` for the reviewer.
    """
    notes = [] if notes is None else notes
    reader = _pdf_pages if file.format == "pdf" else _image_pages
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


__all__ = ["FileUnreadable", "page_image", "read_pages", "summarise", "text_layer_usable"]
