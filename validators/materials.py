"""MATERIAL_MISSING and DOCUMENT_UNREADABLE: what is absent, and what could not be read."""

from docintake.datamodel import (
    DOC_TYPE_ZH,
    DocType,
    DocumentReport,
    Finding,
    FindingCode,
    Severity,
    SourceFile,
    TextSource,
)

from .checklist import Checklist


def missing_materials(documents: list[DocumentReport], checklist: Checklist) -> list[Finding]:
    counts: dict[DocType, int] = {}
    for doc in documents:
        counts[doc.doc_type] = counts.get(doc.doc_type, 0) + 1
    findings = []
    for material in checklist.materials:
        found = sum(counts.get(t, 0) for t in material.any_of)
        if found >= material.min_count:
            continue
        alternatives = " 或 ".join(DOC_TYPE_ZH[t] for t in material.any_of)
        findings.append(Finding(
            code=FindingCode.MATERIAL_MISSING,
            severity=Severity.error,
            doc_type=material.any_of[0],
            field=material.id,
            expected=f"{material.min_count} 份 {alternatives}",
            found=f"{found} 份",
            message=(f"缺少申报材料：{material.name}（政策条款 {material.policy_ref}）。"
                     f"要求 {material.min_count} 份，材料包中识别到 {found} 份。"),
        ))
    return findings


def unreadable_files(files: list[SourceFile]) -> list[Finding]:
    return [
        Finding(code=FindingCode.DOCUMENT_UNREADABLE, severity=Severity.warning, source=f.name,
                found=f.format, message=f"文件「{f.name}」无法读取：{f.error}")
        for f in files if f.error
    ]


def unreadable_documents(documents: list[DocumentReport]) -> list[Finding]:
    return [
        Finding(code=FindingCode.DOCUMENT_UNREADABLE, severity=Severity.warning, document=d.id,
                doc_type=d.doc_type, source=d.source, page=d.pages[0] if d.pages else None,
                message=(f"文件「{d.source}」第 {'、'.join(map(str, d.pages))} 页没有可识别的文字"
                         "（空白、全黑或严重模糊），请人工核对或要求重新扫描"))
        for d in documents if d.text_source == TextSource.none
    ]
