"""The subsidy: basis, rate, caps and rounding from the checklist, each step explained in notes."""

from decimal import ROUND_HALF_UP, Decimal

from docintake.core.datamodel import DocType, DocumentReport, Finding, FindingCode, Severity, Subsidy

from .context import CheckContext, doc_label

BASIS_ZH = {"invoices": "发票价税合计", "contract": "合同金额", "usage": "token 消耗（用量结算）金额"}


def _yuan(x: float) -> str:
    return f"{x:,.2f} 元"


BASIS_DOCS = {"invoices": (DocType.invoice, "total_amount"), "contract": (DocType.contract, "contract_amount"),
              "usage": (DocType.usage_statement, "total_amount")}


def _basis(ctx: CheckContext, notes: list[str]) -> float | None:
    rule = ctx.checklist.subsidy
    basis = rule.basis
    if not ctx.of(BASIS_DOCS[basis][0]) and rule.basis_fallback:
        notes.append(f"材料包中没有{BASIS_ZH[basis]}材料，改按{BASIS_ZH[rule.basis_fallback]}核定")
        basis = rule.basis_fallback
    kind, field = BASIS_DOCS[basis]
    docs = ctx.of(kind)
    if not docs:
        notes.append(f"材料包中没有可用于核定的{BASIS_ZH[basis]}材料，无法计算补贴")
        return None
    total = 0.0
    for doc in docs:
        amount = ctx.amount(doc, field, "补贴核定")
        if amount is None:
            notes.append(f"{doc_label(doc)}的金额无法可靠识别，补贴暂无法核定")
            return None
        excluded = _outside(ctx, doc)
        if excluded:
            notes.append(f"不计入：{doc_label(doc)} {_yuan(amount)}（{excluded}）")
            continue
        total += amount
        notes.append(f"计入：{doc_label(doc)} {_yuan(amount)}")
    return round(total, 2)


def _outside(ctx: CheckContext, doc: DocumentReport) -> str | None:
    """Why an amount falls outside the basis window (policy: 超过执行期限的部分不作为核定依据)."""
    window = ctx.checklist.subsidy.basis_window
    if window is None:
        return None
    if doc.doc_type == DocType.invoice:
        day = ctx.date(doc, "issue_date", "补贴核定")
        if day is not None and day not in window:
            return f"开票日期 {day.isoformat()} 不在 {window.zh()} 内"
    return None


def _cap(ctx: CheckContext, notes: list[str]) -> float:
    rule = ctx.checklist.subsidy
    if not rule.revenue_caps:
        return rule.cap
    monthly = monthly_revenue(ctx)
    if monthly is None:
        lowest = min(c.cap for c in rule.revenue_caps)
        notes.append(f"未能从统计报表识别月均营收，暂按较低上限 {_yuan(lowest)} 计算，请人工核对")
        return lowest
    for tier in sorted(rule.revenue_caps, key=lambda c: c.monthly_revenue_below):
        if monthly < tier.monthly_revenue_below:
            notes.append(f"月均营收 {_yuan(monthly)} 低于 {_yuan(tier.monthly_revenue_below)}，单季度上限 {_yuan(tier.cap)}")
            return tier.cap
    notes.append(f"月均营收 {_yuan(monthly)}，适用上限 {_yuan(rule.cap)}")
    return rule.cap


def monthly_revenue(ctx: CheckContext) -> float | None:
    for doc in ctx.of(DocType.statistics_report):
        revenue = ctx.amount(doc, "revenue", "营收规模核定")
        months = ctx.need(doc, "report_months", "营收规模核定")
        if revenue is not None and months:
            return round(revenue / int(months), 2)
    return None


def _round(rule, amount: float, notes: list[str]) -> float:
    if rule.rounding == "wan_1":
        wan = (Decimal(str(amount)) / 10000).quantize(Decimal("0.1"), ROUND_HALF_UP)
        notes.append(f"兑现金额以万元为单位保留一位小数：{wan} 万元")
        return float(wan * 10000)
    return amount


def compute_subsidy(ctx: CheckContext) -> tuple[Subsidy, list[Finding]]:
    rule = ctx.checklist.subsidy
    notes: list[str] = [f"核定依据：{BASIS_ZH[rule.basis]}（条款 {rule.policy_ref}）"]
    basis = _basis(ctx, notes)
    cap = _cap(ctx, notes)
    subsidy = Subsidy(basis=basis, rate=rule.rate, cap=cap, notes=notes)
    findings: list[Finding] = []
    if basis is not None:
        # to the fen, half up on the exact product (a float product can fall just under a half fen)
        raw = float((Decimal(str(basis)) * Decimal(str(rule.rate))).quantize(Decimal("0.01"), ROUND_HALF_UP))
        subsidy.amount = min(raw, cap)
        notes.append(f"{_yuan(basis)} × {rule.rate:.0%} = {_yuan(raw)}"
                     + (f"，超过上限，按上限 {_yuan(cap)}" if raw > cap else f"，未超过上限 {_yuan(cap)}"))
        subsidy.payable = _round(rule, subsidy.amount, notes)
        # A basis of 0 (every amount outside the window) is explained by those findings already.
        if rule.minimum_payable and basis > 0 and subsidy.payable < rule.minimum_payable:
            findings.append(Finding(
                code=FindingCode.AMOUNT_BELOW_MINIMUM, severity=Severity.error, field="payable",
                expected=f">={rule.minimum_payable:.0f}", found=f"{subsidy.payable:.2f}",
                message=f"核定兑现金额 {_yuan(subsidy.payable)} 低于 {_yuan(rule.minimum_payable)}，按政策不予兑现"
                        f"（条款 {rule.policy_ref}）"))
            notes.append(f"低于 {_yuan(rule.minimum_payable)}，不予兑现")
            subsidy.payable = 0.0
    notes.extend(rule.notes)
    subsidy.notes = notes  # the model copied the list when built: every later step goes in too
    return subsidy, findings
