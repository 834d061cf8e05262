"""The validators on hand-built extraction results: every finding code and every checklist rule, each
with a bundle that triggers it and one that must not, and messages a reviewer can act on.

`clean(programme)` builds a complete, consistent bundle (what the extractors report for a tidy
born-digital submission: fields read with confidence 1.0, seals whose owners were not read, 数电
invoices with their QR readings); each test changes one thing. DUPLICATE_SUBMISSION is covered in
tests/test_service.py (validators/duplicates.py with the history store).
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from docintake.core.datamodel import (
    DocType,
    DocumentReport,
    ExtractedField,
    Finding,
    PageInfo,
    PageRef,
    Seal,
    Severity,
    Signature,
    SourceFileReport,
    TextSource,
    Verdict,
)
from docintake.core.vocabulary import DOC_TYPE_ZH
from docintake.extractors import values
from docintake.extractors.values.uscc import check_char
from docintake.validators.checklist import CHECKLIST_DIR, ChecklistError, available_programmes, load_checklist
from docintake.validators.run import Validation, validate_documents, verdict_of
from tests.support import ROOT

ETOWN, SHENZHEN, AI_PLUS, Q1, LONGGANG = (
    "etown-model-voucher-2026h1", "shenzhen-model-voucher-2025", "nanshan-ai-plus-2026",
    "nanshan-model-voucher-2026q1", "longgang-model-app-2025")
PROGRAMMES = [ETOWN, SHENZHEN, AI_PLUS, Q1, LONGGANG]

APPLICANT, APPLICANT_USCC = "深圳市星河智能科技有限公司", "91440305MA0AN3L62H"
PROVIDER, PROVIDER_USCC = "北京明理智源科技有限公司", "91110115MAKB86GY3W"
OTHER_USCC = "91110115MAEY1QWM3M"  # a valid code of a third company
MODEL = "明理大模型"
SCOPE = "软件开发;人工智能应用软件开发;信息技术咨询服务;数据处理和存储支持服务。(依法须经批准的项目,经相关部门批准后方可开展经营活动)"

# Per programme: dates inside its windows, the project's deployment mode, money that agrees.
PLANS = {
    ETOWN: dict(applied="2026-06-29", mode="API调用", sign="2025-09-29", service=("2025-10-14", "2026-04-16"),
                invoices=[("2025-11-13", 123456.78), ("2026-02-23", 176543.22)], usage=("2025-10-14", "2026-04-16"),
                accepted="2026-04-20"),
    SHENZHEN: dict(applied="2025-10-20", mode="API调用", sign="2025-02-20", service=("2025-03-01", "2026-02-28"),
                   invoices=[("2025-03-10", 123456.78), ("2025-06-18", 176543.22)], usage=("2025-03-01", "2025-09-30"),
                   accepted="2025-09-30"),
    AI_PLUS: dict(applied="2026-06-10", mode="私有化部署", sign="2025-06-20", service=("2025-07-01", "2026-03-31"),
                  invoices=[("2025-09-10", 123456.78), ("2025-12-15", 176543.22)], usage=("2025-07-01", "2026-03-31"),
                  accepted="2026-04-15"),
    Q1: dict(applied="2026-04-28", mode="云化部署", sign="2025-12-02", service=("2026-01-01", "2026-12-31"),
             invoices=[("2026-04-02", 123456.78), ("2026-04-04", 176543.22)], usage=("2026-01-01", "2026-03-31"),
             accepted="2026-04-10"),
    LONGGANG: dict(applied="2025-12-10", mode="云化部署", sign="2025-01-05", service=("2025-01-10", "2025-10-31"),
                   invoices=[("2025-03-15", 123456.78), ("2025-08-20", 176543.22)], usage=("2025-01-10", "2025-10-31"),
                   accepted="2025-11-05"),
}
TOTAL = 300000.00
POLICIES = ROOT.parent / "shared" / "policies"


# --- builders -----------------------------------------------------------------------------------

def fv(value, confidence: float = 1.0, page: int = 1) -> ExtractedField:
    return ExtractedField(value=value, page=page, bbox=(60.0, 150.0, 300.0, 165.0), confidence=confidence)


def seal(page: int = 1, x: float = 300.0, kind: str = "unknown_seal", owner: str | None = None) -> Seal:
    return Seal(page=page, kind=kind, bbox=(x, 560.0, x + 119.0, 679.0), shape="round", owner=owner,
                text=owner or "", confidence=1.0)


def signed(page: int = 1, label: str = "法定代表人（签字）") -> dict:
    box = (360.0, 624.0, 430.0, 645.0)
    return dict(signatures=[Signature(page=page, bbox=box, label=label)],
                signature_labels=[Signature(page=page, bbox=box, label=label)])


class Bundle:
    """A list of DocumentReports, each in its own file (材料（n）.pdf), with small mutators."""

    def __init__(self, programme: str):
        self.programme = programme
        self.docs: list[DocumentReport] = []
        self.files: list[SourceFileReport] = []

    def add(self, doc_type: DocType, fields: dict | None = None, seals=(), pages: int = 1, **extra) -> DocumentReport:
        n = len(self.docs) + 1
        source = f"材料（{n}）.pdf"
        doc = DocumentReport(
            id=f"d{n}", source=source, pages=list(range(1, pages + 1)), doc_type=doc_type,
            text_source=TextSource.text_layer,
            fields={k: v if isinstance(v, ExtractedField) else fv(v) for k, v in (fields or {}).items()},
            seals=list(seals), parts=[PageRef(source=source, page=p) for p in range(1, pages + 1)],
            # as the classifier leaves them: the first page titled, every page clearly of its type
            page_info=[PageInfo(source=source, page=p, text_source=TextSource.text_layer, width=595.0, height=842.0,
                                title=DOC_TYPE_ZH[doc_type] if p == 1 else None, doc_type_score=0.8)
                       for p in range(1, pages + 1)],
            **extra)
        self.docs.append(doc)
        return doc

    def of(self, doc_type: DocType) -> list[DocumentReport]:
        return [d for d in self.docs if d.doc_type == doc_type]

    def one(self, doc_type: DocType) -> DocumentReport:
        return self.of(doc_type)[0]

    def drop(self, *types: DocType) -> "Bundle":
        self.docs = [d for d in self.docs if d.doc_type not in types]
        return self

    def set(self, doc_type: DocType, name: str, value, confidence: float = 1.0, index: int = 0) -> DocumentReport:
        doc = self.of(doc_type)[index]
        doc.fields[name] = fv(value, confidence, page=doc.fields[name].page if name in doc.fields else 1)
        return doc

    def run(self) -> Validation:
        return validate_documents(self.docs, self.files, load_checklist(self.programme))


def add_invoice(b: Bundle, day: str, total: float, seller=PROVIDER, seller_uscc=PROVIDER_USCC) -> DocumentReport:
    """A 数电 invoice (20-digit number, no 发票代码, no seal) with its QR reading."""
    number = f"25442000{len(b.docs):012d}"
    excl = round(total / 1.06, 2)
    return b.add(DocType.invoice, {
        "invoice_number": number, "issue_date": day, "buyer_name": APPLICANT, "buyer_uscc": APPLICANT_USCC,
        "seller_name": seller, "seller_uscc": seller_uscc, "amount_excl_tax": excl,
        "tax_amount": round(total - excl, 2), "total_amount": total,
        "total_amount_upper": "⊗" + values.upper_amount(total).replace("元", "圆").removesuffix("整"),
        "qr_invoice_number": number, "qr_issue_date": day, "qr_total_amount": total})


def make_paper(doc: DocumentReport, with_seal: bool) -> DocumentReport:
    """The same invoice as a paper 专票: 发票代码 + 8-digit number, and (maybe) its 发票专用章."""
    doc.fields["invoice_code"] = fv("044031900111")
    doc.fields["invoice_number"] = fv("12345678")
    for name in ("qr_invoice_number", "qr_total_amount"):
        doc.fields.pop(name, None)
    doc.seals = [seal(x=415.0, kind="invoice_seal")] if with_seal else []
    return doc


def contract_seals(left_owner: str | None = None, right_owner: str | None = None, paging: bool = True) -> list[Seal]:
    out = [seal(page=3, x=80.0, owner=left_owner), seal(page=3, x=330.0, owner=right_owner)]
    if paging:
        out += [Seal(page=p, kind="paging_seal", bbox=(555.0, 380.0, 595.0, 480.0), shape="slice") for p in (1, 2, 3)]
    return out


def clean(programme: str, mode: str | None = None) -> Bundle:
    """Every material the programme asks for, consistent and in its windows: checks to `pass`."""
    plan = PLANS[programme]
    mode = mode or plan["mode"]
    b = Bundle(programme)
    b.add(DocType.business_licence, {
        "company_name": APPLICANT, "uscc": APPLICANT_USCC, "legal_rep": "张伟", "established_date": "2019-05-20",
        "valid_until": "长期", "address": "深圳市南山区粤海街道科技园路1号", "business_scope": SCOPE}, [seal(x=540.0)])
    b.add(DocType.application_form, {
        "applicant_name": APPLICANT, "uscc": APPLICANT_USCC, "programme_title": load_checklist(programme).title,
        "requested_amount": 90000.0, "sign_date": plan["applied"], "deployment_mode": mode,
        "provider_name": PROVIDER, "model_name": MODEL, "contract_amount": TOTAL}, [seal(x=260.0)], **signed())
    b.add(DocType.commitment_letter, {"company_name": APPLICANT, "sign_date": plan["applied"]}, [seal(x=240.0)],
          **signed())
    b.add(DocType.legal_rep_id, {}, [seal(x=376.0)], **signed(label="本人签字"))
    b.add(DocType.contract, {
        "party_a": APPLICANT, "party_b": PROVIDER, "contract_amount": TOTAL, "sign_date": plan["sign"],
        "service_start": plan["service"][0], "service_end": plan["service"][1], "model_name": MODEL,
        "deployment_mode": mode}, contract_seals(), pages=3)
    for day, total in plan["invoices"]:
        add_invoice(b, day, total)
    b.add(DocType.payment_proof, {"payer_name": APPLICANT, "payee_name": PROVIDER, "amount": TOTAL,
                                  "payment_date": plan["invoices"][-1][0]}, [seal(x=410.0)])
    if mode in ("API调用", "云化部署"):
        b.add(DocType.usage_statement, {
            "customer_name": APPLICANT, "provider_name": PROVIDER, "period_start": plan["usage"][0],
            "period_end": plan["usage"][1], "total_amount": TOTAL, "model_name": MODEL}, [seal(x=301.0)])
    else:
        b.add(DocType.acceptance_report, {"customer_name": APPLICANT, "provider_name": PROVIDER,
                                          "acceptance_date": plan["accepted"]}, [seal(x=301.0)])
    if programme == AI_PLUS and not b.of(DocType.acceptance_report):  # 终验报告 whatever the mode
        b.add(DocType.acceptance_report, {"customer_name": APPLICANT, "provider_name": PROVIDER,
                                          "acceptance_date": plan["accepted"]}, [seal(x=301.0)])
    b.add(DocType.cac_filing, {"provider_name": PROVIDER, "model_name": MODEL,
                               "filing_number": "Beijing-MingLi-20231108"})
    kinds = ["完税证明", "无欠税证明"] if programme == AI_PLUS else ["纳税证明"]
    for kind in kinds:
        b.add(DocType.tax_certificate, {"taxpayer_name": APPLICANT, "uscc": APPLICANT_USCC,
                                        "issue_date": plan["applied"], "certificate_kind": kind}, [seal(x=365.0)])
    b.add(DocType.statistics_report, {"company_name": APPLICANT, "uscc": APPLICANT_USCC, "report_months": 3,
                                      "revenue": 55710000.0})
    for doc_type in (DocType.audit_report, DocType.credit_report, DocType.bank_account_info,
                     DocType.implementation_plan, DocType.employment_proof):
        b.add(doc_type, {}, [seal(x=290.0)])
    return b


# --- helpers over findings ----------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def found(v: Validation, code: str, **match) -> list[Finding]:
    return [f for f in v.findings if f.code == code and all(getattr(f, k) == want for k, want in match.items())]


def one(v: Validation, code: str, **match) -> Finding:
    got = found(v, code, **match)
    assert len(got) == 1, (code, match, [(f.code, f.doc_type, f.field, f.message) for f in v.findings])
    return got[0]


def none_of(v: Validation, *codes: str) -> None:
    bad = [(f.code, f.doc_type, f.field, f.message) for f in v.findings if f.code in codes]
    assert not bad, bad


def says(f: Finding, *parts) -> None:
    """The message is Chinese and carries every part (file, page, expected and found values)."""
    assert CJK.search(f.message), f.message
    for part in parts:
        assert str(part) in f.message, (part, f.message)


def where(doc: DocumentReport) -> tuple[str, str]:
    return f"文件「{doc.source}」", f"第 {'、'.join(map(str, doc.pages))} 页"


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# --- the clean bundle and the verdict -----------------------------------------------------------

@pytest.mark.parametrize("programme", PROGRAMMES)
def test_clean_bundle_of_every_programme_passes(programme):
    v = clean(programme).run()
    assert v.findings == [], [(f.code, f.doc_type, f.field, f.message) for f in v.findings]
    assert v.verdict == Verdict.pass_
    assert v.subsidy.basis is not None and v.subsidy.payable and v.subsidy.payable > 0


def test_verdict_pass_needs_review_fail():
    warn = Finding(code="FIELD_UNREADABLE", severity=Severity.warning, message="x")
    err = Finding(code="SEAL_MISSING", severity=Severity.error, message="x")
    info = Finding(code="DOCUMENT_UNREADABLE", severity=Severity.info, message="x")
    assert verdict_of([]) == verdict_of([info]) == Verdict.pass_
    assert verdict_of([warn, info]) == Verdict.needs_review
    assert verdict_of([warn, err]) == Verdict.fail
    b = clean(ETOWN)
    b.set(DocType.contract, "contract_amount", 300000.0, confidence=0.4)  # warning only
    assert b.run().verdict == Verdict.needs_review
    b.set(DocType.invoice, "buyer_name", "深圳星河智能科技有限公司")  # an error besides
    v = b.run()
    assert v.verdict == Verdict.fail
    assert [f.severity for f in v.findings] == sorted((f.severity for f in v.findings),
                                                       key=[Severity.error, Severity.warning].index)


# --- materials: required, alternatives, counts, conditions, optional ----------------------------

MATERIAL_CASES = [(p, m.id) for p in PROGRAMMES for m in load_checklist(p).materials if not m.optional]


@pytest.mark.parametrize(("programme", "material_id"), MATERIAL_CASES)
def test_every_required_material_is_reported_when_absent(programme, material_id):
    material = next(m for m in load_checklist(programme).materials if m.id == material_id)
    b = clean(programme, mode=material.when.deployment_mode[0] if material.when else None)
    assert len(b.of(material.any_of[0])) >= material.min_count  # present in the clean bundle: no finding
    assert not found(b.run(), "MATERIAL_MISSING", field=material_id)
    v = b.drop(*material.any_of).run()
    f = one(v, "MATERIAL_MISSING", field=material_id)
    assert f.severity == Severity.error and f.doc_type == material.any_of[0]
    assert f.expected.startswith(f"{material.min_count} 份") and f.found == "0 份"
    says(f, "缺少申报材料", material.name, material.policy_ref)
    assert v.verdict == Verdict.fail


def test_any_of_alternative_satisfies_the_material():
    # Longgang: 财务审计报告或财务报表; the statistics report stands in for the audit report.
    b = clean(LONGGANG).drop(DocType.audit_report)
    assert b.of(DocType.statistics_report)
    none_of(b.run(), "MATERIAL_MISSING")
    f = one(b.drop(DocType.statistics_report).run(), "MATERIAL_MISSING", field="audit_report")
    says(f, "近两年的财务审计报告或财务报表")
    assert "统计报表" in f.expected


def test_filing_or_assessment_alternative_in_longgang():
    b = clean(LONGGANG).drop(DocType.cac_filing)
    b.add(DocType.security_assessment, {})
    v = b.run()
    none_of(v, "MATERIAL_MISSING", "FILING_MISSING")
    assert v.verdict == Verdict.pass_


def test_min_count_two_tax_certificates_in_ai_plus():
    b = clean(AI_PLUS)
    assert len(b.of(DocType.tax_certificate)) == 2
    none_of(b.run(), "MATERIAL_MISSING")
    b.docs.remove(b.of(DocType.tax_certificate)[1])
    f = one(b.run(), "MATERIAL_MISSING", field="tax_certificates")
    assert (f.expected, f.found) == ("2 份 完税/无欠税/纳税证明", "1 份")
    says(f, "完税证明和无欠税证明", "要求 2 份", "识别到 1 份")


@pytest.mark.parametrize("mode", ["API调用", "云化部署"])
def test_etown_api_or_cloud_needs_usage_statement_not_acceptance(mode):
    b = clean(ETOWN, mode=mode)
    assert not b.of(DocType.acceptance_report)
    none_of(b.run(), "MATERIAL_MISSING")
    f = one(b.drop(DocType.usage_statement).run(), "MATERIAL_MISSING")
    assert (f.doc_type, f.field) == (DocType.usage_statement, "usage_statement")
    says(f, "API调用、云化部署项目", "大模型使用结算单")


@pytest.mark.parametrize("mode", ["私有化部署", "大模型一体机"])
def test_etown_private_deployment_needs_acceptance_not_usage(mode):
    b = clean(ETOWN, mode=mode)
    assert not b.of(DocType.usage_statement)
    v = b.run()
    none_of(v, "MATERIAL_MISSING", "SEAL_MISSING")  # the usage statement's provider seal is not asked for
    f = one(b.drop(DocType.acceptance_report).run(), "MATERIAL_MISSING")
    assert f.doc_type == DocType.acceptance_report
    says(f, "私有化部署、大模型一体机项目", "项目交付或验收证明材料")


def test_etown_mode_unread_one_conditional_material_is_enough():
    b = clean(ETOWN)
    for doc_type in (DocType.contract, DocType.application_form):
        b.set(doc_type, "deployment_mode", "API调用", confidence=0.3)
    none_of(b.run(), "MATERIAL_MISSING")
    v = b.drop(DocType.usage_statement).run()
    f = one(v, "MATERIAL_MISSING")  # one finding naming both alternatives, not two
    says(f, "使用结算单", "验收证明", "未能识别部署方式")


def test_optional_invoice_in_shenzhen_is_not_required_but_checked_when_present():
    b = clean(SHENZHEN).drop(DocType.invoice, DocType.payment_proof)
    v = b.run()
    none_of(v, "MATERIAL_MISSING", "SEAL_MISSING")
    b = clean(SHENZHEN)
    invoice = make_paper(b.of(DocType.invoice)[0], with_seal=False)
    f = one(b.run(), "SEAL_MISSING", field="invoice_seal")
    assert f.document == invoice.id
    says(f, *where(invoice), "销售方发票专用章", "发票（如提供）")


def test_unreadable_file_and_textless_document():
    b = clean(ETOWN)
    b.files.append(SourceFileReport(name="扫描件_09.pdf", sha256="0" * 64, size=1200, format="pdf",
                                    error="PDF 文件已损坏，无法打开"))
    blank = b.add(DocType.other, {})
    blank.text_source = TextSource.none
    v = b.run()
    by_file = one(v, "DOCUMENT_UNREADABLE", source="扫描件_09.pdf")
    says(by_file, "扫描件_09.pdf", "无法读取", "已损坏")
    by_doc = one(v, "DOCUMENT_UNREADABLE", document=blank.id)
    assert by_doc.severity == Severity.warning and by_doc.doc_type is None
    says(by_doc, *where(blank), "没有可识别的文字")
    assert v.verdict == Verdict.needs_review
    none_of(clean(ETOWN).run(), "DOCUMENT_UNREADABLE")


# --- seals and signatures ------------------------------------------------------------------------

SEAL_CASES = [(p, m.id, r.kind) for p in PROGRAMMES for m in load_checklist(p).materials for r in m.seals]


def _strip_seal(b: Bundle, doc: DocumentReport, kind: str, unless_digital: bool) -> None:
    if unless_digital:
        make_paper(doc, with_seal=False)
    elif kind == "paging_seal":
        doc.seals = [s for s in doc.seals if s.kind != "paging_seal"]
    elif doc.doc_type == DocType.contract:  # 甲方 signs on the left, 乙方 on the right
        left = kind == "company_seal"
        doc.seals = [s for s in doc.seals if s.kind == "paging_seal" or ((s.bbox[0] + s.bbox[2]) / 2 < 297.5) != left]
    else:
        doc.seals = []


@pytest.mark.parametrize(("programme", "material_id", "kind"), SEAL_CASES)
def test_every_seal_rule_is_reported_when_its_seal_is_absent(programme, material_id, kind):
    material = next(m for m in load_checklist(programme).materials if m.id == material_id)
    rule = next(r for r in material.seals if r.kind == kind)
    b = clean(programme, mode=material.when.deployment_mode[0] if material.when else None)
    assert not found(b.run(), "SEAL_MISSING")
    doc = b.of(material.any_of[0])[-1]
    _strip_seal(b, doc, kind, rule.unless_digital_invoice)
    v = b.run()
    f = one(v, "SEAL_MISSING", field=kind)
    assert f.severity == Severity.error and f.document == doc.id and f.doc_type == doc.doc_type
    says(f, *where(doc), "缺少", material.name, material.policy_ref)
    assert v.verdict == Verdict.fail


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_digital_invoice_without_seal_raises_nothing_paper_invoice_does(programme):
    b = clean(programme)
    invoice = b.of(DocType.invoice)[0]
    assert invoice.seals == [] and "invoice_code" not in invoice.fields
    none_of(b.run(), "SEAL_MISSING")
    make_paper(invoice, with_seal=True)
    none_of(b.run(), "SEAL_MISSING")
    make_paper(invoice, with_seal=False)
    f = one(b.run(), "SEAL_MISSING", field="invoice_seal")
    assert f.doc_type == DocType.invoice
    says(f, *where(invoice), "销售方发票专用章", "未发现印章")


def test_digital_invoice_is_recognised_by_its_qr_number_too():
    b = clean(ETOWN)
    invoice = b.of(DocType.invoice)[0]
    invoice.fields["invoice_number"] = fv("2544200000001234567", confidence=0.3)  # a digit lost by OCR
    none_of(b.run(), "SEAL_MISSING")


def test_paging_seal_only_for_contracts_of_min_pages():
    b = clean(SHENZHEN)
    contract = b.one(DocType.contract)
    contract.seals = contract_seals(paging=False)
    f = one(b.run(), "SEAL_MISSING", field="paging_seal")
    says(f, *where(contract), "骑缝章", "共 3 页")
    # A one-page contract needs no 骑缝章 (min_pages: 2)
    contract.pages, contract.parts = [1], contract.parts[:1]
    contract.seals = [seal(page=1, x=80.0), seal(page=1, x=330.0)]
    none_of(b.run(), "SEAL_MISSING")
    # Other programmes do not ask for it at all
    other = clean(ETOWN)
    other.one(DocType.contract).seals = contract_seals(paging=False)
    none_of(other.run(), "SEAL_MISSING")


def test_contract_seals_by_position_when_owners_are_unread():
    b = clean(ETOWN)
    contract = b.one(DocType.contract)
    contract.seals = [seal(page=3, x=80.0)]  # 甲方 only
    f = one(b.run(), "SEAL_MISSING")
    assert f.field == "provider_seal"
    says(f, *where(contract), "乙方（模型服务提供方）")
    contract.seals = [seal(page=3, x=330.0)]  # 乙方 only
    f = one(b.run(), "SEAL_MISSING")
    assert f.field == "company_seal"
    says(f, "甲方（申报单位）")
    contract.seals = []
    assert {f.field for f in found(b.run(), "SEAL_MISSING")} == {"company_seal", "provider_seal"}


def test_contract_seals_with_owners_read_each_in_its_place():
    b = clean(ETOWN)
    contract = b.one(DocType.contract)
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner=PROVIDER)
    none_of(b.run(), "SEAL_MISSING", "RELATED_PARTY")
    contract.seals = [seal(page=3, x=80.0, owner=APPLICANT)]  # the provider's side is empty
    f = one(b.run(), "SEAL_MISSING")
    assert f.field == "provider_seal"
    says(f, *where(contract), "乙方（模型服务提供方）")


def test_company_seal_of_another_company_or_a_personal_seal_does_not_count():
    b = clean(ETOWN)
    letter = b.one(DocType.commitment_letter)
    letter.seals = [seal(owner=APPLICANT)]
    none_of(b.run(), "SEAL_MISSING")
    letter.seals = [seal(owner="深圳市某某咨询有限公司")]
    f = one(b.run(), "SEAL_MISSING", field="company_seal")
    says(f, *where(letter), "深圳市某某咨询有限公司", APPLICANT)
    letter.seals = [seal(kind="personal_seal")]
    f = one(b.run(), "SEAL_MISSING", field="company_seal")
    says(f, "申报单位公章", "未发现印章")


SIGNATURE_CASES = [(p, m.id) for p in PROGRAMMES for m in load_checklist(p).materials if m.signature]


@pytest.mark.parametrize(("programme", "material_id"), SIGNATURE_CASES)
def test_every_signature_rule(programme, material_id):
    material = next(m for m in load_checklist(programme).materials if m.id == material_id)
    b = clean(programme)
    none_of(b.run(), "SIGNATURE_MISSING")
    doc = b.one(material.any_of[0])
    doc.signatures = []  # the label is there, the pen stroke is not: an error
    f = one(b.run(), "SIGNATURE_MISSING")
    assert (f.severity, f.document, f.doc_type, f.page) == (Severity.error, doc.id, doc.doc_type, 1)
    says(f, *where(doc), "缺少签字", doc.signature_labels[0].label, material.policy_ref)
    doc.signature_labels = []  # no label found either: unread, not missing; the reviewer looks
    v = b.run()
    none_of(v, "SIGNATURE_MISSING")
    f = one(v, "FIELD_UNREADABLE", field="legal_rep_signature")
    assert (f.severity, f.document) == (Severity.warning, doc.id)
    says(f, *where(doc), "签字处", "人工核对")


def test_no_signature_asked_where_the_checklist_asks_none():
    b = clean(SHENZHEN)
    for doc in b.docs:
        doc.signatures, doc.signature_labels = [], []
    none_of(b.run(), "SIGNATURE_MISSING")


# --- dates --------------------------------------------------------------------------------------

DATE_CASES = [(p, i) for p in PROGRAMMES for i in range(len(load_checklist(p).dates))]


@pytest.mark.parametrize(("programme", "index"), DATE_CASES)
def test_every_date_rule_inclusive_window(programme, index):
    rule = load_checklist(programme).dates[index]
    start, end = rule.window.start.isoformat(), rule.window.end.isoformat()
    b = clean(programme, mode="私有化部署" if rule.doc_type == DocType.acceptance_report else None)
    assert b.of(rule.doc_type), rule
    for day in (start, end):
        b.set(rule.doc_type, rule.field, day)
        if rule.doc_type == DocType.invoice:
            b.set(rule.doc_type, f"qr_{rule.field}", day)
        none_of(b.run(), "DATE_OUT_OF_WINDOW")
    for day in (shift(start, -1), shift(end, 1)):
        doc = b.set(rule.doc_type, rule.field, day)
        if rule.doc_type == DocType.invoice:
            b.set(rule.doc_type, f"qr_{rule.field}", day)
        v = b.run()
        f = one(v, "DATE_OUT_OF_WINDOW")
        assert (f.document, f.field, f.severity) == (doc.id, rule.field, Severity.error)
        assert (f.expected, f.found) == (f"{start}..{end}", day)
        says(f, *where(doc), rule.label, day, f"{start} 至 {end}", rule.policy_ref)


def test_licence_validity_against_the_application_date():
    b = clean(ETOWN)  # applied 2026-06-29 (application form), inside the application window
    none_of(b.run(), "LICENCE_EXPIRED")  # 长期 never expires
    b.set(DocType.business_licence, "valid_until", "2026-06-29")
    none_of(b.run(), "LICENCE_EXPIRED")
    licence = b.set(DocType.business_licence, "valid_until", "2026-06-28")
    f = one(b.run(), "LICENCE_EXPIRED")
    assert (f.document, f.field, f.expected, f.found) == (licence.id, "valid_until", ">=2026-06-29", "2026-06-28")
    says(f, *where(licence), "营业期限", "2026-06-28", "2026-06-29", "已过期")


def test_licence_application_date_falls_back_to_the_window_start():
    b = clean(ETOWN)
    b.set(DocType.application_form, "sign_date", "2025-01-01")  # outside the 申报时间: not trusted
    b.set(DocType.commitment_letter, "sign_date", "2025-01-01")
    b.set(DocType.business_licence, "valid_until", "2026-06-26")
    none_of(b.run(), "LICENCE_EXPIRED")
    b.set(DocType.business_licence, "valid_until", "2026-06-25")
    f = one(b.run(), "LICENCE_EXPIRED")
    assert f.expected == ">=2026-06-26"  # the 申报时间's first day stands in for the application date


# --- amounts ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("upper", "total"), [
    ("⊗叁拾万陆仟零玖拾肆圆陆角捌分", 306094.68),
    ("人民币叁拾万陆仟零玖拾肆元陆角捌分", 306094.68),
    ("叁拾万圆整", 300000.00),
    ("⊗叁拾万元正", 300000.00),
    ("壹拾万零壹元整", 100001.00),
    ("壹佰元伍角", 100.50),
    ("壹佰元零伍分", 100.05),
])
def test_invoice_upper_case_forms_that_agree(upper, total):
    b = clean(ETOWN)
    b.set(DocType.invoice, "total_amount", total)
    b.set(DocType.invoice, "qr_total_amount", total)
    b.set(DocType.invoice, "total_amount_upper", upper)
    assert not [f for f in b.run().findings if f.field == "total_amount_upper"]


def test_invoice_upper_case_that_disagrees():
    b = clean(LONGGANG)
    invoice = b.set(DocType.invoice, "total_amount_upper", "⊗壹拾贰万叁仟肆佰伍拾柒圆柒角捌分")  # 1 元 more
    f = one(b.run(), "AMOUNT_MISMATCH", field="total_amount_upper")
    assert (f.document, f.expected, f.found) == (invoice.id, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分",
                                                 "⊗壹拾贰万叁仟肆佰伍拾柒圆柒角捌分")
    says(f, *where(invoice), "123,457.78 元", "123,456.78 元", "不一致")


def test_invoices_against_contract():
    b = clean(AI_PLUS)
    b.set(DocType.contract, "contract_amount", 300000.00)
    none_of(b.run(), "AMOUNT_MISMATCH")  # equal
    b.set(DocType.contract, "contract_amount", 350000.00)
    none_of(b.run(), "AMOUNT_MISMATCH")  # invoiced in part: allowed
    contract = b.set(DocType.contract, "contract_amount", 280000.00)
    f = one(b.run(), "AMOUNT_MISMATCH", field="total_amount")
    assert f.doc_type == DocType.invoice and (f.expected, f.found) == ("<=280000.00", "300000.00")
    invoices = b.of(DocType.invoice)
    says(f, "2 张发票", "300,000.00 元", "280,000.00 元", "超出 20,000.00 元", *where(contract),
         *where(invoices[0]), *where(invoices[1]))
    b.set(DocType.contract, "contract_amount", 299999.99)  # one fen short
    assert one(b.run(), "AMOUNT_MISMATCH").found == "300000.00"


# In floats a one-fen gap is 0.01 plus or minus noise (300000.00/.01 above, 123456.78/.79 below):
# both must count.
@pytest.mark.parametrize(("invoiced", "paid"), [(300000.00, 299999.99), (300000.00, 300000.01),
                                                (123456.78, 123456.79), (123456.78, 123456.77),
                                                (300000.00, 290000.00)])
def test_payments_must_equal_invoices_to_the_fen(invoiced, paid):
    b = _invoiced(Q1, [invoiced])
    b.set(DocType.payment_proof, "amount", invoiced)
    b.set(DocType.usage_statement, "total_amount", invoiced)
    none_of(b.run(), "AMOUNT_MISMATCH")
    payment = b.set(DocType.payment_proof, "amount", paid)
    f = one(b.run(), "AMOUNT_MISMATCH", field="amount")
    assert (f.document, f.expected, f.found) == (payment.id, f"{invoiced:.2f}", f"{paid:.2f}")
    says(f, *where(payment), f"{paid:,.2f} 元", f"{invoiced:,.2f} 元", "不一致")


def test_payments_split_over_several_proofs_are_summed():
    b = clean(ETOWN)
    b.set(DocType.payment_proof, "amount", 123456.78)
    b.add(DocType.payment_proof, {"payer_name": APPLICANT, "payee_name": PROVIDER, "amount": 176543.22,
                                  "payment_date": "2026-02-25"})
    none_of(b.run(), "AMOUNT_MISMATCH")


def test_usage_statement_against_invoices():
    b = clean(LONGGANG)
    none_of(b.run(), "AMOUNT_MISMATCH")
    usage = b.set(DocType.usage_statement, "total_amount", 312000.00)
    f = one(b.run(), "AMOUNT_MISMATCH", field="total_amount", doc_type=DocType.usage_statement)
    assert (f.document, f.expected, f.found) == (usage.id, "300000.00", "312000.00")
    says(f, *where(usage), "312,000.00 元", "300,000.00 元", "相差 12,000.00 元")


def test_amount_checks_wait_for_every_amount_to_be_read():
    b = clean(ETOWN)
    b.set(DocType.payment_proof, "amount", 100.00)
    b.set(DocType.invoice, "total_amount", 123456.78, confidence=0.4)
    b.one(DocType.invoice).fields.pop("qr_total_amount")
    v = b.run()
    none_of(v, "AMOUNT_MISMATCH")  # a sum that skips an unread invoice proves nothing
    assert len(found(v, "FIELD_UNREADABLE", field="total_amount")) == 1  # one warning, not one per check


def test_contract_minimum_in_ai_plus():
    b = clean(AI_PLUS)
    b.set(DocType.contract, "contract_amount", 200000.00)
    none_of(b.run(), "AMOUNT_BELOW_MINIMUM")
    contract = b.set(DocType.contract, "contract_amount", 199999.99)
    f = one(b.run(), "AMOUNT_BELOW_MINIMUM")
    assert (f.document, f.field, f.expected, f.found) == (contract.id, "contract_amount", ">=200000", "199999.99")
    says(f, *where(contract), "项目合同金额", "199,999.99 元", "200,000.00 元", "四、（一）6")
    other = clean(ETOWN)  # no such floor elsewhere
    other.set(DocType.contract, "contract_amount", 199999.99)
    none_of(other.run(), "AMOUNT_BELOW_MINIMUM")


# --- subsidy ------------------------------------------------------------------------------------

def _invoiced(programme: str, totals: list[float], days: list[str] | None = None) -> Bundle:
    b = clean(programme).drop(DocType.invoice)
    for i, total in enumerate(totals):
        add_invoice(b, days[i] if days else PLANS[programme]["invoices"][0][0], total)
    return b


@pytest.mark.parametrize(("basis", "amount", "payable"), [
    (300000.00, 150000.00, 150000.0),
    (123456.78, 61728.39, 62000.0),     # 6.17 万 → 6.2 万
    (125000.00, 62500.00, 63000.0),     # 6.25 万 → 6.3 万: half up, not to even
    (12000000.00, 5000000.00, 5000000.0),  # capped at 500 万
])
def test_etown_subsidy_in_wan_with_one_decimal_half_up(basis, amount, payable):
    v = _invoiced(ETOWN, [basis]).run()
    s = v.subsidy
    assert (s.basis, s.rate, s.cap, s.amount, s.payable) == (basis, 0.5, 5000000.0, amount, payable)
    assert any(f"{payable / 10000:.1f} 万元" in n for n in s.notes), s.notes
    none_of(v, "AMOUNT_BELOW_MINIMUM")


def test_etown_payable_under_one_wan_is_not_paid():
    v = _invoiced(ETOWN, [18800.00]).run()  # 9,400 元 → 0.9 万
    f = one(v, "AMOUNT_BELOW_MINIMUM", field="payable")
    assert (f.expected, f.found, f.severity) == (">=10000", "9000.00", Severity.error)
    says(f, "9,000.00 元", "10,000.00 元", "不予兑现")
    assert v.subsidy.payable == 0.0 and v.verdict == Verdict.fail
    # Policy: 兑现金额以万元为单位保留一位小数，低于1万元不予兑现 — the rounded amount is compared:
    # 9,500 元 is 1.0 万元 and is paid.
    v = _invoiced(ETOWN, [19000.00]).run()
    none_of(v, "AMOUNT_BELOW_MINIMUM")
    assert v.subsidy.payable == 10000.0


def test_invoices_outside_the_basis_window_are_excluded():
    b = clean(ETOWN)
    late = b.set(DocType.invoice, "issue_date", "2026-07-01", index=1)
    b.set(DocType.invoice, "qr_issue_date", "2026-07-01", index=1)
    v = b.run()
    assert v.subsidy.basis == 123456.78
    assert any("不计入" in n and late.source in n and "2026-07-01" in n for n in v.subsidy.notes), v.subsidy.notes
    one(v, "DATE_OUT_OF_WINDOW", document=late.id)
    # Every invoice outside: basis 0, explained by the date findings, not by a payable minimum.
    b.set(DocType.invoice, "issue_date", "2026-07-02", index=0)
    b.set(DocType.invoice, "qr_issue_date", "2026-07-02", index=0)
    v = b.run()
    assert v.subsidy.basis == 0.0 and v.subsidy.payable == 0.0
    none_of(v, "AMOUNT_BELOW_MINIMUM")
    assert len(found(v, "DATE_OUT_OF_WINDOW")) == 2


@pytest.mark.parametrize(("revenue", "months", "cap"), [
    (55710000.00, 3, 1000000.0),
    (30000000.00, 3, 1000000.0),    # 1000万（含）以上 → 100万
    (29999999.97, 3, 500000.0),     # 9,999,999.99 per month → 50万
    (20000000.00, 2, 1000000.0),    # a 1-2月 财务状况表: divided by its own months
    (None, None, 500000.0),         # no statistics report: the lower cap, with a note
])
def test_nanshan_q1_revenue_cap_tiers(revenue, months, cap):
    b = clean(Q1)
    b.set(DocType.usage_statement, "total_amount", 2400000.00)  # 120万 before the cap
    if revenue is None:
        b.drop(DocType.statistics_report)
    else:
        b.set(DocType.statistics_report, "revenue", revenue)
        b.set(DocType.statistics_report, "report_months", months)
    s = b.run().subsidy
    assert (s.basis, s.rate, s.cap, s.amount, s.payable) == (2400000.00, 0.5, cap, cap, cap)
    if revenue is None:
        assert any("未能从统计报表识别月均营收" in n for n in s.notes)


def test_nanshan_q1_under_the_cap():
    s = clean(Q1).run().subsidy
    assert (s.basis, s.amount, s.payable, s.cap) == (300000.00, 150000.00, 150000.00, 1000000.0)


@pytest.mark.parametrize(("programme", "basis", "amount"), [
    (SHENZHEN, 300000.00, 90000.00),
    (SHENZHEN, 8000000.00, 2000000.00),
    (AI_PLUS, 300000.00, 90000.00),
    (AI_PLUS, 4000000.00, 1000000.00),
])
def test_invoice_based_rates_and_caps(programme, basis, amount):
    s = _invoiced(programme, [basis]).run().subsidy
    assert (s.basis, s.amount, s.payable) == (basis, amount, amount)


@pytest.mark.parametrize(("contract", "amount"), [
    (300000.00, 90000.00),
    (8000000.00, 2000000.00),
    (1469195.75, 440758.73),  # 440,758.725: half up on the exact product (the float is just under)
])
def test_longgang_subsidy_from_the_contract(contract, amount):
    b = clean(LONGGANG)
    b.set(DocType.contract, "contract_amount", contract)
    s = b.run().subsidy
    assert (s.basis, s.rate, s.cap, s.amount, s.payable) == (contract, 0.3, 2000000.0, amount, amount)


def test_subsidy_waits_for_an_unread_amount():
    b = clean(LONGGANG)
    contract = b.set(DocType.contract, "contract_amount", 300000.00, confidence=0.5)
    v = b.run()
    assert v.subsidy.basis is None and v.subsidy.payable is None
    assert any("无法可靠识别" in n for n in v.subsidy.notes)
    f = one(v, "FIELD_UNREADABLE", field="contract_amount")
    says(f, *where(contract), "合同金额", "0.50")


# --- eligibility: industry, filing, related parties --------------------------------------------

@pytest.mark.parametrize(("scope", "ineligible"), [
    (SCOPE, False),
    ("互联网信息服务;网络技术服务;软件开发;广告设计、代理", False),  # 64
    ("软件开发;服装制造;服饰批发", False),                          # first activity decides
    ("服装制造;服饰批发;软件开发;信息技术咨询服务", True),
    ("食品销售;农副产品销售", True),
])
def test_longgang_industry_from_first_activity(scope, ineligible):
    b = clean(LONGGANG)
    licence = b.set(DocType.business_licence, "business_scope", scope)
    v = b.run()
    if not ineligible:
        none_of(v, "INDUSTRY_INELIGIBLE")
        return
    f = one(v, "INDUSTRY_INELIGIBLE")
    assert (f.document, f.field, f.severity) == (licence.id, "business_scope", Severity.error)
    first = re.split(r"[;；]", scope)[0]
    assert f.found == first
    says(f, first, "64 互联网和相关服务", "65 软件和信息技术服务业", *where(licence))


@pytest.mark.parametrize(("code", "ineligible"), [("5191", True), ("6513", False), ("65", False), ("6421", False)])
def test_the_industry_the_form_declares_is_checked_before_the_licence_scope(code, ineligible):
    """The form's 所属行业 (国民经济行业代码) is what the applicant claims: 互联网批发 (5191) is
    not a division Longgang admits, whatever the licence's 经营范围 lists first."""
    b = clean(LONGGANG)
    form = b.set(DocType.application_form, "industry_code", code)
    b.set(DocType.business_licence, "business_scope", SCOPE)
    v = b.run()
    if not ineligible:
        none_of(v, "INDUSTRY_INELIGIBLE")
        return
    f = one(v, "INDUSTRY_INELIGIBLE")
    assert (f.document, f.field, f.found, f.severity) == (form.id, "industry_code", code, Severity.error)
    says(f, code, "65 软件和信息技术服务业", *where(form))


