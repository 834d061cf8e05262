"""Classification and grouping on real files: merged scans split, page-per-JPEG documents joined."""

import pytest

from docintake.core.datamodel import DocType, Page, TextLine
from docintake.core.settings import Settings
from docintake.extractors.classify import classify_page, page_number
from docintake.pipeline.run import process_bundle
from tests.support.builders import (
    COMMITMENT,
    CONTRACT_1,
    CONTRACT_2,
    INVOICE,
    LICENCE,
    PAYMENT,
    image_pdf,
    make_pdf,
    render,
    scan,
    write_jpeg,
)

PROGRAMME = "etown-model-voucher-2026h1"


def _page(*lines: tuple[str, float, float]) -> Page:
    """A page from (text, y, size) triples, centred."""
    return Page(source="x.pdf", page=1, width=595, height=842, lines=[
        TextLine(text=t, bbox=(200, y, 400, y + size), size=size) for t, y, size in lines])


def test_title_decides_and_the_longest_title_match_wins():
    labour = _page(("劳动合同书", 80, 20), ("甲方(用人单位):某公司", 150, 11), ("乙方(劳动者):张三", 180, 11))
    assert classify_page(labour).doc_type == DocType.employment_proof
    service = _page(("技术服务合同", 80, 20), ("甲方:某公司", 150, 11), ("乙方:某模型公司", 180, 11))
    assert classify_page(service).doc_type == DocType.contract
    # a 'label: value' line at the top is not a title, even if it names a document type
    usage = _page(("合同编号:HT-1", 60, 11), ("模型服务用量结算单", 90, 20), ("结算周期 2026-01", 150, 11),
                  ("模型名称 YunQue-72B tokens 1200000", 180, 11))
    assert classify_page(usage).doc_type == DocType.usage_statement


def test_a_long_centred_title_barely_larger_than_its_body_still_decides():
    """A photographed application form (bench seed 20261140): its 25-character title read 17.9 pt
    tall against a 15.3 pt median, so neither large enough nor short enough to count; with no
    title the page joined the audit report before it and the form was reported missing."""
    title = "2025年龙岗区调用模型开发应用扶持项目项目申请书"
    page = _page((title, 71, 17.9), ("申报单位名称", 106, 16), ("万象数据科技(深圳)有限公司", 107, 14),
                 ("统一社会信用代码", 131, 13), ("91440307MA6TULLY7N", 131, 12), ("法定代表人", 175, 17),
                 ("丁博波", 175, 17), ("注册资本", 198, 15), ("成立日期", 221, 17), ("营业期限", 245, 14))
    label = classify_page(page)
    assert (label.title, label.doc_type) == (title, DocType.application_form)


def test_seal_text_lower_on_a_page_is_not_a_title():
    """The OCR of a contract seal (合同专用章) on a signature page must not start a document."""
    signature_page = _page(("4.1 服务方应按约定完成模型部署", 60, 11), ("第五条 双方权利义务", 90, 11),
                           ("5.1 需求方应按约定支付费用", 120, 11), ("服务方(盖章)", 200, 11),
                           ("需求方(盖章)", 230, 11), ("合同专用", 300, 12), ("日期:2025年10月1日", 330, 11))
    label = classify_page(signature_page)
    assert label.title is None
    assert label.doc_type == DocType.contract


def test_seal_text_at_the_top_of_a_signing_page_is_not_a_title():
    """A signing page opens with the parties' blocks, their seals' 合同专用章 among the first lines:
    inside a seal's box it is the seal's text and starts no document."""
    from docintake.core.datamodel import Seal

    page = _page(("甲方(采购方)", 90, 11), ("乙方(供应商)(盖章):", 92, 11), ("合同专用", 170, 16),
                 ("日期:2025年12月3日", 210, 11), ("地址:深圳市南山区", 230, 11))
    assert classify_page(page).title == "合同专用"  # without the seal it would look like one
    page.seals = [Seal(page=1, source="x.pdf", kind="contract_seal", shape="round", text="",
                       bbox=(240, 110, 360, 230))]
    assert classify_page(page).title is None


