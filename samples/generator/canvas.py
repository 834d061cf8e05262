"""Drawing helpers on top of PyMuPDF pages, and the in-memory document container."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

import pymupdf

from . import fonts

BLACK = (0, 0, 0)
GREY = (0.35, 0.35, 0.35)
BLUE = (0.05, 0.2, 0.55)
BROWN = (0.55, 0.25, 0.1)
A4 = (595.0, 842.0)


@dataclass
class Doc:
    """One logical document: its pages (a PyMuPDF document) plus ground truth."""

    id: str
    doc_type: str
    mode: str  # "embed" (born-digital output) or "raster"
    rng: random.Random
    style: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    seals: list = field(default_factory=list)  # page is 0-based here
    info: dict = field(default_factory=dict)
    _pdf: pymupdf.Document = field(default_factory=pymupdf.open, init=False, repr=False)
    _queued: list[Canvas] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        styles = fonts.EMBED_STYLES if self.mode == "embed" else fonts.RASTER_STYLES
        if not self.style:
            self.style = dict(self.rng.choice(styles))

    def flush(self) -> None:
        """Write every canvas's queued rules to its page."""
        while self._queued:
            self._queued.pop().flush()

    @property
    def pdf(self) -> pymupdf.Document:
        """The document with everything drawn so far (its canvases' queued rules written first)."""
        self.flush()
        return self._pdf

    def page(self, size=A4) -> Canvas:
        return Canvas(self, self.pdf.new_page(width=size[0], height=size[1]))

    @property
    def n_pages(self) -> int:
        return self.pdf.page_count


