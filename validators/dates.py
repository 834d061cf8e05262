"""DATE_OUT_OF_WINDOW and LICENCE_EXPIRED: dates against the programme's windows."""

from docintake.core.datamodel import Finding, FindingCode

from .context import CheckContext, doc_label, finding, zh_field


def date_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for rule in ctx.checklist.dates:
        for doc in ctx.of(rule.doc_type):
            day = ctx.date(doc, rule.field, "日期范围核对")
            if day is None or day in rule.window:
                continue
            findings.append(finding(
                FindingCode.DATE_OUT_OF_WINDOW, doc=doc, field=rule.field,
                expected=f"{rule.window.start.isoformat()}..{rule.window.end.isoformat()}", found=day.isoformat(),
                message=f"{doc_label(doc)}的{rule.label}（{zh_field(rule.field)}）{day.isoformat()} "
                        f"不在政策规定的 {rule.window.zh()} 内（条款 {rule.policy_ref}）"))
    return findings


def licence_findings(ctx: CheckContext) -> list[Finding]:
    licence = ctx.applicant.licence
    if licence is None or not ctx.checklist.eligibility.licence_must_be_valid:
        return []
    until = licence.fields.get("valid_until")
    if until is None or until.value == "长期":
        return []  # 长期 (no end), or no term printed: nothing to check
    day = ctx.date(licence, "valid_until", "营业执照有效期核对")
    applied = ctx.application_date()
    if day is None or day >= applied:
        return []
    return [finding(
        FindingCode.LICENCE_EXPIRED, doc=licence, field="valid_until", expected=f">={applied.isoformat()}",
        found=day.isoformat(),
        message=f"{doc_label(licence)}的营业期限至 {day.isoformat()}，早于申报日期 {applied.isoformat()}，执照已过期")]
