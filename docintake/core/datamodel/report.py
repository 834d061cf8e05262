"""The JSON report of the outside contract. Fields named in contract.md are never renamed."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from .filings import FilingCheck
from .vocab import DocType, FindingCode, Severity, SignatureStatus, TextSource, Verdict

BBox = tuple[float, float, float, float]  # PDF points of the page, origin top-left


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExtractedField(_Model):
    value: str | float | int | None
    page: int  # within `source`
    bbox: BBox | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    source: str | None = None  # extension: the file, for documents spanning files
    # extension: what OCR read, when the value is a name the bundle knows that the ink supports
    # as well (one character read wrong; extractors.known_names)
    read_as: str | None = None


class Seal(_Model):
    page: int
    kind: str  # company_seal, contract_seal, ..., paging_seal; unknown_seal when not read
    text: str = ""
    bbox: BBox | None = None
    # Extensions
    source: str | None = None  # the file, for documents spanning files
    shape: str | None = None  # round | oval | square | slice
    owner: str | None = None
    confidence: float | None = None
    # The seal's pixels as the page's reading saw them (extractors.seals.SealPixels), kept in
    # memory only: its arc is read once the bundle's firms are known, without rendering and
    # straightening the page again. Never serialised; a reading from the page cache has none.
    _pixels: Any = PrivateAttr(default=None)

    def keep_pixels(self, pixels: Any) -> None:
        self._pixels = pixels

    @property
    def pixels(self) -> Any:
        return self._pixels


class Signature(_Model):
    """A handwritten signature found next to a 签字/签名 label (an extension of the contract)."""

    page: int
    bbox: BBox | None = None
    label: str = ""  # the label it answers, e.g. 法定代表人（签字）
    source: str | None = None
    confidence: float | None = None


class ElectronicSignature(_Model):
    """An electronic original's digital signature (OFD SES, PDF), verified offline (contract)."""

    status: SignatureStatus
    signer: str | None = None  # the certificate's name (a tax bureau's 监制章, a firm)
    note: str | None = None  # why invalid or unchecked (Chinese)
    source: str | None = None  # extension: the signed file


class FieldConflict(_Model):
    """Extension: one field two readings of the same document give differently (an invoice's
    OFD and its PDF, an OFD's page and its attached XML)."""

    field: str
    value: str | float | int | None
    source: str
    other_value: str | float | int | None
    other_source: str


class PageRef(_Model):
    """One page of a document: a file of the bundle and a 1-based page in it."""

    source: str
    page: int


class PageInfo(_Model):
    """How one page of a document was read (an extension of the contract)."""

    source: str
    page: int
    text_source: TextSource
    width: float  # points
    height: float
    rotation: int = 0  # clockwise degrees applied to straighten the page image
    skew: float = 0.0
    perspective: bool = False
    ocr_confidence: float | None = None
    chars: int = 0
    grey: bool = False  # a black-and-white scan: red seals cannot be told from print
    blank: bool = False  # (near-)blank: hardly any ink, found before OCR and not read
    title: str | None = None  # the title line the classifier relied on, if any
    doc_type_score: float = 0.0
    # the classifier's weight for each type the page's text supports (top four), so a check can
    # tell a missing material from one that may sit in a document of unsure type
    type_support: dict[str, float] = Field(default_factory=dict)


class DocumentReport(_Model):
    id: str
    source: str  # the file holding the document's first page
    pages: list[int]  # pages of `source` that belong to the document
    doc_type: DocType
    text_source: TextSource
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    seals: list[Seal] = Field(default_factory=list)
    # Extension: every page in reading order, across files (a contract scanned one page per JPEG).
    parts: list[PageRef] = Field(default_factory=list)
    page_info: list[PageInfo] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)
    # Pages with a signature label (签字/签名): a signature is expected there.
    signature_labels: list[Signature] = Field(default_factory=list)
    # Contract: an electronic original's digital signature; every file holding the document
    # (one invoice given as PDF, OFD and XML is one document).
    signature: ElectronicSignature | None = None
    sources: list[str] = Field(default_factory=list)
    # Extension: fields its files (or an OFD's page and attached XML) give differently
    conflicts: list[FieldConflict] = Field(default_factory=list)

    def on_right_half(self, seal: Seal) -> bool:
        """Whether a seal sits on the right half of its page, where 乙方 signs a contract."""
        width = next((i.width for i in self.page_info if i.page == seal.page
                      and (seal.source is None or i.source == seal.source)), 595.0)
        return seal.bbox is not None and (seal.bbox[0] + seal.bbox[2]) / 2 >= width / 2


class Finding(_Model):
    code: FindingCode
    severity: Severity
    message: str
    document: str | None = None
    doc_type: DocType | None = None
    page: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    source: str | None = None  # extension: the file the finding points at


class Subsidy(_Model):
    basis: float | None = None
    rate: float | None = None
    cap: float | None = None
    amount: float | None = None
    payable: float | None = None
    currency: str = "CNY"
    notes: list[str] = Field(default_factory=list)


class Applicant(_Model):
    name: str | None = None
    uscc: str | None = None


class SourceFileReport(_Model):
    """Extension: every file of the bundle, readable or not."""

    name: str
    sha256: str
    size: int
    format: str
    pages: int = 0
    error: str | None = None


class Report(_Model):
    schema_version: int = 1
    programme: str
    bundle: str
    bundle_sha256: str
    applicant: Applicant = Field(default_factory=Applicant)
    documents: list[DocumentReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    subsidy: Subsidy = Field(default_factory=Subsidy)
    verdict: Verdict
    # Extensions
    files: list[SourceFileReport] = Field(default_factory=list)
    generated_at: str | None = None
    tool_version: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    # each filing number checked against the CAC registry, with its evidence
    filing_checks: list[FilingCheck] = Field(default_factory=list)
