"""Key fields read off real pages: born-digital text layers, OCRed scans, and generated bundles."""

import pytest

from docintake.app.bench import score_fields
from docintake.core.datamodel import DocType
from docintake.core.settings import Settings
from docintake.pipeline.run import process_bundle
from docintake.samples.generator import generate_bundle
from tests.support import OCR_THREADS, SCAN_BUNDLE, case_id
from tests.support.builders import (
    CONTRACT_1,
    CONTRACT_2,
    INVOICE,
    LICENCE,
    PAYMENT,
    image_pdf,
    make_pdf,
    render,
    scan,
)

PROGRAMME = "etown-model-voucher-2026h1"


def _fields(bundle, doc_type):
    doc = next(d for d in bundle.documents if d.doc_type == doc_type)
    return {name: f.value for name, f in doc.fields.items()}, doc


def test_fields_of_born_digital_documents(tmp_path):
    make_pdf(tmp_path / "b" / "all.pdf", [LICENCE, CONTRACT_1, CONTRACT_2, INVOICE, PAYMENT])
    bundle = process_bundle(tmp_path / "b", PROGRAMME, Settings())
    licence, _ = _fields(bundle, DocType.business_licence)
    assert licence["company_name"] == "深圳市星河智能科技有限公司"
    assert licence["uscc"] == "91440300MA5G8XYZ3K"
    assert licence["legal_rep"] == "张伟"
    assert licence["established_date"] == "2019-05-20"
    contract, doc = _fields(bundle, DocType.contract)
    assert contract["party_a"] == "深圳市星河智能科技有限公司"
    assert contract["party_b"] == "北京云雀模型科技有限公司"
    assert contract["contract_amount"] == 300000.0
    assert (contract["service_start"], contract["service_end"]) == ("2025-09-01", "2026-06-30")
    assert contract["sign_date"] == "2025-09-01"
    assert contract["deployment_mode"] == "API调用"
    assert doc.fields["sign_date"].page == 3 and doc.fields["sign_date"].source == "all.pdf"
    invoice, doc = _fields(bundle, DocType.invoice)
    assert invoice["invoice_number"] == "25442000000012345678"
    assert invoice["issue_date"] == "2025-10-12"
    assert (invoice["buyer_name"], invoice["seller_name"]) == ("深圳市星河智能科技有限公司", "北京云雀模型科技有限公司")
    assert invoice["total_amount"] == 300000.0
    assert invoice["total_amount_upper"] == "叁拾万元整"
    x0, y0, x1, y1 = doc.fields["invoice_number"].bbox
    assert 50 < x0 < x1 < 595 and 100 < y0 < y1 < 300  # the line on the page, in points
    payment, _ = _fields(bundle, DocType.payment_proof)
    assert payment == {"payer_name": "深圳市星河智能科技有限公司", "payee_name": "北京云雀模型科技有限公司",
                       "amount": 300000.0, "payment_date": "2025-10-15"}


@pytest.mark.ocr
def test_fields_of_a_scanned_invoice(tmp_path):
    src = make_pdf(tmp_path / "src.pdf", [INVOICE])
    image_pdf(tmp_path / "b" / "scan.pdf", [scan(render(src, dpi=200))], dpi=200)
    bundle = process_bundle(tmp_path / "b", PROGRAMME, Settings())
    invoice, doc = _fields(bundle, DocType.invoice)
    assert invoice["invoice_number"] == "25442000000012345678"
    assert invoice["total_amount"] == 300000.0
    assert doc.fields["invoice_number"].confidence > 0.8


@pytest.mark.ocr
@pytest.mark.parametrize(("programme", "seed", "render"), [
    SCAN_BUNDLE,
    ("etown-model-voucher-2026h1", 2002, "born_digital"),
])
def test_key_fields_of_generated_bundles_match_the_truth(processed, programme, seed, render):
    truth, bundle = processed(programme, seed, render)
    rows = score_fields(bundle, truth)
    assert len(rows) >= 25
    wrong = [(d, f) for d, _, f, ok in rows if not ok]
    assert len(wrong) / len(rows) <= 0.1, wrong
    invoices = [d for d in bundle.documents if d.doc_type == DocType.invoice]
    assert invoices and all("qr_invoice_number" in d.fields for d in invoices)
    assert all(d.fields["qr_invoice_number"].value == d.fields["invoice_number"].value for d in invoices)


