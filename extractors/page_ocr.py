"""What every pass over a page shares: the pass list runner, OCR into page points, the page's time
budget, and running an optional look whose failure must not cost the page its text."""

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from docintake.core.datamodel import Page, TextLine, TextSource

from .normalise import normalise_text
from .ocr import OcrEngine, OcrResult

log = logging.getLogger(__name__)


class Deadline:
    """A page's time budget; optional work checks it between steps (see extractors/pages.py)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.hit = False

    def expired(self) -> bool:
        self.hit = self.hit or time.monotonic() > self.end
        return self.hit

    def note(self, page: Page) -> Page:
        if self.hit and not page.error:
            page.error = f"处理超过 {self.seconds:g} 秒，印章或图片区域等部分内容未识别"
        return page


NO_DEADLINE = Deadline(float("inf"))


def ocr_image(image: np.ndarray, engine: OcrEngine, scale: float, origin=(0.0, 0.0), crop: bool = False
              ) -> tuple[list[TextLine], OcrResult]:
    """OCR an image; boxes become points with `scale` points per pixel from `origin`. `crop`:
    part of a page image already read (see OcrEngine.read)."""
    result = engine.read(image, crop=True) if crop else engine.read(image)
    ox, oy = origin
    lines = []
    for line in result.lines:
        text = normalise_text(line.text)
        if text:
            x0, y0, x1, y1 = line.box
            bbox = (ox + x0 * scale, oy + y0 * scale, ox + x1 * scale, oy + y1 * scale)
            lines.append(TextLine(text=text, bbox=bbox, confidence=line.confidence,
                                  source=TextSource.ocr, size=(y1 - y0) * scale))
    return lines, result


def optional(step, args: tuple, fallback, page: Page):
    """Run an extra look at a page (signatures, seals): its failure must not cost the page its
    text, so it is noted on the page and the page goes on without it."""
    try:
        return step(*args)
    except Exception as exc:
        log.warning("%s failed on %s p.%d: %s", step.__name__, page.source, page.page, exc)
        return fallback


@dataclass(frozen=True)
class PagePass:
    """One named pass over a page; `able(work)` says whether it runs on this page."""

    run: Callable[[Any], None]
    able: Callable[[Any], bool] = lambda work: True

    @property
    def name(self) -> str:
        return self.run.__name__


def run_passes(passes: Sequence[PagePass], work: Any, page: Page) -> None:
    """Each pass able to run, in order; its seconds add up in page.timings."""
    for step in passes:
        if step.able(work):
            start = time.perf_counter()
            step.run(work)
            page.timings[step.name] = page.timings.get(step.name, 0.0) + time.perf_counter() - start
