"""SEAL_MISSING and SIGNATURE_MISSING: each material's seals and signatures as its checklist asks.

Seal owners are read only when seal reading is on; otherwise a contract's two parties are told
apart by where their seal sits (甲方 signs on the left, 乙方 on the right), and other materials
need a seal of any kind on them. A seal whose owner was read and names neither party is a seal of
the wrong company and counts as missing.
"""

from docintake.datamodel import DocType, DocumentReport, Finding, FindingCode, Seal, Severity
from extractors import values

from .checklist import Material, SealRule
from .context import CheckContext, doc_label, finding
from .materials import applies

SEAL_ZH = {"company_seal": "申报单位公章", "provider_seal": "模型服务提供方印章", "invoice_seal": "销售方发票专用章",
           "finance_seal": "财务专用章", "tax_authority_seal": "税务机关印章", "paging_seal": "骑缝章"}
NOT_A_PARTY_SEAL = {"paging_seal", "personal_seal"}


def is_digital_invoice(doc: DocumentReport) -> bool:
    """数电 invoices: a 20-digit number and no 发票代码 (domain notes: they carry no seal)."""
    number = str((doc.fields.get("qr_invoice_number") or doc.fields.get("invoice_number") or
                  _Empty()).value or "")
    return len(number) == 20 and "invoice_code" not in doc.fields and "qr_invoice_code" not in doc.fields


class _Empty:
    value = None


def _party_seals(doc: DocumentReport) -> list[Seal]:
    return [s for s in doc.seals if s.kind not in NOT_A_PARTY_SEAL]


def _width(doc: DocumentReport, seal: Seal) -> float:
    for info in doc.page_info:
        if info.page == seal.page and (seal.source is None or info.source == seal.source):
            return info.width
    return 595.0


def _owner_is(seal: Seal, name: str | None) -> bool:
    owner = values.normalise_name(seal.owner or seal.text)
    return bool(owner and name) and values.normalise_name(name) in owner


def _contract_parties(ctx: CheckContext, doc: DocumentReport) -> dict[str, list[Seal]]:
    """Seals of 甲方 (applicant) and 乙方 (provider): by owner when read, else by position."""
    a = ctx.field(doc, "party_a")
    b = ctx.field(doc, "party_b")
    found: dict[str, list[Seal]] = {"company_seal": [], "provider_seal": [], "other": []}
    for seal in _party_seals(doc):
        if seal.owner:
            side = ("company_seal" if _owner_is(seal, a.value if a else ctx.applicant.name)
                    else "provider_seal" if _owner_is(seal, b.value if b else None) else "other")
        else:
            left = seal.bbox is None or (seal.bbox[0] + seal.bbox[2]) / 2 < _width(doc, seal) / 2
            side = "company_seal" if left else "provider_seal"
        found[side].append(seal)
    return found


def _missing(ctx: CheckContext, doc: DocumentReport, rule: SealRule, material: Material) -> str | None:
    """Why the rule is not met on this document, or None when it is."""
    if rule.unless_digital_invoice and doc.doc_type == DocType.invoice and is_digital_invoice(doc):
        return None
    if rule.kind == "paging_seal":
        if len(doc.parts) < rule.min_pages:
            return None
        return None if any(s.kind == "paging_seal" for s in doc.seals) else \
            f"共 {len(doc.parts)} 页，未发现骑缝章"
    if doc.doc_type == DocType.contract and rule.kind in ("company_seal", "provider_seal"):
        parties = _contract_parties(ctx, doc)
        if parties[rule.kind]:
            return None
        side = "甲方（申报单位）" if rule.kind == "company_seal" else "乙方（模型服务提供方）"
        wrong = [s.owner for s in parties["other"] if s.owner]
        extra = f"；识别到的印章属于「{'、'.join(wrong)}」" if wrong else ""
        return f"未发现{side}的盖章{extra}"
    seals = _party_seals(doc)
    if rule.kind == "company_seal" and ctx.applicant.name:
        read = [s for s in seals if s.owner]
        if read and not any(_owner_is(s, ctx.applicant.name) for s in read):
            return f"印章单位为「{'、'.join(s.owner for s in read)}」，不是申报单位「{ctx.applicant.name}」"
    return None if seals else "未发现印章"


def seal_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for material in ctx.checklist.materials:
        if not material.seals or not applies(material, ctx):
            continue
        for doc in ctx.of(*material.any_of):
            for rule in material.seals:
                why = _missing(ctx, doc, rule, material)
                if why:
                    findings.append(finding(
                        FindingCode.SEAL_MISSING, doc=doc, field=rule.kind, expected=SEAL_ZH[rule.kind],
                        found=why,
                        message=f"{doc_label(doc)}缺少{SEAL_ZH[rule.kind]}：{why}"
                                f"（政策要求：{material.name}，条款 {material.policy_ref}）"))
    return findings


def signature_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for material in ctx.checklist.materials:
        if not material.signature or not applies(material, ctx):
            continue
        for doc in ctx.of(*material.any_of):
            if doc.signatures:
                continue
            labelled = bool(doc.signature_labels)
            where = (f"第 {doc.signature_labels[0].page} 页「{doc.signature_labels[0].label}」处无手写签字"
                     if labelled else "未找到签字处和手写签字")
            findings.append(Finding(
                code=FindingCode.SIGNATURE_MISSING,
                severity=Severity.error if labelled else Severity.warning,
                document=doc.id, doc_type=doc.doc_type, field="legal_rep_signature",
                page=doc.signature_labels[0].page if labelled else (doc.pages[0] if doc.pages else None),
                source=doc.signature_labels[0].source if labelled else doc.source,
                expected="法定代表人（本人）手写签字", found=where,
                message=f"{doc_label(doc)}缺少签字：{where}（政策要求：{material.name}，条款 {material.policy_ref}）"))
    return findings