def test_cac_list_printout_keeps_the_contract_providers_row(tmp_path):
    import pymupdf

    from tests.support.builders import FONT

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="noto", fontfile=FONT)
    page.insert_text((180, 80), "生成式人工智能服务已备案信息", fontname="noto", fontsize=16)
    rows = [("1", "上海市", "海纳大模型", "上海海纳智能科技有限公司", ("Shanghai-HaiNa-20240821", "")),
            ("2", "北京市", "云雀大模型", "北京云雀模型科技有限公司", ("Beijing-YunQue-20241231000", "8")),
            ("3", "江苏省", "紫金大模型", "南京紫金智能科技有限公司", ("Jiangsu-ZiJin-20240619", ""))]
    for i, (n, prov, model, company, (number, tail)) in enumerate(rows):
        y = 140 + 50 * i
        for x, text in ((40, n), (70, prov), (130, model), (220, company)):
            page.insert_text((x, y), text, fontname="noto", fontsize=10)
        page.insert_text((400, y), number, fontname="noto", fontsize=9)
        if tail:
            page.insert_text((400, y + 12), tail, fontname="noto", fontsize=9)
    bundle_dir = tmp_path / "b"
    bundle_dir.mkdir()
    doc.save(bundle_dir / "cac.pdf")
    make_pdf(bundle_dir / "contract.pdf", [CONTRACT_1, CONTRACT_2])
    bundle = process_bundle(bundle_dir, PROGRAMME, Settings())
    filing, _ = _fields(bundle, DocType.cac_filing)
    assert filing == {"filing_number": "Beijing-YunQue-202412310008", "provider_name": "北京云雀模型科技有限公司",
                      "model_name": "云雀大模型"}


@pytest.mark.ocr
@pytest.mark.parametrize("case", [SCAN_BUNDLE], ids=case_id)
def test_seals_are_detected_and_reported_per_document(processed, case):
    from docintake.app.bench import score_seals

    truth, bundle = processed(*case)
    assert truth["programme"] == "shenzhen-model-voucher-2025"
    scores = score_seals(bundle, truth)
    assert len(scores) >= 5
    assert sum(ok for *_, ok in scores) / len(scores) >= 0.9
    contract = next(d for d in bundle.documents if d.doc_type == DocType.contract)
    assert any(s.kind == "paging_seal" for s in contract.seals)  # Shenzhen contracts carry a 骑缝章
    assert all(s.source and s.bbox for d in bundle.documents for s in d.seals)


def test_cac_filing_letter_from_the_provider(tmp_path):
    letter = ("关于云雀语音模型完成生成式人工智能服务备案的说明", [
        "致:北京市鼎瀚互联网科技有限公司",
        "我公司云雀智算科技(北京)有限公司研发的“云雀语音模型”已按照《生成式人工智能服务管理暂行办",
        "法》完成生成式人工智能服务备案,备案编号:Beijing-YunQue-20230821,备案时间:2023年08月21日。",
        "特此说明。", "云雀智算科技(北京)有限公司", "2025年10月15日"])
    make_pdf(tmp_path / "b" / "letter.pdf", [letter])
    bundle = process_bundle(tmp_path / "b", PROGRAMME, Settings())
    filing, _ = _fields(bundle, DocType.cac_filing)
    assert filing == {"provider_name": "云雀智算科技(北京)有限公司", "model_name": "云雀语音模型",
                      "filing_number": "Beijing-YunQue-20230821"}


def _row_page(rows: list[tuple[str, str, str]]):
    from docintake.core.datamodel import Page, TextLine, TextSource

    lines = []
    for i, row in enumerate(rows):
        y = 100 + 30 * i
        for x, text in zip((40, 200, 360), row, strict=True):
            lines.append(TextLine(text=text, bbox=(x, y, x + 150, y + 12), confidence=0.97, source=TextSource.ocr))
    return Page(source="list.jpg", page=1, width=595, height=842, lines=lines, text_source=TextSource.ocr)