def test_a_title_wrapped_onto_two_lines_is_read_whole():
    page = Page(source="x.jpg", page=1, width=595, height=842, lines=[
        TextLine(text="2025年打造人工智能先锋城市项目扶持计划模型券(申领)申", bbox=(57, 62, 540, 82), size=20),
        TextLine(text="报书", bbox=(280, 84, 315, 104), size=20),
        TextLine(text="申报单位名称 深圳市拓维数字科技有限公司", bbox=(78, 130, 400, 144), size=12),
        TextLine(text="本单位承诺所填内容真实、准确、完整,如有虚假愿承担法律责任", bbox=(78, 600, 500, 614), size=12),
        TextLine(text="承诺", bbox=(78, 630, 120, 644), size=12),
    ])
    label = classify_page(page)
    assert label.doc_type == DocType.application_form
    assert label.title.endswith("申报书")


def test_a_table_of_contents_is_not_an_application_form():
    """Table cells in different columns of neighbouring rows (页码 / 申报表) are no wrapped title."""
    lines = [("申报材料目录", 237, 97, 351), ("序号", 85, 142, 112), ("材料名称", 131, 142, 176),
             ("页码", 461, 142, 486), ("1", 95, 170, 103), ("申报表", 131, 168, 166), ("2", 95, 196, 103),
             ("营业执照", 131, 196, 177)]
    page = Page(source="x.pdf", page=1, width=595, height=842, lines=[
        TextLine(text=t, bbox=(x0, y, x1, y + 15), size=15) for t, x0, y, x1 in lines])
    label = classify_page(page)
    assert label.doc_type != DocType.application_form
    assert label.title != "页码申报表"


@pytest.mark.parametrize("title", ["申报材料目录", "目录"])
def test_a_contents_page_listing_an_application_form_is_not_one(title):
    """Scanned contents pages (bench seed 20261130): the first row's 申报表, printed larger than
    the row's numbers, was a title candidate, and as the longer title match it made the page an
    application form missing its seal. A match weighs its length times its line's size now."""
    rows = [(title, (260.1, 106.8, 373.1, 131.7)), ("序号", (109.6, 151.4, 135.4, 168.5)),
            ("材料名称", (154.3, 152.3, 200.8, 167.6)), ("页码", (482.3, 151.8, 508.1, 168.0)),
            ("1", (118.2, 179.8, 127.2, 191.7)), ("申报表", (154.3, 177.7, 190.0, 193.4)),
            ("1", (490.5, 179.8, 499.5, 191.7)), ("2", (117.8, 205.7, 128.1, 218.3)),
            ("营业执照", (153.9, 203.5, 200.8, 220.1)), ("3", (490.1, 205.2, 500.4, 218.3)),
            ("3", (118.2, 231.5, 127.2, 243.7)), ("合同", (154.3, 229.3, 180.1, 245.9)),
            ("5", (490.9, 231.5, 499.5, 243.7)), ("4", (118.2, 257.3, 127.2, 268.7)),
            ("发票", (155, 256, 179, 271)), ("7", (491, 257, 500, 270)), ("5", (118, 283, 127, 295)),
            ("付款凭证", (154, 281, 201, 297)), ("9", (491, 283, 500, 295))]
    page = Page(source="scan14.tiff", page=1, width=633, height=868, lines=[
        TextLine(text=t, bbox=b, size=b[3] - b[1]) for t, b in rows])
    label = classify_page(page)
    assert (label.doc_type, label.title) == (DocType.other, title), label


def test_page_numbers_are_read():
    assert page_number(_page(("第 2 页 共 3 页", 800, 9))) == (2, 3)
    assert page_number(_page(("共3页 第1页", 800, 9))) == (1, 3)
    # a footer's - 2 -, one of its dashes lost to OCR (a phone photo's 2-); a bare 2 is any figure
    assert page_number(_page(("- 2 -", 800, 9))) == page_number(_page(("2-", 800, 9))) == (2, None)
    assert page_number(_page(("-2", 800, 9))) == (2, None) and page_number(_page(("2", 800, 9))) == (None, None)


