"""End to end on generated born-digital bundles (no OCR): every finding code the generator can
produce is reported on the document its truth names, nothing else is called an error, and a clean
bundle of each programme passes with the subsidy the truth computes.

Defects that touch different documents are combined in one bundle to keep this file quick
(≈ 5-7 s of CPU per bundle, generation included); each bundle is generated and checked once per
module (a module-scoped cache), so several tests can read it.
"""

from pathlib import Path

import pytest

from docintake.core.datamodel import Report, Severity
from docintake.pipeline.run import check_bundle
from docintake.samples.generator import generate_bundle
from docintake.samples.generator.defects import applicable, touches

ETOWN, SHENZHEN, AI_PLUS, Q1, LONGGANG = (
    "etown-model-voucher-2026h1", "shenzhen-model-voucher-2025", "nanshan-ai-plus-2026",
    "nanshan-model-voucher-2026q1", "longgang-model-app-2025")
PROGRAMMES = [ETOWN, SHENZHEN, AI_PLUS, Q1, LONGGANG]
SEED = 1

# (programme, defects): together they cover every defect kind's finding code, several on more than
# one programme; within a bundle no two defects touch the same document.
COMBINED = [
    (ETOWN, ["missing_signature", "invoice_date_out_of_window", "usage_mismatch", "licence_expired",
             "filing_wrong_model", "payment_mismatch", "missing_bank_account_info"]),
    (ETOWN, ["payable_below_minimum", "missing_company_seal", "uscc_invalid", "missing_audit_report"]),
    (ETOWN, ["related_party_same", "uscc_mismatch", "missing_commitment_letter"]),
    (SHENZHEN, ["missing_paging_seal", "invoice_upper_mismatch", "missing_credit_report", "uscc_mismatch",
                "filing_missing", "unreadable_file"]),
    (AI_PLUS, ["contract_below_minimum", "missing_tax_seal", "licence_expired", "missing_signature"]),
    (AI_PLUS, ["acceptance_out_of_window", "invoices_exceed_contract", "missing_implementation_plan",
               "uscc_invalid"]),
    (Q1, ["usage_out_of_window", "name_mismatch", "missing_statistics_report", "missing_legal_rep_id",
          "payment_mismatch", "missing_company_seal", "missing_tax_seal"]),
    (LONGGANG, ["industry_ineligible", "filing_missing", "payment_mismatch", "missing_employment_proof",
                "related_party_seal", "missing_invoice_seal", "missing_provider_seal", "missing_tax_seal",
                "uscc_mismatch"]),
    (LONGGANG, ["contract_date_out_of_window", "usage_mismatch", "licence_expired", "missing_credit_report"]),
]


def _key(finding) -> tuple[str, str | None]:
    doc_type = finding.doc_type.value if finding.doc_type is not None else None
    return finding.code.value, doc_type


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """(programme, defects) -> (truth, report), each bundle generated and checked once."""
    out = tmp_path_factory.mktemp("generated")
    cache: dict[tuple, tuple[dict, Report]] = {}

    def get(programme: str, defects: tuple[str, ...]) -> tuple[dict, Report]:
        key = (programme, defects)
        if key not in cache:
            truth = generate_bundle(out, programme, SEED, defects=list(defects), render="born_digital")
            cache[key] = truth, check_bundle(Path(out) / programme / truth["bundle"], programme)
        return cache[key]

    return get


def test_combined_defects_touch_different_documents_and_apply():
    for programme, defects in COMBINED:
        assert set(defects) <= set(applicable(programme, SEED)), (programme, defects)
        seen: set[str] = set()
        for name in defects:
            assert not touches(name) & seen, (programme, name)
            seen |= touches(name)


def test_every_code_the_generator_produces_is_exercised():
    from docintake.samples.generator.defects import DEFECTS
    from tests.checks.test_wrong_party_seals import WRONG  # checked there, message and clean twin too

    used = {d for _, defects in COMBINED for d in defects} | set(WRONG)
    kinds = {n for n in DEFECTS if not n.startswith("missing_")} | {
        "missing_company_seal", "missing_invoice_seal", "missing_provider_seal", "missing_tax_seal",
        "missing_paging_seal", "missing_signature"}
    assert kinds <= used, sorted(kinds - used)


def _id(case) -> str:
    programme, defects = case
    return f"{programme}:{'+'.join(defects)}"


@pytest.mark.parametrize(("programme", "defects"), COMBINED, ids=[_id(c) for c in COMBINED])
def test_defects_are_reported_and_nothing_else_is_an_error(checked, programme, defects):
    truth, report = checked(programme, tuple(defects))
    got = {_key(f) for f in report.findings}
    expected = {(f["code"], f["doc_type"]) for f in truth["expected_findings"]}
    assert {f["defect"] for f in truth["expected_findings"]} == set(defects)
    detail = [(f.code.value, f.doc_type, f.field, f.message) for f in report.findings]
    assert expected <= got, (sorted(expected - got), detail)
    wrong = [(f.code.value, f.doc_type, f.field, f.message) for f in report.findings
             if f.severity == Severity.error and _key(f) not in expected]
    assert not wrong, wrong
    assert report.verdict == "fail"
    for f in report.findings:  # a reviewer can find the evidence from the message alone
        assert any("\u4e00" <= c <= "\u9fff" for c in f.message), f.message
        if f.document is not None:
            doc = next(d for d in report.documents if d.id == f.document)
            assert f"「{f.source or doc.source}」" in f.message, f.message


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_clean_bundle_passes_with_the_truths_subsidy(checked, programme):
    truth, report = checked(programme, ())
    assert truth["expected_findings"] == []
    assert report.findings == [], [(f.code.value, f.doc_type, f.field, f.message) for f in report.findings]
    assert report.verdict == "pass"
    want = truth["expected_subsidy"]
    got = report.subsidy
    assert (got.basis, got.rate, got.cap, got.amount, got.payable) == pytest.approx(
        (want["basis"], want["rate"], want["cap"], want["amount"], want["payable"]), abs=0.005), got.notes
