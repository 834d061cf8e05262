"""Pydantic models shared by every stage: the contract's report and the working bundle."""

from .bundle import Bundle, Page, PageLabel, SourceFile, TextLine
from .filings import FILING_COLUMNS, FilingCheck, FilingRow
from .report import (
    Applicant,
    BBox,
    DocumentReport,
    ExtractedField,
    Finding,
    PageInfo,
    PageRef,
    Report,
    Seal,
    Signature,
    SourceFileReport,
    Subsidy,
)
from .vocab import DocType, FindingCode, SealKind, Severity, TextSource, Verdict

__all__ = [
    "FILING_COLUMNS",
    "Applicant",
    "BBox",
    "Bundle",
    "DocType",
    "DocumentReport",
    "ExtractedField",
    "FilingCheck",
    "FilingRow",
    "Finding",
    "FindingCode",
    "Page",
    "PageInfo",
    "PageLabel",
    "PageRef",
    "Report",
    "Seal",
    "SealKind",
    "Severity",
    "Signature",
    "SourceFile",
    "SourceFileReport",
    "Subsidy",
    "TextLine",
    "TextSource",
    "Verdict",
]
