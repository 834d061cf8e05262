"""Cheap geometric clean-up of page images before OCR.

``straighten`` undoes, in this order: phone-photo perspective (page quad -> rectangle),
sideways pages (quarter turns so text lines run horizontally) and small scanner skew.
All decisions are taken on small grayscale copies; the composed transform is applied to
the full-resolution image exactly once.  The 0/180 (and 90/270) ambiguity is left to the
caller's text-direction classifier.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pydantic

QUAD_SIDE = 480  # long side of the image used to look for the page outline
TEXT_SIDE = 900  # long side of the image used for orientation and skew
MAX_SKEW = 10.0  # degrees; searched with a 2° margin, so up to ~13° gets corrected
MIN_SKEW = 0.3  # smaller corrections are not worth the resampling blur
MIN_INK = 300  # fewer ink pixels than this: leave the page alone
MIN_EDGE_STEP = 30  # grey levels from paper to table across a page side (a shadow's: ~7-15)
SHADOW_STEP = 10  # grey levels between the page thresholds tried when a shadow splits the paper


class Straightening(pydantic.BaseModel):
    """What ``straighten`` did, so coordinates can be explained / mapped back later."""

    quarter_turns: int = 0  # 0..3 clockwise 90° turns (applied after the perspective warp)
    skew_degrees: float = 0.0  # rotation applied last, degrees, + = counter-clockwise
    perspective: bool = False  # page quad found and warped to a rectangle
    page_quad: list[list[float]] | None = None  # TL, TR, BR, BL in input pixels


def rotate_quarter(img: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate by ``quarter_turns`` × 90° clockwise; same result as ``np.rot90(img, -k)``
    (contiguous copy), but cv2.rotate is ~4× faster than copying a strided rot90 view."""
    k = quarter_turns % 4
    if k and img.dtype == np.uint8 and (img.ndim == 2 or img.shape[2] <= 4):
        turn = (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE)[k - 1]
        out = cv2.rotate(img, turn)
        return out.reshape(out.shape[:2] + img.shape[2:])  # cv2 drops a trailing 1-channel axis
    return np.ascontiguousarray(np.rot90(img, -k))


def _to_gray(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return img
    if img.shape[2] == 1:
        return img[:, :, 0]
    return cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY if img.shape[2] == 4 else cv2.COLOR_BGR2GRAY)


def _resize_long(gray: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    f = min(1.0, side / max(gray.shape[:2]))
    if f == 1.0:
        return gray, 1.0
    size = (max(1, round(gray.shape[1] * f)), max(1, round(gray.shape[0] * f)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA), f


def _order_quad(pts: np.ndarray) -> np.ndarray:
    """Sort 4 points clockwise (on screen) starting from the top-left one."""
    c = pts.mean(axis=0)
    pts = pts[np.argsort(np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0]))]
    return np.roll(pts, -int(np.argmin(pts.sum(axis=1))), axis=0)


