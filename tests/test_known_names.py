"""Names read one character off a name the bundle knows: the ink decides, not the text."""

import pytest

from docintake.config import Settings
from docintake.datamodel import DocType, FindingCode
from docintake.pipeline import process_bundle

from .builders import CONTRACT_1, CONTRACT_2, LICENCE, PAYMENT, image_pdf, make_pdf, render, scan

pytestmark = pytest.mark.ocr


def test_a_clearly_printed_different_character_is_kept_and_asked_about(tmp_path):
    # the payer printed as 深圳市星阿… on a scan, the applicant 深圳市星河…: one character off, as an
    # OCR slip would be, but the ink says 阿 plainly, so it is not taken for the applicant's name
    title, lines = PAYMENT
    payment = (title, [ln.replace("星河", "星阿") for ln in lines])
    src = make_pdf(tmp_path / "src.pdf", [LICENCE, CONTRACT_1, CONTRACT_2, payment])
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    image_pdf(bundle / "scan.pdf", [scan(render(src, n, dpi=150), seed=n) for n in (1, 2, 3, 4)])
    result = process_bundle(bundle, "etown-model-voucher-2026h1", Settings.from_env())
    proof = next(d for d in result.documents if d.doc_type == DocType.payment_proof)
    assert proof.fields["payer_name"].value == "深圳市星阿智能科技有限公司"
    assert proof.fields["payer_name"].read_as is None
    assert any(f.code == FindingCode.FIELD_UNREADABLE and f.field == "payer_name" for f in result.findings)


def test_a_photo_misread_one_character_off_is_confirmed_by_its_ink(tmp_path):
    """A phone photo of a bank slip whose payer OCR reads 深埔市青藤… for 深圳市青藤… (bench seed
    20261132): the ink supports 圳 almost as well as 埔, so the payer is the applicant and the
    bundle passes instead of waiting on a reviewer."""
    from samples.generator import generate_bundle

    truth = generate_bundle(tmp_path / "gen", "nanshan-ai-plus-2026", 202611320014, auto_defects=True)
    assert not truth["expected_findings"]
    result = process_bundle(tmp_path / "gen" / truth["programme"] / truth["bundle"], truth["programme"],
                            Settings.from_env())
    photo = next(d for d in result.documents if d.doc_type == DocType.payment_proof and d.source == "IMG1448.jpg")
    payer = photo.fields["payer_name"]
    assert (payer.read_as, payer.value) == ("深埔市青藤信息技术有限公司", truth["applicant"]["name"])
    assert not [f for f in result.findings if f.code == FindingCode.FIELD_UNREADABLE]
