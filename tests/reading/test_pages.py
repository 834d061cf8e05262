from datetime import date
from pathlib import Path

import cv2
import pymupdf
import pytest

from docintake.core.datamodel import DocType, SourceFile, TextLine, TextSource
from docintake.core.settings import Settings
from docintake.extractors.classify import classify_page
from docintake.extractors.ocr import get_engine
from docintake.extractors.pages import FileUnreadable, read_pages
from docintake.extractors.text_layer import text_layer_usable
from tests.support import OCR_THREADS
from tests.support.builders import CONTRACT_1, INVOICE, LICENCE, image_pdf, make_pdf, render, scan, write_jpeg

SETTINGS = Settings(ocr_threads=OCR_THREADS)


def _file(path: Path, fmt: str) -> SourceFile:
    return SourceFile(name=path.name, path=path, sha256="", size=path.stat().st_size, format=fmt)


def _one_page(pdf: Path, page: int, out: Path) -> Path:
    """Page `page` of a PDF as a PDF of its own, its objects copied unchanged (OCR reads the same)."""
    import pymupdf

    with pymupdf.open(pdf) as src, pymupdf.open() as one:
        one.insert_pdf(src, from_page=page - 1, to_page=page - 1)
        one.save(out)
    return out


def _no_ocr():
    raise AssertionError("OCR must not run on a page with a usable text layer")


def _engine():
    return get_engine("rapidocr", OCR_THREADS)  # the same engine as the `engine` fixture (get_engine keeps one)


def test_born_digital_pages_use_the_text_layer_without_ocr(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", [INVOICE, CONTRACT_1])
    pages = list(read_pages(_file(pdf, "pdf"), SETTINGS, _no_ocr))
    assert [p.text_source for p in pages] == [TextSource.text_layer] * 2
    first = pages[0]
    assert "25442000000012345678" in first.text
    # NFKC: full-width brackets become ASCII, coordinates are points from the top-left
    assert "电子发票(增值税专用发票)" in first.text
    title = next(ln for ln in first.lines if "电子发票" in ln.text)
    assert 60 < title.bbox[1] < 100 and title.size == pytest.approx(20, abs=0.5)


def test_mojibake_text_layer_is_not_usable():
    good = [TextLine(text="发票号码:25442000000012345678", bbox=(0, 0, 1, 1))]
    bad = [TextLine(text="\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009", bbox=(0, 0, 1, 1))]
    assert text_layer_usable(good)
    assert not text_layer_usable(bad)
    assert not text_layer_usable([TextLine(text="1", bbox=(0, 0, 1, 1))])


@pytest.mark.ocr
def test_image_only_pdf_is_ocred(tmp_path):
    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE])
    scanned = image_pdf(tmp_path / "scan.pdf", [scan(render(pdf, dpi=200))], dpi=200)
    [page] = read_pages(_file(scanned, "pdf"), SETTINGS, _engine)
    assert page.text_source == TextSource.ocr
    assert "25442000000012345678" in page.text.replace(" ", "")
    assert page.ocr_confidence > 0.8
    assert page.width == pytest.approx(595, abs=2)
    assert classify_page(page).doc_type == DocType.invoice


@pytest.mark.ocr
def test_scanned_image_pasted_into_a_typed_pdf_is_ocred_as_a_region(tmp_path):
    licence = make_pdf(tmp_path / "licence.pdf", [LICENCE])
    jpg = write_jpeg(tmp_path / "licence.jpg", scan(render(licence, dpi=150)))
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="noto", fontfile="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    page.insert_text((60, 60), "附件二：申报单位营业执照复印件（加盖公章）", fontname="noto", fontsize=12)
    page.insert_image(pymupdf.Rect(60, 90, 535, 760), filename=str(jpg))
    doc.save(tmp_path / "mixed.pdf")
    [read] = read_pages(_file(tmp_path / "mixed.pdf", "pdf"), SETTINGS, _engine)
    assert read.text_source == TextSource.mixed
    sources = {ln.source for ln in read.lines}
    assert sources == {TextSource.text_layer, TextSource.ocr}
    assert "91440300MA5G8XYZ3K" in read.text.replace(" ", "")
    ocr_line = next(ln for ln in read.lines if "营业执照" in ln.text and ln.source == TextSource.ocr)
    assert ocr_line.bbox[0] >= 60 and ocr_line.bbox[3] <= 760  # mapped into the image's area