def test_the_filing_row_of_the_contract_provider_is_kept_even_when_ocr_is_a_character_off():
    from docintake.core.datamodel import DocType, DocumentReport, TextSource
    from docintake.extractors.fields import extract_fields
    from docintake.extractors.filing_rows import keep_filing_row_of

    page = _row_page([("南京紫金智算科技有限公司", "紫金大模型", "Jiangsu-ZiJin-20240313"),
                      ("杭州青莺人工智能有限公司", "青鸾大模型", "Zhejiang-QingLuan-20240315")])  # 鸾 read as 莺
    doc = DocumentReport(id="d1", source="list.jpg", pages=[1], doc_type=DocType.cac_filing,
                         text_source=TextSource.ocr, fields=extract_fields(DocType.cac_filing, [page]))
    keep_filing_row_of(doc, [page], {"杭州青鸾人工智能有限公司", "青鸾大模型"})
    assert doc.fields["filing_number"].value == "Zhejiang-QingLuan-20240315"
    assert doc.fields["model_name"].value == "青鸾大模型"
    # No row of the provider: what was found belongs to another row and is not trusted.
    doc.fields = extract_fields(DocType.cac_filing, [page])
    keep_filing_row_of(doc, [page], {"上海某某智能科技有限公司", "某某大模型"})
    assert all(f.confidence <= 0.5 for f in doc.fields.values())


def test_the_providers_row_whose_filing_number_ocr_missed_still_names_the_filed_model():
    from docintake.core.datamodel import DocType, DocumentReport, TextSource
    from docintake.extractors.fields import extract_fields
    from docintake.extractors.filing_rows import keep_filing_row_of

    # a grey list printout where text detection dropped one row's number cell (seed 20261134)
    page = _row_page([("成都蜀锦科技有限公司", "蜀锦大模型", "网信算备884994244501941051522号"),
                      ("杭州钱塘数智有限公司", "钱塘大模型", "网信算备903891855273962171909号"),
                      ("深圳市星衍智能科技有限公司", "星衍大模型", "")])
    doc = DocumentReport(id="d1", source="list.jpg", pages=[1], doc_type=DocType.cac_filing,
                         text_source=TextSource.ocr, fields=extract_fields(DocType.cac_filing, [page]))
    keep_filing_row_of(doc, [page], {"深圳市星衍智能科技有限公司", "星衍大模型"})
    assert (doc.fields["model_name"].value, doc.fields["model_name"].confidence) == ("星衍大模型", 0.97)
    assert doc.fields["provider_name"].value == "深圳市星衍智能科技有限公司"
    assert doc.fields["filing_number"].confidence <= 0.5  # another row's number


@pytest.mark.parametrize(("lines", "title"), [
    # an attachment header above the title is not part of it
    ([("附件1:证明材料", 57), ("2025年龙岗区调用模型开发应用扶持项目申报书", 154)], "2025年龙岗区调用模型开发应用扶持项目申报书"),
    ([("2026年一季度“模型券”项目申报表", 70)], "2026年一季度“模型券”项目申报表"),
    # a title wrapped onto the next line (or two) is read whole, as printed
    ([("2025年打造人工智能先锋城市项目扶持计划模型券(申领)项", 62), ("目申请书", 84)],
     "2025年打造人工智能先锋城市项目扶持计划模型券(申领)项目申请书"),
    ([("南山区促进产业高质量发展专项资金——区科技创", 62), ("新局分项资金-“AI+百业”产业融合支持计划", 84),
      ("项目申请书", 106), ("申报单位(盖章):深圳市某某科技有限公司", 160)],
     "南山区促进产业高质量发展专项资金——区科技创新局分项资金-“AI+百业”产业融合支持计划项目申请书"),
])
def test_programme_title_of_an_application_form(lines, title):
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    page = Page(source="form.jpg", page=1, width=595, height=842, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=(60, y, 500, y + 18), source=TextSource.ocr) for t, y in lines])
    assert extract_fields(DocType.application_form, [page])["programme_title"].value == title