def test_merged_pdf_of_five_documents_becomes_five(tmp_path):
    bundle = tmp_path / "b"
    make_pdf(bundle / "scan_003.pdf", [LICENCE, (*CONTRACT_1, "第 1 页 共 2 页"),
                                        (*CONTRACT_2, "第 2 页 共 2 页"), INVOICE, PAYMENT, COMMITMENT])
    result = process_bundle(bundle, PROGRAMME, Settings())
    assert [(d.doc_type, d.pages) for d in result.documents] == [
        (DocType.business_licence, [1]), (DocType.contract, [2, 3]), (DocType.invoice, [4]),
        (DocType.payment_proof, [5]), (DocType.commitment_letter, [6])]


@pytest.mark.ocr
def test_contract_scanned_one_page_per_jpeg_is_one_contract(tmp_path):
    src = make_pdf(tmp_path / "src.pdf", [CONTRACT_1, CONTRACT_2, INVOICE])
    bundle = tmp_path / "b"
    for page, name in ((1, "IMG_0009.jpg"), (2, "IMG_0010.jpg"), (3, "IMG_0011.jpg")):
        write_jpeg(bundle / name, scan(render(src, page, dpi=150), seed=page))
    result = process_bundle(bundle, PROGRAMME, Settings())
    docs = [(d.doc_type, [(r.source, r.page) for r in d.parts]) for d in result.documents]
    assert docs == [
        (DocType.contract, [("IMG_0009.jpg", 1), ("IMG_0010.jpg", 1)]),
        (DocType.invoice, [("IMG_0011.jpg", 1)]),
    ]
    contract = result.documents[0]
    assert contract.source == "IMG_0009.jpg" and contract.pages == [1]
    assert contract.text_source == "ocr"


@pytest.mark.ocr
def test_scanned_merged_pdf_is_split_by_content(tmp_path):
    src = make_pdf(tmp_path / "src.pdf", [COMMITMENT, INVOICE, LICENCE])
    bundle = tmp_path / "b"
    image_pdf(bundle / "merged.pdf", [scan(render(src, n, dpi=150), seed=n) for n in (1, 2, 3)])
    result = process_bundle(bundle, PROGRAMME, Settings())
    assert [d.doc_type for d in result.documents] == [
        DocType.commitment_letter, DocType.invoice, DocType.business_licence]
    assert all(d.text_source == "ocr" for d in result.documents)


def _form_page(rows: list[tuple[str, float]], source: str = "f.pdf", number: int = 1) -> Page:
    return Page(source=source, page=number, width=595, height=842, lines=[
        TextLine(text=t, bbox=(x, y, x + 14 * len(t), y + size), size=size) for t, x, y, size in rows])


def test_an_application_forms_second_page_reading_like_a_commitment_stays_in_the_form():
    """A two-page form: a cover titled 申报表, then 一、基本情况 (a table) and 二、承诺. The second page
    reads like a commitment letter, but a numbered section heading is no title and the form's
    type still has support on it: one document, an application form."""
    from docintake.extractors.grouping import group_pages

    cover = _form_page([("2026年上半年人工智能“模型券”申报表", 115, 165, 20), ("申报单位(盖章):深圳市星河智能科技有限公司", 120, 261, 13),
                        ("申报日期:2026年06月28日", 120, 397, 13), ("- 1 -", 290, 801, 9)])
    body = _form_page([("一、申报单位基本情况", 228, 59, 14), ("单位名称", 63, 97, 10), ("深圳市星河智能科技有限公司", 223, 97, 10),
                       ("申请资助金额(元)", 63, 435, 10), ("1,133,950.00", 223, 435, 10),
                       ("二、申报单位承诺", 60, 483, 13),
                       ("本单位承诺所提交的申报材料真实、准确、完整,如有不实,愿意承担相应的法律责任。", 81, 507, 10),
                       ("法定代表人(签字):", 80, 570, 11), ("申报单位(盖章)", 330, 573, 11)], number=2)
    for page in (cover, body):
        page.label = classify_page(page)
    assert body.label.title is None
    [form] = group_pages([cover, body])
    assert form.doc_type == DocType.application_form and len(form.pages) == 2