def test_industry_is_not_checked_where_the_programme_admits_any():
    b = clean(ETOWN)
    b.set(DocType.business_licence, "business_scope", "服装制造;服饰批发")
    none_of(b.run(), "INDUSTRY_INELIGIBLE")


def test_industry_unread_scope_is_a_field_warning():
    b = clean(LONGGANG)
    b.set(DocType.business_licence, "business_scope", "服装制造", confidence=0.4)
    v = b.run()
    none_of(v, "INDUSTRY_INELIGIBLE")
    says(one(v, "FIELD_UNREADABLE", field="business_scope"), "经营范围", "行业类别核对")


@pytest.mark.parametrize("programme", [ETOWN, SHENZHEN])
def test_filing_cac_required(programme):
    v = clean(programme).drop(DocType.cac_filing).run()
    f = one(v, "FILING_MISSING")
    assert f.doc_type == DocType.cac_filing and f.found == "无"
    says(f, "生成式人工智能服务备案证明", "国家网信办备案")
    one(v, "MATERIAL_MISSING", doc_type=DocType.cac_filing)


@pytest.mark.parametrize("programme", [AI_PLUS, Q1])
def test_filing_none_asks_for_nothing(programme):
    b = clean(programme).drop(DocType.cac_filing)
    v = b.run()
    none_of(v, "FILING_MISSING", "MATERIAL_MISSING")


