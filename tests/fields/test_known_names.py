"""Names read one character off a name the bundle knows: the ink decides, not the text."""

import shutil

import pytest

from docintake.core.datamodel import DocType, FindingCode
from docintake.core.settings import Settings
from docintake.pipeline.run import process_bundle
from tests.support import OCR_THREADS
from tests.support.builders import CONTRACT_1, CONTRACT_2, LICENCE, PAYMENT, image_pdf, make_pdf, render, scan

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
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(tmp_path / "gen", "nanshan-ai-plus-2026", 202611320014, auto_defects=True,
                           only={"business_licence", "contract", "payment_proof"})
    assert not truth["expected_findings"]
    # Read with the documents the payer's name is known from (licence, contract), not all 18 pages.
    generated = tmp_path / "gen" / truth["programme"] / truth["bundle"]
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for doc in truth["documents"]:
        for source, _ in doc["pages"]:
            if doc["doc_type"] in ("business_licence", "contract") or source == "IMG1448.jpg":
                shutil.copy(generated / source, bundle / source)
    assert len(list(bundle.iterdir())) == 3
    result = process_bundle(bundle, truth["programme"], Settings.from_env())
    photo = next(d for d in result.documents if d.doc_type == DocType.payment_proof and d.source == "IMG1448.jpg")
    payer = photo.fields["payer_name"]
    assert (payer.read_as, payer.value) == ("深埔市青藤信息技术有限公司", truth["applicant"]["name"])
    assert not [f for f in result.findings if f.code == FindingCode.FIELD_UNREADABLE]


def _scanned_invoice(tmp_path, words: str):
    title = "电子发票（增值税专用发票）"
    lines = ["发票号码：25442000000012345678", "开票日期：2025年10月12日",
             "购买方信息 名称：深圳市星河智能科技有限公司", "销售方信息 名称：北京云雀模型科技有限公司",
             "项目名称 *信息技术服务*模型调用服务 38787.54 6% 2327.25", "合    计 ¥38787.54 ¥2327.25",
             f"价税合计（大写）⊗{words} （小写）¥41114.79"]
    src = make_pdf(tmp_path / "src.pdf", [(title, lines)])
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    image_pdf(bundle / "scan.pdf", [scan(render(src, 1, dpi=150), seed=1)])
    return process_bundle(bundle, "etown-model-voucher-2026h1", Settings.from_env())


def test_invoice_words_ocr_misread_are_confirmed_by_their_ink(tmp_path):
    """肆万壹仟壹佰壹拾肆… read with 查 for 壹 (bench seed 20261138): the words did not parse and
    the invoice went to a reviewer, though its figures and 合计 row agreed on 41114.79. The ink
    supports the words of 41114.79, so the field takes them and keeps the reading."""
    from docintake.extractors.known_names import confirm_known_names
    from docintake.extractors.ocr import get_engine

    result = _scanned_invoice(tmp_path, "肆万壹仟壹佰壹拾肆圆柒角玖分")
    invoice = next(d for d in result.documents if d.doc_type == DocType.invoice)
    assert invoice.fields["total_amount_upper"].read_as is None  # read right: nothing to confirm
    [line] = [ln for ln in result.pages[0].lines if "壹拾肆圆" in ln.text]
    line.text = line.text.replace("壹拾肆圆", "查拾肆圆")  # as OCR misread it on the bench
    del invoice.fields["total_amount_upper"]
    settings = Settings.from_env()
    confirm_known_names(result.documents, {(p.source, p.page): p for p in result.pages},
                        {f.name: f.path for f in result.files}, lambda: get_engine(settings.ocr_engine, OCR_THREADS),
                        settings.ocr_long_side)
    upper = invoice.fields["total_amount_upper"]
    assert (upper.value, upper.read_as) == ("肆万壹仟壹佰壹拾肆圆柒角玖分", "肆万壹仟壹佰查拾肆圆柒角玖分")


def test_invoice_words_printed_for_another_amount_stay_as_read(tmp_path):
    # 贰拾 where the figures say 壹拾: clearly printed, so the 大写 check reports it
    result = _scanned_invoice(tmp_path, "肆万壹仟壹佰贰拾肆圆柒角玖分")
    invoice = next(d for d in result.documents if d.doc_type == DocType.invoice)
    upper = invoice.fields["total_amount_upper"]
    assert upper.read_as is None and "贰拾" in upper.value
    assert any(f.code == FindingCode.AMOUNT_MISMATCH and f.field == "total_amount_upper" for f in result.findings)


def test_a_red_letter_invoices_negative_total_has_no_words_to_try():
    """A 红字发票 totals below zero: there are no 大写 words to write for it, and nothing to try."""
    from docintake.core.datamodel import DocumentReport, ExtractedField, Page, TextLine, TextSource
    from docintake.extractors.known_names import _implied_words

    def invoice(total: float) -> DocumentReport:
        fields = {"total_amount": total, "amount_excl_tax": round(total / 1.06, 2),
                  "tax_amount": round(total - round(total / 1.06, 2), 2)}
        return DocumentReport(id="d1", source="a.jpg", pages=[1], doc_type=DocType.invoice, text_source=TextSource.ocr,
                              fields={k: ExtractedField(value=v, page=1, source="a.jpg", confidence=0.99)
                                      for k, v in fields.items()})

    words = TextLine(text="价税合计(大写)⊗壹佰零陆圆整", bbox=(40, 380, 300, 400), source=TextSource.ocr)
    pages = {("a.jpg", 1): Page(source="a.jpg", page=1, width=595, height=842, lines=[words],
                                text_source=TextSource.ocr)}
    assert list(_implied_words([invoice(-106.0)], pages)) == []
    [(candidate, key)] = _implied_words([invoice(106.0)], pages)  # its positive twin is tried
    assert key == ("a.jpg", 1) and "壹佰零陆元整" in candidate.known
