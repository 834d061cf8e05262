"""What every check reads: the extracted documents, indexed, and the applicant they must agree with.

Checks are pure functions `check(ctx) -> list[Finding]`; this module only gathers and looks up.
A field read below CONFIDENT is not trusted: checks report FIELD_UNREADABLE instead of guessing.
"""

from dataclasses import dataclass, field
from datetime import date

from docintake.core.datamodel import (
    DocType,
    DocumentReport,
    ExtractedField,
    FilingCheck,
    Finding,
    FindingCode,
    Severity,
    SourceFileReport,
)
from docintake.core.vocabulary import DOC_TYPE_ZH, field_in_messages
from docintake.extractors import values

from .checklist import Checklist
from .registry import Registry

CONFIDENT = 0.8  # below this an OCR reading is a guess (printed and QR readings that disagree get 0.3)
# Two-party materials: the fields of the first party (甲方, customer) and the second (乙方, provider)
# as printed. Which of them is the applicant is decided by identity (CheckContext.party_field).
TWO_PARTIES: dict[DocType, tuple[str, str]] = {
    DocType.contract: ("party_a", "party_b"),
    DocType.acceptance_report: ("customer_name", "provider_name"),
    DocType.usage_statement: ("customer_name", "provider_name"),
}
PARTY_CODES = {"party_a": "party_a_uscc", "party_b": "party_b_uscc"}

def zh_field(name: str) -> str:
    """A field as messages word it (the vocabulary's `in_messages` where that differs)."""
    return field_in_messages(name)


def doc_label(doc: DocumentReport) -> str:
    """How a reviewer finds a document: 《发票》（文件 a.pdf 第 3 页）."""
    pages = "、".join(map(str, doc.pages)) or "?"
    return f"{DOC_TYPE_ZH[doc.doc_type]}（文件「{doc.source}」第 {pages} 页）"


def finding(code: FindingCode, message: str, doc: DocumentReport | None = None, field: str | None = None,
            severity: Severity = Severity.error, expected=None, found=None,
            doc_type: DocType | None = None) -> Finding:
    """A finding with its evidence: the document, and the page of the field when there is one."""
    page = None
    if doc is not None:
        got = doc.fields.get(field) if field else None
        page = got.page if got else (doc.pages[0] if doc.pages else None)
    return Finding(
        code=code, severity=severity, message=message,
        document=doc.id if doc else None, doc_type=doc.doc_type if doc else doc_type,
        page=page, field=field, source=(doc.fields[field].source if doc and field in doc.fields
                                        else doc.source if doc else None),
        expected=None if expected is None else str(expected), found=None if found is None else str(found),
    )


@dataclass
class LicenceHolder:
    name: str | None = None
    uscc: str | None = None
    licence: DocumentReport | None = None


@dataclass
class CheckContext:
    checklist: Checklist
    documents: list[DocumentReport]
    files: list[SourceFileReport] = field(default_factory=list)
    applicant: LicenceHolder = field(default_factory=LicenceHolder)
    unreadable: dict[tuple[str, str], Finding] = field(default_factory=dict)
    registry: Registry | None = None  # the CAC filing registry; None: no registry check
    filing_checks: list[FilingCheck] = field(default_factory=list)  # its evidence, per number

    def of(self, *types: DocType) -> list[DocumentReport]:
        return [d for d in self.documents if d.doc_type in types]

    # --- reading fields -------------------------------------------------------------------------

    def field(self, doc: DocumentReport, name: str) -> ExtractedField | None:
        """The field if it was read with confidence. A QR reading (second, independent) wins over
        a printed value that disagrees with it."""
        qr = doc.fields.get(f"qr_{name}")
        got = doc.fields.get(name)
        if qr is not None and (got is None or got.confidence < CONFIDENT):
            return qr
        if got is None or got.value in (None, "") or got.confidence < CONFIDENT:
            return None
        return got

    def need(self, doc: DocumentReport, name: str, why: str):
        """The value a check needs; when it is missing or unsure, note FIELD_UNREADABLE once."""
        got = self.field(doc, name)
        if got is not None:
            return got.value
        key = (doc.id, name)
        if key not in self.unreadable:
            raw = doc.fields.get(name)
            seen = f"识别结果「{raw.value}」置信度 {raw.confidence:.2f}" if raw else "未识别到"
            self.unreadable[key] = finding(
                FindingCode.FIELD_UNREADABLE, severity=Severity.warning, doc=doc, field=name,
                found=raw.value if raw else None,
                message=f"{doc_label(doc)}的「{zh_field(name)}」无法可靠识别（{seen}），"
                        f"无法完成{why}，请人工核对")
        return None

    def date(self, doc: DocumentReport, name: str, why: str) -> date | None:
        return values.parse_date(self.need(doc, name, why))

    def amount(self, doc: DocumentReport, name: str, why: str) -> float | None:
        value = self.need(doc, name, why)
        return float(value) if isinstance(value, int | float) else values.parse_amount(value)

    # --- who is who on a two-party material ------------------------------------------------------

    def party_field(self, doc: DocumentReport, role: str) -> str:
        """The field naming the applicant (role "applicant") or the provider ("provider") on a
        two-party material. By identity, never by position: many contracts make the applicant
        乙方. The printed order stands unless the second party is the applicant (by name or
        credit code) and the first is not, or the first is the one who invoices or is paid."""
        first, second = TWO_PARTIES[doc.doc_type]
        me_names = {n for n in (self.applicant.name,) if n}
        me_codes = {c for c in (self.applicant.uscc,) if c}
        paid = {values.normalise_name(str(got.value)) for kind, name in (
            (DocType.invoice, "seller_name"), (DocType.payment_proof, "payee_name"))
            for d in self.of(kind) if (got := self.field(d, name)) is not None}

        def names(key: str) -> str | None:
            got = self.field(doc, key)
            return values.normalise_name(str(got.value)) if got else None

        def is_applicant(key: str) -> bool:
            code = self.field(doc, PARTY_CODES.get(key, ""))
            return names(key) in me_names or bool(code and str(code.value).upper() in me_codes
                                                  and names(key) not in paid)

        swapped = (is_applicant(second) and not is_applicant(first)) or (
            names(first) in paid and names(second) not in paid and not is_applicant(first))
        applicant, provider = (second, first) if swapped else (first, second)
        return applicant if role == "applicant" else provider

    # --- what the bundle says about the project -------------------------------------------------

    def deployment_mode(self) -> str | None:
        """From the contract, else the application form (申报类型)."""
        for doc in self.of(DocType.contract, DocType.application_form):
            got = self.field(doc, "deployment_mode")
            if got is not None:
                return str(got.value)
        return None

    def application_date(self) -> date:
        """The date on the application form or commitment letter, else the window's first day."""
        for doc in self.of(DocType.application_form, DocType.commitment_letter):
            got = self.field(doc, "sign_date")
            day = values.parse_date(got.value) if got else None
            if day and day in self.checklist.application_window:
                return day
        return self.checklist.application_window.start


def applicant_from(documents: list[DocumentReport]) -> LicenceHolder:
    """The applicant is who the business licence says (the first licence read with a name)."""
    for doc in documents:
        if doc.doc_type == DocType.business_licence:
            name, uscc = doc.fields.get("company_name"), doc.fields.get("uscc")
            return LicenceHolder(name=values.normalise_name(name.value) if name else None,
                             uscc=str(uscc.value).upper() if uscc else None, licence=doc)
    return LicenceHolder()
