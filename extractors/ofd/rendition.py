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


def _kind(ch: str) -> int:
    return 2 if ch.isspace() else int(ord(ch) >= 0x2E80)  # space, Latin, CJK


def _glyphs(writer: pymupdf.TextWriter, text: str, xs: list[float], baseline: float, size: float) -> None:
    """A run in pieces of one script each (spaces cut it too), every piece at the x the file
    gives its first glyph: close to the file's spacing at a fraction of placing every glyph."""
    latin, cjk = _fonts()
    if len(xs) != len(text):  # only the run's start is known
        xs = xs[:1] * len(text)
    start = 0
    for end in range(1, len(text) + 1):
        if end < len(text) and _kind(text[end]) == _kind(text[start]):
            continue
        if _kind(text[start]) != 2:
            font = cjk if _kind(text[start]) else latin
            writer.append((xs[start], baseline), text[start:end], font=font, fontsize=size)
        start = end


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
            _glyphs(writer, text, xs, baseline, min(max(size, 1.0), 400.0))
        writer.write_text(page)
    return doc
