"""Bad input generated on the fly, one builder per case: broken, wrong, huge and hostile files.

No binary blobs are committed; every file is made in milliseconds (the 2,000-page PDF in ~1 s),
huge ones by claiming their size in a header rather than holding the pixels.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image

from tests.support.builders import COMMITMENT, INVOICE, LICENCE


@dataclass(frozen=True)
class BadCase:
    name: str  # file name inside the bundle
    build: Callable[[Path], None]  # writes the file at the given path
    # "unreadable": the file gets an error (DOCUMENT_UNREADABLE); "flagged": read, and flagged too;
    # "read": wrong name or harmless oddity, read normally
    outcome: str
    expect: str = ""  # a word the file's error must contain


def _pdf_bytes(pages=(COMMITMENT,)) -> bytes:
    """Like builders.make_pdf, with the viewer's CJK font referenced, not embedded: 2 KB, not 16 MB."""
    doc = pymupdf.open()
    for title, lines in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_text((240, 90), title, fontname="china-s", fontsize=20)
        for i, line in enumerate(lines):
            page.insert_text((60, 150 + 26 * i), line, fontname="china-s", fontsize=11)
    return doc.tobytes(garbage=3, deflate=True)


def _png_bytes(size=(300, 400), color=(255, 255, 255)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def _jpeg_bytes(size=(600, 800)) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png_bytes(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG header claiming width x height, with only one row of data: 100 bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\xff" * 3 * width)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def huge_image_pdf_bytes(side: int = 20_000) -> bytes:
    """A PDF page whose only content is an image claiming side x side pixels (4 rows stored)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    xref = page.insert_image(page.rect, stream=_png_bytes((10, 10)))
    doc.update_stream(xref, zlib.compress(b"\x80" * 3 * side * 4), compress=False)
    for key, value in (("Width", str(side)), ("Height", str(side)), ("Filter", "/FlateDecode"),
                       ("DecodeParms", "null"), ("SMask", "null"), ("ColorSpace", "/DeviceRGB"),
                       ("BitsPerComponent", "8")):
        doc.xref_set_key(xref, key, value)
    return doc.tobytes()


def many_pages_pdf_bytes(count: int = 2000) -> bytes:
    """`count` pages sharing one content stream (a short text layer), written by hand: ~10 ms."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Kids[" + b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
               + b"]/Count %d>>" % count,
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    text = b"BT /F1 12 Tf 20 100 Td (filler page of a very long file) Tj ET"
    objects.append(b"<</Length %d>>stream\n%s\nendstream" % (len(text) + 1, text))
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Resources<</Font<</F1 3 0 R>>>>/Contents 4 0 R>>"
    objects += [page] * count
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf_bytes(user_pw: str) -> bytes:
    with pymupdf.open("pdf", _pdf_bytes()) as doc:
        return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw="owner-secret")


def javascript_pdf_bytes() -> bytes:
    with pymupdf.open("pdf", _pdf_bytes()) as doc:
        doc.xref_set_key(doc.pdf_catalog(), "OpenAction", "<</S/JavaScript/JS(app.alert\\(1\\))>>")
        return doc.tobytes()


def embedded_file_pdf_bytes() -> bytes:
    with pymupdf.open("pdf", _pdf_bytes()) as doc:
        doc.embfile_add("payload.exe", b"MZ\x90\x00 not really a program", filename="payload.exe")
        return doc.tobytes()


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx_bytes() -> bytes:
    return _zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return _zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def patch_member(raw: bytes, member: str, *, size: int | None = None, flags: int | None = None,
                 method: int | None = None) -> bytes:
    """Rewrite a member's declared unpacked size, flag bits or compression method, in its local
    header and its central directory entry alike."""
    out = bytearray(raw)
    fields = [(size, "<I", 22, 24), (flags, "<H", 6, 8), (method, "<H", 8, 10)]
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(member)
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46:at + 46 + name_len] == member.encode():
            for value, fmt, local, central in fields:
                if value is not None:
                    struct.pack_into(fmt, out, info.header_offset + local, value)
                    struct.pack_into(fmt, out, at + central, value)
        at = raw.find(b"PK\x01\x02", at + 1)
    return bytes(out)


BOMB_CLAIM = 0xF000_0000  # ~3.75 GiB: over the unpacked-bytes limit, refused before inflating


def bomb_zip_bytes() -> bytes:
    """A zip whose member claims ~3.75 GiB unpacked: a bomb by declaration, refused before a
    byte is inflated (zipfile stops at the declared size, so a bomb cannot understate it).
    Honest bombs against small limits are in test_ingest."""
    return patch_member(_zip_bytes({"bomb.pdf": b"%PDF-" + b"\0" * 100_000}), "bomb.pdf", size=BOMB_CLAIM)


def _write(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data() if callable(data) else data)


def _truncated(data: Callable[[], bytes], keep: float) -> Callable[[], bytes]:
    return lambda: (d := data())[: int(len(d) * keep)]