class Canvas:
    """One page. Its rules (lines, unfilled boxes) are queued and written to the page as one shape:
    PyMuPDF rescans a page's content for each shape it commits, which cost a born-digital bundle a
    fifth of its making. The page comes out with the same pixels: rules do not overlap text in
    another colour, a filled box is drawn at once (it goes under what follows), and whatever is
    drawn on `page` comes after everything queued. Text is written line by line: one TextWriter
    for many lines places later glyphs by relative moves, up to 0.2 pt off."""

    def __init__(self, doc: Doc, page: pymupdf.Page):
        self.doc, self._page = doc, page
        self.w, self.h = page.rect.width, page.rect.height
        self.index = page.number
        self._shape: pymupdf.Shape | None = None

    @property
    def page(self) -> pymupdf.Page:
        """The page, with everything queued on it already written (for drawing anything else)."""
        self.doc.flush()
        return self._current()

    def _current(self) -> pymupdf.Page:
        if self._page.parent is None:  # PyMuPDF drops page objects when pages are added
            self._page = self.doc._pdf[self.index]
        return self._page

    def _rules(self) -> pymupdf.Shape:
        if self._shape is None:
            self.doc._queued.append(self)
            self._shape = self._current().new_shape()
        return self._shape

    def flush(self) -> None:
        """Write the queued rules to the page."""
        if self._shape is not None:
            shape, self._shape = self._shape, None
            shape.commit()

    # ------------------------------------------------------------ text
    def _face(self, role: str, bold: bool) -> tuple[str, bool]:
        face = self.doc.style.get(role, role)
        if bold and face in fonts.BOLD_OF:
            return fonts.BOLD_OF[face], False
        return face, bold

    def width(self, s: str, size: float, role: str = "body", bold: bool = False) -> float:
        return fonts.text_width(self._face(role, bold)[0], s, size)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 10.5,
        role: str = "body",
        color=BLACK,
        align: str = "l",
        bold: bool = False,
        spacing: float = 0.0,
    ) -> pymupdf.Rect:
        """Draw one line; y is the baseline. Returns the text's bounding box."""
        face, fake_bold = self._face(role, bold)
        font = fonts.measure_font(face)
        w = fonts.text_width(face, s, size) + spacing * max(len(s) - 1, 0)
        x0 = x - w if align == "r" else x - w / 2 if align == "c" else x
        tw = pymupdf.TextWriter(pymupdf.Rect(0, 0, self.w, self.h))
        if spacing:
            cx = x0
            for ch in s:
                tw.append((cx, y), ch, font=font, fontsize=size)
                cx += fonts.text_width(face, ch, size) + spacing
        else:
            tw.append((x0, y), s, font=font, fontsize=size)
        # synthetic bold (TrueType faces have no bold weight): fill + stroke, only on large text
        tw.write_text(self._current(), color=color, render_mode=2 if fake_bold and size >= 13 else 0)
        return pymupdf.Rect(x0, y - size * 0.88, x0 + w, y + size * 0.12)

    def wrap_lines(
        self, s: str, width: float, size: float, role: str = "body", indent: float = 0
    ) -> list[str]:
        face = self._face(role, False)[0]
        lines, cur, avail = [], "", width - indent
        for ch in s:
            if ch == "\n":
                lines.append(cur)
                cur, avail = "", width
                continue
            if fonts.text_width(face, cur + ch, size) > avail and cur:
                if ch in "，。；：、）》”":  # keep closing punctuation on the line
                    cur += ch
                    continue
                lines.append(cur)
                cur, avail = ch, width
            else:
                cur += ch
        if cur:
            lines.append(cur)
        return lines

    def para(
        self,
        x: float,
        y: float,
        width: float,
        s: str,
        size: float = 10.5,
        role: str = "body",
        leading: float = 1.7,
        indent: bool = True,
        color=BLACK,
        bold: bool = False,
    ) -> float:
        """Wrapped paragraph starting with baseline y; returns the baseline after it."""
        ind = size * 2 if indent else 0
        for i, line in enumerate(self.wrap_lines(s, width, size, role, ind)):
            self.text(x + (ind if i == 0 else 0), y, line, size, role, color, bold=bold)
            y += size * leading
        return y

    # ------------------------------------------------------------ graphics
    def line(self, x0, y0, x1, y1, width: float = 0.6, color=BLACK, dashes: str | None = None):
        shape = self._rules()  # the operators Page.draw_line writes, queued
        shape.draw_line(pymupdf.Point(x0, y0), pymupdf.Point(x1, y1))
        shape.finish(color=color, dashes=dashes, width=width, closePath=False)

    def rect(self, x0, y0, x1, y1, width: float = 0.6, color=BLACK, fill=None):
        if fill is not None:  # a filled box goes under what is drawn after it: drawn now
            self.page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=color, width=width, fill=fill)
            return
        shape = self._rules()  # the operators Page.draw_rect writes, queued
        shape.draw_rect(pymupdf.Rect(x0, y0, x1, y1))
        shape.finish(color=color, width=width)

    def image(self, rect, data: bytes, keep: bool = True):
        self.page.insert_image(pymupdf.Rect(rect), stream=data, keep_proportion=keep)

    def pil_image(self, rect, img) -> None:
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=1)
        self.image(rect, buf.getvalue())

    def table(
        self,
        x: float,
        y: float,
        widths: list[float],
        rows: list[list[str]],
        row_h: float = 22,
        size: float = 9.5,
        role: str = "body",
        aligns: str | None = None,
        border: float = 0.6,
        header: bool = False,
        color=BLACK,
        heights: list[float] | None = None,
    ) -> float:
        """Ruled table; a cell of None merges into the cell on its left. Returns the bottom y."""
        total = sum(widths)
        cy = y
        self.line(x, y, x + total, y, border, color)
        for r, row in enumerate(rows):
            rh = heights[r] if heights else row_h
            cx = x
            spans = []
            for c, cell in enumerate(row):
                if cell is None and spans:
                    spans[-1][1] += widths[c]
                else:
                    spans.append([cx, widths[c], cell or "", c])
                cx += widths[c]
            for sx, sw, cell, c in spans:
                self.line(sx, cy, sx, cy + rh, border, color)
                al = aligns[c] if aligns and c < len(aligns) else "l"
                lines = self.wrap_lines(str(cell), sw - 6, size, role) if cell else []
                lines = lines[: max(1, int(rh // (size * 1.3)))]
                ty = cy + (rh - len(lines) * size * 1.3) / 2 + size * 1.0
                for ln in lines:
                    tx = sx + 4 if al == "l" else sx + sw - 4 if al == "r" else sx + sw / 2
                    self.text(tx, ty, ln, size, role, color, align=al, bold=header and r == 0)
                    ty += size * 1.3
            self.line(x + total, cy, x + total, cy + rh, border, color)
            cy += rh
            self.line(x, cy, x + total, cy, border, color)
        return cy

    def kv_rows(self, x, y, label_w, value_w, pairs, row_h=24, size=10, role="body"):
        return self.table(x, y, [label_w, value_w], [[k, v] for k, v in pairs], row_h, size, role, "cl")

    # ------------------------------------------------------------ seals
    def stamp(
        self,
        cx: float,
        cy: float,
        diameter_pt: float,
        seal,
        kind: str,
        owner: str,
        text: str,
        record: bool = True,
    ) -> pymupdf.Rect:
        """Place a seal image centred at (cx, cy); seal is a PIL RGBA image."""
        ar = seal.height / seal.width
        rect = pymupdf.Rect(
            cx - diameter_pt / 2, cy - diameter_pt * ar / 2, cx + diameter_pt / 2, cy + diameter_pt * ar / 2
        )
        self.pil_image(rect, seal)
        if record:
            self.doc.seals.append(
                {
                    "page": self.index,
                    "kind": kind,
                    "owner": owner,
                    "text": text,
                    "bbox": [round(v, 1) for v in rect],
                }
            )
        return rect

    def footer_page_no(self, n: int, total: int, fmt: str = "第 {n} 页 共 {t} 页", size: float = 9):
        self.text(self.w / 2, self.h - 30, fmt.format(n=n, t=total), size, "body", GREY, align="c")


class Flow:
    """Top-to-bottom text flow that opens new pages as needed (contracts, reports)."""

    def __init__(
        self,
        doc: Doc,
        size=A4,
        margin=(72, 70, 72, 72),
        body: float = 10.5,
        leading: float = 1.75,
        canvas: Canvas | None = None,
        y: float | None = None,
    ):
        self.doc, self.size = doc, size
        self.left, self.top, self.right, self.bottom = margin
        self.body, self.leading = body, leading
        self.pages: list[Canvas] = []
        if canvas is None:
            self.new_page()
        else:
            self.c, self.pages, self.y = canvas, [canvas], self.top if y is None else y

    @property
    def width(self) -> float:
        return self.size[0] - self.left - self.right

    def new_page(self) -> Canvas:
        self.c = self.doc.page(self.size)
        self.pages.append(self.c)
        self.y = self.top
        return self.c

    def need(self, h: float):
        if self.y + h > self.size[1] - self.bottom:
            self.new_page()

    def gap(self, h: float):
        self.y += h

    def title(self, s: str, size: float = 18, spacing: float = 0.0, role: str = "title", bold=True):
        self.need(size * 2)
        self.c.text(self.size[0] / 2, self.y + size, s, size, role, align="c", bold=bold, spacing=spacing)
        self.y += size * 2.2

    def line(
        self,
        s: str,
        size: float | None = None,
        role: str = "body",
        bold=False,
        x_off: float = 0,
        align: str = "l",
        color=BLACK,
    ) -> pymupdf.Rect:
        size = size or self.body
        self.need(size * self.leading)
        x = (
            self.left + x_off
            if align == "l"
            else self.size[0] - self.right
            if align == "r"
            else self.size[0] / 2
        )
        r = self.c.text(x, self.y + size, s, size, role, color, align=align, bold=bold)
        self.y += size * self.leading
        return r

    def para(self, s: str, size: float | None = None, indent: bool = True, role: str = "body", bold=False):
        size = size or self.body
        ind = size * 2 if indent else 0
        for i, ln in enumerate(self.c.wrap_lines(s, self.width, size, role, ind)):
            self.need(size * self.leading)
            self.c.text(self.left + (ind if i == 0 else 0), self.y + size, ln, size, role, bold=bold)
            self.y += size * self.leading

    def table(self, widths, rows, row_h=22, size=9.5, aligns=None, header=True):
        self.need(row_h * min(len(rows), 3))
        for i in range(0, len(rows)):
            if self.y + row_h > self.size[1] - self.bottom:
                self.new_page()
            self.y = self.c.table(
                self.left, self.y, widths, [rows[i]], row_h, size, "body", aligns, header=header and i == 0
            )
        self.y += 6
