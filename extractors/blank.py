"""Blank and near-blank pages, found before OCR: a page with hardly any ink costs a render at most.

Ink is a pixel clearly darker than the paper (the page's median), so a grey or yellowed scan of an
empty sheet is still blank; a few dust specks or a lone page number keep it "near-blank". A seal
or a signature alone is ink enough (a red ring is far darker than paper in grey).

A glance comes first: the page at a quarter of the reading size (a sixteenth of the pixels, and a
JPEG or a scan's image decoded at that scale is cheap). A sheet without one faint mark there is
blank without the full render; any other page is rendered and judged by `is_blank` as before.
"""

import numpy as np
import pymupdf

INK_BELOW_PAPER = 80  # grey levels under the paper's median that count as ink
BLANK_INK_SHARE = 0.0002  # of the page's pixels (~560 px of a 2000 x 1414 render)
_STEP = 2  # every other pixel each way: a quarter of the work, same share


# The grey level of each sum of a pixel's three channels, as numpy's mean over them computes it
# (float64), and of a grey pixel (float32): ink_share counts through a histogram of these.
_LEVELS = {3: np.arange(766) / 3.0, 1: np.arange(256, dtype=np.float32)}


def ink_share(bgr: np.ndarray) -> float:
    """Share of pixels that are ink, on a subsampled grey image: those darker than the paper (the
    median grey) by INK_BELOW_PAPER. Counted on a histogram of channel sums: the same share as
    comparing each pixel's float mean, in a seventh of the time (~4 ms a page)."""
    small = bgr[::_STEP, ::_STEP]
    if small.ndim == 3:
        total = small[..., 0].astype(np.uint16)
        total += small[..., 1]
        total += small[..., 2]
        levels = _LEVELS[3]
    else:
        total, levels = small, _LEVELS[1]
    if total.size == 0:
        return 0.0
    hist = np.bincount(total.ravel(), minlength=len(levels))
    below = np.cumsum(hist)
    middle = total.size // 2  # the median: the middle pixel, or the mean of the middle two
    paper = levels[np.searchsorted(below, middle, side="right")]
    if total.size % 2 == 0:
        paper = (levels[np.searchsorted(below, middle - 1, side="right")] + paper) / 2
    return float(hist[levels < float(paper) - INK_BELOW_PAPER].sum()) / total.size


LIGHT_PAPER = 128  # an all-dark page (a black scan, a photo of nothing) is unreadable, not blank


def is_blank(bgr: np.ndarray) -> bool:
    small = bgr[::_STEP * 4, ::_STEP * 4]
    return float(np.median(small)) >= LIGHT_PAPER and ink_share(bgr) < BLANK_INK_SHARE


def empty_pdf_page(pdf_page: pymupdf.Page, has_images: bool) -> bool:
    """Nothing drawn at all (no text, images or vector paths): blank without rendering."""
    return not has_images and not pdf_page.get_text("text").strip() and not pdf_page.get_drawings()


GLANCE_SHRINK = 4  # a glance is the page at a quarter of the reading size (settings.ocr_long_side)
# Grey levels under paper, on the darkest channel, that a glance takes for a mark. At a quarter scale
# each pixel averages a 4 x 4 block: a stroke one pixel wide of the faintest ink is_blank counts (80
# under paper) still shows 20 under paper, while scanner noise averages out (sigma 6 -> 1.5).
FAINT_MARK = 16
GLANCE_SPECKS = 8  # dust: is_blank needs ~560 ink pixels, which cover 35 glance pixels or more


def surely_blank(glance: np.ndarray) -> bool:
    """Light paper and at most a few specks at a glance: is_blank would say blank too.

    The darkest channel makes a faded red seal or blue pen a mark even where its grey is light;
    a glance that is not sure says nothing, and the page is looked at in full.
    """
    grey = glance if glance.ndim == 2 else np.minimum(np.minimum(glance[..., 0], glance[..., 1]),
                                                      glance[..., 2])
    if grey.size == 0:
        return False
    counts = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    paper = int(np.searchsorted(counts, grey.size / 2))  # the median grey level
    return paper >= LIGHT_PAPER and int(counts[max(paper - FAINT_MARK - 1, 0)]) <= GLANCE_SPECKS
