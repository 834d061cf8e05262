"""Pydantic models shared by every stage: the contract's report and the working bundle."""

from .bundle import Bundle, Page, PageLabel, SourceFile, TextLine
from .filings import FILING_COLUMNS, FilingCheck, FilingRow
from .report import (
    Applicant,
    BBox,
    DocumentReport,
    ElectronicSignature,
    ExtractedField,
    FieldConflict,
    Finding,
    PageInfo,
    PageRef,
    Report,
    Seal,
    Signature,
    SourceFileReport,
    Subsidy,
)
from .vocab import DocType, FindingCode, SealKind, Severity, SignatureStatus, TextSource, Verdict

__all__ = [
    "FILING_COLUMNS",
    "Applicant",
    "BBox",
    "Bundle",
    "DocType",
    "DocumentReport",
    "ElectronicSignature",
    "ExtractedField",
    "FieldConflict",
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
    "SignatureStatus",
    "SourceFile",
    "SourceFileReport",
    "Subsidy",
    "TextLine",
    "TextSource",
    "Verdict",
]
