"""The one OCR interface. Engines are plugins: each turns an image into text lines."""

from typing import Protocol

import numpy as np
from pydantic import BaseModel


class OcrLine(BaseModel):
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the input image
    confidence: float


class OcrResult(BaseModel):
    lines: list[OcrLine]
    upside_down: bool = False  # the page was upside down: its lines were read turned, boxes mapped back
    seconds: float = 0.0


class OcrEngine(Protocol):
    name: str

    def read(self, image: np.ndarray, crop: bool = False) -> OcrResult:
        """OCR a BGR (or grey) page image. Must not download anything. `crop`: the image is a
        part of a page already read at this scale (text under a seal read again), so text
        detection need not enlarge it as it does small images (its cost grows with the area)."""
        ...

    def recognise(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        """(text, confidence) of each single-line BGR image, by the recogniser alone: no text
        detection to split or drop a line (a seal's unwarped arc, one table cell read again)."""
        ...


def recognise_crops(engine: OcrEngine, images: list[np.ndarray]) -> list[tuple[str, float]]:
    """engine.recognise(images), for engines written before recognise() was in the interface too."""
    rec = getattr(engine, "recognise", None)
    return rec(images) if rec else recognise_by_reading(engine, images)


def recognise_by_reading(engine: OcrEngine, images: list[np.ndarray]) -> list[tuple[str, float]]:
    """recognise() for an engine without a separate recogniser: a full read of each image, its
    lines joined left to right, as sure as its least sure line."""
    out = []
    for image in images:
        lines = sorted(engine.read(image).lines, key=lambda ln: ln.box[0])
        out.append(("".join(ln.text for ln in lines), min((ln.confidence for ln in lines), default=0.0)))
    return out


class OcrUnavailable(RuntimeError):
    """The engine cannot run here (package or model files missing)."""


def quad_to_box(quad) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def line_posteriors(engine: OcrEngine, images: list[np.ndarray]) -> list | None:
    """engine.posteriors(images): a CTC recogniser's per-frame class probabilities for each
    single-line BGR image (extractors.ocr.lexicon.LinePosteriors), or None for an engine that does
    not expose them (seal owners then compare the text read; names one character off stay as read)."""
    get = getattr(engine, "posteriors", None)
    return get(images) if get else None
