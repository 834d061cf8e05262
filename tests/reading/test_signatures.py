"""Handwritten signatures next to 签字 labels: label rules, pixels of scans, born-digital PDFs, and
generated bundles end to end against their truth (legal_rep_signed / party_a_signed)."""

import math

import pymupdf
import pytest

from docintake.core.datamodel import Page, TextLine, TextSource
from docintake.extractors.signatures import find_labels, find_pdf_signatures, find_signatures
from docintake.extractors.text_layer import text_layer_lines
from tests.support import OCR_THREADS, PHOTO_BUNDLE, SCAN_BUNDLE
from tests.support.builders import COMMITMENT, add_page, render, scan

LABEL_Y = 150 + 3 * 26  # builders.add_page: the 4th line of COMMITMENT is 法定代表人（签字）：


def _page(*texts: str) -> Page:
    lines = [TextLine(text=t, bbox=(60, 100 + 30 * i, 60 + 11 * len(t), 114 + 30 * i), size=11)
             for i, t in enumerate(texts)]
    return Page(source="a.pdf", page=1, width=595, height=842, lines=lines)


def test_labels_are_short_lines_ending_in_a_colon_or_a_bracketed_keyword():
    page = _page("法定代表人(签字):", "法定代表人或授权代表(签字)", "本人签字:", "签名:", "乙方(签字):张三",
                 "本人签")  # 字 lost under a seal
    assert [lb.text for lb in find_labels(page)] == [
        "法定代表人(签字)", "法定代表人或授权代表(签字)", "本人签字", "签名", "乙方(签字)", "本人签"]


def test_a_bracketed_signing_keyword_ocr_garbled_under_a_seal_is_still_a_label():
    # real OCR of application forms whose company seal covers the label (bench seed 20261131)
    page = _page("法定代表人(签学):", "法定代表人(字):W", "申报单位(盖章):深圳市明德数字科技有限公司",
                 "金额(大写字)", "(数字)人民币", "本人签学:闫艳雨", "签订日期:2025年9月1日")
    assert [lb.text for lb in find_labels(page)] == ["法定代表人(签学)", "法定代表人(字)", "本人签学"]


def test_a_label_ocr_split_at_its_bracket_is_joined_again():
    # a seal stamped over 法定代表人（签字）: OCR read (字) as a line of its own (bench seed 20261133)
    lines = [TextLine(text="法定代表人", bbox=(233, 437, 296, 453)), TextLine(text="(字)", bbox=(297, 429, 341, 455)),
             TextLine(text="(盖章)", bbox=(400, 500, 440, 516))]  # a bracket with nothing on its left
    page = Page(source="a.pdf", page=1, width=595, height=842, lines=lines)
    [label] = find_labels(page)
    assert (label.text, label.line.bbox) == ("法定代表人(字)", (233, 429, 341, 455))


def test_a_name_ocr_read_as_its_own_line_after_a_label_is_the_signature():
    # 本人签字: | 蒋英梓 on a scanned ID copy (bench seed 20261133): the hand's ink sat inside a
    # "printed" box, so the ink test found nothing and reported the signature missing
    lines = [TextLine(text="本人签字:", bbox=(357, 626, 410, 644), source=TextSource.ocr),
             TextLine(text="蒋英梓", bbox=(417, 623, 470, 644), source=TextSource.ocr)]
    page = Page(source="a.pdf", page=1, width=595, height=842, lines=lines)
    [label] = find_labels(page)
    assert label.text == "本人签字" and label.rest_bbox is not None and label.rest_bbox[2] == 470


def test_seal_text_read_as_a_tall_box_after_a_label_is_not_joined_to_it():
    # 限公司 off the seal's arc, read as one box three lines tall beside 法定代表人(签字): (bench
    # seed 20261138): joined, it stretched the label over the line above, whose company name,
    # lost to OCR under the seal, then passed for a signature
    lines = [TextLine(text="法定代表人(签字):", bbox=(229, 434, 347, 453), source=TextSource.ocr),
             TextLine(text="限公司", bbox=(345, 415, 383, 468), source=TextSource.ocr)]
    page = Page(source="a.pdf", page=1, width=595, height=842, lines=lines)
    [label] = find_labels(page)
    assert label.line.bbox == (229, 434, 347, 453) and label.rest_bbox is None


