"""Turn built documents into the bundle's files (PDF / JPEG / PNG / TIFF), with page truth."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
import pymupdf

from . import render
from .canvas import Doc

META = {
    "creationDate": "D:20260101000000+08'00'",
    "modDate": "D:20260101000000+08'00'",
    "producer": "",
    "creator": "",
    "title": "",
    "author": "",
    "subject": "",
    "keywords": "",
}


@dataclass
class FileSpec:
    name: str
    fmt: str
    pages: list = field(default_factory=list)
    pasted: dict = field(default_factory=dict)
    raw: bytes | None = None


@dataclass
class PageOut:
    """One page of one document, as it will be stored."""

    doc: Doc
    index: int  # page index inside the document (0-based)
    render: str  # born_digital | scan | photo
    make: Callable[[], np.ndarray] | None = None  # the stored image's pixels, made when first asked
    dpi: int | None = None  # dpi of the stored image (photos: 72)
    M: np.ndarray | None = None  # source points -> stored pixels
    rotation: int = 0
    extra: dict = field(default_factory=dict)

    @cached_property
    def img(self) -> np.ndarray | None:
        # Made once (a plan's noise is drawn as it is applied), then the page's raster is let go.
        img, self.make = (self.make() if self.make else None), None
        return img


def rasterise_doc(doc: Doc, rng: random.Random, render_kind: str) -> list[PageOut]:
    """Every random choice of the document's pages is drawn here, in page order; a page's scan or
    photo pixels are made only when its file is encoded (a bundle written in part skips them)."""
    outs = []
    rot_doc = rng.random() < 0.07  # whole document fed sideways / upside down
    scan_dpi = rng.choice([150, 200, 200, 200, 300])  # one scanner setting per document
    for i in range(doc.n_pages):
        page = doc.pdf[i]
        if render_kind == "born_digital":
            outs.append(PageOut(doc, i, "born_digital"))
            continue
        dpi = scan_dpi if render_kind == "scan" else 150
        size = render.raster_shape(page, dpi)  # the page is rasterised only if its file is made
        S = np.diag([dpi / 72, dpi / 72, 1.0])
        if render_kind == "scan":
            finish, M = render.plan_scan(*size, rng, dpi)
            shape, out_dpi = size, dpi
        else:
            finish, M = render.plan_photo(*size, rng)
            shape, out_dpi = render.photo_shape(*size), 72
        rot = 0
        if rot_doc or rng.random() < 0.03:
            rot = rng.choice([90, 180, 270]) if render_kind == "scan" else rng.choice([90, 270])
            M = render.rotation_matrix(*shape, rot // 90) @ M
        make = partial(_finished, finish, page, dpi, size, rot // 90)
        outs.append(PageOut(doc, i, render_kind, make, out_dpi, M @ S, rot))
    return outs


def _finished(finish: render.Finish, page: pymupdf.Page, dpi: int, size: tuple[int, int],
              quarter_turns: int) -> np.ndarray:
    img = render.rasterise(page, dpi)
    assert img.shape[:2] == size, (img.shape, size)  # the plan was drawn for this size
    return render.turn(finish(img), quarter_turns)  # (no turn: the same array back)


def page_bbox(po: PageOut, bbox):
    if po.render == "born_digital" or bbox is None:
        return bbox
    return render.map_bbox(bbox, po.M, 1.0, po.dpi / 72)


def pdf_bytes(pages: list[PageOut], rng: random.Random, pasted: dict | None = None) -> bytes:
    out = pymupdf.open()
    vector = False
    for po in pages:
        if po.render == "born_digital":
            out.insert_pdf(po.doc.pdf, from_page=po.index, to_page=po.index)
            vector = True
            continue
        jpg = render.encode(po.img, "jpeg", po.dpi, rng)
        h, w = po.img.shape[:2]
        if pasted and id(po) in pasted:  # scanned copy placed on an otherwise text page
            p = out.new_page(width=595, height=842)
            p.insert_font(fontname="h", fontbuffer=_heading_font())
            p.insert_text((60, 70), pasted[id(po)], fontname="h", fontsize=14)
            box = pymupdf.Rect(60, 95, 535, 800)
            s = min(box.width / w, box.height / h)
            rect = pymupdf.Rect(box.x0, box.y0, box.x0 + w * s, box.y0 + h * s)
            p.insert_image(rect, stream=jpg)
            po.extra["pasted"] = [rect.x0, rect.y0, s]
            vector = True
        else:
            p = out.new_page(width=w * 72 / po.dpi, height=h * 72 / po.dpi)
            p.insert_image(p.rect, stream=jpg)
    out.set_metadata(META)
    if vector:
        out.subset_fonts()
    return out.tobytes(garbage=3, deflate=True, no_new_id=True)


def _heading_font() -> bytes:
    from .fonts import face_buffer

    return face_buffer("wqy")


def pasted_bbox(po: PageOut, bbox):
    x0, y0, s = po.extra["pasted"]
    b = render.map_bbox(bbox, po.M, 1.0, 1.0)
    if b is None:
        return None
    return [
        round(x0 + b[0] * s, 1),
        round(y0 + b[1] * s, 1),
        round(x0 + b[2] * s, 1),
        round(y0 + b[3] * s, 1),
    ]
