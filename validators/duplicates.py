"""DUPLICATE_SUBMISSION: an invoice or contract of this bundle already used in another submission.

Pure functions: the keys a report claims, and the findings against earlier records. The history
store (docintake.history) persists the records; the policies forbid 多头申报, so records of every
programme count, not only this bundle's.
"""

import re

from pydantic import BaseModel, Field

from docintake.core.datamodel import DocType, Finding, FindingCode, Report, Severity


class ClaimKey(BaseModel):
    kind: str  # invoice | contract
    key: str  # normalised identity, compared across bundles
    document: str  # document id in its report
    label: str  # what the reviewer reads: 发票号码 …, 合同（甲方 … 乙方 …）


class SubmissionRecord(BaseModel):
    """One checked bundle as the history store keeps it."""

    bundle_sha256: str
    bundle: str
    programme: str
    applicant_uscc: str | None = None
    applicant_name: str | None = None
    checked_at: str  # ISO 8601, UTC
    keys: list[ClaimKey] = Field(default_factory=list)


def _norm(value) -> str:
    return re.sub(r"\s+", "", str(value)).upper()


def _value(doc, name: str):
    field = doc.fields.get(name)
    return field.value if field is not None and field.value not in (None, "") else None


def claim_keys(report: Report) -> list[ClaimKey]:
    keys = []
    for doc in report.documents:
        if doc.doc_type == DocType.invoice and (number := _value(doc, "invoice_number")):
            # A paper invoice's number is only unique together with its code; 数电 numbers are unique.
            code = _value(doc, "invoice_code")
            key = f"{_norm(code)}:{_norm(number)}" if code else _norm(number)
            label = f"发票代码 {code} 号码 {number}" if code else f"发票号码 {number}"
            keys.append(ClaimKey(kind="invoice", key=key, document=doc.id, label=label))
        elif doc.doc_type == DocType.contract:
            # Contracts carry no number the checks can rely on (the printed 合同编号 is the parties'
            # own and often absent), so a contract is who signed it with whom, for how much, when.
            # All four must be read: a partial key would join different contracts of the same parties.
            parts = [_value(doc, k) for k in ("party_a", "party_b", "contract_amount", "sign_date")]
            if all(p is not None for p in parts):
                a, b, amount, signed = parts
                key = "|".join([_norm(a), _norm(b), f"{float(amount):.2f}", _norm(signed)])
                label = f"合同（甲方 {a}，乙方 {b}，金额 {float(amount):,.2f} 元，签订日期 {signed}）"
                keys.append(ClaimKey(kind="contract", key=key, document=doc.id, label=label))
    return keys


def duplicate_findings(report: Report, earlier_records: list[SubmissionRecord]) -> list[Finding]:
    """One finding per claim of this report that another submission (another bundle_sha256) made.

    Another programme is 多头申报 (error). The same applicant in the same programme is most often a
    corrected re-submission, so it is a warning for the reviewer to withdraw one of the two.
    """
    docs = {d.id: d for d in report.documents}
    findings = []
    for claim in claim_keys(report):
        for other in earlier_records:
            if other.bundle_sha256 == report.bundle_sha256:
                continue  # re-checking the same bundle never flags itself
            if not any(k.kind == claim.kind and k.key == claim.key for k in other.keys):
                continue
            same_programme = other.programme == report.programme
            resubmission = same_programme and other.applicant_uscc and \
                other.applicant_uscc == report.applicant.uscc
            where = "本项目" if same_programme else f"项目 {other.programme} "
            note = "，可能为补正后重新提交，请确认已撤回前次申报" if resubmission else \
                ("，属重复申报" if same_programme else "，涉嫌多头申报")
            findings.append(Finding(
                code=FindingCode.DUPLICATE_SUBMISSION,
                severity=Severity.warning if resubmission else Severity.error,
                document=claim.document,
                doc_type=docs[claim.document].doc_type,
                field="invoice_number" if claim.kind == "invoice" else None,
                found=claim.key,
                expected=f"{other.programme}/{other.bundle}",
                message=f"{claim.label} 已用于{where}的材料包「{other.bundle}」"
                        f"（{other.checked_at[:10]} 核查）{note}",
                source=docs[claim.document].source,
            ))
    return findings
