"""Blank and near-blank pages, found before OCR: a page with hardly any ink costs a render at most.

Ink is a pixel clearly darker than the paper (the page's median), so a grey or yellowed scan of an
empty sheet is still blank; a few dust specks or a lone page number keep it "near-blank". A seal
or a signature alone is ink enough (a red ring is far darker than paper in grey).
"""

import numpy as np
import pymupdf

INK_BELOW_PAPER = 80  # grey levels under the paper's median that count as ink
BLANK_INK_SHARE = 0.0002  # of the page's pixels (~560 px of a 2000 x 1414 render)
_STEP = 2  # every other pixel each way: a quarter of the work, same share


def ink_share(bgr: np.ndarray) -> float:
    """Share of pixels that are ink, on a subsampled grey image."""
    small = bgr[::_STEP, ::_STEP]
    grey = small.mean(axis=2) if small.ndim == 3 else small.astype(np.float32)
    if grey.size == 0:
        return 0.0
    paper = float(np.median(grey))
    return float(np.count_nonzero(grey < paper - INK_BELOW_PAPER)) / grey.size


LIGHT_PAPER = 128  # an all-dark page (a black scan, a photo of nothing) is unreadable, not blank


def is_blank(bgr: np.ndarray) -> bool:
    small = bgr[::_STEP * 4, ::_STEP * 4]
    return float(np.median(small)) >= LIGHT_PAPER and ink_share(bgr) < BLANK_INK_SHARE


def empty_pdf_page(pdf_page: pymupdf.Page, has_images: bool) -> bool:
    """Nothing drawn at all (no text, images or vector paths): blank without rendering."""
    return not has_images and not pdf_page.get_text("text").strip() and not pdf_page.get_drawings()
