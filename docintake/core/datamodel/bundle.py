"""The working model of a bundle: every pipeline stage reads it and adds one thing.

ingest -> files; pages -> Page.lines; classify -> Page.label; group -> documents;
validate -> findings. The contract's Report is built from it at the end.
"""

from pathlib import Path

from pydantic import BaseModel, Field

from .filings import FilingCheck
from .report import (
    BBox,
    DocumentReport,
    ElectronicSignature,
    ExtractedField,
    FieldConflict,
    Finding,
    Seal,
    Signature,
    Subsidy,
)
from .vocab import DocType, TextSource


class SourceFile(BaseModel):
    """A file of the bundle. `path` points at a readable copy (the original or a temp extract)."""

    name: str  # path relative to the bundle root, '/'-separated
    path: Path
    sha256: str
    size: int
    format: str  # pdf | jpeg | png | tiff | bmp | webp | unknown | ...
    page_count: int = 0
    error: str | None = None  # why the file cannot be read (Chinese, for the reviewer)
    error_from_reading: bool = False  # set by read_text (not ingest): a retry reads the file again


class TextLine(BaseModel):
    text: str
    bbox: BBox  # points, origin top-left of the page
    confidence: float = 1.0
    source: TextSource = TextSource.text_layer
    size: float = 0.0  # font size or line height in points: titles are large


class PageLabel(BaseModel):
    """What the classifier decided for one page."""

    doc_type: DocType
    score: float  # 0..1, how sure
    title: str | None = None  # a title line naming the doc type: this page starts a document
    part_title: bool = False  # the title names a part (资产负债表 of an audit report): may continue
    page_no: int | None = None  # "第 n 页 共 m 页" if printed
    page_total: int | None = None
    scores: dict[str, float] = Field(default_factory=dict)


class Page(BaseModel):
    source: str  # SourceFile.name
    page: int  # 1-based within the source
    width: float  # points
    height: float
    text_source: TextSource = TextSource.none
    lines: list[TextLine] = Field(default_factory=list)
    rotation: int = 0
    skew: float = 0.0
    perspective: bool = False
    grey: bool = False  # scanned without colour
    blank: bool = False  # (near-)blank: found by its ink before OCR, not read
    ocr_seconds: float = 0.0
    seconds: float = 0.0  # wall time to read the page (render, straighten, OCR or text layer)
    timings: dict[str, float] = Field(default_factory=dict)  # seconds of each pass over the page
    error: str | None = None
    label: PageLabel | None = None
    seals: list[Seal] = Field(default_factory=list)
    under_seals_read: bool = False  # the text under its seals was read again (red ink removed)
    signatures: list[Signature] = Field(default_factory=list)
    signature_labels: list[Signature] = Field(default_factory=list)
    # An electronic original's exact fields (OFD CustomTag or attached XML, XML invoice files),
    # disagreements between them, and its digital signature (first page of the file)
    exact_fields: dict[str, ExtractedField] = Field(default_factory=dict)
    field_conflicts: list[FieldConflict] = Field(default_factory=list)
    e_signature: ElectronicSignature | None = None

    def __setstate__(self, state: dict) -> None:
        # A reading cached (pickled, the flow's 30-day cache) before a field existed gets its default
        values = state.get("__dict__", {})
        for name, info in type(self).model_fields.items():
            if name not in values:
                values[name] = info.get_default(call_default_factory=True)
        super().__setstate__(state)

    def in_seal(self, box: BBox) -> bool:
        """Whether the centre of `box` lies inside a round/oval/square seal found on the page."""
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return any(s.bbox and s.shape != "slice" and s.bbox[0] <= cx <= s.bbox[2]
                   and s.bbox[1] <= cy <= s.bbox[3] for s in self.seals)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def chars(self) -> int:
        return sum(len(line.text) for line in self.lines)

    @property
    def ocr_confidence(self) -> float | None:
        ocr = [ln for ln in self.lines if ln.source == TextSource.ocr]
        if not ocr:
            return None
        weight = sum(len(ln.text) for ln in ocr) or 1
        return round(sum(ln.confidence * len(ln.text) for ln in ocr) / weight, 4)


class Bundle(BaseModel):
    name: str
    path: Path
    programme: str
    sha256: str = ""
    files: list[SourceFile] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    documents: list[DocumentReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    subsidy: Subsidy = Field(default_factory=Subsidy)
    filing_checks: list[FilingCheck] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)

    def pages_of(self, source: str) -> list[Page]:
        return [p for p in self.pages if p.source == source]
