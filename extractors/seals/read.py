"""Reading a detected seal: polar unwarp of the arc text, plain OCR of the horizontal bottom text,
and the kind / owner derived from what was read."""

from __future__ import annotations

import re
import unicodedata

import cv2
import numpy as np

from .detect import Blob, white_balance

R_WORK = 160  # seal radius in px after scaling, so characters are ~40 px tall for the recogniser

SUFFIXES = [  # (pattern that identifies the kind, canonical suffix, kind)
    ("合同", "合同专用章", "contract_seal"),
    ("财务", "财务专用章", "finance_seal"),
    ("发票", "发票专用章", "invoice_seal"),
    ("回单", "电子回单专用章", "bank_seal"),
]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s·•.,，。'\"`]", "", text)


def ink_image(image_bgr: np.ndarray) -> np.ndarray:
    """Grey image with the red ink black and everything else (incl. black print) white."""
    if image_bgr.ndim == 2 or int(np.abs(image_bgr[..., 2].astype(np.int16) - image_bgr[..., 1]).max()) <= 8:
        return image_bgr if image_bgr.ndim == 2 else image_bgr[..., 1].copy()
    wb = white_balance(image_bgr).astype(np.int16)
    red = wb[..., 2] - np.maximum(wb[..., 1], wb[..., 0])
    return np.clip(255 - red * 2.2, 0, 255).astype(np.uint8)


def _ocr(engine, grey: np.ndarray) -> list:
    pad = cv2.copyMakeBorder(grey, 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=255)
    return engine.read(cv2.cvtColor(pad, cv2.COLOR_GRAY2BGR)).lines


def _join(lines) -> str:
    return normalise("".join(ln.text for ln in sorted(lines, key=lambda ln: ln.box[0])))


def _unwarp(ink: np.ndarray, ell, k0: float = 0.5, k1: float = 0.95) -> tuple[np.ndarray, float]:
    """Strip of the ring band k0..k1 (share of the radius), outer edge on top, clockwise left to
    right, rolled so the empty stretch below the arc text is at the ends. Ovals are mapped through
    their fitted ellipse, i.e. normalised to a circle. Returns the strip and the angle (deg, image
    frame) of the gap centre — 90 for an upright seal."""
    (cx, cy), (a1, a2), ang = ell
    width = int(2 * np.pi * 0.72 * R_WORK)
    height = int((k1 - k0) * R_WORK)
    phi = np.linspace(0, 2 * np.pi, width, endpoint=False)[None, :]
    k = np.linspace(k1, k0, height)[:, None]
    t = np.radians(ang)
    ux, uy = k * np.cos(phi), k * np.sin(phi)
    xs = cx + a1 / 2 * ux * np.cos(t) - a2 / 2 * uy * np.sin(t)
    ys = cy + a1 / 2 * ux * np.sin(t) + a2 / 2 * uy * np.cos(t)
    strip = cv2.remap(ink, xs.astype(np.float32), ys.astype(np.float32), cv2.INTER_LINEAR,
                      borderValue=255)
    # the gap: longest circular run of inkless columns
    cols = np.convolve(np.r_[(strip < 128).sum(0)] > 1, np.ones(9), "same") > 0
    runs, best, cur = np.r_[cols, cols], (0, 0), 0
    for i, v in enumerate(runs):
        cur = 0 if v else cur + 1
        if cur > best[0]:
            best = (cur, i)
    mid = (best[1] - best[0] // 2) % width
    strip = np.roll(strip, -mid, axis=1)
    gx, gy = xs[0, mid] - cx, ys[0, mid] - cy
    return strip, float(np.degrees(np.arctan2(gy, gx)))


def read_round(image_bgr, blob: Blob, engine) -> tuple[str, str]:
    """(arc text, bottom text) of a round / oval seal."""
    (cx, cy), (a1, a2), ang = blob.ellipse
    r = max(a1, a2) / 2
    x0, y0 = int(max(0, cx - r * 1.1)), int(max(0, cy - r * 1.1))
    crop = image_bgr[y0:int(cy + r * 1.1), x0:int(cx + r * 1.1)]
    ink = ink_image(crop)
    f = R_WORK / ((a1 + a2) / 4)
    ink = cv2.resize(ink, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
    ell = (((cx - x0) * f, (cy - y0) * f), (a1 * f, a2 * f), ang)
    strip, gap = _unwarp(ink, ell)
    # arc text is a name: drop serial digits read off the bottom arc and recogniser junk
    arc = re.sub(r"[^\u4e00-\u9fff()]", "", _join(_ocr(engine, strip)))
    # bottom text: turn the seal upright (gap at the bottom), then read below the centre
    rot = cv2.getRotationMatrix2D(ell[0], gap - 90, 1.0)
    up = cv2.warpAffine(ink, rot, (ink.shape[1], ink.shape[0]), borderValue=255)
    ecx, ecy = ell[0]
    ry = min(a1, a2) * f / 2 if blob.shape == "oval" else R_WORK
    rx = max(a1, a2) * f / 2 if blob.shape == "oval" else R_WORK
    top = ecy - 0.2 * ry if blob.shape == "oval" else ecy + 0.25 * ry
    band = up[int(max(0, top)):int(ecy + 0.85 * ry), int(max(0, ecx - 0.7 * rx)):int(ecx + 0.7 * rx)]
    bottom = _join(_ocr(engine, band)) if band.size else ""
    return arc, bottom


def read_square(image_bgr, blob: Blob, engine) -> str:
    """A personal seal: 2x2 characters, right column first (陆辉 / 艳印 -> 陆辉艳印)."""
    x0, y0, x1, y1 = (int(v) for v in blob.bbox)
    ink = ink_image(image_bgr[y0:y1, x0:x1])
    ink = cv2.resize(ink, (160, 160), interpolation=cv2.INTER_CUBIC)[10:-10, 10:-10]
    chars = []
    for cx0, cy0 in ((70, 0), (70, 70), (0, 0), (0, 70)):
        chars.append(_join(_ocr(engine, ink[cy0:cy0 + 70, cx0:cx0 + 70]))[:1])
    text = "".join(chars)
    return re.sub(r"之?印$", "", text)


def classify(shape: str, arc: str, bottom: str) -> tuple[str, str, str | None]:
    """(kind, text, owner) from what was read."""
    if shape == "slice":
        return "paging_seal", "", None
    if shape == "square":
        return "personal_seal", arc, arc or None
    owner = arc
    for key, suffix, kind in SUFFIXES:
        if key in bottom or suffix in arc:
            owner = arc.split(suffix)[0] if suffix in arc else arc
            return kind, owner + suffix, owner or None
    if shape == "oval":
        return "invoice_seal", (owner + "发票专用章") if owner else "", owner or None
    if "税务" in arc:
        return "tax_authority_seal", arc, arc
    if "市场监督管理" in arc or "工商行政管理" in arc:
        return "registration_authority_seal", arc, arc
    if "银行" in arc:
        return "bank_seal", arc, arc
    if arc:
        return "company_seal", arc, arc
    return "unknown_seal", "", None