def test_filing_cac_or_assessment_in_longgang():
    v = clean(LONGGANG).drop(DocType.cac_filing).run()
    f = one(v, "FILING_MISSING")
    says(f, "生成式人工智能服务备案证明或三级及以上等级保护测评证明")
    one(v, "MATERIAL_MISSING", field="filing_or_assessment")


def test_filing_for_another_model():
    b = clean(ETOWN)
    filing = b.set(DocType.cac_filing, "model_name", "明理视觉大模型")
    f = one(b.run(), "FILING_MISSING")
    assert (f.document, f.field, f.expected, f.found) == (filing.id, "model_name", MODEL, "明理视觉大模型")
    says(f, "明理视觉大模型", MODEL, *where(filing))
    b.set(DocType.cac_filing, "model_name", "“明理大模型” V2.0")  # quotes and a version: the same model
    none_of(b.run(), "FILING_MISSING")


def test_related_party_by_name():
    b = clean(ETOWN)
    contract = b.set(DocType.contract, "party_b", APPLICANT)
    f = one(b.run(), "RELATED_PARTY")
    assert (f.document, f.field, f.severity) == (contract.id, "party_b", Severity.error)
    says(f, *where(contract), "乙方", APPLICANT, "非关联方")


def test_related_party_by_seller_code():
    b = clean(SHENZHEN)
    invoice = b.set(DocType.invoice, "seller_uscc", APPLICANT_USCC)
    f = one(b.run(), "RELATED_PARTY")
    assert (f.document, f.field) == (invoice.id, "seller_uscc")
    says(f, *where(invoice), "销售方税号", APPLICANT_USCC)


