"""Seals (印章) on page images: find them, read them, and whiten their ink.

    hits = find_seals(page_bgr, engine)      # engine=None: detection only, text ''
    clean = remove_red_ink(page_bgr)         # for OCR of text a seal covers
    clean = remove_seal_ink(crop, seal_box)  # the same, on grey scans too
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import cv2
import numpy as np
from pydantic import BaseModel

from docintake.core.datamodel import Page, Seal

from .detect import Blob, detect, rescaled
from .ink import is_grey, red_ink, white_balance
from .read import CROP_MARGIN, classify, read_round, read_square

__all__ = ["Blob", "GreyLevels", "SealHit", "SealPixels", "box_iou", "crop_box", "cut_pixels",
           "find_page_seals", "find_seals", "grey_seal_levels", "moved", "read_seal", "remove_red_ink",
           "remove_seal_ink", "rescaled"]

GREY_SEAL_CONTRAST = 0.65  # print must be this much darker than a grey seal's ink to be told apart
MIN_INKED = 50  # pixels of ink, fewer of which say nothing about a grey level
SEAL_CUT = 0.35  # grey lighter than this far from the seal's median towards the print turns to paper


def box_iou(a, b) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class SealHit(BaseModel):
    kind: str  # company_seal | contract_seal | … | paging_seal | unknown_seal
    shape: str  # round | oval | square | slice
    text: str  # normalised text read ('' if unreadable / not read)
    owner: str | None  # organisation / person named (text minus the kind suffix)
    bbox: tuple[float, float, float, float]  # pixels of the input image
    confidence: float
    # how well the arc's ink supports each name of the lexicon find_seals was given, per
    # character (extractors.ocr.lexicon.text_gaps: ~0 fully, below -2 hardly); empty if not scored
    lexicon_gaps: dict[str, float] = {}


def find_seals(image_bgr: np.ndarray, engine=None, lexicon: list[str] = ()) -> list[SealHit]:
    """Seals on a page; with an engine, read. `lexicon`: names a round seal's arc is expected to
    be one of (the firms of a bundle), each scored against the arc's ink."""
    return [read_seal(image_bgr, blob, engine, lexicon) for blob in detect(image_bgr)]


def read_seal(image_bgr: np.ndarray, blob: Blob, engine=None, lexicon: list[str] = ()) -> SealHit:
    """One detected seal, read with an engine (find_seals); with none, its kind by shape only."""
    arc, bottom, gaps = "", "", {}
    if engine is not None and blob.shape in ("round", "oval"):
        arc, bottom, gaps = read_round(image_bgr, blob, engine, lexicon)
    elif engine is not None and blob.shape == "square":
        arc = read_square(image_bgr, blob, engine)
    kind, text, owner = classify(blob.shape, arc, bottom)
    if engine is None and blob.shape in ("round", "oval"):
        kind = "invoice_seal" if blob.shape == "oval" else "unknown_seal"
    return SealHit(kind=kind, shape=blob.shape, text=text, owner=owner,
                   bbox=tuple(round(v, 1) for v in blob.bbox), confidence=round(blob.score, 3),
                   lexicon_gaps=gaps)


class SealPixels(NamedTuple):
    """A seal's neighbourhood cut from the page image, and its detection in the cut's pixels:
    every pixel read_seal looks at, so reading it here reads what reading the page would."""

    image: np.ndarray
    blob: Blob


def crop_box(blob: Blob, width: int, height: int) -> tuple[int, int, int, int]:
    """The whole-pixel part of a width x height page read_round / read_square read for `blob` (its
    box, and the crop around its fitted ellipse), with two pixels to spare: left, top, right, bottom."""
    x0, y0, x1, y1 = blob.bbox
    if blob.ellipse is not None:
        (cx, cy), (a1, a2), _ = blob.ellipse
        r = max(a1, a2) / 2 * CROP_MARGIN[1]
        x0, y0, x1, y1 = min(x0, cx - r), min(y0, cy - r), max(x1, cx + r), max(y1, cy + r)
    left, top = max(0, int(np.floor(x0)) - 2), max(0, int(np.floor(y0)) - 2)
    return left, top, min(width, int(np.ceil(x1)) + 2), min(height, int(np.ceil(y1)) + 2)


