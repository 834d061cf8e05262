"""Seals of the wrong party on generated documents, read and checked end to end: a contract
stamped by one party only, a paper invoice carrying the buyer's 发票专用章, a commitment letter
sealed by the provider. The applicant and provider share their city and most of a trade
(北京市…智能科技 / 北京…科技), so their names are alike: whose seal it is comes from reading it."""

import pytest

from docintake.core.datamodel import FindingCode

ETOWN = "etown-model-voucher-2026h1"
WRONG = ["invoice_sealed_by_buyer", "letter_sealed_by_provider", "contract_sealed_by_one_party"]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    from docintake.core.settings import Settings
    from docintake.pipeline.run import check_bundle
    from docintake.samples.generator import generate_bundle

    root = tmp_path_factory.mktemp("wrong-party")
    settings = Settings(home=root / "home")
    reports = {}
    for name, defects in (("wrong", WRONG), ("clean", None)):
        truth = generate_bundle(root, ETOWN, 7, defects=defects, render="born_digital", name=name)
        reports[name] = truth, check_bundle(root / ETOWN / name, ETOWN, settings)
    return reports


def _seal_missing(report) -> dict[tuple[str, str], str]:
    docs = {d.id: d.doc_type for d in report.documents}
    return {(docs[f.document], f.field): f.message for f in report.findings if f.code == FindingCode.SEAL_MISSING}


@pytest.mark.ocr
def test_each_seal_of_the_wrong_party_is_missing_the_right_partys_naming_whose_was_found(checked):
    truth, report = checked["wrong"]
    applicant, provider = truth["applicant"]["name"], truth["provider"]["name"]
    found = _seal_missing(report)
    assert set(found) == {("invoice", "invoice_seal"), ("commitment_letter", "company_seal"),
                          ("contract", "provider_seal")}
    assert f"所盖印章为「{applicant}」" in found[("invoice", "invoice_seal")]
    assert f"不是销售方「{provider}」" in found[("invoice", "invoice_seal")]
    assert f"所盖印章为「{provider}」" in found[("commitment_letter", "company_seal")]
    assert f"不是申报单位「{applicant}」" in found[("commitment_letter", "company_seal")]
    assert "未发现乙方（模型服务提供方）的盖章" in found[("contract", "provider_seal")]


@pytest.mark.ocr
def test_the_same_bundle_with_every_party_sealing_its_own_passes_the_seal_checks(checked):
    _, report = checked["clean"]
    assert _seal_missing(report) == {}
