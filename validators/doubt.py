"""A `fail` a reviewer can trust: an error that rests on an unsure reading becomes a warning.

Precision before recall. An error finding is only as sure as what it rests on: the field it names
(read with an OCR confidence below SURE), the licence value it was compared with, or a document
whose type was not clearly recognised; a material is only surely missing when no document of
unsure type could be it. Such a finding is kept, with its evidence, as a warning
(the verdict becomes needs_review) and says why a person must look.
"""

from docintake.core.datamodel import DocType, DocumentReport, Finding, FindingCode, Severity

from .context import CheckContext, zh_field

SURE = 0.9  # OCR line confidence below which a reading may be a character off
UNSURE_TYPE = 0.45  # a titleless document whose best page score is below this may be another type
SUPPORTED = 1.0  # classifier weight (two key phrases) of a type on a page: the page may be of it
AGAINST_LICENCE = {FindingCode.NAME_MISMATCH: "company_name", FindingCode.USCC_MISMATCH: "uscc",
                   FindingCode.RELATED_PARTY: "company_name"}


def _unsure_type(doc: DocumentReport) -> bool:
    return bool(doc.page_info) and not any(p.title for p in doc.page_info) \
        and max(p.doc_type_score for p in doc.page_info) < UNSURE_TYPE


def _may_hold(missing: DocType, ctx: CheckContext) -> list[DocumentReport]:
    """Documents of unsure type whose text supports the missing material's type."""
    return [d for d in ctx.documents if d.doc_type != missing and _unsure_type(d)
            and any(p.type_support.get(missing.value, 0.0) >= SUPPORTED for p in d.page_info)]


def _why_unsure(finding: Finding, ctx: CheckContext, docs: dict[str, DocumentReport]) -> str | None:
    doc = docs.get(finding.document or "")
    if finding.code == FindingCode.SIGNATURE_INVALID:  # a digest that fails rests on no reading
        return None
    if finding.code == FindingCode.MATERIAL_MISSING and finding.doc_type is not None:
        maybe = _may_hold(finding.doc_type, ctx)
        if maybe:
            where = "、".join(f"文件「{d.source}」第 {'、'.join(map(str, d.pages))} 页" for d in maybe)
            return f"{where}的材料类型未能确定，可能即为该材料"
    if doc is None:
        return None
    got = doc.fields.get(finding.field or "")
    if got is not None and got.confidence < SURE:
        return f"所依据的「{zh_field(finding.field)}」识别置信度仅 {got.confidence:.2f}"
    licence = ctx.applicant.licence
    name = AGAINST_LICENCE.get(finding.code)
    held = licence.fields.get(name) if licence is not None and name else None
    if held is not None and held.confidence < SURE:
        return f"营业执照上的「{zh_field(name)}」识别置信度仅 {held.confidence:.2f}"
    if _unsure_type(doc):
        return "该材料的类型识别不确定"
    return None


def doubt_unsure_errors(findings: list[Finding], ctx: CheckContext) -> list[Finding]:
    """Each error resting on an unsure reading, as a warning saying why; the rest unchanged."""
    docs = {d.id: d for d in ctx.documents}
    out = []
    for finding in findings:
        why = _why_unsure(finding, ctx, docs) if finding.severity == Severity.error else None
        if why:
            finding = finding.model_copy(update={
                "severity": Severity.warning, "message": f"{finding.message}（{why}，请人工复核）"})
        out.append(finding)
    return out
