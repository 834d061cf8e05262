"""AMOUNT_MISMATCH and AMOUNT_BELOW_MINIMUM: the amounts that must agree, and the floors.

Totals are compared only when every document in them was read with confidence: a sum that
silently skips an unreadable invoice would report a mismatch that is not there.
"""

from docintake.core.datamodel import DocType, DocumentReport, Finding, FindingCode
from docintake.extractors import values

from .context import CheckContext, doc_label, finding


def _yuan(x: float) -> str:
    return f"{x:,.2f} 元"


def _total(ctx: CheckContext, docs: list[DocumentReport], name: str, why: str) -> float | None:
    amounts = [ctx.amount(d, name, why) for d in docs]
    return round(sum(amounts), 2) if docs and None not in amounts else None


def _fen(x: float) -> int:
    return round(x * 100)


def _exceeds(ctx: CheckContext, a: float, b: float) -> bool:
    """a is more than b, to the fen: compared in whole fen, as floats put 0.01 on either side of a
    one-fen gap; a gap counts once it reaches the checklist's tolerance (0.01: any fen)."""
    gap = _fen(a) - _fen(b)
    return gap > 0 and gap >= _fen(ctx.checklist.amount_tolerance)


def _differ(ctx: CheckContext, a: float, b: float) -> bool:
    return _exceeds(ctx, a, b) or _exceeds(ctx, b, a)


def _labels(docs: list[DocumentReport]) -> str:
    """Where the documents are: 文件「a.pdf」第 1 页、文件「b.pdf」第 2 页."""
    return "、".join(f"文件「{d.source}」第 {'、'.join(map(str, d.pages))} 页" for d in docs)


def invoice_upper(ctx: CheckContext) -> list[Finding]:
    findings = []
    for doc in ctx.of(DocType.invoice):
        total = ctx.amount(doc, "total_amount", "大写金额核对")
        upper = ctx.need(doc, "total_amount_upper", "大写金额核对")
        if total is None or upper is None or values.upper_matches(upper, total) is not False:
            continue
        said = values.parse_upper_amount(upper)
        findings.append(finding(
            FindingCode.AMOUNT_MISMATCH, doc=doc, field="total_amount_upper", expected=values.upper_amount(total),
            found=upper,
            message=f"{doc_label(doc)}价税合计大写「{upper}」（即 {_yuan(said)}）与小写金额 {_yuan(total)} 不一致"))
    return findings


def invoices_vs_contract(ctx: CheckContext) -> list[Finding]:
    invoices, contracts = ctx.of(DocType.invoice), ctx.of(DocType.contract)
    invoiced = _total(ctx, invoices, "total_amount", "发票与合同金额核对")
    agreed = _total(ctx, contracts, "contract_amount", "发票与合同金额核对")
    if invoiced is None or agreed is None or not _exceeds(ctx, invoiced, agreed):
        return []
    return [finding(
        FindingCode.AMOUNT_MISMATCH, doc=invoices[0], field="total_amount", expected=f"<={agreed:.2f}",
        found=f"{invoiced:.2f}",
        message=f"{len(invoices)} 张发票（{_labels(invoices)}）价税合计 {_yuan(invoiced)}，超过合同金额 {_yuan(agreed)}"
                f"（{doc_label(contracts[0])}），超出 {_yuan(invoiced - agreed)}")]


def _agrees_with_invoices(ctx: CheckContext, docs: list[DocumentReport], field: str, what: str,
                          why: str) -> list[Finding]:
    """The total of `docs` must equal the invoices' total to the fen (payments, usage statements)."""
    invoices = ctx.of(DocType.invoice)
    total = _total(ctx, docs, field, why)
    invoiced = _total(ctx, invoices, "total_amount", why)
    if total is None or invoiced is None or not _differ(ctx, total, invoiced):
        return []
    return [finding(
        FindingCode.AMOUNT_MISMATCH, doc=docs[0], field=field, expected=f"{invoiced:.2f}", found=f"{total:.2f}",
        message=f"{what}（{_labels(docs)}）合计 {_yuan(total)}，与 {len(invoices)} 张发票价税合计 {_yuan(invoiced)} "
                f"不一致（相差 {_yuan(abs(total - invoiced))}）")]


def payments_vs_invoices(ctx: CheckContext) -> list[Finding]:
    payments = ctx.of(DocType.payment_proof)
    return _agrees_with_invoices(ctx, payments, "amount", f"{len(payments)} 份付款凭证", "付款与发票金额核对")


def usage_vs_invoices(ctx: CheckContext) -> list[Finding]:
    return _agrees_with_invoices(ctx, ctx.of(DocType.usage_statement), "total_amount", "用量结算单",
                                 "结算单与发票金额核对")


AMOUNT_CHECKS = {"invoice_upper": invoice_upper, "invoices_vs_contract": invoices_vs_contract,
                 "payments_vs_invoices": payments_vs_invoices, "usage_vs_invoices": usage_vs_invoices}


def amount_findings(ctx: CheckContext) -> list[Finding]:
    return [f for name in ctx.checklist.amount_checks for f in AMOUNT_CHECKS[name](ctx)]


def minimum_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for rule in ctx.checklist.minimums:
        for doc in ctx.of(rule.doc_type):
            amount = ctx.amount(doc, rule.field, "最低金额核对")
            if amount is None or amount >= rule.minimum:
                continue
            findings.append(finding(
                FindingCode.AMOUNT_BELOW_MINIMUM, doc=doc, field=rule.field, expected=f">={rule.minimum:.0f}",
                found=f"{amount:.2f}",
                message=f"{doc_label(doc)}的{rule.label} {_yuan(amount)} 低于政策要求的 {_yuan(rule.minimum)}"
                        f"（条款 {rule.policy_ref}）"))
    return findings
