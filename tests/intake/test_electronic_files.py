"""Electronic originals read file by file: OFD invoices we generate (text objects, CustomTag,
attached XML, SM2 signatures, hostile packages), XML invoices, HEIC photos, multi-page TIFFs."""

import io
import time
import zipfile
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from docintake.core.datamodel import SourceFile
from docintake.core.settings import Settings
from docintake.extractors.ingest import open_bundle
from docintake.extractors.pages import FileUnreadable, read_pages
from docintake.samples.generator.ofd_invoice import ofd_invoice
from docintake.samples.generator.sm2_sign import SigningKey
from docintake.samples.generator.xml_invoice import einvoice_xml, shudian_xml

FIELDS = {  # an invoice of our own firms
    "invoice_number": "26442000000123456789", "issue_date": "2026-02-03",
    "buyer_name": "深圳青禾数智科技有限公司", "buyer_uscc": "91440300MA5H2K7Q3X",
    "seller_name": "杭州云栈模型服务有限公司", "seller_uscc": "91330106MA2CFW8L4R",
    "amount_excl_tax": 94339.62, "tax_amount": 5660.38, "total_amount": 100000.0,
    "total_amount_upper": "壹拾万圆整",
}
OLD = {**FIELDS, "invoice_number": "01234567", "invoice_code": "044031900111"}
KEY = SigningKey.from_seed("tests", FIELDS["seller_name"])
NO_ENGINE = pytest.fail  # born-digital files never need the OCR engine


def _pages(path: Path, fmt: str, name: str | None = None):
    notes: list[str] = []
    file = SourceFile(name=name or path.name, path=path, sha256="", size=path.stat().st_size, format=fmt)
    return list(read_pages(file, Settings(), NO_ENGINE, notes)), notes


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_signed_ofd_reads_exact_fields_text_and_a_valid_signature(tmp_path):
    path = _write(tmp_path, "inv.ofd", ofd_invoice(FIELDS, key=KEY, seal_name="杭州云栈模型服务有限公司发票专用章"))
    start = time.perf_counter()
    (page,), notes = _pages(path, "ofd")
    seconds = time.perf_counter() - start
    assert notes == []
    assert {k: f.value for k, f in page.exact_fields.items()} == {
        k: v for k, v in FIELDS.items() if k != "total_amount_upper"}
    assert all(f.confidence == 1.0 and f.bbox for f in page.exact_fields.values())
    assert page.text_source == "text_layer"
    assert "发票号码:26442000000123456789" in [ln.text for ln in page.lines]
    # the number's box is where the page prints it (right of its label, top right of the page)
    x0, y0, x1, y1 = page.exact_fields["invoice_number"].bbox
    assert 460 < x0 < x1 < 595 and 10 < y0 < y1 < 30
    assert page.e_signature.status == "valid" and page.e_signature.signer == FIELDS["seller_name"]
    (seal,) = page.seals
    assert (seal.kind, seal.owner) == ("invoice_seal", FIELDS["seller_name"])
    assert seconds < 2.0  # born-digital speed (warm: ~20-60 ms; the first call loads fonts)


def test_ofd_page_text_alone_when_no_tags(tmp_path):
    (page,), _ = _pages(_write(tmp_path, "inv.ofd", ofd_invoice(FIELDS, tags=False)), "ofd")
    assert page.exact_fields == {} and page.e_signature is None
    text = page.text
    assert "杭州云栈模型服务有限公司" in text and "¥100000.00" in text


def test_attached_xml_gives_fields_and_a_printed_value_it_contradicts_is_a_conflict(tmp_path):
    (page,), _ = _pages(_write(tmp_path, "a.ofd", ofd_invoice(OLD, tags=False, attachment=True)), "ofd")
    assert page.exact_fields["invoice_code"].value == "044031900111"
    assert page.exact_fields["total_amount"].value == 100000.0
    edited = ofd_invoice(OLD, attachment=True, edit={"¥100000.00": "¥180000.00"})
    (page,), _ = _pages(_write(tmp_path, "b.ofd", edited), "ofd")
    (conflict,) = page.field_conflicts
    assert (conflict.field, conflict.value, conflict.other_value) == ("total_amount", 180000.0, 100000.0)


def test_edited_after_signing_is_invalid_unsigned_is_no_signature(tmp_path):
    edited = ofd_invoice(FIELDS, key=KEY, edit={"¥100000.00": "¥190000.00"})
    (page,), _ = _pages(_write(tmp_path, "e.ofd", edited), "ofd")
    assert page.e_signature.status == "invalid"
    assert "Content.xml" in page.e_signature.note and "修改" in page.e_signature.note
    (page,), _ = _pages(_write(tmp_path, "u.ofd", ofd_invoice(FIELDS)), "ofd")
    assert page.e_signature is None


