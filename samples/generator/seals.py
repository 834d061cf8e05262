"""Red seals (印章) drawn with Pillow: round company/authority seals, oval invoice seals,
square personal seals, and the slices of a paging seal (骑缝章)."""

from __future__ import annotations

import functools
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .fonts import pil_font_path

RED = (214, 28, 38)


@functools.lru_cache(maxsize=64)
def _font(face: str, size: int) -> ImageFont.FreeTypeFont:
    path, idx = pil_font_path(face)
    return ImageFont.truetype(path, size, index=idx)


def _glyph(ch: str, size: int, face: str, angle: float, squeeze: float = 1.0) -> Image.Image:
    box = int(size * 1.6)
    im = Image.new("L", (box, box), 0)
    ImageDraw.Draw(im).text((box / 2, box / 2), ch, fill=255, font=_font(face, size), anchor="mm")
    if squeeze != 1.0:  # seal characters are often narrow and tall
        w = max(1, int(box * squeeze))
        im = im.resize((w, box), Image.BICUBIC).crop((0, 0, w, box))
        canvas = Image.new("L", (box, box), 0)
        canvas.paste(im, ((box - w) // 2, 0))
        im = canvas
    return im.rotate(angle, resample=Image.BICUBIC)


def _arc_text(
    mask: Image.Image,
    text: str,
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    span: float,
    size: int,
    face: str,
    bottom: bool = False,
    squeeze: float = 0.85,
):
    n = len(text)
    if n == 0:
        return
    step = span / max(n - 1, 1) if n > 1 else 0
    for i, ch in enumerate(text):
        phi = 180 + span / 2 - i * step if bottom else -span / 2 + i * step
        t = math.radians(phi)
        x, y = cx + rx * math.sin(t), cy - ry * math.cos(t)
        # normal direction of the ellipse at that point, for the rotation
        nx, ny = math.sin(t) / rx if rx else 0, -math.cos(t) / ry if ry else 0
        ang = math.degrees(math.atan2(nx, -ny))
        rot = -(ang - 180) if bottom else -ang
        g = _glyph(ch, size, face, rot, squeeze)
        mask.paste(255, (int(x - g.width / 2), int(y - g.height / 2)), g)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float):
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        a = math.radians(-90 + 36 * k)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw.polygon(pts, fill=255)


def _colourise(mask: Image.Image, rng: random.Random, texture: float, opacity: float) -> Image.Image:
    a = np.asarray(mask, dtype=np.float32) / 255.0
    if texture > 0:
        nrng = np.random.default_rng(rng.randrange(1 << 30))
        h, w = a.shape
        low = nrng.random((max(2, h // 40), max(2, w // 40))).astype(np.float32)
        low = (
            np.asarray(
                Image.fromarray((low * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC), dtype=np.float32
            )
            / 255.0
        )
        speck = nrng.random((h, w)).astype(np.float32)
        a = a * np.clip(1.0 - texture * (0.9 * low + 0.6 * (speck > 0.8)), 0.15, 1.0)
    col = np.empty((*a.shape, 4), np.uint8)
    jitter = rng.randint(-12, 12)
    col[..., 0], col[..., 1], col[..., 2] = (
        RED[0] + jitter // 2,
        RED[1] + max(jitter, 0),
        RED[2] + max(jitter, 0),
    )
    col[..., 3] = np.clip(a * opacity * 255, 0, 255).astype(np.uint8)
    img = Image.fromarray(col, "RGBA")
    return img.filter(ImageFilter.GaussianBlur(0.6)) if texture > 0 else img


@functools.lru_cache(maxsize=256)
def round_mask(
    owner: str,
    bottom: str = "",
    star: bool = True,
    serial: str = "",
    face: str = "noto_serif_bold",
    px: int = 480,
) -> Image.Image:
    mask = Image.new("L", (px, px), 0)
    d = ImageDraw.Draw(mask)
    c, R = px / 2, px / 2 - 4
    d.ellipse((c - R, c - R, c + R, c + R), outline=255, width=max(6, int(px * 0.028)))
    n = len(owner)
    span = min(245 if bottom else 265, max(150, n * 17.5))
    size = int(min(px * 0.125, (2 * math.pi * R * 0.72 * span / 360) / max(n, 1) * 1.05))
    _arc_text(mask, owner, c, c, R * 0.72, R * 0.72, span, size, face)
    if star:
        _star(d, c, c - (R * 0.04 if bottom else 0), R * 0.27)
    if bottom:
        bs = int(px * (0.085 if len(bottom) > 5 else 0.1))
        d.text((c, c + R * 0.47), bottom, fill=255, font=_font(face, bs), anchor="mm")
    if serial:
        _arc_text(
            mask,
            serial,
            c,
            c,
            R * 0.86,
            R * 0.86,
            min(100, len(serial) * 7),
            int(px * 0.04),
            "noto_sans",
            bottom=True,
            squeeze=1.0,
        )
    return mask


@functools.lru_cache(maxsize=64)
def oval_mask(
    owner: str, tax_no: str, bottom: str = "发票专用章", face: str = "noto_serif_bold", px: int = 480
) -> Image.Image:
    W, H = px, int(px * 0.72)
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((4, 4, W - 4, H - 4), outline=255, width=max(5, int(px * 0.022)))
    rx, ry = W / 2 - 4, H / 2 - 4
    n = len(owner)
    size = int(min(px * 0.085, math.pi * rx * 0.9 / max(n, 1)))
    _arc_text(mask, owner, W / 2, H / 2, rx * 0.78, ry * 0.72, min(230, max(140, n * 15)), size, face)
    d.text(
        (W / 2, H / 2 + ry * 0.05),
        tax_no,
        fill=255,
        font=_font("noto_sans_bold", int(px * 0.055)),
        anchor="mm",
    )
    d.text((W / 2, H / 2 + ry * 0.55), bottom, fill=255, font=_font(face, int(px * 0.075)), anchor="mm")
    return mask


@functools.lru_cache(maxsize=16)
def supervision_mask(place: str, face: str = "noto_sans_bold", px: int = 480) -> Image.Image:
    """A paper invoice's printed 全国统一发票监制章: the arc, and the tax bureau in two lines."""
    W, H = px, int(px * 0.66)
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((4, 4, W - 4, H - 4), outline=255, width=max(5, int(px * 0.02)))
    rx, ry = W / 2 - 4, H / 2 - 4
    arc = "全国统一发票监制章"
    _arc_text(mask, arc, W / 2, H / 2, rx * 0.8, ry * 0.74, 200, int(px * 0.08), face)
    for k, line in enumerate(("国家税务总局", f"{place}税务局")):
        d.text((W / 2, H / 2 + ry * (0.08 + 0.34 * k)), line, fill=255, font=_font(face, int(px * 0.07)),
               anchor="mm")
    return mask


@functools.lru_cache(maxsize=64)
def square_mask(name: str, px: int = 220) -> Image.Image:
    chars = name + "之印" if len(name) == 2 else name + "印" if len(name) == 3 else name[:4]
    mask = Image.new("L", (px, px), 0)
    d = ImageDraw.Draw(mask)
    d.rectangle((4, 4, px - 5, px - 5), outline=255, width=int(px * 0.06))
    fs = int(px * 0.36)
    pos = [(0.72, 0.3), (0.72, 0.72), (0.28, 0.3), (0.28, 0.72)]  # right column first, top-down
    for ch, (fx, fy) in zip(chars, pos, strict=False):
        d.text((px * fx, px * fy), ch, fill=255, font=_font("noto_serif_bold", fs), anchor="mm")
    return mask


BOTTOM = {
    "contract_seal": "合同专用章",
    "finance_seal": "财务专用章",
    "invoice_seal": "发票专用章",
    "bank_seal": "电子回单专用章",
}


class SealBook:
    """Seal images for one bundle. `raster` seals get ink texture (they end up on scans)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.serials: dict[str, str] = {}
        self.faces: dict[str, str] = {}

    def get(
        self,
        kind: str,
        owner: str,
        *,
        raster: bool,
        tax_no: str = "",
        bottom: str | None = None,
        rotate: bool = True,
    ) -> tuple[Image.Image, str]:
        rng = self.rng
        face = self.faces.setdefault(
            owner, rng.choice(["noto_serif_bold", "noto_sans_bold", "noto_serif_bold"])
        )
        if kind == "invoice_seal":
            mask, text = oval_mask(owner, tax_no, face=face), owner + "发票专用章"
        elif kind == "personal_seal":
            mask, text = square_mask(owner), owner
        else:
            b = BOTTOM.get(kind, "") if bottom is None else bottom
            serial = ""
            if kind in ("company_seal", "contract_seal", "finance_seal") and owner.startswith("深圳"):
                serial = self.serials.setdefault(
                    owner, "4403" + "".join(rng.choice("0123456789") for _ in range(9))
                )
            mask = round_mask(owner, b, kind != "personal_seal", serial, face)
            text = owner + b
        tex = rng.uniform(0.25, 0.6) if raster else 0.0
        img = _colourise(mask, rng, tex, rng.uniform(0.8, 0.92) if raster else 0.9)
        if rotate:
            ang = (
                rng.uniform(-20, 20) if kind not in ("invoice_seal", "personal_seal") else rng.uniform(-5, 5)
            )
            img = img.rotate(ang, resample=Image.BICUBIC)
        return img, text


def slices(seal: Image.Image, n: int) -> list[Image.Image]:
    """Vertical strips of a seal, as seen on the right edge of n stacked pages."""
    n = max(n, 2)
    w = seal.width / n
    return [seal.crop((int(i * w), 0, int((i + 1) * w), seal.height)) for i in range(n)]