def test_related_party_by_the_seal_in_the_providers_place():
    b = clean(LONGGANG)
    contract = b.one(DocType.contract)
    # 乙方 is printed as the provider, but the seal stamped on 乙方's side is the applicant's own.
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner=APPLICANT)
    v = b.run()
    f = one(v, "RELATED_PARTY")
    assert (f.document, f.field) == (contract.id, "party_b_seal")
    says(f, *where(contract), "乙方盖章处的印章", APPLICANT, "非关联方")


@pytest.mark.parametrize(("right_owner", "related"), [
    ("莞圳市星易智能料技有限公司", True),  # the applicant's seal, its arc read three characters off
    ("莞圳市星易智处料技有限公司", False),  # four off: too little left to say whose it is
    ("深圳市星河智能科技有限公司", True),
    ("北京明理智源科技有限公司", False),  # the provider's own
    ("北京市星河智源科技有限公司", False),  # as like one as the other: nothing shown
    ("莞圳力限器月技股份有限公司", False),  # garbled
])
def test_a_garbled_seal_reading_counts_when_clearly_the_applicants(right_owner, related):
    b = clean(LONGGANG)
    b.one(DocType.contract).seals = contract_seals(left_owner=APPLICANT, right_owner=right_owner)
    assert bool([f for f in b.run().findings if f.code == "RELATED_PARTY"]) is related


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_no_related_party_between_different_companies(programme):
    b = clean(programme)
    b.one(DocType.contract).seals = contract_seals(left_owner=APPLICANT, right_owner=PROVIDER)
    none_of(b.run(), "RELATED_PARTY")


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_the_applicant_as_yifang_is_told_by_identity_not_position(programme):
    """Many contracts make the provider 甲方 and the applicant 乙方: who is who is decided by name
    (and credit code) against the licence, so the swap is neither NAME_MISMATCH nor RELATED_PARTY,
    and the applicant's seal is looked for on 乙方's side."""
    b = clean(programme)
    contract = b.set(DocType.contract, "party_a", PROVIDER)
    b.set(DocType.contract, "party_b", APPLICANT)
    contract.seals = contract_seals(left_owner=PROVIDER, right_owner=APPLICANT)
    v = b.run()
    none_of(v, "NAME_MISMATCH")
    none_of(v, "RELATED_PARTY")
    contract.seals = [s for s in contract_seals(left_owner=PROVIDER, right_owner=APPLICANT)
                      if s.kind == "paging_seal" or not contract.on_right_half(s)]  # only 甲方 (left) sealed
    f = one(b.run(), "SEAL_MISSING")
    assert f.field == "company_seal" and "乙方（申报单位）" in f.message