def _repack(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)))
    return out.getvalue()


def test_sm2_signature_and_signature_file_are_checked(tmp_path):
    signed = ofd_invoice(FIELDS, key=KEY)

    def flip_signature(name, body):  # the last byte of SignedValue.dat is inside the SM2 value
        return body[:-1] + bytes([body[-1] ^ 1]) if name.endswith("SignedValue.dat") else body

    (page,), _ = _pages(_write(tmp_path, "s.ofd", _repack(signed, flip_signature)), "ofd")
    assert (page.e_signature.status, page.e_signature.note) == ("invalid", "SM2 签名值验证不通过")

    def drop_reference(name, body):  # a forger removing the page from the signed list
        if name.endswith("Signature.xml"):
            start = body.index(b'<ofd:Reference FileRef="/Doc_0/Pages')
            return body[:start] + body[body.index(b"</ofd:Reference>", start) + 16:]
        return body

    (page,), _ = _pages(_write(tmp_path, "r.ofd", _repack(signed, drop_reference)), "ofd")
    assert page.e_signature.status == "invalid" and "签名描述文件" in page.e_signature.note


def test_xml_invoices_of_both_shapes(tmp_path):
    (page,), _ = _pages(_write(tmp_path, "a.xml", shudian_xml(FIELDS)), "xml")
    assert {k: f.value for k, f in page.exact_fields.items()} == FIELDS
    assert page.lines[0].text == "电子发票（普通发票）"
    (page,), _ = _pages(_write(tmp_path, "b.xml", einvoice_xml(OLD)), "xml")
    assert page.exact_fields["invoice_code"].value == "044031900111"
    assert page.exact_fields["issue_date"].value == "2026-02-03"


@pytest.mark.parametrize("name, data, message", [
    ("other.xml", b'<?xml version="1.0"?><order><id>1</id></order>', "不是电子发票"),
    ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><EInvoice>&x;</EInvoice>', "DTD"),
])
def test_xml_that_is_no_invoice_is_refused_in_chinese(tmp_path, name, data, message):
    with pytest.raises(FileUnreadable, match=message):
        _pages(_write(tmp_path, name, data), "xml")


def _hostile(change) -> bytes:
    return _repack(ofd_invoice(FIELDS), change)


@pytest.mark.parametrize("change, message", [
    (lambda n, b: b.replace(b"Doc_0/Document.xml", b"../../etc/passwd") if n == "OFD.xml" else b, "路径不安全"),
    (lambda n, b: b.replace(b"Pages/Page_0/Content.xml", b"Pages/Page_9/Content.xml")
     if n.endswith("Document.xml") else b, "缺少部件"),
    (lambda n, b: b"<ofd:Page" if n.endswith("Content.xml") else b, "不是有效的 XML"),
])
def test_damaged_or_hostile_ofd_gives_a_chinese_reason(tmp_path, change, message):
    with pytest.raises(FileUnreadable, match=message):
        _pages(_write(tmp_path, "h.ofd", _hostile(change)), "ofd")


def test_ofd_part_inflating_past_the_limit_is_stopped(tmp_path, monkeypatch):
    bomb = _repack(ofd_invoice(FIELDS), lambda n, b: b + b" " * 3_000_000 if n.endswith("Content.xml") else b)
    monkeypatch.setenv("DOCINTAKE_MAX_FILE_BYTES", "2000000")
    file = SourceFile(name="b.ofd", path=_write(tmp_path, "b.ofd", bomb), sha256="", size=len(bomb), format="ofd")
    with pytest.raises(FileUnreadable, match="压缩炸弹"):
        list(read_pages(file, Settings.from_env(), NO_ENGINE, []))


