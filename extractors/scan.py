"""A scanned page or photo, read from its image by a list of named passes (SCAN_STEPS).

Each pass takes the ScanWork (the Page model being filled, the page image, the engine, the time
budget) and adds one thing. `able` says when a pass runs: the optional ones only while the page's
time budget lasts, and the second looks under seals only where they can pay off (every seal
with Settings.read_seals, else a signing block whose 签字 label or signature a seal hides).
A failing optional pass is logged and the page goes on without it (page_ocr.optional).
"""

from dataclasses import dataclass, field

import numpy as np

from docintake.core.datamodel import Page, TextLine, TextSource

from .ocr import OcrEngine, OcrResult
from .page_ocr import NO_DEADLINE, Deadline, PagePass, ocr_image, optional, run_passes
from .seals import cut_pixels, find_page_seals
from .seals.ink import is_grey
from .signatures import find_signatures
from .straighten import Straightening, rotate_quarter, straighten
from .under_seals import lines_under_seals, signing_under_seal, unsigned_by_a_seal
from .unsure_lines import reread_unsure_lines

NO_TEXT = "页面上没有可识别的文字（空白、全黑或严重模糊）"  # read fine, nothing on it


@dataclass
class ScanWork:
    """A page being read from its image; `image` is the straightened image once straightened."""

    page: Page
    image: np.ndarray
    engine: OcrEngine
    points_per_px: float
    read_seals: bool = False
    deadline: Deadline = NO_DEADLINE
    how: Straightening | None = None
    turns: int = 0
    lines: list[TextLine] = field(default_factory=list)
    result: OcrResult | None = None
    out_of_time: bool = False  # the budget was spent by the time the page's text was read


def straighten_image(work: ScanWork) -> None:
    """Perspective, quarter turns and skew of a scan or photo (OpenCV)."""
    work.image, work.how = straighten(work.image)
    work.turns = work.how.quarter_turns


def ocr_page(work: ScanWork) -> None:
    work.lines, work.result = ocr_image(work.image, work.engine, work.points_per_px)


def _mostly_vertical(lines: list[TextLine]) -> bool:
    """Most text boxes taller than wide: the page is still sideways."""
    sized = [ln for ln in lines if len(ln.text) >= 3]
    tall = sum(1 for ln in sized if (ln.bbox[3] - ln.bbox[1]) > 1.5 * (ln.bbox[2] - ln.bbox[0]))
    return len(sized) >= 3 and tall > 0.6 * len(sized)


def read_turned(work: ScanWork) -> None:
    """A sparse page can fool the layout check; the OCR boxes cannot. Turn it a quarter
    anticlockwise and read again: the direction classifier settles 90 versus 270."""
    seconds = work.result.seconds
    work.image, work.turns = rotate_quarter(work.image, 3), (work.turns + 3) % 4
    ocr_page(work)
    work.result.seconds += seconds


def fill_page(work: ScanWork) -> None:
    """The page's size, turn, skew and text as read; the image follows an upside-down reading."""
    page, result = work.page, work.result
    h, w = work.image.shape[:2]
    page.width, page.height = w * work.points_per_px, h * work.points_per_px
    page.lines = work.lines
    page.ocr_seconds = result.seconds
    page.rotation = work.turns * 90
    page.skew = work.how.skew_degrees
    page.perspective = work.how.perspective
    page.grey = is_grey(work.image)
    page.text_source = TextSource.ocr if work.lines else TextSource.none
    if result.upside_down:
        # The engine mapped its boxes to the upright page; the image must follow for seal work.
        page.rotation = (page.rotation + 180) % 360
        work.image = rotate_quarter(work.image, 2)
    if not work.lines:
        page.error = NO_TEXT
    work.out_of_time = work.deadline.expired()


def reread_unsure(work: ScanWork) -> None:
    """Lines OCR read unsurely, read again from a tighter crop (extractors/unsure_lines.py)."""
    page = work.page
    page.lines = optional(reread_unsure_lines, (work.image, page.lines, work.engine, work.points_per_px),
                          page.lines, page)


def find_seals(work: ScanWork) -> None:
    """Seals by shape and ink; their text too with Settings.read_seals."""
    page = work.page
    # Seals left unread keep their pixels, for read_party_seals to read with the bundle's firms.
    engine = work.engine if work.read_seals else None
    cut = cut_pixels if engine is None else None
    page.seals = optional(find_page_seals, (work.image, work.points_per_px, page, engine, cut), [], page)


def read_under_seals(work: ScanWork) -> None:
    """A second OCR around every seal: +30% on a scanned page with seals, so by default only
    where a signing block shows but its 签字 label does not (a seal stamped over it)."""
    page = work.page
    page.lines = optional(lines_under_seals, (work.image, page, work.engine, work.points_per_px,
                                              work.deadline), page.lines, page)


def find_hand_signatures(work: ScanWork) -> None:
    """After the seal reading: it may recover a 签字 label a seal covers. ~2-10 ms with a label."""
    page = work.page
    page.signatures, page.signature_labels = optional(find_signatures, (work.image, work.points_per_px, page),
                                                      ([], []), page)


def read_unsigned_under_seals(work: ScanWork) -> None:
    """A label with no hand found beside it, a seal stamped there: the name written under the
    red ink may read once the ink is whitened (本人签学: | 闫艳雨); its signature is looked for again."""
    page = work.page
    read_under_seals(work)
    page.signatures, page.signature_labels = optional(
        find_signatures, (work.image, work.points_per_px, page), (page.signatures, page.signature_labels),
        page)


def _in_time(work: ScanWork) -> bool:
    return not work.out_of_time


# The deadline is asked last in each condition, as it is only asked where a pass would run.
SCAN_STEPS = [
    PagePass(straighten_image),
    PagePass(ocr_page),
    PagePass(read_turned, lambda w: _mostly_vertical(w.lines) and not w.deadline.expired()),
    PagePass(fill_page),
    PagePass(reread_unsure, _in_time),
    PagePass(find_seals, _in_time),
    PagePass(read_under_seals, lambda w: _in_time(w) and (w.read_seals or signing_under_seal(w.page))
             and not w.deadline.expired()),
    PagePass(find_hand_signatures, _in_time),
    PagePass(read_unsigned_under_seals, lambda w: _in_time(w) and not w.page.under_seals_read
             and unsigned_by_a_seal(w.page) and not w.deadline.expired()),
]


def read_scan(image: np.ndarray, engine: OcrEngine, points_per_px: float, page: Page,
              read_seals: bool = False, deadline: Deadline = NO_DEADLINE) -> Page:
    """Run SCAN_STEPS on a page image and fill `page` (whose size follows the straightened image)."""
    run_passes(SCAN_STEPS, ScanWork(page, image, engine, points_per_px, read_seals, deadline), page)
    return page
