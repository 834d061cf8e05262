"""Handwritten signatures next to signature labels (法定代表人（签字）：, 本人签字：, 签名：).

A label is a short line naming 签字/签名/签章 that ends in a colon or a bracketed keyword; a body
sentence that merely mentions signing is not one. Its answer area is to the right of it (up to the
next text) and just below it. Ink there is dark, not red (seals), outside printed text, and made of
pen-stroke sized components: rules, table borders, JPEG noise and scan speckle fail on shape.

    signatures, labels = find_signatures(straight_bgr, points_per_px, page)   # scans, photos
    signatures, labels = find_pdf_signatures(pdf_page, page)                  # born-digital
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf

from docintake.core.datamodel import BBox, Page, Signature, TextLine, TextSource

from .seals import grey_seal_levels

# 本人签: OCR lost 字 under a seal; 代表人(签学), 代表人(字), 本人签学: it misread or lost a character
# of 签字 (签订日期: is no label: 签 and one character must end at the colon)
KEYWORD = re.compile(r"签字|签名|签章|签(?=\s*[：:]?\s*$)|(?<=[\u4e00-\u9fff][（(])(?:签.?|.?字)(?=\s*[）)])"
                     r"|签[\u4e00-\u9fff](?=\s*[：:])")
SENTENCE = re.compile(r"[，。；;！？!?]")
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
CLOSE_BRACKET = re.compile(r"[^（()）：:]{0,5}[）)]")  # （签字）, （签字盖章）, （签名/盖章）
COLON = re.compile(r"\s*[：:]")
FILLER = " _＿-－—.·…"
MAX_LABEL_CHARS = 20
MAX_REST_CHARS = 6  # what OCR makes of a scribble on the label's own line: 沙, MWW
NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")  # a person's name as OCR reads a signature
LOST_TAIL_CHARS = 2.0  # characters OCR may drop off the end of a printed line (see _with_lost_tail)
MAX_TAIL_HEIGHT = 2.0  # a name joined to a label's line is at most this many times its height

RIGHT_REACH = 180.0  # points right of the label where a signature may sit
BELOW_REACH = 45.0  # points below the label
BELOW_WIDTH = 180.0
TEXT_PAD = 1.5  # points around printed text boxes: their boxes are tight, glyph edges are not
RULE_LENGTH = 14.0  # straight dark runs longer than this (points) are rules and borders
SEAL_INK_SHARE = 0.6  # on grey pages, pen ink under a seal is darker than this share of the seal's
PDF_ZOOM = 3.0  # px per point when rendering a born-digital answer area (216 dpi)


Crop = Callable[[BBox], tuple[np.ndarray, float]]  # a box of the page as pixels, points per pixel


@dataclass
class Label:
    line: TextLine
    text: str  # the label part of the line, e.g. 法定代表人(签字):
    bbox: BBox  # the label part's box (a line may carry OCR of the scribble after the colon)
    rest_bbox: BBox | None  # the rest of the line, if any
    written: bool = False  # the rest is a name written by hand (wider than print): a signature


def _units(text: str) -> float:
    """Width in character cells: Chinese punctuation is full-width even after normalising to ASCII."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" or ch in "():;," else 0.55
               for ch in text) or 1.0


def _pitch(page: Page, line: TextLine) -> float | None:
    """Points per character cell, from confident OCR lines near `line` (its own box may be stretched
    over the scribble after it)."""
    near = sorted((ln for ln in page.lines if ln is not line and ln.confidence >= 0.9 and len(ln.text) >= 5),
                  key=lambda ln: abs(ln.bbox[1] - line.bbox[1]))[:5]
    pitches = [(ln.bbox[2] - ln.bbox[0]) / _units(ln.text) for ln in near]
    return float(np.median(pitches)) if pitches else None


def _label_end(text: str, run_on: bool = False) -> int | None:
    """Index just past the label in `text`, or None if the line is not a label. `run_on` lets a
    keyword run straight into a short rest (本人签字郑玉杰: OCR lost the colon and read the name);
    the caller must then show the rest is handwriting, not the words of a sentence."""
    hits = list(KEYWORD.finditer(text))
    if not hits:
        return None
    end = hits[-1].end()
    close = CLOSE_BRACKET.match(text, end)
    if close:
        end = close.end()
    colon = COLON.match(text, end)
    if colon:
        end = colon.end()
    rest = text[end:].strip(FILLER)
    if not (close or colon) and rest and not run_on:
        return None  # 签字盖章之日起生效: the keyword runs on into a sentence
    label = text[:end]
    if len(label) > MAX_LABEL_CHARS or len(rest) > MAX_REST_CHARS:
        return None
    if SENTENCE.search(BRACKETED.sub("", label)) or SENTENCE.search(rest):
        return None
    return end