def test_related_party_by_the_providers_credit_code_on_the_contract():
    b = clean(SHENZHEN)
    contract = b.set(DocType.contract, "party_b_uscc", APPLICANT_USCC)
    f = one(b.run(), "RELATED_PARTY")
    assert (f.document, f.field) == (contract.id, "party_b")
    says(f, *where(contract), "乙方", APPLICANT_USCC)
    b.set(DocType.contract, "party_b_uscc", PROVIDER_USCC)
    none_of(b.run(), "RELATED_PARTY")


def test_each_party_code_is_the_one_under_its_name_even_when_a_cover_names_them_first():
    from docintake.core.datamodel import Page, TextLine
    from docintake.extractors.fields import extract_fields

    def page(n, rows):
        return Page(source="c.pdf", page=n, width=595, height=842, text_source=TextSource.text_layer,
                    lines=[TextLine(text=t, bbox=(90, y, 400, y + 13), size=13) for t, y in rows])
    cover = page(1, [("甲 方:深圳市星河智能科技有限公司", 356), ("乙 方:北京明理智源科技有限公司", 386)])
    body = page(2, [("委托方(甲方):深圳市星河智能科技有限公司", 145), (f"统一社会信用代码:{APPLICANT_USCC}", 162),
                    ("地址:深圳市南山区", 177), ("受托方(乙方):北京明理智源科技有限公司", 216),
                    (f"统一社会信用代码:{PROVIDER_USCC}", 234)])
    fields = extract_fields(DocType.contract, [cover, body])
    assert (fields["party_a_uscc"].value, fields["party_b_uscc"].value) == (APPLICANT_USCC, PROVIDER_USCC)
    only_b = page(2, [("甲方:深圳市星河智能科技有限公司", 145), ("乙方:北京明理智源科技有限公司", 216),
                      (f"统一社会信用代码:{PROVIDER_USCC}", 234)])
    fields = extract_fields(DocType.contract, [only_b])
    assert "party_a_uscc" not in fields and fields["party_b_uscc"].value == PROVIDER_USCC


