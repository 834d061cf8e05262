"""A page drawn from its text objects and images as a PDF page in memory: what seals, thumbnails
and the report render, with the same code as any born-digital PDF page. Its text is only for
the eye: the page's lines come from the OFD's own text objects."""

from dataclasses import dataclass, field
from functools import cache

import pymupdf


@dataclass
class Sheet:
    """One page to draw: size in points, texts at their baselines, images in their boxes."""

    width: float
    height: float
    # text, each character's x (or the run's start only), baseline, size
    texts: list[tuple[str, list[float], float, float]] = field(default_factory=list)
    images: list[tuple[tuple[float, float, float, float], bytes]] = field(default_factory=list)


@cache
def _fonts() -> tuple[pymupdf.Font, pymupdf.Font]:
    # MuPDF's built-in fonts: nothing to embed or ship; Latin glyphs narrow, CJK from china-s
    return pymupdf.Font("helv"), pymupdf.Font("china-s")


def _glyphs(writer: pymupdf.TextWriter, text: str, xs: list[float], baseline: float, size: float) -> None:
    latin, cjk = _fonts()
    if len(xs) != len(text):  # one run: laid out from its start
        xs = [xs[0]]
        for ch in text[:-1]:
            xs.append(xs[-1] + size * (0.55 if ord(ch) < 0x2E80 else 1.0))
    for ch, x in zip(text, xs, strict=True):  # placed glyph by glyph, as the file places them
        if not ch.isspace():
            writer.append((x, baseline), ch, font=latin if ord(ch) < 0x2E80 else cjk, fontsize=size)


def draw(sheets: list[Sheet]) -> pymupdf.Document:
    doc = pymupdf.open()
    for sheet in sheets:
        page = doc.new_page(width=sheet.width, height=sheet.height)
        for rect, data in sheet.images:
            try:
                page.insert_image(pymupdf.Rect(rect), stream=data, keep_proportion=False)
            except Exception:  # an image MuPDF cannot decode is left out of the picture only
                continue
        writer = pymupdf.TextWriter(page.rect)
        for text, xs, baseline, size in sheet.texts:
            _glyphs(writer, text, xs, baseline, max(size, 1.0))
        writer.write_text(page)
    return doc
