"""Seal detection by colour: red-ink mask -> components -> grouped blobs -> shape.

Everything runs on a copy scaled to WORK px on the long side (cost), and boxes are mapped back.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .ink import ink_box, is_grey, red_ink, rule_length, white_balance, without_rules
from .overlap import rings_in, without_disks

WORK = 1200  # long side of the working copy
MERGED_ASPECT = 1.2  # a lone round seal's box is square; an oval's is 1.4 wide and has no circle in it
MIN_BESIDE = 0.08  # ink left beside a group's rings below this share of it is their fringe
TURNED_SIDES = 0.7  # a square found at an angle shows its border along three sides (two if cut)
CUT_SQUARE_FILL = 0.8  # a name seal whose corner went with the round seal's disk fills its box less


@dataclass
class Blob:
    bbox: tuple[float, float, float, float]  # pixels of the input image
    shape: str  # round | oval | square | slice
    ellipse: tuple | None  # cv2.fitEllipse result in input pixels (round / oval)
    score: float


def _scale(image_bgr: np.ndarray) -> tuple[np.ndarray, float]:
    h, w = image_bgr.shape[:2]
    f = min(1.0, WORK / max(h, w))
    if f < 1.0:
        image_bgr = cv2.resize(image_bgr, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
    return image_bgr, f


def _merge_boxes(boxes: list[list[int]], gap_x: int, gap_y: int) -> list[list[int]]:
    """Union boxes that overlap after growing them by gap (repeat until stable)."""
    boxes = [list(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        out: list[list[int]] = []
        for b in boxes:
            for o in out:
                near_x = b[0] <= o[2] + gap_x and o[0] <= b[2] + gap_x
                if near_x and b[1] <= o[3] + gap_y and o[1] <= b[3] + gap_y:
                    o[:] = [min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3]), o[4] + b[4]]
                    changed = True
                    break
            else:
                out.append(b)
        boxes = out
    return boxes


def _ring_cover(mask: np.ndarray, ell) -> float:
    """Share of 48 angular sectors with ink near the fitted ellipse's outline (a seal's border)."""
    (cx, cy), (ax1, ax2), ang = ell
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    hits = np.zeros(48, bool)
    ca, sa = np.cos(np.radians(ang)), np.sin(np.radians(ang))
    h, w = mask.shape
    for k in (0.86, 0.9, 0.94, 0.98, 1.02):
        x0, y0 = ax1 / 2 * k * np.cos(t), ax2 / 2 * k * np.sin(t)
        xs = np.clip((cx + x0 * ca - y0 * sa).astype(int), 0, w - 1)
        ys = np.clip((cy + x0 * sa + y0 * ca).astype(int), 0, h - 1)
        hits |= mask[ys, xs] > 0
    return float(hits.mean())


def detect(image_bgr: np.ndarray) -> list[Blob]:
    if is_grey(image_bgr):
        return detect_grey(image_bgr)
    small, f = _scale(image_bgr)
    mask = red_ink(white_balance(small)).astype(np.uint8) * 255
    return [rescaled(b, f) for b in _blobs(mask)]


def rescaled(blob: Blob, f: float) -> Blob:
    """A blob found on a copy f times the size of an image, in that image's pixels."""
    x0, y0, x1, y1 = blob.bbox
    ell = None
    if blob.ellipse:
        (cx, cy), (a1, a2), ang = blob.ellipse
        ell = ((cx / f, cy / f), (a1 / f, a2 / f), ang)
    return Blob((x0 / f, y0 / f, x1 / f, y1 / f), blob.shape, ell, blob.score)


