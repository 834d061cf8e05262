"""ID-card and mobile numbers never leave the tool whole: every string of a report is masked
(ID: first 6, last 4; mobile: first 3, last 4). Account numbers are masked in logs only: a report
must keep invoice numbers, which look the same."""

from typing import Any

from docintake.core.datamodel import Report
from docintake.core.idnumbers import mask_ids_in_text
from docintake.core.logmask import mask_phones


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phones(mask_ids_in_text(value))
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_mask(v) for v in value)
    return value


def mask_report(report: Report) -> Report:
    """A copy of the report with every ID-number-shaped run masked, wherever it was read."""
    return Report.model_validate(_mask(report.model_dump(mode="python")))
