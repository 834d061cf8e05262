"""Rasterising pages and degrading them into scans and phone photos.

Every transform returns the 3x3 matrix that maps source pixel coordinates to output pixel
coordinates, so seal boxes can be carried into the stored image.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import cv2
import numpy as np
import pymupdf
from PIL import Image

Finish = Callable[[np.ndarray], np.ndarray]  # a planned scan or photo, applied to the page's pixels


def raster_shape(page: pymupdf.Page, dpi: int) -> tuple[int, int]:
    """(height, width) of the page rasterised at dpi, known without rasterising it."""
    box = (page.rect * pymupdf.Matrix(dpi / 72, dpi / 72)).irect
    return box.height, box.width


def rasterise(page: pymupdf.Page, dpi: int) -> np.ndarray:
    """The page's RGB pixels (read-only: every finish makes new arrays from them)."""
    pix = page.get_pixmap(dpi=dpi, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)


def _clipped_u8(a: np.ndarray) -> np.ndarray:
    """np.clip(a, 0, 255).astype(np.uint8), the same pixels, clipped in place: np.clip's general
    path cost more than a photo's other arithmetic on the page."""
    np.minimum(a, 255, out=a)
    np.maximum(a, 0, out=a)
    return a.astype(np.uint8)


def _illumination(h: int, w: int, nrng: np.random.Generator, strength: float) -> np.ndarray:
    """Low-frequency brightness field around 1.0."""
    small = nrng.normal(0, 1, (4, 4)).astype(np.float32)
    field = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    field = (field - field.min()) / (np.ptp(field) + 1e-6)
    gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * nrng.uniform(-1, 1)
    gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None] * nrng.uniform(-1, 1)
    return 1.0 - strength * (0.6 * field + 0.4 * (gx + gy + 2) / 4)


def _noise(h: int, w: int, sigma: float, seed: int) -> np.ndarray:
    cv2.setRNGSeed(seed)
    n = np.empty((h, w), np.int16)
    cv2.randn(n, 0, sigma)
    return n


def plan_scan(h: int, w: int, rng: random.Random, dpi: int) -> tuple[Finish, np.ndarray]:
    """A scan's random choices, drawn now in a fixed order, and `finish(img)` that applies them:
    the geometry (M) is known before any pixel is touched, so a page nobody stores costs nothing."""
    nrng = np.random.default_rng(rng.randrange(1 << 31))
    angle = rng.uniform(-3, 3) if rng.random() < 0.8 else rng.uniform(-0.5, 0.5)
    scale = rng.uniform(0.985, 1.0)
    tx, ty = rng.uniform(-0.01, 0.01) * w, rng.uniform(-0.01, 0.01) * h
    A = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    A[:, 2] += (tx, ty)
    border = (rng.randint(225, 255),) * 3
    # paper tint x uneven illumination (x faded copier ink), computed small and scaled up
    r = rng.uniform(0.96, 1.0)
    g = r - rng.uniform(0.0, 0.02)
    tint = np.array([r, g, g - rng.uniform(0.0, 0.06)], np.float32)  # white to slightly warm
    fade = rng.uniform(0.75, 0.95) if rng.random() < 0.4 else 1.0
    strength = rng.uniform(0.03, 0.15)
    blur = rng.uniform(0.3, 1.1) * dpi / 200
    sigma, noise_seed = rng.uniform(2, 8), rng.randrange(1 << 30)
    grey = rng.random() < 0.2  # grey-scale scanner

    def finish(img: np.ndarray) -> np.ndarray:
        out = cv2.warpAffine(img, A, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
        sh, sw = max(2, h // 8), max(2, w // 8)
        gain = _illumination(sh, sw, nrng, strength)[..., None] * tint[None, None, :] * fade
        gain = cv2.resize(gain.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
        f = cv2.multiply(out, gain, dtype=cv2.CV_32F)  # out.astype(np.float32) * gain
        if fade < 1.0:
            f += 255 * (1 - fade)
        np.minimum(f, 255, out=f)  # (the gain is positive: nothing below 0)
        out = cv2.GaussianBlur(f.astype(np.uint8), (0, 0), blur)
        noise = _noise(h, w, sigma, noise_seed)
        # Saturated (clipped to 0..255), channel by channel: adding a merged float32 copy of the noise
        # to all three at once is ~20x slower in OpenCV, for the same bytes.
        out = cv2.merge([cv2.add(channel, noise, dtype=cv2.CV_8U) for channel in cv2.split(out)])
        if grey:
            out = np.repeat(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)
        return out

    return finish, np.vstack([A, [0, 0, 1]])


def turn(img: np.ndarray, k: int) -> np.ndarray:
    """The image turned by k*90 degrees clockwise."""
    return np.ascontiguousarray(np.rot90(img, -(k % 4)))


def rotation_matrix(h: int, w: int, k: int) -> np.ndarray:
    """The pixel map of turning an h x w image by k*90 degrees clockwise."""
    k %= 4
    if k == 0:
        return np.eye(3)
    if k == 1:
        return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float)
    if k == 2:
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float)
    return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float)