def _blobs(mask: np.ndarray) -> list[Blob]:
    """Seal-shaped groups of ink in a 0/255 ink mask of the working copy."""
    h, w = mask.shape
    short = min(h, w)
    k = rule_length(mask)
    box = ink_box(mask)
    if box is None:
        return []
    x0, y0, x1, y1 = box
    mask = without_rules(mask, x0, y0, x1, y1, k)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask[y0:y1, x0:x1], connectivity=8)
    boxes = [[x0 + x, y0 + y, x0 + x + bw, y0 + y + bh, area]
             for x, y, bw, bh, area in stats[1:] if area >= 12]
    # pass 1: a seal's border contains its text, so overlapping boxes make one seal
    groups = _merge_boxes(boxes, 2, 2)
    blobs: list[Blob] = []
    leftovers = []
    for x0, y0, x1, y1, area in groups:
        found = _seals_of_group(mask, (x0, y0, x1, y1), area, short, w)
        if found:
            blobs += found
        else:
            leftovers.append([x0, y0, x1, y1, area])
    # pass 2: the middle slices of a paging seal have no arc around their pieces; join pieces
    # near the left/right edge that sit above each other
    edge = [b for b in leftovers if b[0] < 0.25 * w or b[2] > 0.75 * w]
    for x0, y0, x1, y1, area in _merge_boxes(edge, 1, int(0.03 * short)):
        blob = _classify(mask, (x0, y0, x1, y1), area, short, w, slice_only=True)
        if blob:
            blobs.append(blob)
    return blobs


def _seals_of_group(mask: np.ndarray, box, area: int, short: int, width: int) -> list[Blob]:
    """The seals in one group of touching ink: usually one; a group clearly wider than tall (or
    taller than wide) may be seals stamped into each other, found by their rings first."""
    bw, bh = box[2] - box[0], box[3] - box[1]
    rings = rings_in(mask, box, short, _ring_cover) if max(bw, bh) > MERGED_ASPECT * min(bw, bh) else []
    if rings:
        found = [_ring_blob(ell, box, mask) for ell in rings]
    else:
        blob = _classify(mask, box, area, short, width)
        found = [blob] if blob else [b for piece in _rings_of(mask, box)
                                     if (b := _classify(mask, piece, _area(mask, piece), short, width))]
    ellipses = [b.ellipse for b in found if b.ellipse]
    return found + (_beside(mask, box, area, ellipses, short, width) if ellipses else [])


def _ring_blob(ell, box, mask: np.ndarray) -> Blob:
    """A round seal from a ring found in a group, its box clipped to the group's."""
    ex0, ey0, ex1, ey1 = _ellipse_box(ell)
    clipped = (max(box[0], ex0), max(box[1], ey0), min(box[2], ex1), min(box[3], ey1))
    return Blob(clipped, "round", ell, _ring_cover(mask, ell))


def _beside(mask: np.ndarray, box, area: int, ellipses: list, short: int, width: int) -> list[Blob]:
    """Seals stamped against a group's round seals (a name seal against the company's): what is
    left once the rings' disks are taken out, tried as seals of their own."""
    rest = without_disks(mask, box, ellipses)
    if (rest > 0).sum() < MIN_BESIDE * area:
        return []
    x0, y0, x1, y1 = box
    sub = np.zeros_like(mask)
    sub[y0:y1, x0:x1] = rest
    _, _, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    pieces = _merge_boxes([[x0 + x, y0 + y, x0 + x + w, y0 + y + h, a] for x, y, w, h, a in stats[1:]
                           if a >= 12], 3, 3)
    return [b for px0, py0, px1, py1, a in pieces
            if (b := _classify(sub, (px0, py0, px1, py1), a, short, width, cut=True))]


def _rings_of(mask: np.ndarray, box) -> list[tuple[int, int, int, int]]:
    """A group too elongated to be a seal may be a seal merged with red print beside it (小写
    figures, a rule's stub) or two seals stamped close (two CPAs' name seals, one above the other):
    a seal's border is its biggest piece, so each big, squat piece is tried on its own."""
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    if max(bw, bh) <= 1.6 * min(bw, bh):
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask[y0:y1, x0:x1], connectivity=8)
    if n < 2:
        return []
    big = stats[1:, cv2.CC_STAT_AREA].max()
    return [(x0 + rx, y0 + ry, x0 + rx + rw, y0 + ry + rh) for rx, ry, rw, rh, a in stats[1:]
            if a >= 0.5 * big and max(rw, rh) <= 1.6 * min(rw, rh) and (rw, rh) != (bw, bh)]


def _area(mask: np.ndarray, box) -> int:
    return int((mask[box[1]:box[3], box[0]:box[2]] > 0).sum())