def test_a_receipt_after_an_invoice_in_one_file_is_still_two_documents():
    """The support that keeps a page in its document must not be dwarfed by the page's own type."""
    from docintake.extractors.grouping import group_pages

    receipt = _form_page([("平安银行电子回单", 200, 60, 15), ("付款人名称:深圳市星河智能科技有限公司", 40, 100, 9),
                          ("收款人名称:北京明理智源科技有限公司", 40, 120, 9), ("交易金额:¥1,000.00", 40, 140, 9),
                          ("交易日期:2026年03月14日", 40, 160, 9)])
    invoice = _form_page([("发", 328, 4, 20), ("票", 343, 6, 18), ("国统", 287, 7, 29), ("No 12345670", 496, 22, 16),
                          ("广东增值税普通发票", 244, 26, 31), ("发票代码:", 488, 44, 12), ("发票号码:", 488, 56, 12),
                          ("开票日期:", 488, 68, 12), ("购买方", 20, 91, 44), ("纳税人识别号:", 42, 102, 10),
                          ("价税合计", 40, 300, 10), ("销售方", 20, 330, 44), ("开户行及账号:", 43, 132, 10)], number=2)
    for page in (receipt, invoice):
        page.label = classify_page(page)
    assert invoice.label.title == "广东增值税普通发票"  # the 监制章's scraps above it do not hide it
    assert [g.doc_type for g in group_pages([receipt, invoice])] == [DocType.payment_proof, DocType.invoice]


@pytest.mark.parametrize(("title", "doc_type"), [("项目终验证明", DocType.acceptance_report),
                                                  ("交付验收单", DocType.acceptance_report),
                                                  ("一、项目背景与意义", DocType.other)])
def test_acceptance_titles_and_section_headings(title, doc_type):
    label = classify_page(_page((title, 80, 20)))
    assert label.doc_type == doc_type and (label.title is None) == (doc_type == DocType.other)


@pytest.mark.parametrize(("lines", "mode"), [
    (["服务提供方向需求方提供“某某大模型”模型服务,调用方式为:云化部", "署。服务内容包括模型云上专属实例部署与调用"], "云化部署"),
    (["服务提供方向需求方提供“某某大模型”模型服务,调用方式为:本地私有", "化部署。服务内容包括模型在需求方本地环境的部署"], "私有化部署"),
    (["调用方式为:云端部署(云化", "部署)。服务内容包括"], "云化部署"),
])
def test_the_deployment_mode_in_a_sentence_wrapped_over_two_lines(lines, mode):
    from docintake.extractors.fields import extract_fields

    page = _form_page([(t, 80, 300 + 20 * k, 12) for k, t in enumerate(lines)])
    assert extract_fields(DocType.contract, [page])["deployment_mode"].value == mode


def test_a_filing_letter_repeating_its_number_is_not_a_list_printout():
    """A provider's letter gives its filing number in the text and again under 备案编号: one filing,
    read with full confidence, not a CAC list whose rows must be matched to the contract."""
    from docintake.core.datamodel import DocumentReport, TextSource
    from docintake.extractors.fields import extract_fields
    from docintake.extractors.filing_rows import keep_filing_row_of

    number = "Beijing-MingLiDaMoXing-20240323"
    page = _form_page([("关于“明理大模型-Turbo”完成生成式人工智能服务备案的说明", 85, 86, 15),
                       (f"要求,于2024年3月23日完成生成式人工智能服务备案,备案编号为:{number}。", 70, 238, 11),
                       ("备案单位:北京市明理信息技术股份有限公司", 90, 281, 11), ("模型名称:明理大模型-Turbo", 90, 306, 11),
                       (f"备案编号:{number}", 90, 331, 11)])
    page.text_source = TextSource.text_layer
    doc = DocumentReport(id="d1", source="f.pdf", pages=[1], doc_type=DocType.cac_filing,
                         text_source=TextSource.text_layer, fields=extract_fields(DocType.cac_filing, [page]))
    keep_filing_row_of(doc, [page], {"明理大模型-Turbo", "北京市明理信息技术股份有限公司"})
    assert doc.fields["filing_number"].value == number
    assert min(f.confidence for f in doc.fields.values()) == 1.0