# --- parties: names and credit codes ------------------------------------------------------------

def test_name_mismatch_is_an_error():
    b = clean(ETOWN)
    invoice = b.set(DocType.invoice, "buyer_name", "深圳星河智能科技有限公司")
    f = one(b.run(), "NAME_MISMATCH")
    assert (f.document, f.field, f.severity) == (invoice.id, "buyer_name", Severity.error)
    assert (f.expected, f.found) == (APPLICANT, "深圳星河智能科技有限公司")
    says(f, *where(invoice), "购买方名称", "深圳星河智能科技有限公司", APPLICANT)


def test_name_one_character_off_as_read_by_ocr_is_unreadable_not_a_mismatch():
    b = clean(ETOWN)
    payment = b.set(DocType.payment_proof, "payer_name", "深圳市星河智能料技有限公司", confidence=0.9)
    v = b.run()
    none_of(v, "NAME_MISMATCH")
    f = one(v, "FIELD_UNREADABLE", field="payer_name")
    assert (f.document, f.severity) == (payment.id, Severity.warning)
    says(f, *where(payment), "仅差一个字", "深圳市星河智能料技有限公司")
    # A confident engine on a photographed page is no better: 数澜 read as 数洲 at 0.999.
    b.set(DocType.payment_proof, "payer_name", "深圳市星河智能料技有限公司", confidence=0.999)
    payment.page_info = [p.model_copy(update={"text_source": TextSource.ocr}) for p in payment.page_info]
    none_of(b.run(), "NAME_MISMATCH")
    # Read from a text layer the same difference is a real one.
    payment.page_info = [p.model_copy(update={"text_source": TextSource.text_layer}) for p in payment.page_info]
    assert one(b.run(), "NAME_MISMATCH").severity == Severity.error


def test_a_name_read_only_in_part_on_a_photo_is_unreadable_not_a_mismatch():
    """市星河智能科技有限公司: the start of the name lost under a seal or off the photo's edge."""
    b = clean(ETOWN)
    letter = b.set(DocType.commitment_letter, "company_name", APPLICANT[2:], confidence=0.99)
    letter.page_info = [p.model_copy(update={"text_source": TextSource.ocr}) for p in letter.page_info]
    v = b.run()
    none_of(v, "NAME_MISMATCH")
    says(one(v, "FIELD_UNREADABLE", field="company_name"), APPLICANT[2:], "只识别出其中一段")
    letter.page_info = [p.model_copy(update={"text_source": TextSource.text_layer}) for p in letter.page_info]
    b.set(DocType.commitment_letter, "company_name", APPLICANT[2:])
    assert one(b.run(), "NAME_MISMATCH").severity == Severity.error  # printed so: a real difference


def test_names_are_compared_normalised():
    b = clean(ETOWN)
    b.set(DocType.contract, "party_a", "深圳市星河智能科技 有限公司")
    b.set(DocType.usage_statement, "customer_name", " 深圳市星河智能科技有限公司")
    none_of(b.run(), "NAME_MISMATCH")


def _with_check(body17: str) -> str:
    return body17 + check_char(body17)


def test_uscc_invalid_check_digit_is_an_error():
    bad = APPLICANT_USCC[:17] + ("0" if APPLICANT_USCC[17] != "0" else "1")
    assert not values.uscc_valid(bad)
    b = clean(SHENZHEN)
    for doc_type in (DocType.business_licence, DocType.application_form, DocType.tax_certificate,
                     DocType.statistics_report):
        b.set(doc_type, "uscc", bad)
    for invoice in b.of(DocType.invoice):
        invoice.fields["buyer_uscc"] = fv(bad)
    v = b.run()
    f = one(v, "USCC_INVALID")
    licence = b.one(DocType.business_licence)
    assert (f.document, f.severity, f.found) == (licence.id, Severity.error, bad)
    says(f, *where(licence), bad, "GB 32100-2015", "第 18 位")
    none_of(v, "USCC_MISMATCH")


def test_uscc_inner_check_failure_is_a_warning():
    body = APPLICANT_USCC[:16] + ("0" if APPLICANT_USCC[16] != "0" else "1")
    code = _with_check(body)
    assert values.uscc_valid(code) and not values.uscc_inner_valid(code)
    b = clean(ETOWN)
    for doc_type in (DocType.business_licence, DocType.application_form, DocType.tax_certificate,
                     DocType.statistics_report):
        b.set(doc_type, "uscc", code)
    for invoice in b.of(DocType.invoice):
        invoice.fields["buyer_uscc"] = fv(code)
    v = b.run()
    f = one(v, "USCC_INVALID")
    assert f.severity == Severity.warning
    says(f, *where(b.one(DocType.business_licence)), code, "第 9-17 位", "人工核对")
    assert v.verdict == Verdict.needs_review


def test_uscc_mismatch_with_another_valid_code():
    b = clean(SHENZHEN)
    form = b.set(DocType.application_form, "uscc", OTHER_USCC)
    f = one(b.run(), "USCC_MISMATCH")
    assert (f.document, f.field, f.expected, f.found, f.severity) == (
        form.id, "uscc", APPLICANT_USCC, OTHER_USCC, Severity.error)
    says(f, *where(form), OTHER_USCC, APPLICANT_USCC)


def test_uscc_garbled_by_ocr_is_unreadable_not_a_mismatch():
    garbled = APPLICANT_USCC[:10] + "8" + APPLICANT_USCC[11:]  # one character misread
    assert not values.uscc_valid(garbled)
    b = clean(ETOWN)
    invoice = b.set(DocType.invoice, "buyer_uscc", garbled, confidence=0.85)
    v = b.run()
    none_of(v, "USCC_MISMATCH")
    f = one(v, "FIELD_UNREADABLE", field="buyer_uscc")
    assert (f.document, f.severity, f.found) == (invoice.id, Severity.warning, garbled)
    says(f, *where(invoice), garbled, APPLICANT_USCC, "人工核对")
    assert v.verdict == Verdict.needs_review