def test_body_sentences_that_mention_signing_are_not_labels():
    page = _page("本合同一式肆份,双方各执贰份,自双方签字盖章之日起生效。",
                 "承诺书须由法定代表人签字、加盖公章,并附身份证复印件",
                 "签字盖章之日起生效", "签订日期:2025年9月1日")
    assert find_labels(page) == []


def test_a_label_whose_colon_ocr_lost_counts_when_the_name_after_it_is_written_larger():
    """OCR joins 本人签字 and the handwritten name into one line and drops the colon: the name
    takes twice the print's room per character. A sentence at the print's pitch is no label."""
    body = [TextLine(text="与原件一致，仅供申报使用", bbox=(60, 100 + 30 * i, 192, 114 + 30 * i),
                     source=TextSource.ocr) for i in range(3)]
    signed = TextLine(text="本人签字郑玉杰", bbox=(60, 200, 60 + 11 * 4 + 22 * 3, 222), source=TextSource.ocr)
    sentence = TextLine(text="签字后生效", bbox=(60, 240, 60 + 11 * 5, 254), source=TextSource.ocr)
    page = Page(source="a.png", page=1, width=595, height=842, lines=[*body, signed, sentence])
    labels = find_labels(page)
    assert [lb.text for lb in labels] == ["本人签字"]
    assert labels[0].bbox[2] < 60 + 11 * 5  # the name is not part of the label
    signed.bbox = (60, 200, 60 + 11 * 7, 214)  # the same words at the print's pitch: a sentence
    assert find_labels(page) == []


def _commitment(tmp_path, after_label=None, scribble=True, sentence=None):
    doc = pymupdf.open()
    lines = list(COMMITMENT[1])
    if sentence:
        lines[0] = sentence
    pdf_page = add_page(doc, COMMITMENT[0], lines)
    if after_label:
        pdf_page.insert_text((180, LABEL_Y), after_label, fontname="noto", fontsize=11)
    if scribble:  # as the generator draws a hand signature: a wavy dark-blue polyline
        pts = [(185 + 3 * i, LABEL_Y - 4 - 8 * math.sin(i / 23 * math.pi * 3.5)) for i in range(24)]
        pdf_page.draw_polyline(pts, color=(0.08, 0.08, 0.25), width=1.2)
    path = tmp_path / "c.pdf"
    doc.save(path)
    return path


def _pdf_result(path):
    with pymupdf.open(path) as doc:
        pdf_page = doc[0]
        page = Page(source=path.name, page=1, width=pdf_page.rect.width, height=pdf_page.rect.height,
                    lines=text_layer_lines(pdf_page))
        return find_pdf_signatures(pdf_page, page), page


@pytest.mark.parametrize(("scribble", "after_label", "signed"), [
    (True, None, True),
    (False, None, False),
    (False, "____________________", False),  # a printed line to sign on is not a signature
    (True, "____________________", True),
])
def test_born_digital_label_with_and_without_a_scribble(tmp_path, scribble, after_label, signed):
    (signatures, labels), _ = _pdf_result(_commitment(tmp_path, after_label, scribble))
    assert [lb.label for lb in labels] == ["法定代表人(签字)"]
    assert bool(signatures) == signed
    if signed:
        x0, y0, x1, y1 = signatures[0].bbox
        assert x0 >= 170 and x1 <= 270 and y0 >= LABEL_Y - 25 and y1 <= LABEL_Y + 10


def test_a_body_sentence_about_signing_expects_no_signature(tmp_path):
    path = _commitment(tmp_path, scribble=False, sentence="本承诺书须由法定代表人签字、加盖公章后提交。")
    (signatures, labels), _ = _pdf_result(path)
    assert [lb.label for lb in labels] == ["法定代表人(签字)"]  # only the real label
    assert signatures == []


@pytest.mark.parametrize(("scribble", "noise"), [(True, 6.0), (False, 6.0), (True, 14.0), (False, 14.0)])
def test_scanned_label_with_and_without_a_scribble(tmp_path, scribble, noise):
    path = _commitment(tmp_path, "______________", scribble)
    (_, _), page = _pdf_result(path)
    page.lines = [ln.model_copy(update={"source": TextSource.ocr, "confidence": 0.98}) for ln in page.lines]
    image = scan(render(path, dpi=150), noise=noise, seed=3)
    signatures, labels = find_signatures(image, 72 / 150, page)
    assert len(labels) == 1
    assert bool(signatures) == scribble


