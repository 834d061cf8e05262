"""Closed vocabularies of the outside contract (../shared/spec/contract.md).

Their Chinese names are in docintake/core/vocab.yaml (docintake.core.vocabulary)."""

from enum import StrEnum


class DocType(StrEnum):
    application_form = "application_form"
    business_licence = "business_licence"
    legal_rep_id = "legal_rep_id"
    tax_certificate = "tax_certificate"
    contract = "contract"
    invoice = "invoice"
    payment_proof = "payment_proof"
    usage_statement = "usage_statement"
    cac_filing = "cac_filing"
    security_assessment = "security_assessment"
    audit_report = "audit_report"
    credit_report = "credit_report"
    commitment_letter = "commitment_letter"
    bank_account_info = "bank_account_info"
    implementation_plan = "implementation_plan"
    acceptance_report = "acceptance_report"
    statistics_report = "statistics_report"
    employment_proof = "employment_proof"
    other = "other"


class SealKind(StrEnum):
    """What a seal found on a page is (Seal.kind; a checklist's `seals` ask for some of them)."""

    company_seal = "company_seal"
    contract_seal = "contract_seal"
    invoice_seal = "invoice_seal"
    finance_seal = "finance_seal"
    tax_authority_seal = "tax_authority_seal"
    registration_authority_seal = "registration_authority_seal"
    bank_seal = "bank_seal"
    supervision_seal = "supervision_seal"  # 全国统一发票监制章, printed on paper invoices
    paging_seal = "paging_seal"  # 骑缝章
    personal_seal = "personal_seal"  # a square name seal
    provider_seal = "provider_seal"  # asked for by checklists: the provider's seal of any kind
    unknown_seal = "unknown_seal"  # not read


class FindingCode(StrEnum):
    MATERIAL_MISSING = "MATERIAL_MISSING"
    SEAL_MISSING = "SEAL_MISSING"
    SIGNATURE_MISSING = "SIGNATURE_MISSING"
    DATE_OUT_OF_WINDOW = "DATE_OUT_OF_WINDOW"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    AMOUNT_BELOW_MINIMUM = "AMOUNT_BELOW_MINIMUM"
    NAME_MISMATCH = "NAME_MISMATCH"
    USCC_INVALID = "USCC_INVALID"
    USCC_MISMATCH = "USCC_MISMATCH"
    RELATED_PARTY = "RELATED_PARTY"
    FILING_MISSING = "FILING_MISSING"
    INDUSTRY_INELIGIBLE = "INDUSTRY_INELIGIBLE"
    LICENCE_EXPIRED = "LICENCE_EXPIRED"
    DUPLICATE_SUBMISSION = "DUPLICATE_SUBMISSION"
    DOCUMENT_UNREADABLE = "DOCUMENT_UNREADABLE"
    FIELD_UNREADABLE = "FIELD_UNREADABLE"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Verdict(StrEnum):
    pass_ = "pass"
    needs_review = "needs_review"
    fail = "fail"


class TextSource(StrEnum):
    """Where a page's (or document's) text came from."""

    text_layer = "text_layer"  # born-digital text with coordinates
    ocr = "ocr"  # the whole page was OCRed
    mixed = "mixed"  # text layer plus OCR of image regions (or pages of both kinds)
    none = "none"  # nothing could be read


class SignatureStatus(StrEnum):
    """An electronic original's digital signature, checked offline."""

    valid = "valid"
    invalid = "invalid"  # the file changed after it was signed
    unchecked = "unchecked"  # an algorithm or form we cannot check: information, never a failure