def _row_tails_joined(lines: list[TextLine]) -> list[TextLine]:
    """Lines OCR split off a label joined to the line they continue, just left of them on the same
    row: a bracketed part ((字), (签字): a seal stamped over the label splits it), and on a scan a
    name after a label that ends in a colon (本人签字: | 蒋英梓: the signature as OCR read it)."""
    out = list(lines)
    for tail in lines:
        text = tail.text.strip()
        bracket = text.startswith(("(", "（"))
        if not bracket and not (tail.source != TextSource.text_layer and NAME.fullmatch(text)):
            continue
        height = tail.bbox[3] - tail.bbox[1]
        head = next((ln for ln in out if ln is not tail and ln.bbox[2] <= tail.bbox[0] + 0.3 * height
                     and tail.bbox[0] - ln.bbox[2] < 1.5 * height
                     and height <= MAX_TAIL_HEIGHT * _height(ln.bbox)  # not a seal's arc read upright
                     and _overlap_y(ln.bbox, tail.bbox) > 0.5 * min(height, ln.bbox[3] - ln.bbox[1])), None)
        if head is None or not (bracket or (COLON.search(head.text[-2:]) and _label_end(head.text))):
            continue
        box = (head.bbox[0], min(head.bbox[1], tail.bbox[1]), tail.bbox[2], max(head.bbox[3], tail.bbox[3]))
        joined = head.model_copy(update={"text": head.text + tail.text, "bbox": box,
                                         "confidence": min(head.confidence, tail.confidence)})
        out = [joined if ln is head else ln for ln in out if ln is not tail]
    return out


def find_labels(page: Page) -> list[Label]:
    labels = []
    for line in _row_tails_joined(page.lines):
        text = line.text.strip()
        end = _label_end(text)
        pitch = _pitch(page, line) if line.source != TextSource.text_layer else None
        if end is None and pitch:
            end = _label_end(text, run_on=True)
            if end is None or not _written_larger(line, text, end, pitch):
                continue
        if end is None:
            continue
        x0, y0, x1, y1 = line.bbox
        split = x0 + (x1 - x0) * _units(text[:end]) / _units(text)
        if pitch and split > x0 + (_units(text[:end]) + 1.5) * pitch:
            split = x0 + (_units(text[:end]) + 0.3) * pitch  # an OCR box stretched over the scribble
        rest = split < x1 - 1 and text[end:].strip(FILLER)  # ____ to sign on is not text to mask
        # A name after the label on a scanned line is the signature as OCR read it: a 签字 label
        # asks for a hand, printed names go after 姓名. Typed (text-layer) lines need the width.
        written = bool(rest and pitch and (_written_larger(line, text, end, pitch) or NAME.fullmatch(rest)))
        labels.append(Label(line=line, text=text[:end].rstrip("：: "), bbox=(x0, y0, split, y1),
                            rest_bbox=(split, y0, x1, y1) if rest else None, written=written))
    return labels


def _written_larger(line: TextLine, text: str, end: int, pitch: float) -> bool:
    """Whether the text after the label takes much more room per character than print does: a
    name written by hand beside 本人签字, where a sentence's words keep the print's pitch."""
    label, rest = _units(text[:end]), _units(text[end:].strip(FILLER))
    if not rest:
        return False
    rest_width = (line.bbox[2] - line.bbox[0]) - label * pitch
    return rest_width / rest >= 1.4 * pitch


def _height(box: BBox) -> float:
    return box[3] - box[1]


def _ink_look(crop: tuple[np.ndarray, float]) -> tuple[float, float] | None:
    """(height in points, blueness) of the ink of a text box: OCR boxes are too loose to size text.
    The height is that of the band of ink rows with the most ink (a loose box clips its neighbours)."""
    image, ppx = crop
    if image.size == 0:
        return None
    ink = ink_mask(image, ppx)
    rows = ink.sum(axis=1)
    bands, start, gap = [], None, max(1, round(1 / ppx))
    for y, on in enumerate(np.append(rows >= 2, False)):
        if on and start is None:
            start, last = y, y
        elif on:
            last = y
        elif start is not None and y - last > gap:
            bands.append((int(rows[start:last + 1].sum()), start, last))
            start = None
    if not bands:
        return None
    _, top, bottom = max(bands)
    band = ink[top:bottom + 1]
    blue = 0.0
    if not _colourless(image):
        pixels = image[top:bottom + 1][band].astype(np.float32)
        blue = float(np.mean(pixels[:, 0] - pixels[:, 2]))
    return (bottom - top + 1) * ppx, blue