def test_print_ocr_dropped_off_the_end_of_the_line_above_is_not_a_signature(tmp_path):
    # OCR read 承诺单位（盖章）：深圳市星河智能科技有限 and lost 公司 (bench seed 20261138, a photo):
    # the unread print reaching into the answer area passed for a scribble
    path = _commitment(tmp_path, scribble=False)
    (_, _), page = _pdf_result(path)
    page.lines = [ln.model_copy(update={"source": TextSource.ocr, "confidence": 0.98}) for ln in page.lines]
    [above] = [ln for ln in page.lines if ln.text.startswith("承诺单位")]
    width = (above.bbox[2] - above.bbox[0]) / len(above.text)
    above.text, above.bbox = above.text[:-2], (*above.bbox[:2], above.bbox[2] - 2 * width, above.bbox[3])
    page.lines = [ln for ln in page.lines if not ln.text.startswith("法定代表人")] + [
        ln.model_copy(update={"bbox": (ln.bbox[0], ln.bbox[1] - 6, ln.bbox[2], ln.bbox[3])})
        for ln in page.lines if ln.text.startswith("法定代表人")]  # a photo's line boxes run tall
    signatures, labels = find_signatures(scan(render(path, dpi=150), seed=3), 72 / 150, page)
    assert len(labels) == 1 and signatures == []


@pytest.mark.ocr
def test_a_label_under_a_seal_is_read_again_with_the_red_ink_removed(tmp_path):
    """The company seal stamped over 法定代表人（签字）： hides the label from OCR; the page has a
    signing block (承诺单位（盖章）) and a seal, so the seal's neighbourhood is read again."""
    import io
    import random

    from docintake.extractors.ocr import get_engine
    from docintake.extractors.page_ocr import ocr_image
    from docintake.extractors.scan import read_scan
    from docintake.samples.generator.seals import _colourise, round_mask

    path = _commitment(tmp_path)
    with pymupdf.open(path) as doc:
        seal = _colourise(round_mask("深圳市星河智能科技有限公司", ""), random.Random(1), 0.0, 0.95)
        png = io.BytesIO()
        seal.save(png, "PNG")
        doc[0].insert_image(pymupdf.Rect(85, LABEL_Y - 60, 205, LABEL_Y + 60), stream=png.getvalue())
        doc.save(tmp_path / "sealed.pdf")
    image = scan(render(tmp_path / "sealed.pdf", dpi=150), seed=2)
    engine = get_engine("rapidocr", OCR_THREADS)
    bare, _ = ocr_image(image, engine, 72 / 150)
    assert not find_labels(Page(source="x", page=1, width=595, height=842, lines=bare))  # hidden
    page = read_scan(image, engine, 72 / 150, Page(source="sealed.png", page=1, width=0, height=0))
    assert [lb.label[:7] for lb in page.signature_labels] == ["法定代表人(签"]  # 字 may stay under the star
    assert page.signatures
    # The reread is an extra: when it breaks, the page keeps its first reading.
    import docintake.extractors.under_seals as under_seals

    def broken(*args, **kwargs):
        raise RuntimeError("OCR of a crop failed")

    under_seals.read_under_seals, real = broken, under_seals.read_under_seals
    try:
        page = read_scan(image, engine, 72 / 150, Page(source="sealed.png", page=1, width=0, height=0))
    finally:
        under_seals.read_under_seals = real
    assert [ln.text for ln in page.lines] == [ln.text for ln in bare] and page.signature_labels == []


def test_a_seal_character_read_beside_the_label_does_not_end_the_answer_area(tmp_path):
    """OCR reads 公 off the seal's arc just right of 法定代表人（签字）：; the scribble runs on past it.
    Inside the seal that character is the seal's, not print closing the answer area."""
    from docintake.core.datamodel import Seal

    path = _commitment(tmp_path, "______________", True)
    (_, _), page = _pdf_result(path)
    page.lines = [ln.model_copy(update={"source": TextSource.ocr, "confidence": 0.98}) for ln in page.lines]
    page.lines.append(TextLine(text="公", bbox=(172, LABEL_Y - 12, 182, LABEL_Y), source=TextSource.ocr))
    image = scan(render(path, dpi=150), seed=3)
    assert find_signatures(image, 72 / 150, page)[0] == []  # read as print, 公 closes the area
    page.seals = [Seal(page=1, source=page.source, kind="company_seal", shape="round", text="",
                       bbox=(110, LABEL_Y - 60, 230, LABEL_Y + 60))]
    signatures, _ = find_signatures(image, 72 / 150, page)
    assert signatures and signatures[0].bbox[0] >= 175


