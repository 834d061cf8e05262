"""SEAL_MISSING and SIGNATURE_MISSING: each material's seals and signatures as its checklist asks.

Seal owners are read only when seal reading is on; otherwise a contract's two parties are told
apart by where their seal sits (甲方 signs on the left, 乙方 on the right), and other materials
need a seal of any kind on them. A seal whose owner was read and names neither party is a seal of
the wrong company and counts as missing; so is a look-alike's (the party's subsidiary or branch,
values.look_alike_marks).
"""

import re

from docintake.core.datamodel import DocType, DocumentReport, Finding, FindingCode, Seal, Severity
from docintake.core.vocabulary import REQUIRED_SEAL_ZH  # whose seal is missing: 申报单位公章, not 公章
from docintake.extractors import values

from .checklist import Material, SealRule
from .context import TWO_PARTIES, CheckContext, doc_label, finding
from .materials import applies

NOT_A_PARTY_SEAL = {"paging_seal", "personal_seal", "supervision_seal"}
KNOWN_PARTIES = [(DocType.invoice, "seller_name"), (DocType.payment_proof, "payee_name"),
                 (DocType.usage_statement, "provider_name"), (DocType.cac_filing, "provider_name"),
                 (DocType.acceptance_report, "provider_name")]
APPLICANT_SIDE = [(DocType.invoice, "buyer_name"), (DocType.payment_proof, "payer_name")]
FULL_ORG_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|分公司)$")
WRONG_OWNER = 0.4  # a seal this unlike the applicant's name is another firm's


def is_digital_invoice(doc: DocumentReport) -> bool:
    """数电 invoices: a 20-digit number and no 发票代码 (domain notes: they carry no seal)."""
    number = str((doc.fields.get("qr_invoice_number") or doc.fields.get("invoice_number") or
                  _Empty()).value or "")
    return len(number) == 20 and "invoice_code" not in doc.fields and "qr_invoice_code" not in doc.fields


class _Empty:
    value = None


def _party_seals(doc: DocumentReport) -> list[Seal]:
    """Seals a party stamped: not 骑缝章 slices, name seals, or a paper invoice's printed 监制章."""
    return [s for s in doc.seals if s.kind not in NOT_A_PARTY_SEAL and "监制" not in (s.text or "") + (s.owner or "")]


def contract_parties(ctx: CheckContext, doc: DocumentReport) -> dict[str, list[Seal]]:
    """Seals of the applicant (company_seal) and the provider (provider_seal) by where they sit:
    甲方 signs on the left, 乙方 on the right, and which of them is the applicant is decided by
    identity (party_field). Owners read off a seal's arc are too often a character off to decide
    sides; they serve as evidence (related_party_findings)."""
    left = "company_seal" if ctx.party_field(doc, "applicant") == "party_a" else "provider_seal"
    right = "provider_seal" if left == "company_seal" else "company_seal"
    found: dict[str, list[Seal]] = {"company_seal": [], "provider_seal": []}
    for seal in _party_seals(doc):
        found[right if doc.on_right_half(seal) else left].append(seal)
    return found


def _stranger(owner: str | None, party: str | None, ctx: CheckContext) -> bool:
    """A seal read clearly as a company name unlike both contracting parties: another firm's seal.
    Only a reading that looks like a whole firm name counts; a garbled arc says nothing."""
    name = values.normalise_name(owner or "")
    if not name or not party or not FULL_ORG_FORM.search(name) or not values.starts_with_place(name) or len(name) < 8:
        return False  # a garbled arc (a registered name opens with its place), or no party read
    # Known to the bundle: the party, the applicant, and whoever invoices, is paid or provides.
    known = [party, ctx.applicant.name] + [
        str(got.value) for doc_type, name in KNOWN_PARTIES for doc in ctx.of(doc_type)
        if (got := ctx.field(doc, name)) is not None]
    return all(values.seal_similarity(owner, name) < WRONG_OWNER or values.look_alike_marks(owner, name)
               for name in known if name)


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
        seals = contract_parties(ctx, doc)[rule.kind]
        key = ctx.party_field(doc, "applicant" if rule.kind == "company_seal" else "provider")
        party = ctx.field(doc, key)
        where = "甲方" if key == "party_a" else "乙方"
        strangers = [s.owner for s in seals if _stranger(s.owner, party.value if party else None, ctx)]
        if seals and len(strangers) == len(seals):
            return f"{where}盖章处的印章为「{'、'.join(strangers)}」，既不是甲方也不是乙方"
        if seals:
            return None
        role = "申报单位" if rule.kind == "company_seal" else "模型服务提供方"
        return f"未发现{where}（{role}）的盖章"
    seals = _party_seals(doc)
    party, role = _sealing_party(ctx, doc, rule.kind)
    if seals and party and all(s.owner and _another_party(s.owner, party, ctx) for s in seals):
        # Every seal on it is clearly someone else's: a known other party of the bundle, or a
        # whole registered name unlike all of them. A seal whose owner could not be read still
        # counts as present (FIELD_UNREADABLE is for a person to look, never an error).
        return f"所盖印章为「{'、'.join(s.owner for s in seals)}」，不是{role}「{party}」的印章"
    return None if seals else "未发现印章"