def _find_page_quad(gray: np.ndarray) -> np.ndarray | None:
    """Page quad (TL, TR, BR, BL) in ``gray`` pixels, or None if this is not a photo of a page."""
    small, f = _resize_long(gray, QUAD_SIDE)
    h, w = small.shape
    # Closing wipes the dark text off the paper so the page becomes one bright blob; the
    # median blur kills background texture / sensor noise.  Otsu then splits paper from table.
    k = max(3, round(max(h, w) / 50)) | 1
    blob = cv2.morphologyEx(cv2.medianBlur(small, 5), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    otsu, _ = cv2.threshold(blob, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # A shadow across the page makes three levels (table, shaded paper, lit paper) and Otsu may
    # split the paper at the shadow: then step the level down towards the table's own split.
    darker = blob[blob <= otsu].reshape(1, -1)
    floor = cv2.threshold(darker, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0] if darker.size else otsu
    for level in shadow_levels(otsu, floor):
        quad = _quad_at(blob, level, k)
        if quad is not None:
            return quad / f
    return None


def shadow_levels(otsu: float, floor: float) -> list[float]:
    """The thresholds tried for the page: Otsu's first, then down in SHADOW_STEPs while they stay
    a step above the table's own split."""
    lower = np.arange(otsu - SHADOW_STEP, floor + SHADOW_STEP, -SHADOW_STEP)
    return [float(otsu), *(float(v) for v in lower)]


def _quad_at(blob: np.ndarray, level: float, k: int) -> np.ndarray | None:
    """The page outline where ``blob`` is brighter than ``level``, if it is a plausible page."""
    h, w = blob.shape
    mask = np.where(blob > level, 255, 0).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    cnt = max(contours, key=cv2.contourArea)
    if cv2.contourArea(cnt) < 0.2 * h * w:
        return None
    # approxPolyN: the 4-gon of (near-)minimal area enclosing the hull; its sides follow the
    # page edges, so corners are recovered even when the blob's own corners are rounded.
    quad = cv2.approxPolyN(cv2.convexHull(cnt), 4, ensure_convex=True).reshape(-1, 2)
    if len(quad) != 4:
        rect = cv2.minAreaRect(cnt)  # fallback, ignores perspective
        quad = cv2.boxPoints(rect)
    quad = _order_quad(quad.astype(np.float32))
    quad[:, 0] = quad[:, 0].clip(0, w - 1)
    quad[:, 1] = quad[:, 1].clip(0, h - 1)

    area = cv2.contourArea(quad)
    if not 0.2 * h * w <= area <= 0.97 * h * w:
        return None
    # The outline hugging the frame corners is a flat scan (maybe with a thin grey border).
    frame = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    if np.linalg.norm(quad - frame, axis=1).max() < 0.04 * math.hypot(w, h):
        return None
    # A side running along the frame means the page is cut off there: the quad is not the
    # page outline, and warping it would distort the page; leave it to the deskew.
    tol = (0.01 * w + 1, 0.01 * h + 1)
    near = np.c_[quad < tol, quad > (w - 1 - tol[0], h - 1 - tol[1])]  # at left, top, right, bottom
    if (near & np.roll(near, -1, axis=0)).any():
        return None
    for i in range(4):  # interior angles of a plausibly photographed page
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9)
        if not 45 <= math.degrees(math.acos(np.clip(cos, -1, 1))) <= 135:
            return None
    # The page must really stand out from what surrounds it (not an Otsu split of noise).
    inside = np.zeros_like(blob)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    if cv2.mean(blob, inside)[0] - cv2.mean(blob, 255 - inside)[0] < 40:
        return None
    # ...and along every side: a side drawn along a shadow has paper on both sides of it, and
    # warping to it would cut the page there (a seal and a signing block lost).
    if min(_edge_step(blob, quad[i], quad[(i + 1) % 4]) for i in range(4)) < MIN_EDGE_STEP:
        return None
    return quad


def _edge_step(blob: np.ndarray, a: np.ndarray, b: np.ndarray, off: float = 5.0) -> float:
    """Brightness just inside the side a→b of a clockwise quad minus just outside it (medians)."""
    h, w = blob.shape
    d = b - a
    normal = np.array([d[1], -d[0]]) / (np.linalg.norm(d) + 1e-9)  # outward, clockwise on screen
    along = a + np.linspace(0.1, 0.9, 40)[:, None] * d

    def median_at(points: np.ndarray) -> float:
        xs = points[:, 0].round().astype(int).clip(0, w - 1)
        ys = points[:, 1].round().astype(int).clip(0, h - 1)
        return float(np.median(blob[ys, xs]))

    return median_at(along - off * normal) - median_at(along + off * normal)


def _quad_size(quad: np.ndarray, in_shape) -> tuple[int, int]:
    """Rectangle (w, h) for a page quad.

    Mean opposite side lengths give the size, but under strong tilt they misjudge the aspect
    (the far edge is foreshortened), so the metric aspect of a pinhole camera with its
    principal point at the image centre is used instead, keeping the same area (Zhang & He,
    "Whiteboard scanning and image enhancement", 2007).  The focal length comes from the quad
    when it is determined and plausible, else a typical phone's (26 mm equiv. ~ 0.6 x diagonal).
    """
    d = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)  # top, right, bottom, left
    w, h = (d[0] + d[2]) / 2, (d[1] + d[3]) / 2
    m1, m2, m4, m3 = np.c_[quad - (in_shape[1] / 2, in_shape[0] / 2), np.ones(4)]  # TL TR BR BL
    diag2 = in_shape[0] ** 2 + in_shape[1] ** 2
    with np.errstate(all="ignore"):
        k2 = np.cross(m1, m4) @ m3 / (np.cross(m2, m4) @ m3)
        k3 = np.cross(m1, m4) @ m2 / (np.cross(m3, m4) @ m2)
        n2, n3 = k2 * m2 - m1, k3 * m3 - m1  # vanishing directions of the top / left sides
        f2 = -(n2[:2] @ n3[:2]) / (n2[2] * n3[2])
        if not 0.09 * diag2 < f2 < 2.5 * diag2:  # ~parallel sides (f undetermined), inconsistent quad
            f2 = 0.36 * diag2
        aspect = math.sqrt((n3[:2] @ n3[:2] + f2 * n3[2] ** 2) / (n2[:2] @ n2[:2] + f2 * n2[2] ** 2))
    if 0.8 < aspect / (h / w) < 1.25:  # guard: e.g. a cropped photo moves the principal point
        w, h = math.sqrt(w * h / aspect), math.sqrt(w * h * aspect)
    return max(2, round(w)), max(2, round(h))