def test_a_title_line_ocr_cut_in_two_and_a_watermark_beside_it():
    """OCR boxes one title line in two pieces (…专项资金 | 区工业和), the form word breaks over
    the next lines (…项目申 | 请书), and a diagonal watermark crosses the title's row."""
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    rows = [("某区企业服务平台", (326, 132, 613, 321)), ("区工业和", (449, 189, 534, 214)),
            ("南山区促进产业高质量发展专项资金", (90, 191, 419, 215)), ("信息化局分项资金-2026年一季度“模型券”项目申", (96, 222, 527, 248)),
            ("请书", (288, 253, 336, 281)), ("申报单位(盖章):深圳市远山计算机系统有限公司", (134, 346, 462, 364))]
    page = Page(source="form.jpg", page=1, width=637, height=871, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=b, size=b[3] - b[1], source=TextSource.ocr) for t, b in rows])
    fields = extract_fields(DocType.application_form, [page])
    assert fields["programme_title"].value == "南山区促进产业高质量发展专项资金区工业和信息化局分项资金-2026年一季度“模型券”项目申请书"
    assert fields["applicant_name"].value == "深圳市远山计算机系统有限公司"


@pytest.mark.ocr
def test_a_date_under_the_tax_bureaus_seal_is_read_on_a_second_look(tmp_path):
    """A generated scan whose tax-bureau seal hides the issue date from OCR: the date is a key
    field, so the seal's neighbourhood is read again with the red ink removed, and it is found."""
    import shutil

    from docintake.extractors.pages import read_pages

    programme = "longgang-model-app-2025"
    truth = generate_bundle(tmp_path / "gen", programme, 202611220001, auto_defects=True, as_zip=False,
                           only={"tax_certificate"})
    cert = next(d for d in truth["documents"] if d["doc_type"] == "tax_certificate")
    (name, _), = cert["pages"]
    folder = tmp_path / "b"
    folder.mkdir()
    shutil.copy(tmp_path / "gen" / programme / truth["bundle"] / name, folder / name)
    bundle = process_bundle(folder, programme, Settings())
    fields, _ = _fields(bundle, DocType.tax_certificate)
    assert fields["issue_date"] == cert["fields"]["issue_date"]
    # a plain reading of the page has no date line: the second look found it
    from docintake.core.datamodel import SourceFile
    from docintake.extractors.ocr import get_engine

    file = SourceFile(name=name, path=folder / name, format="pdf", size=1, sha256="-")
    first = next(read_pages(file, Settings(), lambda: get_engine("rapidocr", OCR_THREADS)))
    year = cert["fields"]["issue_date"][:4] + "年"
    assert not any(year in ln.text for ln in first.lines)


def test_an_unlabelled_credit_code_must_be_valid_not_a_serial_number():
    """OCR misread the label (纳税人识割号); the serial No. and the voucher numbers of the table
    (18 digits too) are no credit code."""
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    rows = [("No.563878198747595654", 697, 158), ("纳税人识割号", 88, 227), ("91440305915696237J", 186, 228),
            ("纳税人名称", 446, 227), ("深圳市恒信数据科技有限公司", 553, 229),
            ("原凭证号 326011240000123456", 131, 268)]
    page = Page(source="cert.jpg", page=1, width=907, height=1276, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=(x, y, x + 12 * len(t), y + 20), source=TextSource.ocr) for t, x, y in rows])
    assert extract_fields(DocType.tax_certificate, [page])["uscc"].value == "91440305915696237J"
    page.lines[1].text = "统计编号"  # no label at all: the search still skips the serial
    assert extract_fields(DocType.tax_certificate, [page])["uscc"].value == "91440305915696237J"


def test_the_model_of_a_filing_letter_whose_quotes_ocr_lost_is_read_from_its_title():
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    lines = ["关于星衍大模型完成生成式人工智能服务备案的说明", "致:深圳市万象信息技术股份有限公司",
             "我公司深圳市星衍智能科技有限公司研发的星衍大模型已按照规定完成备案,"]
    page = Page(source="letter.png", page=1, width=595, height=842, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=(60, 80 + 30 * i, 500, 94 + 30 * i), source=TextSource.ocr) for i, t in enumerate(lines)])
    assert extract_fields(DocType.cac_filing, [page])["model_name"].value == "星衍大模型"


