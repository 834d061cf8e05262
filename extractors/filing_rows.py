"""CAC filing list printouts: each filing number's row (provider, model), and which row is the
contract provider's."""

import re
from dataclasses import dataclass

from docintake.core.datamodel import DocumentReport, ExtractedField, Page

from . import values
from .field_values import org_name
from .layout import Cell, line_centre, reading_order


@dataclass
class FilingRow:
    number: str
    provider: str | None
    model: str | None
    cell: Cell


def _wrapped_tail(cell: Cell, other: Cell) -> bool:
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    gap = other.line.bbox[1] - cell.line.bbox[3]
    return ((other.source, other.page) == (cell.source, cell.page) and -0.3 * height < gap < 0.8 * height
            and abs(other.line.bbox[0] - cell.line.bbox[0]) < 2 * height
            and re.fullmatch(r"\d{1,4}号?|号", other.text) is not None)


def filing_rows(pages: list[Page]) -> list[FilingRow]:
    """Rows of a CAC list printout: each filing number with the company and model on its row."""
    cells = reading_order(pages)
    rows = []
    for cell in cells:
        # A narrow table cell wraps the number's tail (…000 / 8, or 网信算备… / 号) onto a second line.
        tail = next((c.text for c in cells if _wrapped_tail(cell, c)), "")
        numbers = (values.find_filing_numbers(cell.text + tail) or values.find_filing_numbers(cell.text)
                   or values.find_filing_numbers(cell.text + "号"))
        if not numbers:
            continue
        row = _row_of(cells, cell)
        provider = next((n for n in (org_name(c.text) for c in row) if n), None)
        rows.append(FilingRow(numbers[0], provider, _model_in(row), cell))
    return rows


def _row_of(cells: list[Cell], cell: Cell) -> list[Cell]:
    """The other cells on `cell`'s table row, nearest first."""
    centre = line_centre(cell.line)
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    row = [c for c in cells if (c.source, c.page) == (cell.source, cell.page) and c is not cell
           and abs(line_centre(c.line) - centre) < 1.5 * height]
    return sorted(row, key=lambda c: abs(line_centre(c.line) - centre))


def _model_in(row: list[Cell]) -> str | None:
    return next((c.text for c in row if "模型" in c.text and len(c.text) <= 30), None)


def _unnumbered_row(pages: list[Page], parties: set[str]) -> FilingRow | None:
    """The provider's row of a list printout whose filing number OCR missed (text detection
    dropped the cell): the provider's name, and a model on its row."""
    cells = reading_order(pages)
    for cell in cells:
        name = org_name(cell.text)
        if name and max((values.name_similarity(name, p) for p in parties), default=0.0) >= 0.75:
            model = _model_in(_row_of(cells, cell))
            if model:
                return FilingRow("", name, model, cell)
    return None


def keep_filing_row_of(doc: DocumentReport, pages: list[Page], parties: set[str]) -> None:
    """A CAC list printout names many models: the filing that matters is the contract provider's."""
    rows = filing_rows(pages)
    if len({re.sub(r"\s", "", r.number).upper() for r in rows}) < 2:
        return  # one filing, however often a letter repeats its number, is no list
    score = lambda r: max((values.name_similarity(v, p) for v in (r.provider, r.model) if v  # noqa: E731
                           for p in parties), default=0.0)
    row = max(rows, key=score)
    if score(row) < 0.75:
        # The provider's numbered row is not among those read: what the label search found
        # belongs to another row. Its row without the number still says which model is filed;
        # without that row, nothing found can be trusted to.
        row = _unnumbered_row(pages, parties)
        unsure = ("filing_number",) if row else ("filing_number", "provider_name", "model_name")
        for name in unsure:
            if name in doc.fields:
                doc.fields[name].confidence = min(doc.fields[name].confidence, 0.5)
        if row is None:
            return
    for name, value in (("filing_number", row.number), ("provider_name", row.provider),
                        ("model_name", row.model)):
        if value:
            doc.fields[name] = ExtractedField(value=value, page=row.cell.page, bbox=row.cell.line.bbox,
                                              confidence=round(row.cell.line.confidence, 4),
                                              source=row.cell.source)