def _table(h: int, w: int, nrng: np.random.Generator, base: np.ndarray) -> np.ndarray:
    grain = cv2.resize(nrng.normal(0, 1, (h // 16 + 1, w // 4 + 1)).astype(np.float32), (w, h))
    fine = nrng.normal(0, 1, (h, w)).astype(np.float32)
    bg = base[None, None, :] * (1 + 0.12 * grain[..., None] + 0.04 * fine[..., None])
    return bg


TABLE_COLOURS = [(92, 64, 44), (60, 60, 64), (120, 90, 60), (40, 44, 52), (150, 140, 128)]


def photo_shape(h: int, w: int) -> tuple[int, int]:
    """(height, width) of the photo of an h x w page: the phone's frame, turned like the page."""
    return (1200, 1600) if w > h else (1600, 1200)


def plan_photo(h: int, w: int, rng: random.Random) -> tuple[Finish, np.ndarray]:
    """A phone photo of the page lying on a table, at an angle: its random choices and `finish`,
    as plan_scan."""
    nrng = np.random.default_rng(rng.randrange(1 << 31))
    H, W = photo_shape(h, w)
    cover = rng.uniform(0.55, 0.85)
    s = (cover * W * H / (w * h)) ** 0.5
    pw, ph = w * s, h * s
    if pw > W * 0.86 or ph > H * 0.86:  # all four corners must stay in the frame
        s *= min(W * 0.86 / pw, H * 0.86 / ph)
        pw, ph = w * s, h * s
    j = 0.04 * min(pw, ph)
    cx = W / 2 + rng.uniform(-1, 1) * max(0.0, (W - pw) / 2 - 2 * j - 8)
    cy = H / 2 + rng.uniform(-1, 1) * max(0.0, (H - ph) / 2 - 2 * j - 8)
    dst = np.float32(
        [
            [cx - pw / 2, cy - ph / 2],
            [cx + pw / 2, cy - ph / 2],
            [cx + pw / 2, cy + ph / 2],
            [cx - pw / 2, cy + ph / 2],
        ]
    )
    dst += nrng.uniform(-j, j, (4, 2)).astype(np.float32)
    if rng.random() < 0.5:  # keystone: top edge further from the camera
        dst[0, 0] += j * 0.8
        dst[1, 0] -= j * 0.8
    dst[:, 0] = np.clip(dst[:, 0], 4, W - 5)
    dst[:, 1] = np.clip(dst[:, 1], 4, H - 5)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    M = cv2.getPerspectiveTransform(src, dst)
    base = np.array(rng.choice(TABLE_COLOURS), np.float32)
    strength = rng.uniform(0.15, 0.4)
    phone_shadow = rng.random() < 0.4  # the phone's shadow across the page
    a, b = (rng.uniform(-1, 1), rng.uniform(0.2, 0.8)) if phone_shadow else (0.0, 0.0)
    colour = np.array([rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.88, 1.0)], np.float32)
    blur = rng.uniform(0.4, 1.0)
    sigma, noise_seed = rng.uniform(2, 5), rng.randrange(1 << 30)

    def finish(img: np.ndarray) -> np.ndarray:
        warped = cv2.warpPerspective(img, M, (W, H), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), M, (W, H))
        mask = cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32)[..., None] / 255
        bg = _table(H, W, nrng, base)
        small = cv2.resize(mask[..., 0], (W // 4, H // 4), interpolation=cv2.INTER_AREA)
        shadow = cv2.resize(cv2.GaussianBlur(small, (0, 0), 3), (W, H))
        bg *= (1 - 0.45 * np.roll(np.roll(shadow, 10, 0), 8, 1))[..., None]
        f = warped.astype(np.float32)
        f *= mask
        bg *= 1 - mask
        f += bg
        sh, sw = H // 8, W // 8
        light = _illumination(sh, sw, nrng, strength)
        if phone_shadow:
            yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
            band = ((yy / sh - b - a * (xx / sw - 0.5)) > 0).astype(np.float32)
            light *= 1 - 0.22 * cv2.GaussianBlur(band, (0, 0), 3)
        f *= cv2.resize(light, (W, H))[..., None]
        f *= colour[None, None, :]
        f = cv2.GaussianBlur(f, (0, 0), blur)
        f += _noise(H, W, sigma, noise_seed).astype(np.float32)[..., None]
        return _clipped_u8(f)

    return finish, M


def map_bbox(bbox, M: np.ndarray, scale_in: float, scale_out: float) -> list[float] | None:
    """bbox in points -> pixels (scale_in) -> transform M -> points (1/scale_out)."""
    if bbox is None:
        return None
    x0, y0, x1, y1 = (v * scale_in for v in bbox)
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float).T
    q = M @ pts
    q = q[:2] / q[2]
    return [
        round(float(q[0].min()) / scale_out, 1),
        round(float(q[1].min()) / scale_out, 1),
        round(float(q[0].max()) / scale_out, 1),
        round(float(q[1].max()) / scale_out, 1),
    ]


def encode(img: np.ndarray, fmt: str, dpi: int, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    im = Image.fromarray(img)
    if fmt == "jpeg":
        im.save(buf, "JPEG", quality=rng.randint(55, 88), dpi=(dpi, dpi), optimize=False)
    elif fmt == "png":
        im.save(buf, "PNG", dpi=(dpi, dpi), compress_level=3)
    else:
        raise ValueError(fmt)
    return buf.getvalue()


def tiff(images: list[np.ndarray], dpi: int) -> bytes:
    buf = io.BytesIO()
    ims = [Image.fromarray(i).convert("L") for i in images]  # multi-page TIFF scans are grey
    ims[0].save(buf, "TIFF", save_all=True, append_images=ims[1:], compression="tiff_deflate", dpi=(dpi, dpi))
    return buf.getvalue()
