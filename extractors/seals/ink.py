"""Ink masks of a page image: paper levelled to white, seal-red ink, greyscale pages, and table
rules taken out of a mask, each a plain pixel filter (seal detection's first steps)."""

import cv2
import numpy as np

RULE_BRIDGE = 4  # px (working copy) across a removed rule over which ink on both sides is joined
GREY_CHROMA, GREY_SHARE = 20, 0.001  # red-green difference of JPEG noise; share of pixels above it
INK_MARGIN = 8  # px of paper around the ink's box; 2 is the least that keeps the filters exact


def white_balance(image_bgr: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """Scale each channel so the paper (90th percentile; of `paper` if given, a part of the image)
    is white: yellowed scans and warm photo light otherwise tint faint seal ink towards orange."""
    sample = image_bgr if paper is None else paper
    level = np.percentile(sample[::4, ::4].reshape(-1, 3), 90, axis=0)
    gain = 255.0 / np.maximum(level, 60.0)
    lut = np.clip(np.arange(256)[:, None] * gain[None, :], 0, 255).astype(np.uint8)
    return cv2.LUT(image_bgr, lut.reshape(256, 1, 3))  # each channel through its own table


def red_ink(image_bgr: np.ndarray, min_red: int = 28, max_orange: float = 0.18) -> np.ndarray:
    """Boolean mask of seal-red ink in a white-balanced image.

    "Red" = R clearly above G and B (min_red) with a hue close to pure red: G may exceed B by at
    most max_orange of the chroma (~11°). That keeps the brown-red form print of paper invoices
    and licence borders (G-B ~ 0.25-0.35 of chroma), tan wood in photos and the JPEG colour
    fringes of black text out; purplish red (B > G) is allowed further.
    """
    if min_red < 1:
        raise ValueError("min_red must be at least 1")
    b, g, r = cv2.split(image_bgr)
    # The first condition in uint8 over the whole image (saturating: exact for min_red >= 1); the
    # hue conditions only where it holds: most of a page is paper or black print.
    mask = cv2.subtract(r, cv2.max(g, b)) >= min_red
    ys, xs = np.nonzero(mask)
    if ys.size:
        pb, pg, pr = (c[ys, xs].astype(np.int16) for c in (b, g, r))
        chroma = pr - np.minimum(pg, pb)
        hue = ((pg - pb) <= max_orange * chroma) & ((pb - pg) <= 0.6 * chroma)
        mask[ys[~hue], xs[~hue]] = False
    return mask


def is_grey(image_bgr: np.ndarray) -> bool:
    """A greyscale scan or photocopy stored as colour: hardly a pixel has red-green chroma beyond
    JPEG noise (every third pixel looked at; a seal's red ink covers far more), so no seal red can
    be on it. extractors.signatures._colourless is a different, stricter question (any colour at
    all, blue pen ink included) and stays apart from this one."""
    if image_bgr.ndim == 2:
        return True
    s = image_bgr[::3, ::3].astype(np.int16)
    return float((np.abs(s[..., 2] - s[..., 1]) > GREY_CHROMA).mean()) < GREY_SHARE


def rule_length(mask: np.ndarray) -> int:
    """Straight ink at least this long (px) is a rule, not a seal's."""
    return max(15, int(0.08 * min(mask.shape)))


def ink_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """Where without_rules must look: the ink's bounding box with a margin of paper. Its result is
    then the same as over the whole image, at a fraction of the cost: an opening never grows ink
    and its erosion meets the margin's paper wherever it would reach past it; the closings reach 2
    px beyond ink. The corner stays on even pixels: the labelling scans 2 x 2 blocks, so components
    found in the box also come in the order they do over the whole image. None: no ink."""
    h, w = mask.shape
    ix, iy, iw, ih = cv2.boundingRect(mask)
    if iw == 0:
        return None
    m = INK_MARGIN
    return max(0, ix - m) & ~1, max(0, iy - m) & ~1, min(w, ix + iw + m), min(h, iy + ih + m)


def without_rules(mask: np.ndarray, x0: int, y0: int, x1: int, y1: int, k: int) -> np.ndarray:
    """The mask without long straight rules (tables), so a seal touching one stays separate, its
    ink joined again across a rule that runs through it (else the seal falls apart into two
    slices), then small gaps closed; computed in the box (x0, y0, x1, y1), zero outside it."""
    crop = mask[y0:y1, x0:x1]
    flat = cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    upright = cv2.morphologyEx(crop, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    rest = crop & ~(flat | upright)
    crop = (rest | (flat & cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((RULE_BRIDGE, 1), np.uint8)))
            | (upright & cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((1, RULE_BRIDGE), np.uint8))))
    out = np.zeros_like(mask)
    out[y0:y1, x0:x1] = cv2.morphologyEx(crop, cv2.MORPH_CLOSE,
                                         cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    return out
