"""A second reading of the lines OCR was unsure of, by the recogniser alone.

Text detection sometimes hands the recogniser a poor crop of a line (a narrow table cell's
filing number came out as 网8081号 at 0.51); the same line's box, cut from the page with a small
margin and read by the recogniser alone, reads 网信算备818315500859883012911号 at 0.99. One
batched recogniser call per page, only for unsure lines: ~20-60 ms on a page that has any.
"""

import numpy as np

from docintake.core.datamodel import TextLine

from .line_images import line_image
from .normalise import normalise_text
from .ocr import OcrEngine, recognise_crops

UNSURE_LINE = 0.75  # lines read less surely than this are read again
BETTER_BY = 0.1  # the second reading replaces the first when this much surer ...
SURE_ENOUGH = 0.8  # ... and at least this sure


def reread_unsure_lines(image: np.ndarray, lines: list[TextLine], engine: OcrEngine,
                        points_per_px: float) -> list[TextLine]:
    """`lines` with each unsure, horizontal line replaced by its second reading where that is
    clearly surer. `image` is the page the lines were read from (points_per_px points per pixel)."""
    picked, crops = [], []
    for i, line in enumerate(lines):
        x0, y0, x1, y1 = (v / points_per_px for v in line.bbox)
        height = y1 - y0
        if line.confidence >= UNSURE_LINE or height < 6 or x1 - x0 < 1.5 * height:
            continue  # sure, a speck, or vertical text the recogniser would read sideways
        picked.append(i)
        crops.append(line_image(image, line.bbox, points_per_px))
    if not crops:
        return lines
    out = list(lines)
    for i, (text, score) in zip(picked, recognise_crops(engine, crops), strict=True):
        text = normalise_text(text)
        if text and score >= SURE_ENOUGH and score >= lines[i].confidence + BETTER_BY:
            out[i] = lines[i].model_copy(update={"text": text, "confidence": round(score, 4)})
    return out
