"""MATERIAL_MISSING and DOCUMENT_UNREADABLE: what is absent, and what could not be read."""

from docintake.core.datamodel import (
    DocType,
    DocumentReport,
    Finding,
    FindingCode,
    Severity,
    TextSource,
)
from docintake.core.vocabulary import DOC_TYPE_ZH

from .checklist import Material
from .context import CheckContext


def applies(material: Material, ctx: CheckContext) -> bool:
    """A conditional material applies when the project's deployment mode is one it names. With the
    mode unknown, the conditional alternatives are judged together (see missing_materials)."""
    if material.when is None:
        return True
    mode = ctx.deployment_mode()
    return mode is None or mode in material.when.deployment_mode


def _count(ctx: CheckContext, material: Material) -> int:
    return len(ctx.of(*material.any_of))


def missing_materials(ctx: CheckContext) -> list[Finding]:
    findings = []
    conditional = [m for m in ctx.checklist.materials if m.when is not None]
    mode_unknown = ctx.deployment_mode() is None
    for material in ctx.checklist.materials:
        if material.optional or not applies(material, ctx):
            continue
        found = _count(ctx, material)
        if found >= material.min_count:
            continue
        if material.when is not None and mode_unknown:
            # Mode unread: one conditional alternative present is enough, and when none is, one
            # finding names them all.
            if any(_count(ctx, m) for m in conditional) or material is not conditional[0]:
                continue
            names = " 或 ".join(m.name for m in conditional)
            findings.append(Finding(
                code=FindingCode.MATERIAL_MISSING, severity=Severity.error, doc_type=material.any_of[0],
                field=material.id, expected=names, found="0 份",
                message=f"缺少申报材料：{names}（未能识别部署方式，任一即可；政策条款 "
                        f"{'、'.join(m.policy_ref for m in conditional)}）"))
            continue
        alternatives = " 或 ".join(DOC_TYPE_ZH[t] for t in material.any_of)
        condition = f"（{'、'.join(material.when.deployment_mode)}项目）" if material.when else ""
        findings.append(Finding(
            code=FindingCode.MATERIAL_MISSING,
            severity=Severity.error,
            doc_type=material.any_of[0],
            field=material.id,
            expected=f"{material.min_count} 份 {alternatives}",
            found=f"{found} 份",
            message=(f"缺少申报材料{condition}：{material.name}（政策条款 {material.policy_ref}）。"
                     f"要求 {material.min_count} 份，材料包中识别到 {found} 份。"),
        ))
    return findings


def unreadable_files(ctx: CheckContext) -> list[Finding]:
    return [
        Finding(code=FindingCode.DOCUMENT_UNREADABLE, severity=Severity.warning, source=f.name,
                found=f.format, message=f"文件「{f.name}」无法读取：{f.error}")
        for f in ctx.files if f.error
    ]


def unreadable_documents(ctx: CheckContext) -> list[Finding]:
    return [_unreadable(d) for d in ctx.documents if d.text_source == TextSource.none]


def _unreadable(d: DocumentReport) -> Finding:
    blank = [i.page for i in d.page_info if i.blank]
    why = ("为空白页（几乎没有字迹），请核对是否漏扫或扫错页" if blank and len(blank) == len(d.page_info)
           else "没有可识别的文字（空白、全黑或严重模糊），请人工核对或要求重新扫描")
    return Finding(code=FindingCode.DOCUMENT_UNREADABLE, severity=Severity.warning, document=d.id,
                   doc_type=None if d.doc_type == DocType.other else d.doc_type, source=d.source,
                   page=d.pages[0] if d.pages else None,
                   message=f"文件「{d.source}」第 {page_ranges(d.pages)} 页{why}")


def page_ranges(pages: list[int]) -> str:
    """1, 2, 3, 5 -> 1–3、5: a scan of hundreds of blank pages stays one short line."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in runs)