def test_a_forms_second_page_photographed_on_its_own_takes_the_forms_type():
    """Page - 2 - of an application form photographed into a file of its own, after other files:
    its 承诺 section reads like a commitment letter, but it is page 2 of the form whose page 1
    (- 1 -) is elsewhere in the bundle. A bare page number does not join files, so it stays a
    document of its own file, of the form's type."""
    from docintake.extractors.grouping import group_pages

    cover = _form_page([("2026年上半年人工智能“模型券”申报表", 115, 165, 20), ("申报单位(盖章):深圳市星河智能科技有限公司", 120, 261, 13),
                        ("申报日期:2026年06月28日", 120, 397, 13), ("- 1 -", 290, 801, 9)], source="IMG_1.jpg")
    licence = _form_page([("营业执照", 215, 129, 45), ("统一社会信用代码", 70, 138, 13), ("名称", 89, 212, 16),
                          ("法定代表人", 89, 271, 15), ("经营范围", 89, 300, 15), ("成立日期", 89, 385, 15)], source="IMG_2.jpg")
    second = _form_page([("一、申报单位基本情况", 228, 59, 14), ("单位名称", 63, 97, 10), ("申请资助金额(元)", 63, 435, 10),
                         ("二、申报单位承诺", 60, 483, 13),
                         ("本单位承诺所提交的申报材料真实、准确、完整,如有不实,愿意承担相应的法律责任。", 81, 507, 10),
                         ("申报单位(盖章)", 330, 573, 11), ("-2-", 290, 801, 9)], source="IMG_3.jpg")
    for page in (cover, licence, second):
        page.label = classify_page(page)
    assert (cover.label.page_no, second.label.page_no) == (1, 2)
    groups = group_pages([cover, licence, second])
    assert [(g.pages[0].source, g.doc_type) for g in groups] == [
        ("IMG_1.jpg", DocType.application_form), ("IMG_2.jpg", DocType.business_licence),
        ("IMG_3.jpg", DocType.application_form)]


@pytest.mark.parametrize(("value", "code"), [("互联网批发(5191)", "5191"), ("软件和信息技术服务业(I65)", "65"),
                                             ("其他软件开发 6519", "6519")])
def test_the_industry_code_an_application_form_declares(value, code):
    from docintake.extractors.fields import extract_fields

    page = _form_page([("所属行业(国民经济行业代码)", 63, 254, 10), (value, 223, 254, 10),
                       ("成立日期", 63, 280, 10), ("2012年10月13日", 223, 280, 10)])
    assert extract_fields(DocType.application_form, [page])["industry_code"].value == code


def test_an_invoice_label_letter_spaced_across_its_cell_is_read():
    """A paper invoice prints 名      称: across its cell; OCR boxes 名 and 称: apart (and may lose
    the 名 of the seller's): the names are still the buyer's and the seller's."""
    from docintake.extractors.fields import extract_fields

    page = Page(source="IMG_1.jpg", page=1, width=768, height=432, lines=[
        TextLine(text=t, bbox=b, size=b[3] - b[1]) for t, b in [
            ("名", (52, 90, 66, 102)), ("称:", (96, 90, 112, 102)), ("深圳市星河智能科技有限公司", (127, 88, 262, 99)),
            ("纳税人识别号:", (52, 106, 111, 119)), ("91440300MA5G8XYZ3K", (127, 105, 215, 115)),
            ("称:", (96, 316, 111, 328)), ("北京明理智源科技有限公司", (126, 314, 252, 325))]])
    fields = extract_fields(DocType.invoice, [page])
    assert (fields["buyer_name"].value, fields["seller_name"].value) == ("深圳市星河智能科技有限公司", "北京明理智源科技有限公司")


LICENCE_ROWS = {
    # OCR glued the label's second character to the value
    "glued": [("称四川蜀道云帆科技有限公司", (89, 212, 342, 228)), ("类型", (89, 241, 118, 257)),
              ("有限责任公司(自然人投资或控股)", (185, 243, 356, 256)), ("法定代表人", (89, 271, 148, 285)), ("李四", (184, 270, 211, 287))],
    # the label's first character merged with the row below's (名类), the value in its own box
    "merged": [("名类", (89, 212, 119, 240)), ("四川蜀道云帆科技有限公司", (185, 213, 342, 227)), ("型", (99, 241, 118, 257)),
               ("有限责任公司(自然人投资或控股)", (185, 243, 356, 256)), ("法定代表人", (89, 271, 148, 285)), ("李四", (184, 270, 211, 287))],
    # a sole trader's licence: 名 称 spaced wide, a name ending in 馆, 经营者 instead of 法定代表人
    "sole trader": [("名", (89, 212, 103, 228)), ("称", (140, 212, 154, 228)), ("成都市武侯区老王面馆", (185, 213, 342, 227)),
                    ("经营者", (89, 271, 148, 285)), ("李四", (184, 270, 211, 287)), ("组成形式", (89, 300, 148, 315)),
                    ("个人经营", (184, 300, 250, 315))],
}