def _invoice_read_off(rows, width=595, height=842):
    """Fields of an invoice page given as OCR lines (text, bbox in points)."""
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    lines = [TextLine(text=t, bbox=b, confidence=0.97, source=TextSource.ocr) for t, b in rows]
    page = Page(source="p.jpg", page=1, width=width, height=height, lines=lines, text_source=TextSource.ocr)
    return {k: f.value for k, f in extract_fields(DocType.invoice, [page]).items()}


def test_a_misread_name_label_does_not_hand_the_sellers_name_to_the_buyer():
    """A photographed invoice (bench seed 20261128) whose buyer 名称 was read as 名移: the buyer
    once became the seller, the next 名称, and the check reported a wrong buyer."""
    rows = [("购买方佛息", 24, 66), ("名移:北京市青藤智能科技有限公司", 43, 74), ("售方信色", 262, 74),
            ("名称:杭州青鸾人工智能有限公司", 279, 73), ("统一社会信用代码/纳税人识别号:", 43, 93),
            ("91110115MA4RYCTT91", 151, 93), ("统一社会信用代码/纳税人识别号:", 280, 94),
            ("91440304MA6R1W6899", 387, 94)]
    fields = _invoice_read_off([(t, (x, y, x + 11 * len(t), y + 11)) for t, x, y in rows], 519, 715)
    assert (fields["buyer_name"], fields["seller_name"]) == ("北京市青藤智能科技有限公司", "杭州青鸾人工智能有限公司")
    assert (fields["buyer_uscc"], fields["seller_uscc"]) == ("91110115MA4RYCTT91", "91440304MA6R1W6899")


def test_buyer_and_seller_on_a_page_left_askew_are_told_apart_by_side():
    """A scanned invoice left 1.6° askew (bench seed 20261126): the seller's lines sit 6 pt higher
    than the buyer's, so reading by rows met the seller's credit code first and gave the buyer's
    code to the seller, which then read as the applicant selling to itself (RELATED_PARTY)."""
    rows = [("销售方信息", (293, 153, 304, 195)), ("购买方信息", (76, 160, 88, 202)),
            ("名称:深圳市墨语智能有限公司", (309, 156, 409, 170)), ("名称:深圳市澜舟数字科技有限公司", (92, 162, 206, 176)),
            ("统一社会信用代码/纳税人识别号:", (92, 181, 186, 194)), ("91440305MACEWNAC0C", (192, 178, 276, 190)),
            ("统一社会信用代码/纳税人识别号:", (309, 175, 403, 188)), ("91440307MAMG2GM577", (408, 172, 491, 184))]
    fields = _invoice_read_off(rows)
    assert (fields["buyer_name"], fields["seller_name"]) == ("深圳市澜舟数字科技有限公司", "深圳市墨语智能有限公司")
    assert (fields["buyer_uscc"], fields["seller_uscc"]) == ("91440305MACEWNAC0C", "91440307MAMG2GM577")


def test_a_misread_code_label_does_not_hand_the_sellers_code_to_the_buyer():
    """A photographed invoice (bench seed 20261130): the buyer's 纳税人识别号 read as 情税人识别号."""
    rows = [("名称:北京领航数据科技有限公司", (40, 76, 150, 88)), ("名称:深圳市灵犀数智科技有限公司", (262, 74, 380, 87)),
            ("统一社会信用代码/情税人识别号:", (40, 96, 142, 107)), ("91110115MAX7G3Y13A", (142, 95, 222, 106)),
            ("统一社会信用代码/纳税人识别号:", (262, 94, 369, 107)), ("91440305302013181K", (365, 95, 446, 106))]
    fields = _invoice_read_off(rows, 489, 730)
    assert (fields["buyer_uscc"], fields["seller_uscc"]) == ("91110115MAX7G3Y13A", "91440305302013181K")


