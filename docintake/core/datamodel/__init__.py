"""Pydantic models shared by every stage: the contract's report and the working bundle."""

from .bundle import Bundle, Page, PageLabel, SourceFile, TextLine
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
from .vocab import DOC_TYPE_ZH, DocType, FindingCode, Severity, TextSource, Verdict

__all__ = [
    "DOC_TYPE_ZH",
    "Applicant",
    "BBox",
    "Bundle",
    "DocType",
    "DocumentReport",
    "ExtractedField",
    "Finding",
    "FindingCode",
    "Page",
    "PageInfo",
    "PageLabel",
    "PageRef",
    "Report",
    "Seal",
    "Severity",
    "Signature",
    "SourceFile",
    "SourceFileReport",
    "Subsidy",
    "TextLine",
    "TextSource",
    "Verdict",
]