@pytest.mark.ocr
@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_scans_are_straightened_before_ocr(tmp_path, turns):
    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE])
    jpg = write_jpeg(tmp_path / "IMG_0001.jpg", scan(render(pdf, dpi=150), quarter_turns=turns))
    [page] = read_pages(_file(jpg, "jpeg"), SETTINGS, _engine)
    assert page.rotation == (360 - 90 * turns) % 360
    assert page.height > page.width  # upright portrait again
    assert "25442000000012345678" in page.text.replace(" ", "")
    label = classify_page(page)
    assert label.doc_type == DocType.invoice and label.title


def test_broken_files_raise_file_unreadable(tmp_path):
    pdf = make_pdf(tmp_path / "ok.pdf", [INVOICE])
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf.read_bytes()[:300])
    with pytest.raises(FileUnreadable):
        list(read_pages(_file(truncated, "pdf"), SETTINGS, _no_ocr))
    encrypted = tmp_path / "locked.pdf"
    with pymupdf.open(pdf) as doc:
        doc.save(encrypted, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="o")
    with pytest.raises(FileUnreadable, match="加密"):
        list(read_pages(_file(encrypted, "pdf"), SETTINGS, _no_ocr))
    bad_jpeg = tmp_path / "bad.jpg"
    bad_jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    with pytest.raises(FileUnreadable):
        list(read_pages(_file(bad_jpeg, "jpeg"), SETTINGS, _no_ocr))


@pytest.mark.ocr
def test_black_image_yields_a_page_with_no_text(tmp_path):
    import numpy as np

    black = tmp_path / "black.png"
    cv2.imwrite(str(black), np.zeros((1400, 1000, 3), np.uint8))
    [page] = read_pages(_file(black, "png"), SETTINGS, _engine)
    assert page.text_source == TextSource.none and page.error


@pytest.mark.ocr
def test_a_page_left_sideways_by_the_straightener_is_turned_by_the_ocr_boxes(tmp_path, monkeypatch):
    """Sparse pages can fool the layout check; vertical OCR boxes then trigger a quarter turn."""
    import docintake.extractors.scan as scan_passes
    from docintake.extractors.straighten import Straightening, rotate_quarter

    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE])
    jpg = write_jpeg(tmp_path / "p.jpg", scan(render(pdf, dpi=150)))
    monkeypatch.setattr(scan_passes, "straighten", lambda img: (rotate_quarter(img, 1), Straightening(quarter_turns=1)))
    [page] = read_pages(_file(jpg, "jpeg"), SETTINGS, _engine)
    assert page.rotation == 0 and page.height > page.width
    assert "25442000000012345678" in page.text.replace(" ", "")
    assert classify_page(page).title


def test_a_second_reading_under_a_seal_replaces_fragments_but_adds_no_duplicates():
    from docintake.extractors.under_seals import merge_readings

    def line(text, x0, x1, y=400.0):
        return TextLine(text=text, bbox=(x0, y, x1, y + 12), source=TextSource.ocr)

    first = [line("法定代表人(签字):", 60, 200, 370), line("2020", 60, 90), line("28日", 120, 145)]
    second = [line("2026年6月28日", 60, 145), line("国家税务总局", 300, 380, 300), line("签字", 130, 160, 370)]
    merged = {ln.text for ln in merge_readings(first, second)}
    assert merged == {"法定代表人(签字):", "2026年6月28日", "国家税务总局"}
    # A photo's tilted label under a seal (bench seed 20261135): its box runs 40 pt tall into the
    # date line below; it is a line of its own, not a shorter reading of the date
    first = [line("日期:2026年7月10日", 167, 261, 370)]
    tilted = TextLine(text="法定代表大(签字)", bbox=(160, 340, 320, 380), source=TextSource.ocr)
    assert {ln.text for ln in merge_readings(first, [tilted])} == {"日期:2026年7月10日", "法定代表大(签字)"}