@pytest.mark.parametrize("kind", LICENCE_ROWS)
def test_a_licence_name_whatever_ocr_did_to_its_label(kind):
    from docintake.core.datamodel import TextSource
    from docintake.extractors.fields import extract_fields

    page = Page(source="licence.jpg", page=1, width=628, height=864, text_source=TextSource.ocr, lines=[
        TextLine(text=t, bbox=b, size=b[3] - b[1], source=TextSource.ocr) for t, b in LICENCE_ROWS[kind]])
    fields = extract_fields(DocType.business_licence, [page])
    name = "成都市武侯区老王面馆" if kind == "sole trader" else "四川蜀道云帆科技有限公司"
    assert (fields["company_name"].value, fields["legal_rep"].value) == (name, "李四")


def test_a_licence_type_is_never_taken_for_its_name():
    from docintake.extractors.field_values import org_name

    assert org_name("有限责任公司(自然人投资或控股)") is None and org_name("个体工商户") is None
    assert org_name("深圳市某某分店") == "深圳市某某分店" and org_name("账号开户银行") is None


def test_a_firm_whose_name_has_a_word_before_its_legal_form_is_named_whole():
    """事务所, 研究院, 中心 end many names, but also begin the last part of others: the company
    form after them is the name's (an audit firm's seal carries it, and so does a party's field).
    A partnership's form is left off, as before: seals carry it or not."""
    from docintake.extractors.field_values import org_name

    assert org_name("杭州明远会计师事务所有限公司 中国注册会计师：王某") == "杭州明远会计师事务所有限公司"
    assert org_name("杭州明远会计师事务所（特殊普通合伙）") == "杭州明远会计师事务所"
    assert org_name("上海某某数据研究院有限公司上海分公司") == "上海某某数据研究院有限公司上海分公司"
    assert org_name("深圳市某某数据服务中心") == "深圳市某某数据服务中心"


def test_two_id_cards_of_two_people_are_two_documents():
    """The legal representative's card, then the project lead's, each photographed into its own
    file: same type, no titles, but two ID numbers: two documents. Two pages of one person's
    number still make one."""
    from docintake.extractors.grouping import group_pages

    def card(source, name, number):
        return _form_page([("姓名", 195, 146, 12), (name, 231, 144, 15), ("性别", 195, 166, 13), ("民族汉", 261, 166, 13),
                           ("出生", 195, 185, 12), ("住址", 196, 205, 11), ("公民身份号码", 203, 259, 11), (number, 269, 258, 13)],
                          source=source)
    pages = [card("a.jpg", "王磊", "440305198508171234"), card("b.jpg", "周文博", "110105197003151236"),
             card("c.jpg", "周文博", "110105197003151236")]
    for page in pages:
        page.label = classify_page(page)
    assert [[p.source for p in g.pages] for g in group_pages(pages)] == [["a.jpg"], ["b.jpg", "c.jpg"]]


def test_an_invoice_whose_title_is_lost_under_its_seal_is_still_its_own_invoice():
    """Two paper invoices photographed one per file; the second's title (增值税普通发票) is split by
    the 监制章 and read as scraps, so the page has no title. Its 发票号码 is another number: two
    invoices. A page repeating the number (a goods list, 销货清单) stays with its invoice."""
    from docintake.extractors.grouping import group_pages

    def invoice(source, number, title=True):
        rows = [("广东增值税普通发票", 244, 26, 31)] if title else [("广东增值税普", 244, 26, 31)]
        return _form_page([*rows, ("国统一", 287, 7, 20), (f"发票号码:{number}", 488, 56, 12),
                                  ("开票日期:2026年02月12日", 488, 68, 12), ("购买方", 20, 91, 44),
                                  ("纳税人识别号:", 42, 102, 10), ("价税合计", 40, 300, 10), ("销售方", 20, 330, 44)],
                          source=source)

    pages = [invoice("a.jpg", "71660144"), invoice("b.jpg", "71660145", title=False),
             invoice("c.jpg", "71660145", title=False)]
    for page in pages:
        page.label = classify_page(page)
    assert pages[1].label.title is None and pages[1].label.doc_type == DocType.invoice
    assert [[p.source for p in g.pages] for g in group_pages(pages)] == [["a.jpg"], ["b.jpg", "c.jpg"]]