def test_ingest_names_ofd_xml_heic_and_words_the_office_refusal(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "发票.ofd").write_bytes(ofd_invoice(FIELDS))
    (folder / "broken.ofd").write_bytes(b"PK\x03\x04 not really")
    (folder / "发票.xml").write_bytes(shudian_xml(FIELDS))
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, format="HEIF")
    (folder / "IMG_0001.HEIC").write_bytes(buf.getvalue())
    with zipfile.ZipFile(folder / "申请.docx", "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    files = {f.name: f for f in open_bundle(folder, tmp_path / "work", Settings().limits)}
    assert {n: (f.format, f.error) for n, f in files.items() if n != "申请.docx"} == {
        "发票.ofd": ("ofd", None), "broken.ofd": ("ofd", None), "发票.xml": ("xml", None),
        "IMG_0001.HEIC": ("heic", None)}
    assert "盖章" in files["申请.docx"].error and "PDF" in files["申请.docx"].error
    with pytest.raises(FileUnreadable, match="OFD 文件已损坏"):
        list(read_pages(files["broken.ofd"], Settings(), NO_ENGINE, []))


def test_generated_originals_are_reproducible():
    assert ofd_invoice(FIELDS, key=KEY, attachment=True) == ofd_invoice(FIELDS, key=KEY, attachment=True)
    assert pillow_heif.__version__  # the HEIC reader the product depends on is importable


def test_a_page_cached_before_the_new_fields_unpickles_with_their_defaults():
    import pickle

    from docintake.core.datamodel import Page

    state = Page(source="a.pdf", page=1, width=595, height=842).__getstate__()
    for name in ("exact_fields", "field_conflicts", "e_signature"):
        del state["__dict__"][name]
    old = Page.__new__(Page)
    old.__setstate__(state)
    again = pickle.loads(pickle.dumps(old))
    assert (again.exact_fields, again.field_conflicts, again.e_signature) == ({}, [], None)


def _photo(tmp_path: Path):
    """A licence page, stored a quarter turn off with the EXIF orientation saying so (as phones do)."""
    import numpy as np

    from tests.support.builders import LICENCE, make_pdf, render

    upright = render(make_pdf(tmp_path / "licence.pdf", [LICENCE]), dpi=110)[:, :, ::-1]
    stored = Image.fromarray(np.ascontiguousarray(np.rot90(upright, 1)))  # turned left
    exif = Image.Exif()
    exif[0x0112] = 6  # display turned right: upright again
    jpeg, heic = tmp_path / "IMG_0001.JPG", tmp_path / "IMG_0001.HEIC"
    stored.save(jpeg, format="JPEG", quality=90, exif=exif.tobytes())
    stored.save(heic, format="HEIF", quality=90, exif=exif.tobytes())
    return jpeg, heic


@pytest.mark.ocr
def test_heic_photo_reads_like_the_same_photo_as_jpeg(tmp_path, engine):
    jpeg, heic = _photo(tmp_path)
    pages = {}
    for path, fmt in ((jpeg, "jpeg"), (heic, "heic")):
        file = SourceFile(name=path.name, path=path, sha256="", size=1, format=fmt)
        (pages[fmt],) = read_pages(file, Settings(), lambda: engine, [])
    assert pages["heic"].rotation == pages["jpeg"].rotation == 0  # orientation honoured, not guessed
    assert pages["heic"].height > pages["heic"].width
    compact = {fmt: p.text.replace(" ", "") for fmt, p in pages.items()}
    assert "营业执照" in compact["heic"] and "统一社会信用代码" in compact["heic"]
    heic_lines = {ln.text for ln in pages["heic"].lines}
    jpeg_lines = {ln.text for ln in pages["jpeg"].lines}
    assert len(heic_lines & jpeg_lines) >= 0.8 * len(jpeg_lines)


@pytest.mark.ocr
def test_multi_page_tiff_is_read_page_by_page(tmp_path, engine):
    from tests.support.builders import INVOICE, LICENCE, make_pdf, render

    frames = [Image.fromarray(render(make_pdf(tmp_path / f"{i}.pdf", [spec]), dpi=100)[:, :, ::-1])
              for i, spec in enumerate((LICENCE, INVOICE))]
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    file = SourceFile(name=path.name, path=path, sha256="", size=1, format="tiff")
    pages = list(read_pages(file, Settings(), lambda: engine, []))
    assert [p.page for p in pages] == [1, 2]
    assert "营业执照" in pages[0].text.replace(" ", "")
    assert "25442000000012345678" in pages[1].text.replace(" ", "")


def test_a_seal_printed_as_an_image_on_an_ofd_page_is_found(tmp_path):
    import random

    from docintake.samples.generator.ofd_invoice import SEAL_BOX
    from docintake.samples.generator.seals import SealBook

    seal, _ = SealBook(random.Random(3)).get("invoice_seal", OLD["seller_name"], raster=False,
                                            tax_no=OLD["seller_uscc"], rotate=False)
    png = io.BytesIO()
    seal.save(png, format="PNG")
    (page,), _ = _pages(_write(tmp_path, "s.ofd", ofd_invoice(OLD, page_seal=png.getvalue())), "ofd")
    (found,) = page.seals
    x, y, w, h = SEAL_BOX
    cx, cy = (found.bbox[0] + found.bbox[2]) / 2, (found.bbox[1] + found.bbox[3]) / 2
    assert x < cx < x + w and y < cy < y + h
    assert found.shape == "oval"
    (page,), _ = _pages(_write(tmp_path, "n.ofd", ofd_invoice(OLD)), "ofd")
    assert page.seals == []


def _signed_invoice_pdf(tmp_path: Path) -> bytes:
    from docintake.samples.generator.signed_pdf import sign_pdf
    from tests.support.builders import INVOICE, make_pdf

    return sign_pdf(make_pdf(tmp_path / "src.pdf", [INVOICE]).read_bytes(), KEY)


def test_signed_pdf_valid_edited_appended_and_merged(tmp_path):
    import pymupdf

    signed = _signed_invoice_pdf(tmp_path)
    (page,), notes = _pages(_write(tmp_path, "ok.pdf", signed), "pdf")
    assert (page.e_signature.status, page.e_signature.signer) == ("valid", FIELDS["seller_name"])
    assert "25442000000012345678" in page.text and notes == []
    inside = bytearray(signed)
    inside[inside.index(b"/Producer") + 12] ^= 1  # a byte the signature covers
    (page,), _ = _pages(_write(tmp_path, "edited.pdf", bytes(inside)), "pdf")
    assert page.e_signature.status == "invalid" and "摘要不符" in page.e_signature.note
    appended = signed + b"3 0 obj\n<< /Type /Annot >>\nendobj\n%%EOF\n"
    (page,), _ = _pages(_write(tmp_path, "appended.pdf", appended), "pdf")
    assert page.e_signature.status == "invalid" and "追加" in page.e_signature.note
    prefixed = b"%scanner header\n" + signed  # offsets no longer frame the signature
    (page,), _ = _pages(_write(tmp_path, "moved.pdf", prefixed), "pdf")
    assert page.e_signature.status == "unchecked"
    merged = pymupdf.open()
    merged.insert_pdf(pymupdf.open(stream=signed, filetype="pdf"))
    pages, _ = _pages(_write(tmp_path, "merged.pdf", merged.tobytes()), "pdf")
    assert pages[0].e_signature is None  # a rewritten file keeps no signature to judge


def test_attached_data_a_page_never_prints_is_a_conflict(tmp_path):
    edited = ofd_invoice(OLD, tags=False, attachment=True, edit={"¥100000.00": "¥160000.00"})
    (page,), _ = _pages(_write(tmp_path, "p.ofd", edited), "ofd")
    (conflict,) = page.field_conflicts
    assert (conflict.field, conflict.other_value) == ("total_amount", 100000.0)
    (page,), _ = _pages(_write(tmp_path, "q.ofd", ofd_invoice(OLD, tags=False, attachment=True)), "ofd")
    assert page.field_conflicts == []


def test_an_xml_invoice_with_a_signature_element_says_it_is_unchecked(tmp_path):
    signed = einvoice_xml(OLD).replace(b"</eInvoice>", b"<fp:Signature>MIIB</fp:Signature></eInvoice>")
    (page,), _ = _pages(_write(tmp_path, "s.xml", signed), "xml")
    assert page.e_signature.status == "unchecked"
    (page,), _ = _pages(_write(tmp_path, "u.xml", einvoice_xml(OLD)), "xml")
    assert page.e_signature is None


def test_damaged_ofd_parts_never_break_the_reader(tmp_path):
    """Bytes flipped, parts cut short or left out: pages, or a Chinese reason, never a traceback."""
    import random

    source = zipfile.ZipFile(io.BytesIO(ofd_invoice(OLD, key=KEY, attachment=True)))
    rng, outcomes = random.Random(22), set()
    for i in range(80):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for name in source.namelist():
                body = bytearray(source.read(name))
                for _ in range(rng.choice((0, 0, 1, 3))):
                    body[rng.randrange(len(body))] = rng.randrange(256)
                if rng.random() < 0.1:
                    body = body[:rng.randrange(len(body) + 1)]
                if rng.random() > 0.04:
                    dst.writestr(name, bytes(body))
        try:
            _pages(_write(tmp_path, f"{i}.ofd", out.getvalue()), "ofd")
            outcomes.add("read")
        except FileUnreadable as exc:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
            outcomes.add("unreadable")
    assert outcomes == {"read", "unreadable"}


def test_runs_on_one_row_join_whatever_their_sizes():
    from docintake.extractors.ofd.content import OfdText
    from docintake.extractors.ofd.reader import lines_of

    def run(text, x0, x1, baseline, size):
        return OfdText(id="", text=text, bbox=(x0, baseline - size, x1, baseline + 1), size=size, baseline=baseline)

    lines = lines_of([run("4449.00", 442.2, 475.0, 290.2, 11.0), run("¥", 436.0, 442.0, 290.0, 11.6),
                      run("纳税人识别号:", 40.0, 120.0, 122.0, 9.0), run("91110108690017781B", 124.0, 220.0, 123.1, 12.0),
                      run("名称:", 40.0, 62.0, 100.0, 9.0), run("北京某某科技有限公司", 300.0, 390.0, 100.0, 9.0)])
    assert [ln.text for ln in lines] == ["名称:", "北京某某科技有限公司", "纳税人识别号:91110108690017781B",
                                         "¥4449.00"]