@pytest.mark.parametrize(("scribble", "dpi"), [(True, 100), (False, 100), (True, 150), (False, 150)])
def test_a_scribble_under_a_grey_seal_is_told_from_the_seal_by_being_darker(tmp_path, scribble, dpi):
    """A grey-scale scan: the seal over 法定代表人（签字）： prints mid-grey, the pen's thin stroke
    blurs to dark grey rather than black. Only ink well darker than the seal's own counts."""
    import io
    import random

    import cv2

    from docintake.core.datamodel import Seal
    from docintake.samples.generator.seals import _colourise, round_mask

    path = _commitment(tmp_path, scribble=scribble)
    (_, _), page = _pdf_result(path)
    page.lines = [ln.model_copy(update={"source": TextSource.ocr, "confidence": 0.98}) for ln in page.lines]
    box = pymupdf.Rect(150, LABEL_Y - 60, 270, LABEL_Y + 60)  # over the whole answer area
    with pymupdf.open(path) as doc:
        seal = _colourise(round_mask("深圳市星河智能科技有限公司", ""), random.Random(1), 0.0, 0.6)
        png = io.BytesIO()
        seal.save(png, "PNG")
        doc[0].insert_image(box, stream=png.getvalue())
        doc.save(tmp_path / "sealed.pdf")
    grey = cv2.cvtColor(scan(render(tmp_path / "sealed.pdf", dpi=dpi), seed=2), cv2.COLOR_BGR2GRAY)
    page.seals = [Seal(page=1, source=page.source, kind="company_seal", shape="round", text="", bbox=tuple(box))]
    signatures, labels = find_signatures(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), 72 / dpi, page)
    assert len(labels) == 1
    assert bool(signatures) == scribble, signatures


def test_a_name_ocr_read_after_the_label_is_the_signature_even_where_the_ink_test_fails():
    """本人签字:刘强晨 on a scanned line: the name is the hand (its strokes under a grey seal can
    fail the ink test); an empty line to sign on is still unsigned."""
    import numpy as np

    body = [TextLine(text="此复印件仅用于项目申报", bbox=(226, 580 + 20 * i, 358, 594 + 20 * i),
                     source=TextSource.ocr, confidence=0.99) for i in range(2)]
    signed = TextLine(text="本人签字:刘强晨", bbox=(364, 634, 476, 656), source=TextSource.ocr, confidence=0.99)
    page = Page(source="id.tif", page=1, width=595, height=842, lines=[*body, signed])
    blank = np.full((1684, 1190, 3), 255, np.uint8)  # no ink anywhere: only the OCR text speaks
    signatures, labels = find_signatures(blank, 0.5, page)
    assert [lb.label for lb in labels] == ["本人签字"] and len(signatures) == 1
    signed.text = "本人签字:______"
    signatures, labels = find_signatures(blank, 0.5, page)
    assert len(labels) == 1 and signatures == []


def _truth_signed(doc: dict) -> bool | None:
    f = doc["fields"]
    if "legal_rep_signed" in f:
        return f["legal_rep_signed"]
    if "party_a_signed" in f:
        return f["party_a_signed"] and f.get("party_b_signed", True)
    return None


CASES = [
    ("etown-model-voucher-2026h1", 5, "born_digital", ["missing_signature"]),
    # the scans and photos other tests read too (tests.support.SHARED); unsigned labels on scans:
    # test_scanned_label_with_and_without_a_scribble
    (*SCAN_BUNDLE, None),
    (*PHOTO_BUNDLE, None),
]


@pytest.mark.ocr
@pytest.mark.parametrize(("programme", "seed", "render_kind", "defects"), CASES)
def test_generated_bundles_signed_documents_have_signatures(processed, programme, seed, render_kind, defects):
    truth, bundle = processed(programme, seed, render_kind, **({"defects": defects} if defects else {}))
    checked = 0
    for doc in truth["documents"]:
        signed = _truth_signed(doc)
        found = [d for d in bundle.documents if d.doc_type.value == doc["doc_type"] and d.signature_labels]
        if signed is None or not found:
            continue  # no label read (OCR lost it under a seal): nothing is expected
        checked += 1
        assert (len(found[0].signatures) >= len(found[0].signature_labels)) == signed, (doc["doc_type"], found[0])
    assert checked >= 3
    if defects:
        unsigned = [d for d in truth["documents"] if _truth_signed(d) is False]
        assert unsigned and all(any(x.doc_type.value == d["doc_type"] and x.signature_labels for x in
                                    bundle.documents) for d in unsigned)