def test_an_e_invoice_total_row_spaced_wide_and_a_paper_invoice_code_printed_bare():
    """增值税电子普通发票: 合 and 计 far apart on the 合计 row, amounts under 金额 and 税额; the
    8-digit number of a paper-era invoice with its 发票代码 printed bare at the top left."""
    from docintake.extractors.fields import extract_fields

    rows = [("044031900111", (30, 20, 110, 30)), ("深圳增值税电子普通发票", (220, 18, 420, 40)),
            ("发票号码:", (470, 30, 520, 40)), ("12345678", (522, 30, 570, 40)),
            ("开票日期:", (470, 44, 520, 54)), ("2026年03月14日", (522, 44, 600, 54)),
            ("金", (400, 150, 409, 159)), ("额", (440, 150, 449, 159)), ("税", (520, 150, 529, 159)), ("额", (560, 150, 569, 159)),
            ("合", (50, 250, 59, 259)), ("计", (100, 250, 109, 259)), ("¥1,000.00", (410, 250, 460, 259)),
            ("¥60.00", (540, 250, 575, 259)), ("价税合计(大写)", (30, 270, 110, 280)), ("壹仟零陆拾圆整", (180, 270, 260, 280)),
            ("(小写)", (420, 270, 450, 280)), ("¥1,060.00", (455, 270, 505, 280))]
    page = Page(source="e.pdf", page=1, width=612, height=396, lines=[
        TextLine(text=t, bbox=b, size=b[3] - b[1]) for t, b in rows])
    fields = extract_fields(DocType.invoice, [page])
    assert (fields["amount_excl_tax"].value, fields["tax_amount"].value, fields["total_amount"].value) == (1000.0, 60.0, 1060.0)
    assert fields["invoice_code"].value == "044031900111"


@pytest.mark.parametrize(("figures", "sure"), [("¥662,648.66", True), ("¥662,648.06", False)])
def test_a_receipts_figures_the_words_contradict_are_unsure(figures, sure):
    from docintake.extractors.fields import extract_fields

    page = _form_page([("金额(小写)", 42, 215, 9), (figures, 156, 215, 9),
                       ("金额(大写)", 42, 236, 9), ("人民币陆拾陆万贰仟陆佰肆拾捌元陆角陆分", 156, 236, 9)])
    amount = extract_fields(DocType.payment_proof, [page])["amount"]
    assert (amount.confidence >= 0.8) == sure


def test_parties_named_by_role_words_user_and_service_provider():
    """大模型应用服务协议 between 用户 and 服务方, each with its credit code."""
    from docintake.core.datamodel import TextSource
    from docintake.extractors.fields import extract_fields

    rows = [("用户:远山软件(深圳)有限公司", 72, 167, 12), ("统一社会信用代码:91440305MA0AN3L62H", 95, 185, 12),
            ("服务方:深圳市青禾智能有限公司", 72, 245, 12), ("统一社会信用代码:91110115MAKB86GY3W", 95, 264, 12),
            ("用户、服务方双方本着平等自愿、诚实信用、互惠互利的原则", 93, 324, 12)]
    page = _form_page(rows)
    page.text_source = TextSource.text_layer
    fields = extract_fields(DocType.contract, [page])
    assert (fields["party_a"].value, fields["party_b"].value) == ("远山软件(深圳)有限公司", "深圳市青禾智能有限公司")
    assert (fields["party_a_uscc"].value, fields["party_b_uscc"].value) == ("91440305MA0AN3L62H", "91110115MAKB86GY3W")
