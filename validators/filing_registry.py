"""FILING_MISSING against the CAC's published registry: is the proof's number published, by whom,
for which model. The registry is the CAC's lists as published (validators/registry.py).

A number in the registry must belong to the contract's model provider (or, as the policies allow,
a 关联方: docintake cannot know affiliations, so another filer is a warning naming both) and name
the contract's model (tolerantly; never an error on names alone). A number not in the registry is
an error only when the registry is newer than the number by more than the CAC's publication delay;
a younger number asks the clerk to look it up online. A 登记 proves what the checklist says it does.
"""

from datetime import timedelta

from docintake.core.datamodel import (
    DocType,
    DocumentReport,
    FilingCheck,
    FilingRow,
    Finding,
    FindingCode,
    Severity,
    TextSource,
)
from docintake.extractors.values import filing_date, filing_key, filing_kind, one_edit_apart

from .context import CheckContext, doc_label, finding
from .registry import rules, same_firm, same_model

LOOK_UP = "请在中央网信办官网搜索「生成式人工智能服务已备案信息」核实"


def providers(ctx: CheckContext) -> list[str]:
    """The model provider as the contract names it."""
    found = [ctx.field(d, ctx.party_field(d, "provider")) for d in ctx.of(DocType.contract)]
    return [str(f.value) for f in found if f is not None]


def models_used(ctx: CheckContext) -> list[str]:
    """Every model the contract, the application form or the usage statement names."""
    found = [ctx.field(d, "model_name") for d in ctx.of(DocType.contract, DocType.application_form,
                                                          DocType.usage_statement)]
    return list(dict.fromkeys(str(f.value) for f in found if f is not None))


def row_text(row: FilingRow) -> str:
    """A registry row as a clerk reads it."""
    return (f"「{row.name}」，{row.kind}单位 {row.filer}，编号 {row.number}，{row.kind}时间 {row.filed or '未注明'}"
            f"（{row.list} 名单）")


def registry_findings(ctx: CheckContext) -> list[Finding]:
    """Each filing proof's number against the registry; its evidence goes to ctx.filing_checks."""
    rule = ctx.checklist.eligibility.filing
    if ctx.registry is None or rule == "none":
        return []
    if rule == "cac_or_assessment" and ctx.of(DocType.security_assessment):
        return []  # the 等保 test proves what is asked; a filing proof beside it is not needed
    out: list[Finding] = []
    for doc in ctx.of(DocType.cac_filing):
        got = ctx.field(doc, "filing_number")
        if got is None:
            continue  # unread: the proof's other checks ask for a person already
        number = str(got.value)
        rows = ctx.registry.find(number)
        if rows:
            out += _published(ctx, doc, number, rows)
        else:
            out += _unpublished(ctx, doc, number)
    return out


def record_check(ctx: CheckContext, doc: DocumentReport | None, number: str, outcome: str,
                 row: FilingRow | None = None, **extra) -> None:
    """The evidence of one check (report.filing_checks)."""
    ctx.filing_checks.append(FilingCheck(
        document=doc.id if doc else None, number=number, outcome=outcome, kind=row.kind if row else filing_kind(number),
        filer=row.filer if row else None, model=row.name if row else None, filed=row.filed if row else None,
        list=row.list if row else None, registry_as_of=ctx.registry.as_of.isoformat(), **extra))