def _handwriting_like(line: TextLine, label: Label, crop: Crop) -> bool:
    """A text line in the answer area that is the signature itself: OCR's guess at a scribble (short,
    unsure or not Chinese), or a name written larger than the printed label or in blue ink."""
    text = line.text.strip(FILLER)
    if not text or len(text) > MAX_REST_CHARS or KEYWORD.search(text) or COLON.search(text):
        return False
    if line.source == TextSource.text_layer:
        return line.size >= 1.3 * label.line.size
    if line.confidence < 0.9:
        return True
    if not any(unicodedata.east_asian_width(ch) in "WF" or ch.isdigit() for ch in text):
        return True
    return _inked_like_handwriting(line.bbox, label, crop)


def _inked_like_handwriting(box: BBox, label: Label, crop: Crop) -> bool:
    """Ink much taller than the label's, or blue where the label's is black."""
    mine, label_ink = _ink_look(crop(box)), _ink_look(crop(label.bbox))
    return bool(mine and label_ink and (mine[0] >= 1.3 * label_ink[0] or mine[1] - label_ink[1] >= 15))


def _overlap_y(a: BBox, b: BBox) -> float:
    return min(a[3], b[3]) - max(a[1], b[1])


def answer_areas(label: Label, printed: list[BBox], width: float, height: float) -> list[BBox]:
    """Right of the label up to the next text on its line, and a strip just below it."""
    x0, y0, x1, y1 = label.bbox
    h = _height(label.bbox)
    right_end = min(x1 + RIGHT_REACH, width)
    for box in printed:
        if box[0] >= x1 - 2 and _overlap_y(box, label.bbox) > 0.5 * min(h, _height(box)):
            right_end = min(right_end, box[0] - 1)
    areas = []
    if right_end - x1 > 8:
        areas.append((x1 + 1, max(0.0, y0 - 0.6 * h), right_end, min(height, y1 + 0.6 * h)))
    areas.append((x0, y1, min(width, x0 + max(x1 - x0, BELOW_WIDTH)), min(height, y1 + BELOW_REACH)))
    return [a for a in areas if a[2] > a[0] and a[3] > a[1]]


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _px(box: BBox, origin: tuple[float, float], ppx: float, shape) -> tuple[int, int, int, int]:
    """A box in points as pixel slice bounds of an image whose top-left is `origin`, clamped."""
    h, w = shape[:2]
    x0, y0 = (box[0] - origin[0]) / ppx, (box[1] - origin[1]) / ppx
    x1, y1 = (box[2] - origin[0]) / ppx, (box[3] - origin[1]) / ppx
    return (min(w, max(0, int(x0))), min(h, max(0, int(y0))),
            min(w, max(0, int(np.ceil(x1)))), min(h, max(0, int(np.ceil(y1)))))


def _colourless(image: np.ndarray) -> bool:
    """No colour at all (red-green nor blue-green, every 2nd pixel: small crops). Not seals' is_grey
    (red-green only: can a page show seal red?): a blue pen without red is colour here. Kept apart
    on purpose: one shared rule would change which crops count as grey, and so the readings."""
    if image.ndim == 2:
        return True
    s = image[::2, ::2].astype(np.int16)
    return int(np.abs(s[..., 2] - s[..., 1]).max()) <= 8 and int(np.abs(s[..., 0] - s[..., 1]).max()) <= 8


