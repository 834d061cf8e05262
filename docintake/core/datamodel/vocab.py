"""Closed vocabularies of the outside contract (../shared/spec/contract.md)."""

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


# Chinese names for reviewer-facing messages.
DOC_TYPE_ZH: dict[DocType, str] = {
    DocType.application_form: "项目申请书/申报表",
    DocType.business_licence: "营业执照",
    DocType.legal_rep_id: "法定代表人身份证",
    DocType.tax_certificate: "完税/无欠税/纳税证明",
    DocType.contract: "模型服务合同",
    DocType.invoice: "发票",
    DocType.payment_proof: "付款凭证",
    DocType.usage_statement: "用量结算单/模型使用报告",
    DocType.cac_filing: "网信办备案证明",
    DocType.security_assessment: "等级保护测评证明",
    DocType.audit_report: "财务审计报告/财务报表",
    DocType.credit_report: "信用报告",
    DocType.commitment_letter: "承诺书",
    DocType.bank_account_info: "银行账户信息",
    DocType.implementation_plan: "项目实施方案",
    DocType.acceptance_report: "验收/交付证明",
    DocType.statistics_report: "统计报表",
    DocType.employment_proof: "劳动合同/社保缴纳凭证",
    DocType.other: "其他材料",
}


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
