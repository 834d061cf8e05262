"""Electronic originals: a digital signature that does not verify (the file changed after it
was signed), and a field an invoice's formats give differently (its PDF and its OFD or XML)."""

from docintake.core.datamodel import DocumentReport, FieldConflict, Finding, FindingCode, Severity
from docintake.extractors.ofd.invoice_data import UNPRINTED

from .context import CheckContext, doc_label, finding, zh_field

AMOUNTS = {"amount_excl_tax", "tax_amount", "total_amount", "total_amount_upper"}


def _shown(value) -> str:
    return f"{value:,.2f} 元" if isinstance(value, float) else str(value)


def signature_invalid_findings(ctx: CheckContext) -> list[Finding]:
    out = []
    for doc in ctx.documents:
        sig = doc.signature
        if sig is None or sig.status != "invalid":
            continue
        who = f"（签名人：{sig.signer}）" if sig.signer else ""
        out.append(finding(FindingCode.SIGNATURE_INVALID,
                           f"{doc_label(doc)}的电子签名验证不通过{who}：{sig.note or '文件在签名后被修改'}；"
                           "该文件不能作为原件，请核实或要求重新提交开具方的原始文件", doc,
                           found=sig.source or doc.source))
    return out


def _conflict(doc: DocumentReport, c: FieldConflict) -> Finding:
    what = zh_field(c.field)
    message = (f"同一张发票的两份文件{what}不一致：「{c.source}」为 {_shown(c.value)}，"
               f"「{c.other_source}」为 {_shown(c.other_value)}，请核实哪一份是开具的原件")
    if c.value == UNPRINTED:
        message = (f"{doc_label(doc)}内嵌的发票数据（「{c.other_source}」）{what}为 {_shown(c.other_value)}，"
                   "页面上却没有印出这个值：页面与数据不一致，文件可能被修改，请核实开具的原件")
    if c.field in AMOUNTS:
        code, severity = FindingCode.AMOUNT_MISMATCH, Severity.error
    elif c.field.endswith("_name"):
        code, severity = FindingCode.NAME_MISMATCH, Severity.error
    elif c.field.endswith("_uscc"):
        code, severity = FindingCode.USCC_MISMATCH, Severity.error
    else:  # a date or code: no code of its own; the field cannot be trusted until a person looks
        code, severity = FindingCode.FIELD_UNREADABLE, Severity.warning
    return finding(code, message, doc, field=c.field, severity=severity, expected=c.value, found=c.other_value)


def original_findings(ctx: CheckContext) -> list[Finding]:
    return signature_invalid_findings(ctx) + [_conflict(d, c) for d in ctx.documents for c in d.conflicts]