def test_a_failing_extra_look_at_a_page_does_not_cost_the_page_its_text(tmp_path, monkeypatch):
    """Seal and signature detection are extras: when one breaks (an OpenCV assertion on an empty
    crop did), the page keeps its OCR text and the rest of the file is read."""
    import docintake.extractors.scan as scan_passes

    def broken(*args):
        raise RuntimeError("empty crop")

    monkeypatch.setattr(scan_passes, "find_signatures", broken)
    monkeypatch.setattr(scan_passes, "find_page_seals", broken)
    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE, LICENCE])
    scanned = image_pdf(tmp_path / "scan.pdf", [scan(render(pdf, dpi=150, page=i)) for i in (1, 2)], dpi=150)
    read = list(read_pages(_file(scanned, "pdf"), SETTINGS, _engine))
    assert [p.text_source for p in read] == [TextSource.ocr, TextSource.ocr]
    assert "25442000000012345678" in read[0].text.replace(" ", "")
    assert read[0].seals == [] and read[0].signatures == []


class _Recogniser:
    """An engine whose recogniser reads every crop as `text` at `score` (and records the crops)."""

    def __init__(self, text, score):
        self.text, self.score, self.crops = text, score, []

    def recognise(self, images):
        self.crops += images
        return [(self.text, self.score)] * len(images)


def test_unsure_lines_are_read_again_and_the_surer_reading_kept():
    import numpy as np

    from docintake.extractors.unsure_lines import reread_unsure_lines

    image = np.full((400, 300, 3), 255, np.uint8)
    unsure = TextLine(text="网8081号", bbox=(100, 50, 230, 61), confidence=0.51, source=TextSource.ocr)
    sure = TextLine(text="杭州青鸾人工智能有限公司", bbox=(10, 50, 90, 61), confidence=0.99, source=TextSource.ocr)
    engine = _Recogniser("网信算备818315500859883012911号", 0.99)
    out = reread_unsure_lines(image, [sure, unsure], engine, 1.0)
    assert [ln.text for ln in out] == ["杭州青鸾人工智能有限公司", "网信算备818315500859883012911号"]
    assert out[1].bbox == unsure.bbox and len(engine.crops) == 1  # only the unsure line is read again
    assert engine.crops[0].shape[0] > 11  # with a margin around the box
    # a second reading not clearly surer leaves the first one
    assert reread_unsure_lines(image, [unsure], _Recogniser("网8081号x", 0.55), 1.0) == [unsure]


@pytest.mark.ocr
def test_a_filing_number_the_first_reading_cut_short_is_read_whole(tmp_path):
    """A CAC list printout scanned upside down: in the first reading one filing number came out as
    网8081号 (0.51); read again from its box it is whole (bench seed 20261127)."""
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(tmp_path, "longgang-model-app-2025", 202611270001, auto_defects=True,
                           only={"cac_filing"})
    doc = next(d for d in truth["documents"] if d["doc_type"] == "cac_filing")
    name, page = doc["pages"][0]
    one = _one_page(tmp_path / truth["programme"] / truth["bundle"] / name, page, tmp_path / "one.pdf")
    [read] = read_pages(_file(one, "pdf"), SETTINGS, _engine)
    texts = [ln.text for ln in read.lines]
    assert doc["fields"]["filing_number"] in texts