def test_an_invalid_code_printed_in_a_text_layer_is_the_materials_defect_not_a_misread():
    """A born-digital tax certificate carrying a code that fails its check digit: nothing was
    misread, so it is USCC_INVALID and USCC_MISMATCH on that material (on a scan it would be the
    FIELD_UNREADABLE of the test above)."""
    invalid = APPLICANT_USCC[:17] + ("Y" if APPLICANT_USCC[17] != "Y" else "X")
    assert not values.uscc_valid(invalid)
    b = clean(LONGGANG)
    cert = b.set(DocType.tax_certificate, "uscc", invalid)
    v = b.run()
    bad, other = one(v, "USCC_INVALID"), one(v, "USCC_MISMATCH")
    assert (bad.document, bad.field, other.document, other.field) == (cert.id, "uscc", cert.id, "uscc")
    says(bad, *where(cert), invalid, "校验")
    assert v.verdict == Verdict.fail


@pytest.mark.parametrize(("where", "why"), [("field", "识别置信度仅 0.85"), ("licence", "营业执照"), ("type", "类型识别不确定")])
def test_an_error_resting_on_an_unsure_reading_is_a_warning_for_a_person(where, why):
    """Precision before recall: a clean application must never fail on a guess. The same name
    mismatch is an error when every reading is sure, and a warning saying why when the name was
    read at 0.85, the licence name it is compared with was, or the document's type is unsure."""
    b = clean(ETOWN)
    wrong = "深圳星河智能科技有限公司"
    payment = b.set(DocType.payment_proof, "payer_name", wrong)
    assert one(b.run(), "NAME_MISMATCH").severity == Severity.error
    if where == "field":
        b.set(DocType.payment_proof, "payer_name", wrong, confidence=0.85)
    elif where == "licence":
        b.set(DocType.business_licence, "company_name", APPLICANT, confidence=0.85)
    else:
        payment.page_info = [p.model_copy(update={"title": None, "doc_type_score": 0.3}) for p in payment.page_info]
    v = b.run()
    f = one(v, "NAME_MISMATCH")
    assert f.severity == Severity.warning and v.verdict == Verdict.needs_review
    says(f, wrong, why, "人工复核")


def test_a_material_missing_while_a_document_of_unsure_type_could_be_it_is_a_warning():
    b = clean(ETOWN)
    b.docs = [d for d in b.docs if d.doc_type != DocType.commitment_letter]
    assert one(b.run(), "MATERIAL_MISSING").severity == Severity.error
    unsure = b.add(DocType.other, {})
    unsure.page_info = [p.model_copy(update={"title": None, "doc_type_score": 0.3,
                                             "type_support": {"other": 1.5, "commitment_letter": 1.0}})
                        for p in unsure.page_info]
    v = b.run()
    f = one(v, "MATERIAL_MISSING")
    assert f.severity == Severity.warning and v.verdict == Verdict.needs_review
    says(f, f"文件「{unsure.source}」", "类型未能确定", "人工复核")


# --- fields read without confidence -------------------------------------------------------------

def test_field_unreadable_when_a_needed_field_is_unsure_or_absent():
    b = clean(SHENZHEN)
    contract = b.set(DocType.contract, "service_end", "2026-09-01", confidence=0.42)
    v = b.run()
    none_of(v, "DATE_OUT_OF_WINDOW")  # an unsure date is not called out of window
    f = one(v, "FIELD_UNREADABLE", field="service_end")
    assert (f.document, f.severity, f.found) == (contract.id, Severity.warning, "2026-09-01")
    says(f, *where(contract), "服务截止日期", "2026-09-01", "0.42", "日期范围核对")
    del contract.fields["service_end"]
    f = one(b.run(), "FIELD_UNREADABLE", field="service_end")
    says(f, "未识别到")


def test_qr_reading_wins_over_a_disagreeing_printed_one():
    b = clean(ETOWN)
    invoice = b.one(DocType.invoice)
    # Printed and QR disagree: the extractor lowers the printed reading to 0.3, the QR code decides.
    invoice.fields["issue_date"] = fv("2026-07-02", confidence=0.3)
    v = b.run()
    none_of(v, "DATE_OUT_OF_WINDOW", "FIELD_UNREADABLE")
    invoice.fields["issue_date"] = fv("2025-11-13", confidence=0.3)
    invoice.fields["qr_issue_date"] = fv("2026-07-02")
    f = one(b.run(), "DATE_OUT_OF_WINDOW")
    assert (f.document, f.found) == (invoice.id, "2026-07-02")
    invoice.fields["total_amount"] = fv(999999.99, confidence=0.3)  # printed total misread
    none_of(b.run(), "AMOUNT_MISMATCH", "FIELD_UNREADABLE")


# --- checklist files ----------------------------------------------------------------------------

def test_every_checklist_file_loads():
    names = available_programmes()
    assert set(names) == set(PROGRAMMES)
    for name in names:
        checklist = load_checklist(name)
        assert checklist.id == name
        if POLICIES.is_dir():
            assert (POLICIES / checklist.policy_file).is_file(), checklist.policy_file


def _broken(tmp_path: Path, edit) -> str:
    data = yaml.safe_load((CHECKLIST_DIR / f"{ETOWN}.yaml").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / f"{ETOWN}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ChecklistError) as err:
        load_checklist(ETOWN, directory=tmp_path)
    message = str(err.value)
    assert CJK.search(message) and f"{ETOWN}.yaml" in message, message
    return message


def test_broken_checklist_unknown_field(tmp_path):
    message = _broken(tmp_path, lambda d: d["materials"][0].update(seal=[{"kind": "company_seal"}]))
    assert "materials.0.seal" in message and "未知字段" in message, message


def test_broken_checklist_window_reversed(tmp_path):
    def edit(d):
        d["dates"][0]["window"] = {"start": date(2026, 6, 30), "end": date(2025, 8, 9)}
    message = _broken(tmp_path, edit)
    assert "dates.0.window" in message and "2026-06-30" in message and "晚于" in message, message


def test_broken_checklist_bad_date(tmp_path):
    message = _broken(tmp_path, lambda d: d["application_window"].update(start="2026-02-30"))
    assert "application_window.start" in message and "日期" in message, message


def test_broken_checklist_unknown_doc_type(tmp_path):
    message = _broken(tmp_path, lambda d: d["materials"][1].update(any_of=["business_license"]))
    assert "materials.1.any_of.0" in message and "business_license" in message and "取值" in message, message


def test_broken_checklist_duplicate_material_ids(tmp_path):
    message = _broken(tmp_path, lambda d: d["materials"][1].update(id=d["materials"][0]["id"]))
    assert "application_form" in message and "重复" in message, message


def test_broken_checklist_missing_field_and_bad_yaml(tmp_path):
    message = _broken(tmp_path, lambda d: d.pop("subsidy"))
    assert "subsidy" in message and "缺少" in message, message
    (tmp_path / "x.yaml").write_text("id: x\nmaterials: [", encoding="utf-8")
    with pytest.raises(ChecklistError, match="不是有效的 YAML"):
        load_checklist("x", directory=tmp_path)


def test_unknown_programme_and_id_not_matching_the_file(tmp_path):
    with pytest.raises(ChecklistError, match=r"未知的申报项目.*etown-model-voucher-2026h1"):
        load_checklist("etown-2027", directory=CHECKLIST_DIR)
    text = (CHECKLIST_DIR / f"{ETOWN}.yaml").read_text(encoding="utf-8")
    (tmp_path / "copy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError, match="与文件名不一致"):
        load_checklist("copy", directory=tmp_path)


# --- later refinements: strangers' seals, swapped sides, grey scans, unknown industries -------------

def test_a_third_companys_seal_in_the_providers_place_is_missing_the_providers_seal():
    b = clean(ETOWN)
    contract = b.one(DocType.contract)
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner="上海某某咨询管理有限公司")
    f = one(b.run(), "SEAL_MISSING")
    assert f.field == "provider_seal"
    says(f, *where(contract), "上海某某咨询管理有限公司", "既不是甲方也不是乙方")
    # a garbled arc reading is no evidence of a stranger
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner="司总")
    none_of(b.run(), "SEAL_MISSING")
    # nor is one that merely ends like a firm (a photo's arc read 互国力限器月技股份有限公司)
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner="互国力限器月技股份有限公司")
    none_of(b.run(), "SEAL_MISSING")


def test_a_look_alike_companys_seal_in_the_providers_place_is_missing_the_providers_seal():
    """The provider's subsidiary or branch is another legal entity: its seal, read whole, is not
    the provider's. The provider's own seal read with characters lost still is."""
    b = clean(ETOWN)
    contract = b.one(DocType.contract)
    core = PROVIDER.removesuffix("有限公司")
    for look_alike in (core + "（上海）有限公司", PROVIDER + "上海分公司"):
        contract.seals = contract_seals(left_owner=APPLICANT, right_owner=look_alike)
        f = one(b.run(), "SEAL_MISSING")
        assert f.field == "provider_seal"
        says(f, *where(contract), look_alike, "既不是甲方也不是乙方")
    contract.seals = contract_seals(left_owner=APPLICANT, right_owner=core + "有限公")  # arc read short
    none_of(b.run(), "SEAL_MISSING")