def _transform(s: Straightening, in_shape) -> tuple[np.ndarray, tuple[int, int]]:
    """3×3 matrix input -> output pixels and the output (w, h), rebuilt from ``s`` alone."""
    h, w = in_shape[:2]
    m = np.eye(3)
    if s.perspective and s.page_quad is not None:
        quad = np.array(s.page_quad, np.float32)
        w, h = _quad_size(quad.astype(np.float64), in_shape)
        rect = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
        m = cv2.getPerspectiveTransform(quad, rect).astype(np.float64)
    for _ in range(s.quarter_turns % 4):  # clockwise: (x, y) -> (h-1-y, x), same as np.rot90
        m = np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], np.float64) @ m
        w, h = h, w
    if s.skew_degrees:
        # Rotate about the centre and grow the canvas so no corner of the page is cut off.
        t = math.radians(s.skew_degrees)
        nw = round(w * abs(math.cos(t)) + h * abs(math.sin(t)))
        nh = round(h * abs(math.cos(t)) + w * abs(math.sin(t)))
        r = np.vstack([cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), s.skew_degrees, 1), [0, 0, 1]])
        r[:2, 2] += ((nw - w) / 2, (nh - h) / 2)
        m = r @ m
        w, h = nw, nh
    return m, (w, h)


def _line_angle(gray: np.ndarray) -> float | None:
    """Direction of the text lines in degrees (0 = horizontal, +90 = vertical; + = clockwise
    on screen), from projection profiles of the ink at trial angles, or None if unsure."""
    small, _ = _resize_long(gray, TEXT_SIDE)
    # Adaptive threshold copes with uneven light; block size ~ a couple of text heights.
    block = max(3, round(max(small.shape) / 40)) | 1
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    # Ignore a thin frame: scanner edges and table left over at the page border are long
    # straight lines that say nothing about the text direction.
    my, mx = max(1, ink.shape[0] // 50), max(1, ink.shape[1] // 50)
    ys, xs = np.nonzero(ink[my:-my, mx:-mx])
    if len(xs) < MIN_INK:
        return None
    step = max(1, len(xs) // 40000)  # bounded cost on ink-heavy pages
    xs, ys = xs[::step].astype(np.float32), ys[::step].astype(np.float32)
    diag = int(math.hypot(*small.shape)) + 2

    def scores(angles: np.ndarray) -> np.ndarray:
        # Project every ink pixel on the normal of each trial line direction.  At the right
        # angle text lines give a histogram of sharp ridges and gaps; the energy of its
        # bin-to-bin differences peaks there (unlike plain variance it is not fooled by the
        # outline of big dense blobs such as photos or noise).
        t = np.radians(angles)[:, None]
        proj = (ys * np.cos(t) - xs * np.sin(t)).astype(np.int32) + diag
        proj += (np.arange(len(angles)) * 2 * diag)[:, None]
        hist = np.bincount(proj.ravel(), minlength=2 * diag * len(angles)).reshape(len(angles), -1)
        # sqrt keeps a few very long straight edges (page border, rules) from outvoting the text.
        return (np.diff(np.sqrt(hist), axis=1) ** 2).sum(axis=1)

    near0 = np.arange(-MAX_SKEW - 2, MAX_SKEW + 2.1, 1.0)
    near90 = near0 + 90
    s0, s90 = scores(near0), scores(near90)
    # Text lines beat the median direction many times over; blank / noise pages do not.
    if max(s0.max(), s90.max()) < 2 * np.median(np.r_[s0, s90]):
        return None
    # Turn only on clear evidence: grids and tables look alike both ways.
    best = near90[np.argmax(s90)] if s90.max() > 1.25 * s0.max() else near0[np.argmax(s0)]
    fine = np.arange(best - 1.0, best + 1.01, 0.1)
    sf = scores(fine)
    i = int(np.argmax(sf))
    if 0 < i < len(fine) - 1:  # parabolic interpolation of the peak
        den = sf[i - 1] - 2 * sf[i] + sf[i + 1]
        return float(fine[i] + (0.05 * (sf[i - 1] - sf[i + 1]) / den if den else 0.0))
    return float(fine[i])


def straighten(img: np.ndarray) -> tuple[np.ndarray, Straightening]:
    """Perspective-correct, quarter-turn and deskew a page image (BGR/BGRA/gray uint8)."""
    s = Straightening()
    if img.ndim not in (2, 3) or min(img.shape[:2]) < 32:
        return img, s
    # One downscale of the full image; every decision below is taken on `small`.
    small, g = _resize_long(_to_gray(img), TEXT_SIDE)

    quad = _find_page_quad(small)
    if quad is not None:
        s.perspective, s.page_quad = True, (quad.astype(np.float64) / g).round(2).tolist()
        # Rectify the small copy only (same geometry as the final full-size warp, rescaled).
        m, (w, h) = _transform(s, img.shape)
        f = TEXT_SIDE / max(w, h)
        m = np.diag([f, f, 1.0]) @ m @ np.diag([1 / g, 1 / g, 1.0])
        small = cv2.warpPerspective(small, m, (max(1, round(w * f)), max(1, round(h * f))), borderValue=255)

    angle = _line_angle(small)
    if angle is not None:
        if angle > 45:  # vertical lines: one clockwise turn makes them horizontal
            s.quarter_turns, angle = 1, angle - 90
        if abs(angle) >= MIN_SKEW:
            s.skew_degrees = round(angle, 3)

    if not (s.perspective or s.skew_degrees):
        return (rotate_quarter(img, s.quarter_turns) if s.quarter_turns else img), s
    m, size = _transform(s, img.shape)
    border = (255,) * (img.shape[2] if img.ndim == 3 else 1)
    if s.perspective:
        out = cv2.warpPerspective(img, m, size, flags=cv2.INTER_LINEAR, borderValue=border)
    else:
        out = cv2.warpAffine(img, m[:2], size, flags=cv2.INTER_LINEAR, borderValue=border)
    return out, s


def map_points_back(points: np.ndarray, s: Straightening, in_shape, out_shape=None) -> np.ndarray:
    """Map (..., 2) x/y points of the straightened image back into input-image pixels.

    ``in_shape`` is the input image's shape; ``out_shape``, if given, is checked against
    the output geometry implied by ``s``.
    """
    m, (w, h) = _transform(s, in_shape)
    if out_shape is not None and tuple(out_shape[:2]) != (h, w):
        raise ValueError(f"out_shape {tuple(out_shape[:2])} does not match {s} (expected {(h, w)})")
    pts = np.asarray(points, np.float64)
    flat = pts.reshape(-1, 2)
    back = cv2.perspectiveTransform(flat[None], np.linalg.inv(m))[0]
    return back.reshape(pts.shape)