def moved(blob: Blob, left: int, top: int) -> Blob:
    """The blob in the pixels of a crop whose corner is (left, top)."""
    x0, y0, x1, y1 = blob.bbox
    ellipse = None
    if blob.ellipse is not None:
        (cx, cy), axes, angle = blob.ellipse
        ellipse = ((cx - left, cy - top), axes, angle)
    return Blob(bbox=(x0 - left, y0 - top, x1 - left, y1 - top), shape=blob.shape, ellipse=ellipse,
                score=blob.score)


def cut_pixels(image_bgr: np.ndarray, blob: Blob) -> SealPixels:
    """The seal's crop_box of the page; offsets are whole pixels, so the crop's reading is the
    page's exactly."""
    h, w = image_bgr.shape[:2]
    left, top, right, bottom = crop_box(blob, w, h)
    return SealPixels(image_bgr[top:bottom, left:right].copy(), moved(blob, left, top))


def find_page_seals(image: np.ndarray, points_per_px: float, page: Page, engine=None,
                    cut: Callable[[np.ndarray, Blob], SealPixels] | None = None) -> list[Seal]:
    """Seals on a page image, boxes in page points. With no engine: detection only, no text.
    `cut`: each seal keeps the SealPixels it gives for the image and the seal's blob (Seal.pixels),
    to be read again later (cut_pixels: from this image)."""
    seals = []
    for blob in detect(image):
        hit = read_seal(image, blob, engine)
        seal = Seal(page=page.page, source=page.source, kind=hit.kind, shape=hit.shape, text=hit.text,
                    owner=hit.owner, confidence=hit.confidence,
                    bbox=tuple(round(v * points_per_px, 1) for v in hit.bbox))
        if cut is not None and blob.shape != "slice":
            seal.keep_pixels(cut(image, blob))
        seals.append(seal)
    return seals


def remove_red_ink(image_bgr: np.ndarray) -> np.ndarray:
    """The page with red ink turned to paper white, black print kept.

    Where ink is red, the red channel barely sees it while black print stays dark in every
    channel, so those pixels are replaced by their (paper-normalised) red channel in grey.
    Greyscale scans are returned unchanged (nothing to separate)."""
    if is_grey(image_bgr):
        return image_bgr.copy()
    wb = white_balance(image_bgr)
    mask = red_ink(wb, min_red=12, max_orange=0.25).astype(np.uint8)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8)).astype(bool)
    out = wb.copy()
    r = wb[..., 2][mask]
    out[mask] = np.repeat(r[:, None], 3, axis=1)
    return out


def remove_seal_ink(image_bgr: np.ndarray, seal_box: tuple[int, int, int, int]) -> np.ndarray:
    """remove_red_ink, and on a grey-scale scan the seal's grey turned to paper where the print
    around it is clearly darker than the seal (a red seal scans mid-grey, ~130-160, black print
    ~40-100). `seal_box`: the seal's pixels in the image; its grey is measured inside, the print's
    outside (inside, the darkest ink may be a pen's, not print). Where print is about as light as
    the seal, the image is returned unchanged: whitening would take the print with the seal."""
    if not is_grey(image_bgr):
        return remove_red_ink(image_bgr)
    grey = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY) if image_bgr.ndim == 3 else image_bgr
    x0, y0, x1, y1 = (max(0, v) for v in seal_box)
    levels = grey_seal_levels(grey[y0:y1, x0:x1])
    around = grey.copy()
    around[y0:y1, x0:x1] = 255
    inked = around[around < 0.8 * levels.paper] if levels else around[:0]
    if levels is None or inked.size < MIN_INKED:
        return image_bgr.copy()
    print_grey = float(np.percentile(inked, 10))  # the cores of the print's strokes
    if print_grey >= GREY_SEAL_CONTRAST * levels.seal:
        return image_bgr.copy()
    cut = levels.seal - SEAL_CUT * (levels.seal - print_grey)
    out = np.where(grey < cut, grey, np.uint8(levels.paper)).astype(np.uint8)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR) if image_bgr.ndim == 3 else out


class GreyLevels(NamedTuple):
    paper: float  # the 95th percentile: paper
    seal: float  # median of what is inked: mostly the seal's own ring, text and star


def grey_seal_levels(grey: np.ndarray, min_inked: int = MIN_INKED) -> GreyLevels | None:
    """The grey levels of a seal's box on a grey-scale scan; None with too little ink to say."""
    paper = float(np.percentile(grey, 95)) if grey.size else 0.0
    inked = grey[grey < 0.8 * paper]
    if inked.size < min_inked:
        return None
    return GreyLevels(paper, float(np.median(inked)))