@pytest.mark.ocr
def test_a_page_the_direction_classifier_finds_upside_down_has_every_line_read_upright(tmp_path):
    """A contract scanned upside down (bench seed 20261130): the classifier turned most lines, but
    the service-period line it judged upright was read upside down and dropped, so the contract
    lost its service dates. Turned with the rest of the page's lines, in the same pass, it reads."""
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(tmp_path, "shenzhen-model-voucher-2025", 202611300023, auto_defects=True,
                           only={"contract"})
    doc = next(d for d in truth["documents"] if d["doc_type"] == "contract")
    name, number = doc["pages"][0]
    from PIL import Image

    with Image.open(tmp_path / truth["programme"] / truth["bundle"] / name) as tiff:  # that frame alone,
        tiff.seek(number - 1)  # its pixels and dpi unchanged (PNG is lossless)
        tiff.save(tmp_path / "frame.png", dpi=tiff.info["dpi"])
    [page] = read_pages(_file(tmp_path / "frame.png", "png"), SETTINGS, _engine)
    assert page.rotation == 180
    start = date.fromisoformat(doc["fields"]["service_start"])
    assert f"服务期限自{start.year}年{start.month}月{start.day}日" in page.text


@pytest.mark.ocr
@pytest.mark.parametrize("seal_ink_share", [None, 0.0])
def test_a_signature_label_with_no_hand_found_beside_a_seal_is_read_again_under_the_seal(
        tmp_path, monkeypatch, seal_ink_share):
    """An ID copy scanned grey with the company seal over 本人签字 (bench seed 20261135). The
    name's strokes are darker than the seal's grey, so the ink test finds them at once. Where it
    does not (0.0: only near-black ink counts under a seal, as it once did), the first reading
    has 本人签学: alone; the seal's neighbourhood is read again with its ink whitened, and the
    name read there is the signature. (Text detected on the page shrunk to 1600 px reads the name
    beside the label at once, so that case detects at the full 2000 px, where it was found.)"""
    from docintake.extractors import signatures
    from docintake.extractors.ocr import rapid
    from docintake.samples.generator import generate_bundle

    if seal_ink_share is not None:
        monkeypatch.setattr(signatures, "SEAL_INK_SHARE", seal_ink_share)
        monkeypatch.setattr(rapid, "DET_LONG_SIDE", 4000)

    truth = generate_bundle(tmp_path, "longgang-model-app-2025", 202611350008, auto_defects=True,
                           only={"legal_rep_id"})
    assert not truth["expected_findings"]
    doc = next(d for d in truth["documents"] if d["doc_type"] == "legal_rep_id")
    name, number = doc["pages"][0]
    folder = tmp_path / truth["programme"] / truth["bundle"]
    path = next(p for p in folder.rglob(name)) if folder.is_dir() else None
    if path is None:  # a zipped bundle
        import zipfile

        with zipfile.ZipFile(folder) as packed:
            member = next(m for m in packed.namelist() if m.endswith(name))
            path = tmp_path / name
            path.write_bytes(packed.read(member))
    page = list(read_pages(_file(path, "png"), SETTINGS, _engine))[number - 1]
    assert page.under_seals_read == (seal_ink_share is not None)
    assert [s.label[:3] for s in page.signatures] == [s.label[:3] for s in page.signature_labels] == ["本人签"]


@pytest.mark.ocr
def test_the_ocr_models_are_loaded_only_for_a_page_that_is_read(tmp_path, monkeypatch):
    """Born-digital documents missing key fields, with no seal to read, need no OCR: no step loads
    the models (~1 s and their memory). A scanned page among them does."""
    from docintake.pipeline import steps
    from docintake.pipeline.run import process_bundle
    from tests.support.builders import COMMITMENT

    loaded = []
    monkeypatch.setattr(steps, "get_engine", lambda *a: loaded.append(a) or get_engine(*a))
    make_pdf(tmp_path / "b" / "a.pdf", [LICENCE, INVOICE, COMMITMENT])
    bundle = process_bundle(tmp_path / "b", "etown-model-voucher-2026h1", SETTINGS)
    invoice = next(d for d in bundle.documents if d.doc_type == DocType.invoice)
    assert "tax_amount" not in invoice.fields  # a key field missing: reread_under_seals looked
    assert loaded == []
    write_jpeg(tmp_path / "b" / "scan.jpg", scan(render(_one_page(tmp_path / "b" / "a.pdf", 1, tmp_path / "1.pdf"),
                                                        dpi=120)))
    process_bundle(tmp_path / "b", "etown-model-voucher-2026h1", SETTINGS)
    assert loaded