def _published(ctx: CheckContext, doc: DocumentReport, number: str, rows: list[FilingRow]) -> list[Finding]:
    firms, models = providers(ctx), models_used(ctx)
    # The same number published twice (a re-listing) is one filing: the provider's row speaks for it.
    row = next((r for r in rows if any(same_firm(r.filer, p) for p in firms)), rows[0])
    filer_ok = any(same_firm(row.filer, p) for p in firms) if firms else None
    model_ok = any(same_model(row.name, m) for m in models) if models else None
    record_check(ctx, doc, number, "found", row, filer_matches=filer_ok, model_matches=model_ok)
    as_of = ctx.registry.as_of.isoformat()
    out = []
    if row.kind == "登记" and ctx.checklist.eligibility.registration != "accept":
        severity = Severity.error if ctx.checklist.eligibility.registration == "reject" else Severity.warning
        out.append(finding(
            FindingCode.FILING_MISSING, doc=doc, field="filing_number", severity=severity,
            expected="生成式人工智能服务备案号", found=number,
            message=f"{doc_label(doc)}中的编号 {number} 是国家网信办公布的生成式人工智能服务登记信息（上线编号）：{row_text(row)}。"
                    "登记表明该应用调用他人已备案的模型，并非所用模型本身的备案，请提供底层模型的生成式人工智能服务备案证明"
                    f"（名录截至 {as_of}）"))
    if filer_ok is False:
        out.append(finding(
            FindingCode.FILING_MISSING, doc=doc, field="provider_name", severity=Severity.warning,
            expected="、".join(firms), found=row.filer,
            message=f"{doc_label(doc)}中的{row.kind}号 {number} 在国家网信办名录中属于「{row.filer}」"
                    f"（{row_text(row)}），不是合同约定的模型提供方「{'、'.join(firms)}」；如二者为关联方请人工核对，"
                    "否则该证明不能证明所用模型已备案"))
    proof_model = ctx.field(doc, "model_name")
    proof_agrees = proof_model is None or any(same_model(str(proof_model.value), m) for m in models)
    if model_ok is False and proof_agrees:  # a proof naming another model is filing_findings' error
        out.append(finding(
            FindingCode.FILING_MISSING, doc=doc, field="model_name", severity=Severity.warning,
            expected="、".join(models), found=row.name,
            message=f"国家网信办名录中{row.kind}号 {number} 对应的模型为「{row.name}」，与合同等材料所用的模型"
                    f"「{'、'.join(models)}」名称不一致，请人工核对是否为同一模型（{doc_label(doc)}）"))
    return out


def _unpublished(ctx: CheckContext, doc: DocumentReport, number: str) -> list[Finding]:
    kind = filing_kind(number)
    as_of = ctx.registry.as_of
    if kind == "算法备案":  # the registry holds the generative-AI service lists only
        record_check(ctx, doc, number, "not_covered")
        return []
    day = filing_date(number)
    known = [r for p in providers(ctx) for r in ctx.registry.rows_of(p)]
    theirs = f"；名录中该提供方的记录：{'；'.join(row_text(r) for r in known[:3])}" if known else ""
    near = next((r for r in known if one_edit_apart(filing_key(r.number), filing_key(number))), None)
    if near is not None and doc.text_source != TextSource.text_layer:
        # One character off the provider's published number, on a page read by OCR: the shape of a
        # misreading as much as of a forgery. A born-digital proof prints what it means: an error.
        record_check(ctx, doc, number, "not_found", near)
        return [finding(
            FindingCode.FILING_MISSING, doc=doc, field="filing_number", severity=Severity.warning,
            expected=near.number, found=number,
            message=f"{doc_label(doc)}中识别到的{kind}号 {number} 不在国家网信办名录中（截至 {as_of.isoformat()}），"
                    f"与该提供方已公布的编号 {near.number} 仅差一个字符，可能是识别误差，请人工核对原件"
                    f"（名录记录：{row_text(near)}）")]
    if day is None or day + timedelta(days=rules()["publication_lag_days"]) > as_of:
        record_check(ctx, doc, number, "too_new")
        return [finding(
            FindingCode.FILING_MISSING, doc=doc, field="filing_number", severity=Severity.warning,
            expected=f"国家网信办名录（截至 {as_of.isoformat()}）", found=number,
            message=f"{kind}号 {number} 不在国家网信办已公布的生成式人工智能服务{kind}信息中（截至 {as_of.isoformat()}），"
                    f"该编号{'日期为 ' + day.isoformat() + '，' if day else ''}可能尚未公布，{LOOK_UP}"
                    f"（{doc_label(doc)}{theirs}）")]
    record_check(ctx, doc, number, "not_found")
    return [finding(
        FindingCode.FILING_MISSING, doc=doc, field="filing_number",
        expected=f"国家网信办名录（截至 {as_of.isoformat()}）", found=number,
        message=f"{kind}号 {number} 不在国家网信办已公布的生成式人工智能服务{kind}信息中（截至 {as_of.isoformat()}）"
                f"（{doc_label(doc)}{theirs}）")]


def registry_row_of_contract(ctx: CheckContext) -> FilingRow | None:
    """Without a proof in the bundle: the registry's row of the contract's provider and model."""
    if ctx.registry is None:
        return None
    models = models_used(ctx)
    for firm in providers(ctx):
        for row in ctx.registry.rows_of(firm):
            if any(same_model(row.name, m) for m in models):
                return row
    return None