# One file per case; each builder writes only that file. Good files are added by good_files().
BAD_CASES = [
    BadCase("empty.pdf", _write(b""), "unreadable", "为空"),
    BadCase("truncated.pdf", _write(_truncated(_pdf_bytes, 0.1)), "unreadable", "PDF"),
    BadCase("corrupt.pdf", _write(b"%PDF-1.7\n" + bytes(range(256)) * 40), "unreadable", "PDF"),
    BadCase("locked.pdf", _write(lambda: encrypted_pdf_bytes("secret")), "unreadable", "加密"),
    # No user password: anyone may open it, so it is read (permissions only bind editors).
    BadCase("owner-only.pdf", _write(lambda: encrypted_pdf_bytes("")), "read"),
    BadCase("photo.pdf", _write(lambda: _png_bytes()), "read"),  # a PNG named .pdf
    BadCase("scan.jpg", _write(lambda: _pdf_bytes((INVOICE,))), "read"),  # a PDF named .jpg
    BadCase("corrupt.jpg", _write(b"\xff\xd8\xff\xe0" + b"\x13\x37" * 500), "unreadable", "图片"),
    BadCase("truncated.jpg", _write(_truncated(_jpeg_bytes, 0.3)), "unreadable", "图片"),
    BadCase("corrupt.tif", _write(b"II*\x00" + b"\xde\xad\xbe\xef" * 300), "unreadable", "图片"),
    BadCase("2000-pages.pdf", _write(many_pages_pdf_bytes), "unreadable", "上限"),
    BadCase("huge.png", _write(huge_png_bytes), "unreadable", "像素"),
    BadCase("huge-image.pdf", _write(huge_image_pdf_bytes), "unreadable", "像素"),
    BadCase("javascript.pdf", _write(javascript_pdf_bytes), "flagged", "JavaScript"),
    BadCase("attachment.pdf", _write(embedded_file_pdf_bytes), "flagged", "附件"),
    BadCase("申请书.docx", _write(docx_bytes), "unreadable", "Office"),
    BadCase("明细.xlsx", _write(xlsx_bytes), "unreadable", "Office"),
    BadCase("old.doc", _write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "unreadable", "Office"),
    BadCase("nested.zip", _write(lambda: _zip_bytes({"inner.pdf": _pdf_bytes()})), "unreadable", "嵌套"),
    BadCase("bomb.zip", _write(bomb_zip_bytes), "unreadable", "嵌套"),  # nested: never opened
    BadCase("notes.txt", _write("只是一段文字".encode()), "unreadable", "格式"),
    BadCase("ctrl\x1b[31m\x07\nname.pdf", _write(lambda: _pdf_bytes((COMMITMENT,))), "read"),
    BadCase("<img src=x onerror=alert(1)>.pdf", _write(lambda: _pdf_bytes((COMMITMENT,))), "read"),
    BadCase("invoice\u202egpj.pdf", _write(lambda: _pdf_bytes((COMMITMENT,))), "read"),  # RTL spoof
]

GOOD = {"licence.pdf": LICENCE, "invoice.pdf": INVOICE}


def good_files(root: Path) -> None:
    for name, spec in GOOD.items():
        (root / name).write_bytes(_pdf_bytes((spec,)))


def bad_folder(root: Path, cases: list[BadCase] = BAD_CASES) -> Path:
    """A folder bundle: every bad case plus the good files; a name not valid UTF-8 as well."""
    root.mkdir(parents=True, exist_ok=True)
    for case in cases:
        case.build(root / case.name)
    (root / b"\xff\xfe-latin1-\xe9.pdf".decode("utf-8", "surrogateescape")).write_bytes(_pdf_bytes())
    good_files(root)
    return root


# Members only a zip bundle can hold: unsafe paths, and (added last) a bomb by declaration.
ZIP_ONLY = {
    "../../escaped.pdf": "不安全",
    "/etc/escaped-abs.pdf": "不安全",
    "C:/Windows/escaped-drive.pdf": "不安全",
    "..\\..\\escaped-backslash.pdf": "不安全",
    "bomb.pdf": "压缩炸弹",
}


def bad_zip(path: Path, cases: list[BadCase] = BAD_CASES) -> Path:
    """A zip bundle with every bad case, the zip-slip members and the good files."""
    staging = path.parent / (path.stem + "-staging")
    staging.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for case in cases:
            case.build(staging / "f")
            zf.write(staging / "f", case.name)
        for name in list(ZIP_ONLY)[:-1]:
            zf.writestr(zipfile.ZipInfo(name), _pdf_bytes())
        good_files(staging)
        for name in GOOD:
            zf.write(staging / name, name)
        zf.writestr("bomb.pdf", b"%PDF-" + b"\0" * 100_000)
    path.write_bytes(patch_member(path.read_bytes(), "bomb.pdf", size=BOMB_CLAIM))
    for p in staging.iterdir():
        p.unlink()
    staging.rmdir()
    return path
