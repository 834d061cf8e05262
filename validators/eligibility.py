"""FILING_MISSING and INDUSTRY_INELIGIBLE: is the model filed, is the applicant in an admitted industry."""

import re
from functools import lru_cache
from pathlib import Path

import yaml

from docintake.core.datamodel import DocType, Finding, FindingCode, Severity
from docintake.extractors.values import SAME_OWNER, model_key, one_char_off, seal_similarity

from .context import CheckContext, doc_label, finding
from .filing_registry import record_check, registry_row_of_contract, row_text

INDUSTRIES_FILE = Path(__file__).parent / "rules" / "industries.yaml"
def filing_findings(ctx: CheckContext) -> list[Finding]:
    rule = ctx.checklist.eligibility.filing
    if rule == "none":
        return []
    filings = ctx.of(DocType.cac_filing)
    assessments = ctx.of(DocType.security_assessment) if rule == "cac_or_assessment" else []
    allowed = "生成式人工智能服务备案证明" + ("或三级及以上等级保护测评证明" if rule == "cac_or_assessment" else "")
    if not filings and not assessments:
        # The applicant must still show the proof; the registry's row lets the clerk decide at once.
        row = registry_row_of_contract(ctx)
        if row:
            record_check(ctx, None, row.number, "registry_only", row, filer_matches=True, model_matches=True)
        listed = (f"；国家网信办名录（截至 {ctx.registry.as_of.isoformat()}）中有合同所用模型及其提供方的记录："
                  f"{row_text(row)}") if row else ""
        return [finding(
            FindingCode.FILING_MISSING, doc_type=DocType.cac_filing, expected=allowed, found="无",
            message=f"材料包中没有{allowed}，无法证明所用模型已在国家网信办备案"
                    f"（条款 {ctx.checklist.eligibility.policy_ref}）{listed}")]
    if assessments and rule == "cac_or_assessment":
        return []  # the 等保 test covers the model; its model name is not a key field
    used = {model_key(str(ctx.field(d, "model_name").value)): d for d in ctx.of(DocType.contract)
            if ctx.field(d, "model_name") is not None}
    filed = {}
    for doc in filings:
        name = ctx.need(doc, "model_name", "备案模型核对")
        if name:
            filed[model_key(str(name))] = doc
    if not used or not filed or set(used) & set(filed):
        return []
    doc = next(iter(filed.values()))
    if any(one_char_off(u, f) for u in used for f in filed):
        # 青雪大模型 for 青鸾大模型: one character swapped is how OCR errs; another model adds words.
        return [finding(
            FindingCode.FIELD_UNREADABLE, doc=doc, field="model_name", severity=Severity.warning,
            expected="、".join(used), found="、".join(filed),
            message=f"{doc_label(doc)}中的备案模型识别为「{'、'.join(filed)}」，与合同约定的「{'、'.join(used)}」"
                    "仅差一个字，可能是识别误差，请人工核对")]
    provider = [ctx.field(d, ctx.party_field(d, "provider")) for d in ctx.of(DocType.contract)]
    filer = ctx.field(doc, "provider_name")
    if filer is not None and not any(p and seal_similarity(filer.value, p.value) >= SAME_OWNER for p in provider):
        # A list printout names many providers: a row of another provider says nothing about
        # whether the contract's model is filed, only that its row was not found.
        return [finding(
            FindingCode.FIELD_UNREADABLE, doc=doc, field="model_name", severity=Severity.warning,
            expected="、".join(used), found="、".join(filed),
            message=f"{doc_label(doc)}中未能找到合同所用模型「{'、'.join(used)}」及其提供方的备案记录"
                    f"（识别到的是「{'、'.join(filed)}」），请人工核对备案证明")]
    return [finding(
        FindingCode.FILING_MISSING, doc=doc, field="model_name", expected="、".join(used), found="、".join(filed),
        message=f"备案证明中的模型为「{'、'.join(filed)}」，与合同约定使用的模型「{'、'.join(used)}」不一致，"
                f"无法证明所用模型已备案（{doc_label(doc)}）")]


@lru_cache(maxsize=1)
def _industries() -> dict[str, dict]:
    return yaml.safe_load(INDUSTRIES_FILE.read_text(encoding="utf-8"))


def industry_of(scope: str) -> tuple[str | None, str | None]:
    """(division, activity) of the first activity of a 经营范围 that names a known one."""
    for activity in re.split(r"[;；。]", scope or ""):
        for division, spec in _industries().items():
            if any(word in activity for word in spec["activities"]):
                return division, activity.strip()
    return None, None


def industry_findings(ctx: CheckContext) -> list[Finding]:
    """The industry the application form declares (所属行业, its GB/T 4754 code), else the one
    the licence's 经营范围 names, against the divisions the programme admits."""
    prefixes = ctx.checklist.eligibility.industry_prefixes
    if not prefixes:
        return []
    admitted = "、".join(f"{p} {_industries().get(p, {}).get('name', '')}" for p in prefixes)
    declared = [(doc, got) for doc in ctx.of(DocType.application_form)
                if (got := ctx.field(doc, "industry_code")) is not None]
    if declared:
        return [finding(
            FindingCode.INDUSTRY_INELIGIBLE, doc=doc, field="industry_code", expected=admitted, found=str(got.value),
            message=f"{doc_label(doc)}填报的所属行业代码为 {got.value}，不属于政策允许的行业（国民经济行业分类 "
                    f"{admitted}）（条款 {ctx.checklist.eligibility.policy_ref}）")
            for doc, got in declared if not str(got.value).startswith(tuple(prefixes))]
    licence = ctx.applicant.licence
    if licence is None:
        return []
    scope = ctx.need(licence, "business_scope", "行业类别核对")
    if not scope:
        return []
    division, activity = industry_of(str(scope))
    if division is None:
        return [finding(
            FindingCode.INDUSTRY_INELIGIBLE, doc=licence, field="business_scope", severity=Severity.warning,
            expected="、".join(prefixes), found=str(scope)[:60],
            message=f"无法从{doc_label(licence)}的经营范围「{str(scope)[:60]}」判断所属行业，"
                    f"请人工核对是否属于国民经济行业分类 {'、'.join(prefixes)} 大类")]
    if any(division.startswith(p) for p in prefixes):
        return []
    return [finding(
        FindingCode.INDUSTRY_INELIGIBLE, doc=licence, field="business_scope", expected=admitted, found=activity,
        message=f"{doc_label(licence)}经营范围的主营业务为「{activity}」，不属于政策允许的行业（国民经济行业分类 {admitted}）"
                f"（条款 {ctx.checklist.eligibility.policy_ref}）")]