def ink_mask(image: np.ndarray, ppx: float) -> np.ndarray:
    """Dark, non-red pixels, relative to the local paper (shadows and uneven scans)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    k = max(5, int(6 / ppx) | 1)  # wider than a pen stroke: the max filter sees paper
    paper = cv2.blur(cv2.dilate(grey, np.ones((k, k), np.uint8)), (k, k)).astype(np.float32)
    norm = grey.astype(np.float32) / np.maximum(paper, 40)
    if _colourless(image):
        # No colour to tell seal ink from pen ink: red prints mid-grey, pen ink nearly black.
        return norm < 0.45
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    red = (r - np.maximum(g, b)) > np.maximum(18, 0.25 * r)
    return (norm < 0.62) & ~red


def _drop_rules(ink: np.ndarray, ppx: float) -> np.ndarray:
    """Remove long straight horizontal and vertical runs: underscores, rules, table borders."""
    n = max(8, int(RULE_LENGTH / ppx))
    u8 = ink.astype(np.uint8)
    rules = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((1, n), np.uint8))
    rules |= cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8))
    return ink & ~cv2.dilate(rules, np.ones((3, 3), np.uint8)).astype(bool)


def _strokes(ink: np.ndarray, free: np.ndarray, ppx: float) -> tuple[BBox, float, float] | None:
    """Pen-stroke components of an ink mask: (bbox px, ink area pt², largest extent pt) or None.

    A component counts when most of it lies in `free` (the answer area outside printed text): a
    scribble that starts inside an OCR box stretched over it still reaches out of the box."""
    n, comp, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    free_px = np.bincount(comp[free], minlength=n)
    kept = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        wp, hp, ap = w * ppx, h * ppx, area * ppx * ppx
        if free_px[i] < 0.4 * area or max(wp, hp) < 3.0 or ap < 1.5:
            continue  # printed text, speckle, JPEG ringing
        if (hp < 2.2 and wp > 5) or (wp < 2.2 and hp > 5):
            continue  # a short straight dash (a broken rule, a border stub)
        kept.append((x, y, x + w, y + h, ap, max(wp, hp)))
    if not kept:
        return None
    box = _union([k[:4] for k in kept])
    area, largest = sum(k[4] for k in kept), max(k[5] for k in kept)
    wp, hp = (box[2] - box[0]) * ppx, (box[3] - box[1]) * ppx
    if wp < 12 or hp < 4 or area < 10 or (largest < 8 and len(kept) < 3):
        return None
    return box, area, largest


def _signature_in(image: np.ndarray, ppx: float, origin: tuple[float, float], areas: list[BBox],
                  printed: list[BBox], seals: list[BBox]) -> tuple[BBox, float] | None:
    """Look for pen strokes in `areas` of `image` (whose top-left is `origin` in points)."""
    region = _px(_union([*areas, printed[0]]), origin, ppx, image.shape)  # printed[0]: the label
    x0, y0, x1, y1 = region
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = image[y0:y1, x0:x1]
    ink = ink_mask(crop, ppx)
    corner = (origin[0] + x0 * ppx, origin[1] + y0 * ppx)
    if _colourless(crop):
        for box in seals:  # grey seal ink can be dark: only ink darker than the seal's counts under it
            sx0, sy0, sx1, sy1 = _px(box, corner, ppx, ink.shape)
            if sx1 > sx0 and sy1 > sy0:  # a seal that only touches the area's edge clips to nothing
                ink[sy0:sy1, sx0:sx1] &= _darker_than_seal(crop[sy0:sy1, sx0:sx1])
    free = np.zeros_like(ink)
    for area in areas:
        ax0, ay0, ax1, ay1 = _px(area, corner, ppx, ink.shape)
        free[ay0:ay1, ax0:ax1] = True
    for box in printed:
        bx0, by0, bx1, by1 = _px((box[0] - TEXT_PAD, box[1] - TEXT_PAD, box[2] + TEXT_PAD, box[3] + TEXT_PAD),
                                 corner, ppx, ink.shape)
        free[by0:by1, bx0:bx1] = False
    found = _strokes(_drop_rules(ink, ppx), free, ppx)
    if found is None:
        return None
    (bx0, by0, bx1, by1), area, largest = found
    bbox = tuple(round(v, 1) for v in (corner[0] + bx0 * ppx, corner[1] + by0 * ppx,
                                      corner[0] + bx1 * ppx, corner[1] + by1 * ppx))
    confidence = min(0.99, 0.5 + 0.25 * min(1.0, area / 60) + 0.25 * min(1.0, largest / 30))
    return bbox, round(confidence, 2)


def _darker_than_seal(image: np.ndarray) -> np.ndarray:
    """Pixels of a grey image that a seal's own ink does not reach: near black, or well darker
    than the seal prints where it is light (a pen's thin stroke blurs to ~40-70, the seal ~120)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    levels = grey_seal_levels(grey, min_inked=1)
    if levels is None:
        return grey < 0.25 * (float(np.percentile(grey, 95)) if grey.size else 0.0)
    return grey < max(0.25 * levels.paper, SEAL_INK_SHARE * levels.seal)


def _plan(page: Page, crop: Crop) -> list[tuple[Label, list[BBox], list[BBox]]]:
    """Each label with its answer areas and the printed text boxes to ignore there."""
    plans = []
    for label in find_labels(page):
        printed = [label.bbox]
        reach = _union(answer_areas(label, [], page.width, page.height))
        for line in page.lines:
            if line is label.line:
                if (label.rest_bbox and line.source == TextSource.text_layer
                        and not _inked_like_handwriting(label.rest_bbox, label, crop)):
                    printed.append(label.rest_bbox)  # typed text after the colon is print
            elif line.text.strip(FILLER) and not _seal_text(line, page) and not (
                    _intersects(line.bbox, reach) and _handwriting_like(line, label, crop)):
                printed.append(_with_lost_tail(line, label))
        plans.append((label, answer_areas(label, printed, page.width, page.height), printed))
    return plans


def _with_lost_tail(line: TextLine, label: Label) -> BBox:
    """A printed line's box, on a row other than the label's stretched right by a few characters:
    OCR may drop a line's last characters (有限 of 有限公司 near a seal), and that print, left
    unmasked, passes for a scribble in the answer area."""
    x0, y0, x1, y1 = line.bbox
    if line.source == TextSource.text_layer or _overlap_y(line.bbox, label.bbox) > 0.5 * _height(label.bbox):
        return line.bbox
    return (x0, y0, x1 + LOST_TAIL_CHARS * (y1 - y0), y1)


def _seal_text(line: TextLine, page: Page) -> bool:
    """A few characters read off a seal's arc (公, 司) are the seal's, not print that ends an
    answer area: a signature may run right over the seal."""
    return len(line.text.strip()) <= 3 and page.in_seal(line.bbox)


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_model(page: Page, label: Label) -> Signature:
    return Signature(page=page.page, source=page.source, label=label.text,
                     bbox=tuple(round(v, 1) for v in label.bbox))


def _result(page: Page, label: Label, hit: tuple[BBox, float] | None) -> list[Signature]:
    if hit is None:
        return []
    return [Signature(page=page.page, source=page.source, label=label.text, bbox=hit[0], confidence=hit[1])]


def find_signatures(image: np.ndarray, points_per_px: float, page: Page
                    ) -> tuple[list[Signature], list[Signature]]:
    """(signatures, labels) on a page image whose pixel grid matches `page.lines` (the straightened
    image OCR saw). Pages without a label cost nothing."""
    signatures, labels = [], []
    seals = [s.bbox for s in page.seals if s.bbox]

    def crop(box: BBox) -> tuple[np.ndarray, float]:
        x0, y0, x1, y1 = _px(box, (0.0, 0.0), points_per_px, image.shape)
        return image[y0:y1, x0:x1], points_per_px

    for label, areas, printed in _plan(page, crop):
        labels.append(_label_model(page, label))
        hit = _signature_in(image, points_per_px, (0.0, 0.0), areas, printed, seals) if areas else None
        if hit is None and label.written:
            # OCR read the handwritten name on the label's line (本人签字郑玉杰), wider than print:
            # that is the signature, even where its strokes cross a seal and the ink test fails.
            hit = (tuple(round(v, 1) for v in label.rest_bbox), 0.8)
        signatures += _result(page, label, hit)
    return signatures, labels


def _render(pdf_page: pymupdf.Page, clip: pymupdf.Rect) -> np.ndarray:
    if clip.is_empty:
        return np.zeros((0, 0, 3), np.uint8)
    pix = pdf_page.get_pixmap(matrix=pymupdf.Matrix(PDF_ZOOM, PDF_ZOOM), clip=clip,
                              colorspace=pymupdf.csRGB, alpha=False)
    rgb = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def find_pdf_signatures(pdf_page: pymupdf.Page, page: Page) -> tuple[list[Signature], list[Signature]]:
    """(signatures, labels) on a born-digital page. Only the answer area is rendered: a signature
    may be a vector polyline, an image or a handwriting font, and pixels see all three alike."""
    signatures, labels = [], []
    seals = [s.bbox for s in page.seals if s.bbox]

    def crop(box: BBox) -> tuple[np.ndarray, float]:
        return _render(pdf_page, pymupdf.Rect(box) & pdf_page.rect), 1 / PDF_ZOOM

    for label, areas, printed in _plan(page, crop):
        labels.append(_label_model(page, label))
        clip = pymupdf.Rect(_union([*areas, label.bbox])) & pdf_page.rect
        if not areas or clip.is_empty:
            continue
        bgr = _render(pdf_page, clip)
        hit = _signature_in(bgr, 1 / PDF_ZOOM, (clip.x0, clip.y0), areas, printed, seals)
        signatures += _result(page, label, hit)
    return signatures, labels


__all__ = ["answer_areas", "find_labels", "find_pdf_signatures", "find_signatures", "ink_mask"]