def _sealing_party(ctx: CheckContext, doc: DocumentReport, kind: str) -> tuple[str | None, str]:
    """Who had to seal, by the seal the checklist asks for: the applicant its own materials, the
    seller its invoice (发票专用章), the provider its statements."""
    if kind == "company_seal":
        return ctx.applicant.name, "申报单位"
    field = {"invoice_seal": "seller_name", "provider_seal": ctx.party_field(doc, "provider")
             if doc.doc_type in TWO_PARTIES else "provider_name"}.get(kind)
    got = ctx.field(doc, field) if field else None
    return (values.normalise_name(str(got.value)) if got else None), "销售方" if kind == "invoice_seal" else "模型服务提供方"


def _another_party(owner: str, party: str, ctx: CheckContext) -> bool:
    """A seal owner that is clearly not `party`: another firm the bundle names, read as such (the
    seal was named that firm by its ink, however alike the two names: 北京明理智源科技 and 北京市
    凌峰智能科技 are 0.6 alike), or a stranger's whole registered name."""
    name = values.normalise_name(owner)
    known = {values.normalise_name(str(got.value)) for doc_type, field in KNOWN_PARTIES + APPLICANT_SIDE
             for d in ctx.of(doc_type) if (got := ctx.field(d, field)) is not None} | {ctx.applicant.name}
    # a known name one edit from the party's is the party's own, misread in one field
    if name in known and name != party and not values.one_edit_apart(name, party):
        return True
    if values.seal_similarity(owner, party) >= WRONG_OWNER and not values.look_alike_marks(owner, party):
        return False
    return _stranger(owner, party, ctx)


def seal_findings(ctx: CheckContext) -> list[Finding]:
    findings = []
    for material in ctx.checklist.materials:
        if not material.seals or not applies(material, ctx):
            continue
        for doc in ctx.of(*material.any_of):
            # On a black-and-white scan a seal is grey ink among grey print, still found by its
            # border (extractors.seals.detect_grey): round and oval seals by their ring, 骑缝章
            # slices by their arc at the page edge (on the bench, every grey contract that had
            # one: 35 of 35 over four unseen seeds). So its absence is established, with a note.
            grey = any(p.grey for p in doc.page_info)
            for rule in material.seals:
                why = _missing(ctx, doc, rule, material)
                if not why:
                    continue
                asked = f"（政策要求：{material.name}，条款 {material.policy_ref}）"
                none_seen = grey and ("未发现" in why)  # not a wrong company's seal
                note = f"（黑白扫描件上未发现{'骑缝章' if rule.kind == 'paging_seal' else '印章轮廓'}；" \
                       "如原件盖有印章，请提供彩色扫描件）" if none_seen else ""
                findings.append(finding(
                    FindingCode.SEAL_MISSING, doc=doc, field=rule.kind, expected=REQUIRED_SEAL_ZH[rule.kind],
                    found=why, severity=Severity.error,
                    message=f"{doc_label(doc)}缺少{REQUIRED_SEAL_ZH[rule.kind]}：{why}{note}{asked}"))
    return findings


def signature_findings(ctx: CheckContext) -> list[Finding]:
    """A signature label with no ink after it is SIGNATURE_MISSING; with no label read at all the
    signature cannot be judged (an unread label under a seal), which is FIELD_UNREADABLE."""
    findings = []
    for material in ctx.checklist.materials:
        if not material.signature or not applies(material, ctx):
            continue
        for doc in ctx.of(*material.any_of):
            if doc.signatures:
                continue
            asked = f"（政策要求：{material.name}，条款 {material.policy_ref}）"
            if not doc.signature_labels:
                findings.append(Finding(
                    code=FindingCode.FIELD_UNREADABLE, severity=Severity.warning, document=doc.id,
                    doc_type=doc.doc_type, field="legal_rep_signature", page=doc.pages[0] if doc.pages else None,
                    source=doc.source, expected="法定代表人（本人）手写签字", found="未识别到签字处",
                    message=f"{doc_label(doc)}上未能识别到签字处，无法判断是否已签字，请人工核对{asked}"))
                continue
            label = doc.signature_labels[0]
            where = f"第 {label.page} 页「{label.label}」处无手写签字"
            findings.append(Finding(
                code=FindingCode.SIGNATURE_MISSING, severity=Severity.error, document=doc.id,
                doc_type=doc.doc_type, field="legal_rep_signature", page=label.page, source=label.source,
                expected="法定代表人（本人）手写签字", found=where,
                message=f"{doc_label(doc)}缺少签字：{where}{asked}"))
    return findings
