"""Reading order: a page's text lines as cells, row by row from the top, left to right in a row."""

from dataclasses import dataclass

from docintake.core.datamodel import Page, TextLine

from .normalise import compact


@dataclass
class Cell:
    """A text line of a document page, in reading order."""

    source: str  # the file
    page: int  # 1-based page within the file
    line: TextLine
    text: str  # compacted


def reading_order(pages: list[Page]) -> list[Cell]:
    cells = []
    for page in pages:
        lines = sorted(page.lines, key=lambda ln: (ln.bbox[1] + ln.bbox[3]) / 2)
        rows: list[list[TextLine]] = []
        for line in lines:
            centre = (line.bbox[1] + line.bbox[3]) / 2
            height = max(line.bbox[3] - line.bbox[1], 1.0)
            if rows and abs(centre - line_centre(rows[-1][0])) < 0.5 * height:
                rows[-1].append(line)
            else:
                rows.append([line])
        for row in rows:
            cells.extend(Cell(page.source, page.page, ln, compact(ln.text))
                         for ln in _split_words_joined(sorted(row, key=lambda ln: ln.bbox[0])))
    return cells


def _split_words_joined(row: list[TextLine]) -> list[TextLine]:
    """A row's lines with one- and two-character pieces that touch joined: OCR boxes a spaced
    label (合  计) one character at a time, and no label pattern matches half of it."""
    out: list[TextLine] = []
    for line in row:
        prev = out[-1] if out else None
        height = min(line.bbox[3] - line.bbox[1], prev.bbox[3] - prev.bbox[1]) if prev else 0.0
        if (prev and len(compact(prev.text)) <= 2 and len(compact(line.text)) <= 2
                and line.bbox[0] - prev.bbox[2] < 0.3 * height):
            box = (prev.bbox[0], min(prev.bbox[1], line.bbox[1]), max(prev.bbox[2], line.bbox[2]),
                   max(prev.bbox[3], line.bbox[3]))
            out[-1] = prev.model_copy(update={"text": prev.text + line.text, "bbox": box,
                                             "confidence": min(prev.confidence, line.confidence)})
        else:
            out.append(line)
    return out


def line_centre(line: TextLine) -> float:
    """The vertical middle of a line's box."""
    return (line.bbox[1] + line.bbox[3]) / 2
