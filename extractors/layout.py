"""Reading order: a page's text lines as cells, row by row from the top, left to right in a row."""

import re
from dataclasses import dataclass

from docintake.core.datamodel import Page, TextLine

from .normalise import compact

CJK = re.compile(r"^[\u4e00-\u9fff]$")
ROLE_ENDS = set("人方区")
SPACED_TAIL = re.compile(r"^[\u4e00-\u9fff][:：]?$")


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
        lines = sorted(_stacks_joined(page.lines), key=lambda ln: (ln.bbox[1] + ln.bbox[3]) / 2)
        rows: list[list[TextLine]] = []
        for line in lines:
            centre = (line.bbox[1] + line.bbox[3]) / 2
            height = max(line.bbox[3] - line.bbox[1], 1.0)
            # The smaller height decides: a tall line (a watermark across the page, a label
            # written down the side) must not pull a row of ordinary lines into its own.
            first = rows[-1][0] if rows else None
            if first and abs(centre - line_centre(first)) < 0.5 * min(height, first.bbox[3] - first.bbox[1]):
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
        gap = line.bbox[0] - prev.bbox[2] if prev else 0.0
        short = prev and len(compact(prev.text)) <= 2 and len(compact(line.text)) <= 2
        touching = short and gap < 0.3 * height
        # A label letter-spaced across its cell (名      称:) is two single characters far apart.
        spaced = prev and CJK.match(compact(prev.text)) and SPACED_TAIL.match(compact(line.text)) \
            and 0 <= gap < 6.0 * height and abs(line_centre(line) - line_centre(prev)) < 0.25 * height
        if touching or spaced:
            box = (prev.bbox[0], min(prev.bbox[1], line.bbox[1]), max(prev.bbox[2], line.bbox[2]),
                   max(prev.bbox[3], line.bbox[3]))
            out[-1] = prev.model_copy(update={"text": prev.text + line.text, "bbox": box,
                                             "confidence": min(prev.confidence, line.confidence)})
        else:
            out.append(line)
    return out


MAX_STACK = 6


def _stacks_joined(lines: list[TextLine]) -> list[TextLine]:
    """Characters set one above the other (a receipt's 付/款/人 down the side of its block) joined
    into one vertical label: read as separate lines, no label pattern would match them."""
    singles = [ln for ln in lines if CJK.match(compact(ln.text))]
    # A character with another beside it on its row is half of a letter-spaced word (名  称), not
    # part of a column of characters.
    singles = sorted((ln for ln in singles if not any(_beside(ln, other) for other in singles)),
                     key=lambda ln: ln.bbox[1])
    used: set[int] = set()
    joined: list[TextLine] = []
    for start in singles:
        if id(start) in used:
            continue
        stack = [start]
        for nxt in singles:
            last = stack[-1]
            size = max(last.bbox[3] - last.bbox[1], 1.0)
            if id(nxt) in used or nxt is last or nxt.bbox[1] <= last.bbox[1]:
                continue
            aligned = abs((nxt.bbox[0] + nxt.bbox[2]) - (last.bbox[0] + last.bbox[2])) / 2 < 0.5 * size
            if aligned and nxt.bbox[1] - last.bbox[3] < 1.0 * size and len(stack) < MAX_STACK:
                stack.append(nxt)
        stack = _first_word(stack)
        if len(stack) >= 2:
            used.update(id(ln) for ln in stack)
            box = (min(ln.bbox[0] for ln in stack), stack[0].bbox[1], max(ln.bbox[2] for ln in stack),
                   stack[-1].bbox[3])
            joined.append(start.model_copy(update={"text": "".join(compact(ln.text) for ln in stack),
                                                    "bbox": box,
                                                    "confidence": min(ln.confidence for ln in stack)}))
    return [ln for ln in lines if id(ln) not in used] + joined


def _first_word(stack: list[TextLine]) -> list[TextLine]:
    """A column of characters down a receipt's side runs 付款人 into 收款人 at even spacing: the
    label ends with its role character (人, 方) or a block's (区)."""
    for k, line in enumerate(stack[1:], start=2):
        if compact(line.text) in ROLE_ENDS:
            return stack[:k]
    return stack


def _beside(line: TextLine, other: TextLine) -> bool:
    height = max(line.bbox[3] - line.bbox[1], 1.0)
    gap = max(other.bbox[0] - line.bbox[2], line.bbox[0] - other.bbox[2])
    same_row = abs(line_centre(line) - line_centre(other)) < 0.25 * height
    return other is not line and same_row and gap < 6 * height


def is_vertical(line: TextLine) -> bool:
    """A label written top to bottom (one column of characters): taller than wide."""
    width, height = line.bbox[2] - line.bbox[0], line.bbox[3] - line.bbox[1]
    return len(compact(line.text)) >= 2 and height > 1.6 * width


def line_centre(line: TextLine) -> float:
    """The vertical middle of a line's box."""
    return (line.bbox[1] + line.bbox[3]) / 2