def test_a_commitment_letter_sealed_by_the_applicants_branch_is_missing_the_applicants_seal():
    b = clean(ETOWN)
    letter = b.one(DocType.commitment_letter)
    letter.seals = _sealed_by(APPLICANT + "南山分公司")
    f = one(b.run(), "SEAL_MISSING")
    assert (f.document, f.field) == (letter.id, "company_seal")
    says(f, APPLICANT + "南山分公司", "不是申报单位")


def _sealed_by(owner: str, kind: str = "company_seal") -> list[Seal]:
    return [Seal(page=1, kind=kind, bbox=(380.0, 600.0, 480.0, 700.0), owner=owner, text=owner, confidence=0.9)]


@pytest.mark.parametrize("programme", [ETOWN, SHENZHEN])
def test_a_commitment_letter_sealed_by_the_provider_is_missing_the_applicants_seal(programme):
    b = clean(programme)
    letter = b.one(DocType.commitment_letter)
    letter.seals = _sealed_by(PROVIDER)
    f = one(b.run(), "SEAL_MISSING")
    assert (f.document, f.field) == (letter.id, "company_seal")
    says(f, PROVIDER, "不是申报单位", APPLICANT)
    letter.seals = _sealed_by(APPLICANT)
    none_of(b.run(), "SEAL_MISSING")
    letter.seals = _sealed_by("深训星河智能料技有限公")  # the applicant's, garbled: present, never an error
    none_of(b.run(), "SEAL_MISSING")


def test_an_invoice_with_another_companys_seal_is_missing_the_sellers():
    """A paper invoice (its 发票专用章 required) stamped with the buyer's seal beside the printed
    监制章: the seller's seal is missing; with the seller's own it passes."""
    b = clean(ETOWN)
    invoice = b.one(DocType.invoice)
    invoice.fields.pop("qr_invoice_number", None)
    b.set(DocType.invoice, "invoice_number", "12345678")
    b.set(DocType.invoice, "invoice_code", "044031900111")
    printed = Seal(page=1, kind="invoice_seal", bbox=(250.0, 10.0, 330.0, 60.0), text="全国统一发票监制章",
                   owner="全国统一发票监制章", confidence=0.9)
    invoice.seals = [printed, *_sealed_by(APPLICANT, "invoice_seal")]
    f = one(b.run(), "SEAL_MISSING")
    assert (f.document, f.field) == (invoice.id, "invoice_seal")
    says(f, APPLICANT, "不是销售方", PROVIDER)
    invoice.seals = [printed, *_sealed_by(PROVIDER, "invoice_seal")]
    none_of(b.run(), "SEAL_MISSING")


def test_parties_stamping_on_swapped_sides_is_not_a_related_party():
    b = clean(LONGGANG)
    b.one(DocType.contract).seals = contract_seals(left_owner=PROVIDER, right_owner=APPLICANT)
    none_of(b.run(), "RELATED_PARTY")


def test_arc_text_read_from_the_middle_still_names_its_owner():
    b = clean(LONGGANG)
    rotated = APPLICANT[3:] + APPLICANT[:3]  # 星河智能科技有限公司深圳市: the unwarp began mid-name
    b.one(DocType.contract).seals = contract_seals(left_owner=APPLICANT, right_owner=rotated)
    one(b.run(), "RELATED_PARTY")


def test_invalid_licence_code_is_not_compared_with_the_other_materials():
    b = clean(ETOWN)
    bad = APPLICANT_USCC[:17] + ("0" if APPLICANT_USCC[17] != "0" else "1")
    b.set(DocType.business_licence, "uscc", bad)
    v = b.run()
    one(v, "USCC_INVALID")
    none_of(v, "USCC_MISMATCH")


def test_a_licence_code_wrong_only_in_its_check_character_is_still_compared_by_its_body():
    # bench seed 20261140: the licence's 18th character is wrong but its organisation code checks
    # out, so its first 17 name one organisation; the form names another (a typo of the code)
    assert OTHER_USCC[:17] != APPLICANT_USCC[:17]
    b = clean(LONGGANG)
    bad = APPLICANT_USCC[:17] + ("0" if APPLICANT_USCC[17] != "0" else "1")
    assert values.uscc_inner_valid(bad)
    b.set(DocType.business_licence, "uscc", bad)
    form = b.set(DocType.application_form, "uscc", OTHER_USCC)
    v = b.run()
    one(v, "USCC_INVALID")
    f = one(v, "USCC_MISMATCH")
    assert (f.document, f.expected, f.found) == (form.id, bad, OTHER_USCC)
    # a licence code garbled inside its organisation code says nothing to compare with
    garbled = APPLICANT_USCC[:10] + "8" + APPLICANT_USCC[11:]
    assert not values.uscc_inner_valid(garbled) and not values.uscc_valid(garbled)
    b.set(DocType.business_licence, "uscc", garbled)
    none_of(b.run(), "USCC_MISMATCH")


def test_a_round_seal_missing_on_a_black_and_white_scan_is_missing_with_a_note():
    b = clean(ETOWN)
    letter = b.one(DocType.commitment_letter)
    letter.seals = []
    assert "黑白" not in one(b.run(), "SEAL_MISSING").message
    letter.page_info = [PageInfo(source=letter.source, page=1, text_source="ocr", width=595, height=842, grey=True,
                                 title="承诺书", doc_type_score=0.8)]
    f = one(b.run(), "SEAL_MISSING")
    assert f.severity == Severity.error
    says(f, "缺少申报单位公章", "黑白扫描件上未发现印章轮廓", "彩色扫描件")


def test_a_paging_seal_not_seen_on_a_black_and_white_scan_is_missing_with_a_note():
    b = clean(SHENZHEN)
    contract = b.one(DocType.contract)
    contract.seals = [s for s in contract.seals if s.kind != "paging_seal"]
    assert "黑白" not in one(b.run(), "SEAL_MISSING", field="paging_seal").message
    contract.page_info = [PageInfo(source=contract.source, page=p, text_source="ocr", width=595, height=842,
                                   grey=True, title="合同" if p == 1 else None, doc_type_score=0.8)
                          for p in contract.pages]
    v = b.run()
    none_of(v, "FIELD_UNREADABLE")
    f = one(v, "SEAL_MISSING", field="paging_seal")
    assert f.severity == Severity.error
    says(f, "未发现骑缝章", "黑白扫描件上未发现骑缝章", "彩色扫描件")


def test_the_providers_code_read_in_the_buyers_place_is_a_misread_not_a_mismatch():
    b = clean(ETOWN)
    b.set(DocType.invoice, "buyer_uscc", PROVIDER_USCC)
    v = b.run()
    none_of(v, "USCC_MISMATCH")
    says(one(v, "FIELD_UNREADABLE", field="buyer_uscc"), "与销售方税号相同")


def test_a_filing_row_of_another_provider_is_unread_not_a_missing_filing():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "model_name", "紫金大模型")
    b.set(DocType.cac_filing, "provider_name", "南京紫金智算科技有限公司")
    v = b.run()
    none_of(v, "FILING_MISSING")
    says(one(v, "FIELD_UNREADABLE", field="model_name"), "紫金大模型", MODEL)
    b.set(DocType.cac_filing, "provider_name", PROVIDER)  # the same provider, another model: not filed
    one(b.run(), "FILING_MISSING")


def test_a_scope_naming_no_known_activity_is_a_warning_to_check():
    b = clean(LONGGANG)
    b.set(DocType.business_licence, "business_scope", "企业管理咨询;会议及展览服务")
    f = one(b.run(), "INDUSTRY_INELIGIBLE")
    assert f.severity == Severity.warning
    says(f, "无法从", "会议及展览服务")


def test_shenzhen_without_invoices_counts_the_contract_amount():
    b = clean(SHENZHEN).drop(DocType.invoice)
    b.set(DocType.contract, "contract_amount", 500000.0)
    v = b.run()
    assert (v.subsidy.basis, v.subsidy.payable) == (500000.0, 150000.0)
    assert any("改按合同金额核定" in n for n in v.subsidy.notes)


def test_a_buyer_code_read_beside_the_sellers_name_is_a_misread():
    b = clean(ETOWN)
    invoice = b.one(DocType.invoice)
    invoice.fields["buyer_name"] = ExtractedField(value=APPLICANT, page=1, bbox=(60, 90, 200, 100), confidence=0.99)
    invoice.fields["seller_name"] = ExtractedField(value=PROVIDER, page=1, bbox=(330, 90, 470, 100), confidence=0.99)
    invoice.fields["buyer_uscc"] = ExtractedField(value=OTHER_USCC, page=1, bbox=(450, 112, 540, 122), confidence=0.99)
    v = b.run()
    none_of(v, "USCC_MISMATCH")
    one(v, "FIELD_UNREADABLE", field="buyer_uscc")
    invoice.fields["buyer_uscc"] = ExtractedField(value=OTHER_USCC, page=1, bbox=(180, 112, 270, 122), confidence=0.99)
    one(b.run(), "USCC_MISMATCH")  # in the buyer's block: a real mismatch


def test_a_filed_model_one_character_off_is_a_misread_another_model_is_not_filed():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "model_name", MODEL[0] + "雪" + MODEL[2:])
    v = b.run()
    none_of(v, "FILING_MISSING")
    one(v, "FIELD_UNREADABLE", field="model_name")
    b.set(DocType.cac_filing, "model_name", MODEL.replace("大模型", "代码大模型"))
    one(b.run(), "FILING_MISSING")