def test_a_label_ocr_boxed_one_character_at_a_time_is_joined_on_its_row():
    """A scanned invoice (bench seed 20261138) whose 合  计 row OCR boxed as 合 | 计: neither piece
    matched the 合计 label, and the amount and tax went unread."""
    rows = [("项目名称", (44, 222, 101, 245)), ("金额", (587, 225, 616, 244)), ("税额", (820, 225, 852, 246)),
            ("“信息技术服务“模型服务费", (44, 251, 198, 274)), ("38787.54", (558, 254, 617, 274)),
            ("2327.25", (798, 255, 852, 274)), ("合", (43, 350, 86, 373)), ("计", (78, 353, 98, 370)),
            ("V38787.54", (618, 353, 681, 370)), ("¥2327.25", (790, 352, 851, 372)),
            ("价税合计(大写)", (46, 385, 148, 406)), ("肆万壹仟壹佰壹拾肆圆柒角玖分", (174, 385, 389, 406)),
            ("(小写", (584, 386, 617, 408)), ("41114.79", (622, 381, 716, 410))]
    fields = _invoice_read_off(rows, 893, 1362)
    assert (fields["amount_excl_tax"], fields["tax_amount"], fields["total_amount"]) == (38787.54, 2327.25, 41114.79)


@pytest.mark.parametrize("rows", [
    [("我司北京市青禾软件有限公司(统一社会信用代码:91110302058062378L)研发并提", 173)],
    [("特此说明", 100), ("备案单位:北京市青禾软件有限公司", 285), ("模型名称:青禾写作大模型-7B", 310)],
])
def test_the_filer_of_a_cac_filing_letter(rows):
    """A provider's letter names itself 我司… or lists 备案单位: both are the filer."""
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    page = Page(source="filing.jpg", page=1, width=595, height=842, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=(80, y, 530, y + 14), source=TextSource.ocr) for t, y in rows])
    assert extract_fields(DocType.cac_filing, [page])["provider_name"].value == "北京市青禾软件有限公司"


def test_a_licences_address_takes_its_wrapped_line_but_not_the_next_rows_value():
    """A licence's 住所 row, then 法定代表人 | 朱新 close below it (a screenshot read with tight
    boxes): 朱新 has its label on its row, so it is no wrapped line of the address. An address that
    does wrap goes on below its value, beside its own label or another column's text."""
    from docintake.core.datamodel import Page, TextLine, TextSource
    from docintake.extractors.fields import extract_fields

    def address(rows):
        page = Page(source="licence.png", page=1, width=625, height=884, text_source=TextSource.ocr, lines=[
            TextLine(text=t, bbox=b, confidence=0.98, source=TextSource.ocr) for t, b in rows])
        return extract_fields(DocType.business_licence, [page])["address"].value

    head = [("营业执照", (229.4, 136.2, 394.8, 179.0)), ("名称", (92.4, 288.1, 146.2, 306.9)),
            ("深圳睿思数字科技有限公司", (193.5, 289.4, 337.9, 304.3)), ("住所", (91.5, 345.8, 147.1, 367.2))]
    assert address([*head, ("深圳市南山区西丽街道留仙大道325号B栋19楼02", (193.0, 348.8, 457.4, 364.5)),
                    ("法定代表人", (92.4, 377.2, 155.8, 394.2)), ("朱新", (191.7, 377.2, 222.4, 395.5))]
                   ) == "深圳市南山区西丽街道留仙大道325号B栋19楼02"
    assert address([*head, ("深圳市南山区西丽街道留仙大道325号创智天地大厦", (193.0, 348.8, 457.4, 364.5)),
                    ("B栋19楼02", (193.0, 367.0, 260.0, 382.7)), ("法定代表人", (92.4, 392.2, 155.8, 409.2)),
                    ("朱新", (191.7, 392.2, 222.4, 410.5))]) == "深圳市南山区西丽街道留仙大道325号创智天地大厦B栋19楼02"
    # a licence in two columns: 住所 in the right one, the
    # left column's 经营范围 running on beside the wrapped line
    assert address([("营业执照", (300, 100, 420, 140)), ("经营范围", (60, 300, 110, 316)),
                    ("软件开发;人工智能应用软件开发;", (130, 300, 420, 316)), ("住所", (470, 302, 505, 318)),
                    ("深圳市南山区桃源街道留仙大道661号众冠", (520, 300, 760, 316)),
                    ("计算机系统服务;数据处理。", (130, 319, 360, 335)), ("时代广场5座25楼", (520, 319, 640, 335))]
                   ) == "深圳市南山区桃源街道留仙大道661号众冠时代广场5座25楼"