def _classify(mask, box, area, short, width, slice_only=False, cut=False) -> Blob | None:
    """The seal a group of ink is, if any. `cut`: a piece left beside a round seal whose disk was
    taken out, so a square there may have lost a corner (less fill, two sides shortened)."""
    square_fill = CUT_SQUARE_FILL if cut else 0.9
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    if bh < 0.035 * short or bw < 0.015 * short or max(bw, bh) > 0.45 * short:
        return None
    density = area / float(bw * bh)
    if density < 0.04 or density > 0.75:  # hairlines / solid red boxes
        return None
    crop = mask[y0:y1, x0:x1]
    # paging-seal slice: tall, narrow, near a side of the image (photos: the page edge is a bit inside)
    near_edge = x0 < 0.22 * width or x1 > 0.78 * width
    if near_edge and bh >= 1.35 * bw and 0.09 * short <= bh <= 0.4 * short and bw <= 0.16 * short:
        # its score: how much of a ring's arc it holds (print frames and letters hold little)
        return Blob((x0, y0, x1, y1), "slice", None, _slice_arc_cover(mask, (x0, y0, x1, y1)))
    if slice_only:
        return None
    if max(bw, bh) > 1.6 * min(bw, bh):  # text lines, table rules, titles...
        return None
    if bw < 0.035 * short:
        return None
    # fit on the big pieces only (the border ring), so stubs of table rules touching the seal
    # do not pull the ellipse
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    if n < 2:
        return None
    keep = np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= 0.1 * stats[1:, cv2.CC_STAT_AREA].max()) + 1
    ys, xs = np.nonzero(np.isin(labels, keep))
    hull = cv2.convexHull(np.column_stack([xs, ys]).astype(np.int32))
    rect_fill = cv2.contourArea(hull) / float(bw * bh)
    if len(hull) < 5:
        return None
    (cx, cy), (a1, a2), ang = cv2.fitEllipse(hull)
    ell = ((cx + x0, cy + y0), (a1, a2), ang)
    if area / (np.pi * a1 * a2 / 4 + 1) > 0.6:  # a solid red disk (national emblem), not a seal
        return None
    cover = _ring_cover(mask, ell)
    turned = _turned_square(hull, square_fill) if rect_fill <= square_fill else None
    if rect_fill > square_fill or turned is not None:
        # square: a personal seal has a border on all four sides
        level = crop if turned is None else _levelled(crop, turned[0])
        lh = level.shape[0]
        sides = [level[: max(2, lh // 8)].any(1).mean(), level[-max(2, lh // 8):].any(1).mean()]
        if min(bw, bh) > 0.15 * short or min(sides) == 0:
            return None
        # a bold character has no border; a name seal's corner may have gone with a round seal's disk
        if turned is not None and sorted(_side_covers(level))[2 if cut else 1] < TURNED_SIDES:
            return None
        return Blob((x0, y0, x1, y1), "square", None, rect_fill if turned is None else turned[1])
    if cover < 0.7:  # no continuous border: red text, a logo, a signature
        return None
    ratio = min(a1, a2) / max(a1, a2)
    shape = "round" if ratio > 0.88 else "oval"
    ex0, ey0, ex1, ey1 = _ellipse_box(ell)
    box = (max(x0, ex0), max(y0, ey0), min(x1, ex1), min(y1, ey1))
    return Blob(box, shape, ell, cover)


def _turned_square(hull: np.ndarray, square_fill: float) -> tuple[float, float] | None:
    """A square stamped at an angle (name seals often are): its hull fills its turned bounding
    rectangle, which is square, and it has four corners (a circle's hull needs seven or more
    sides to stay within 2% of its outline). (The rectangle's angle, the fill), or None."""
    (_, _), (rw, rh), ang = cv2.minAreaRect(hull)
    fill = cv2.contourArea(hull) / max(rw * rh, 1.0)
    if min(rw, rh) < 0.85 * max(rw, rh) or fill <= square_fill:
        return None
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    return (float(ang), fill) if len(corners) <= 5 else None


def _levelled(crop: np.ndarray, angle: float) -> np.ndarray:
    """A crop turned by `angle` degrees (cv2.minAreaRect's) so a turned square stands level,
    cut to its ink."""
    h, w = crop.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(crop, m, (w, h), flags=cv2.INTER_NEAREST)
    ys, xs = np.nonzero(turned)
    return turned[ys.min():ys.max() + 1, xs.min():xs.max() + 1] if ys.size else turned


def _ellipse_box(ell) -> tuple[float, float, float, float]:
    (cx, cy), (a1, a2), ang = ell
    t = np.radians(ang)
    hw = np.hypot(a1 / 2 * np.cos(t), a2 / 2 * np.sin(t))
    hh = np.hypot(a1 / 2 * np.sin(t), a2 / 2 * np.cos(t))
    return cx - hw, cy - hh, cx + hw, cy + hh


GREY_RING_INK = 30  # a photocopied seal's ring is faint grey: this much darker than paper is ink
GREY_BLACK = 70  # on a greyscale scan, print is darker than this; seal ink (red) is lighter
SLICE_EDGE = 0.05  # a 骑缝章 slice ends this close to the image's side (a straightened page has a margin)
OVAL_ASPECT = 0.72  # minor / major axis of an invoice seal (40 x 30 mm, drawn a little flatter)


def detect_grey(image_bgr: np.ndarray) -> list[Blob]:
    """Fallback for greyscale scans, where colour says nothing: seals found by their border, a
    ring whose whole outline is covered by ink, which lines of text and table rules never do.
    Round seals are circles; oval invoice seals become circles once the page is stretched
    vertically by 1 / OVAL_ASPECT, so one circle finder serves both."""
    grey = image_bgr if image_bgr.ndim == 2 else image_bgr[..., 1]
    small, f = _scale(grey)
    short = min(small.shape)
    paper = float(np.percentile(small[::2, ::2], 90))
    ink = (small < paper - GREY_RING_INK).astype(np.uint8)
    blurred = cv2.GaussianBlur(small, (5, 5), 1.5)
    out: list[Blob] = []
    for shape, aspect, radii in (("round", 1.0, (0.05, 0.15)), ("oval", OVAL_ASPECT, (0.06, 0.25))):
        for ell in _rings(blurred, aspect, short, radii):
            if shape == "oval":
                ell = _level(ink, ell)
            cover = _ring_cover(ink, ell)
            (cx, cy), (_, minor), _ = ell
            seen = any(np.hypot(b.ellipse[0][0] - cx, b.ellipse[0][1] - cy) < minor / 2 for b in out)
            if cover < 0.9 or _fill(ink, ell) > 0.6 or seen:
                continue
            x0, y0, x1, y1 = _ellipse_box(ell)
            out.append(Blob((x0, y0, x1, y1), shape, ell, cover))
    seal_grey = _seal_grey(small, paper)
    blobs = _blobs(seal_grey)
    return [rescaled(b, f) for b in out + _grey_slices(seal_grey, blobs) + _grey_squares(seal_grey, blobs)]


def _seal_grey(small: np.ndarray, paper: float) -> np.ndarray:
    """0/255 mask of seal-grey ink on a greyscale scan: lighter than black print and away from it."""
    dark = cv2.dilate((small < GREY_BLACK).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    mask = ((small < paper - 30) & (small >= GREY_BLACK) & ~dark).astype(np.uint8) * 255
    # the scanner's shadow along the image border would join a 骑缝章 slice into one long strip
    b = max(3, round(0.006 * min(mask.shape)))
    mask[:b], mask[-b:], mask[:, :b], mask[:, -b:] = 0, 0, 0, 0
    return mask


def _grey_squares(mask: np.ndarray, blobs: list[Blob]) -> list[Blob]:
    """Personal seals (a CPA's 2 x 2 name seal) on a greyscale scan: a seal-sized square of
    seal-grey ink inked along all four sides, which no run of text does."""
    short = min(mask.shape)
    out = []
    for b in blobs:
        x0, y0, x1, y1 = (int(v) for v in b.bbox)
        bw, bh = x1 - x0, y1 - y0
        if b.shape == "square" and 0.04 * short <= min(bw, bh) and max(bw, bh) <= 0.1 * short \
                and _side_cover(mask[y0:y1, x0:x1]) >= 0.85:
            out.append(b)
    return out


def _side_covers(crop: np.ndarray) -> list[float]:
    """Share of positions along each side of a box (top, bottom, left, right) with ink in its band."""
    h, w = crop.shape
    t = max(2, min(h, w) // 10)
    ink = crop > 0
    return [float(v) for v in (ink[:t].any(0).mean(), ink[-t:].any(0).mean(), ink[:, :t].any(1).mean(),
                               ink[:, -t:].any(1).mean())]


def _side_cover(crop: np.ndarray) -> float:
    """Least share, over the four sides of a box, of positions along the side with ink in its band."""
    return min(_side_covers(crop))


def _grey_slices(mask: np.ndarray, blobs: list[Blob]) -> list[Blob]:
    """Slices of a 骑缝章 on a greyscale scan: seal-grey ink in a strip at the page's side edge, a
    seal's height tall, whose ring arc is intact over the strip's columns. Grey print and scanner
    shadows fail the size, edge or arc tests."""
    h, w = mask.shape
    short = min(h, w)
    out = []
    for b in blobs:
        x0, y0, x1, y1 = (int(v) for v in b.bbox)
        if (b.shape != "slice" or min(x0, w - x1) > SLICE_EDGE * w or x1 - x0 < 0.05 * short
                or not 0.14 * short <= y1 - y0 <= 0.28 * short
                or (mask[y0:y1, x0:x1] > 0).mean() < 0.15):
            continue
        if b.score >= 0.9:  # the slice's arc cover (_classify)
            out.append(b)
    return out


def _slice_arc_cover(mask: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Best ring cover, over the box's columns, of a circle whose top and bottom touch the box
    (a slice spans the seal's height); its centre may lie left, inside or right of the box.
    Every candidate centre at once, one row each (a loop over them took ~40 ms a slice)."""
    x0, y0, x1, y1 = box
    r, cy = (y1 - y0) / 2, (y0 + y1) / 2
    t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    h, w = mask.shape
    cxs = np.arange(x0 - r, x1 + r + 1, 1.0)[:, None]
    inside = (cxs + r * np.cos(t) >= x0) & (cxs + r * np.cos(t) <= x1)
    hits = np.zeros(inside.shape, bool)
    for k in (0.9, 0.95, 1.0):
        xs = np.clip((cxs + k * r * np.cos(t)).astype(int), 0, w - 1)
        ys = np.clip((cy + k * r * np.sin(t)).astype(int), 0, h - 1)
        hits |= mask[ys[None, :], xs] > 0
    counted = inside.sum(1)
    usable = counted >= 25  # under 50 degrees of ring in the box says nothing
    covers = (hits & inside).sum(1)[usable] / counted[usable]
    return float(covers.max(initial=0.0))


def _level(ink: np.ndarray, ell):
    """An oval seal may sit a few degrees off level and a little off size: the best-covered of
    the nearby ellipses."""
    (c, (a1, a2), _) = ell
    tries = [(c, (a1 * k, a2 * k), a) for a in (-6, -3, 0, 3, 6) for k in (0.97, 1.0, 1.03)]
    return max(tries, key=lambda e: _ring_cover(ink, e))


def _fill(mask: np.ndarray, ell) -> float:
    """Share of ink inside the inner half of an ellipse: a seal's middle is mostly paper, a solid
    disk (an ID card's emblem, a photo's head) is not."""
    (cx, cy), (a1, a2), ang = ell
    inner = np.zeros_like(mask)
    cv2.ellipse(inner, ((cx, cy), (a1 / 2, a2 / 2), ang), 1, -1)
    n = int(inner.sum())
    return float((mask & inner).sum()) / n if n else 0.0


def _rings(blurred: np.ndarray, aspect: float, short: int, radii: tuple[float, float]) -> list:
    """Circle candidates on the page stretched vertically by 1 / aspect, as ellipses of the page."""
    h, w = blurred.shape
    img = blurred if aspect == 1.0 else cv2.resize(blurred, (w, round(h / aspect)))
    circles = cv2.HoughCircles(img, cv2.HOUGH_GRADIENT_ALT, 1.5, minDist=0.1 * short, param1=150,
                               param2=0.75 if aspect == 1.0 else 0.7,
                               minRadius=int(radii[0] * short), maxRadius=int(radii[1] * short))
    return [((cx, cy * aspect), (2 * r, 2 * r * aspect), 0.0)
            for cx, cy, r in (circles[0] if circles is not None else [])]