def test_a_signers_label_hidden_under_its_partys_seal_asks_for_a_second_look():
    """A contract's signing block: 甲方's 法定代表人或授权代表（签字）： read whole, 乙方's cut at
    （签字） where its seal lies over it, or its whole line lost under it. One label read for two
    signers, or two parties' seals: the seals' neighbourhoods are read again with the red ink
    whitened. Both read (or no seal): no second look."""
    from docintake.core.datamodel import Seal
    from docintake.extractors.under_seals import signing_under_seal

    def page(right: str, sealed: bool = True) -> Page:
        lines = [TextLine(text="甲方(盖章):深圳市星河智能科技有限公司", bbox=(75, 415, 280, 428)),
                 TextLine(text="乙方(盖章):北京明理智源科技有限公司", bbox=(315, 415, 520, 428)),
                 TextLine(text="法定代表人或授权代表(签字):", bbox=(74, 433, 219, 446)),
                 TextLine(text=right, bbox=(314, 432, 458 if "签字" in right else 420, 447))]
        seals = [Seal(page=1, kind="company_seal", shape="round", bbox=(90, 390, 170, 470)),
                 Seal(page=1, kind="company_seal", shape="round", bbox=(340, 390, 420, 470))] if sealed else []
        return Page(source="c.pdf", page=2, width=595, height=842, lines=lines, seals=seals)

    assert signing_under_seal(page("法定代表人或授权代表"))
    assert signing_under_seal(page("北京明理智源科技有限公司"))  # 乙方's signer line wholly under its seal
    assert not signing_under_seal(page("法定代表人或授权代表(签字):"))
    assert not signing_under_seal(page("法定代表人或授权代表", sealed=False))


def test_the_page_scale_look_under_seals_runs_only_where_a_label_is_still_asked_for():
    """After the crop around each seal was read again, the slower page-scale look runs only where
    what was read still asks for a 签字 label: signing words other than 盖章 (承诺单位, 身份证, 签字)
    on a line that is no label, a signer beside a seal, or one party's label of two. A licence's
    法定代表人 is a field, far from its registration seal: it asks for none."""
    from docintake.core.datamodel import Seal
    from docintake.extractors.under_seals import label_unread, signing_under_seal

    seal = Seal(page=1, kind="company_seal", shape="round", bbox=(380, 600, 500, 720))

    def page(*rows: tuple[str, float, float], seals=(seal,)) -> Page:
        lines = [TextLine(text=t, bbox=(x, y, x + 12 * len(t), y + 13)) for t, x, y in rows]
        return Page(source="a.pdf", page=1, width=595, height=842, lines=lines, seals=list(seals))

    licence = page(("营业执照", 250, 80), ("法定代表人 张三", 60, 300), ("登记机关", 400, 650))
    assert signing_under_seal(licence) and not label_unread(licence)
    assert label_unread(page(("法定代表人 张三", 380, 650)))  # a signer beside the seal
    assert label_unread(page(("承诺书", 260, 80), ("承诺单位(盖章):深圳市星河智能科技有限公司", 300, 640)))
    assert label_unread(page(("法定代表人身份证复印件", 200, 80), ("与原件一致", 380, 650)))
    # 盖章 asks for the seal that is there: an application form's 申报单位（盖章） asks for no label
    form = page(("申报表", 260, 80), ("申报单位(盖章):", 300, 640), ("日期:2026年3月1日", 300, 700))
    assert signing_under_seal(form) and not label_unread(form)
    two = (Seal(page=1, kind="company_seal", shape="round", bbox=(90, 600, 210, 720)), seal)
    one_of_two = page(("法定代表人(签字):", 75, 660), ("北京明理智源科技有限公司", 390, 660), seals=two)
    assert label_unread(one_of_two)
    assert not label_unread(page(("法定代表人(签字):", 75, 660), ("法定代表人(签字):", 390, 660), seals=two))
