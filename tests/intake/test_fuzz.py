"""Property-based fuzzing: normalisers and ingest never raise on arbitrary input.

Brief in CI (40 examples a test). Longer on demand:
    DOCINTAKE_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

import io
import os
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from docintake.core.datamodel import SourceFile
from docintake.core.settings import Limits, Settings
from docintake.extractors import values
from docintake.extractors.ingest import READABLE, BundleError, open_bundle, safe_name, sniff_format
from docintake.extractors.normalise import normalise_text
from docintake.extractors.ocr import OcrResult
from docintake.extractors.pages import FileUnreadable, read_pages
from tests.support.badfiles import _pdf_bytes, _png_bytes

FUZZ = settings(max_examples=int(os.environ.get("DOCINTAKE_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                derandomize="DOCINTAKE_FUZZ_EXAMPLES" not in os.environ)  # CI runs are repeatable

# Text that looks like what the parsers read: digits, Chinese numerals and units, separators.
DOC_ALPHABET = ("0123456789０１２３４５６７８９OoIlZSXx.,:-/ 年月日至万元角分整零壹贰叁肆伍陆柒捌玖拾佰仟亿"
                "一二三四五六七八九十〇（）()¥￥%号第页共人民币大写小写税额合计")
texts = st.one_of(st.text(), st.text(alphabet=DOC_ALPHABET, max_size=80))


class NullEngine:
    name = "null"

    def read(self, image, crop=False):
        return OcrResult(lines=[])


@FUZZ
@given(texts)
def test_normalisers_never_raise(text):
    assert isinstance(normalise_text(text), str)
    assert values.parse_date(text) is None or isinstance(values.parse_date(text), date)
    period = values.parse_period(text)
    assert period is None or period[0] <= period[1] or isinstance(period[0], date)
    for parse in (values.parse_amount, values.parse_upper_amount):
        amount = parse(text)
        assert amount is None or isinstance(amount, float)
    for find in (values.find_amounts, values.find_dates, values.find_usccs, values.find_filing_numbers):
        assert isinstance(find(text), list)
    values.repair_uscc(text)
    values.uscc_valid(text)
    values.parse_invoice_number(text)
    values.parse_invoice_qr(text)
    values.normalise_name(text)
    values.names_match(text, text[::-1])
    values.upper_matches(text, 1.0)
    values.id_number_valid(text)
    masked = values.mask_ids_in_text(text)
    assert len(masked) == len(text)  # masking never shifts what follows
    assert values.mask_id_number(text) is None or isinstance(values.mask_id_number(text), str)
    name = safe_name(text)
    assert all(ch.isprintable() or unicodedata.category(ch) == "Zs" for ch in name), name


@FUZZ
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.decimals(), st.integers(-10**15, 10**15)))
def test_upper_case_amount_writer_round_trips_or_declines(value):
    text = values.upper_amount(value)
    if text is not None:
        assert values.parse_upper_amount(text) is not None


@FUZZ
@given(st.binary(max_size=64))
def test_sniffing_is_total(head):
    assert sniff_format(head) in READABLE | {"zip", "ole", "rtf", "heic", "unknown"}


names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1,
                max_size=30).filter(lambda n: n not in (".", ".."))
magic = st.sampled_from([b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00",
                         b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"RIFF\x00\x00\x00\x00WEBP"])
blobs = st.builds(lambda m, b: m + b, magic, st.binary(max_size=2000))


@FUZZ
@given(st.dictionaries(names, blobs, min_size=1, max_size=6))
def test_folder_ingest_of_random_files(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("bundle")
    for name, data in files.items():
        try:
            (root / name).write_bytes(data)
        except OSError:  # a name the file system refuses (too long in bytes)
            assume(False)
    try:
        listed = open_bundle(root, root.parent / (root.name + "-work"), Limits())
    except BundleError:
        return  # only junk names (".x", "Thumbs.db"): an empty bundle
    assert all(f.error or f.format in READABLE for f in listed)


zip_names = st.one_of(names, st.sampled_from(["../x.pdf", "/abs.pdf", "a/../../b.pdf", "C:\\w.pdf",
                                              "..\\..\\x.pdf", "d/", "./a.pdf", "a//b.pdf"]))


@FUZZ
@pytest.mark.filterwarnings("ignore:Duplicate name")
@given(st.lists(st.tuples(zip_names, blobs), min_size=1, max_size=6), st.binary(max_size=40),
       st.integers(0, 2000))
def test_zip_ingest_never_escapes_its_work_folder(tmp_path_factory, members, noise, cut):
    base = tmp_path_factory.mktemp("zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    raw = buf.getvalue()
    # sometimes damage the archive: cut it or splice noise into it
    raw = raw[:cut] + noise + raw[cut:] if noise else raw
    archive = base / "b.zip"
    archive.write_bytes(raw)
    work = base / "work"
    try:
        listed = open_bundle(archive, work, Limits(max_file_bytes=100_000))
    except BundleError:
        return
    assert sorted(p.name for p in base.iterdir()) == sorted(["b.zip", "work"][: 1 + work.exists()])
    for f in listed:
        assert f.error or work in f.path.parents


PDF = _pdf_bytes()
PNG = _png_bytes((40, 30))


@FUZZ
@given(st.sampled_from([("pdf", PDF), ("png", PNG)]),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=20),
       st.integers(0, 10**6))
def test_reading_damaged_files_never_raises_anything_but_file_unreadable(tmp_path_factory, kind, flips, cut):
    fmt, good = kind
    data = bytearray(good)
    for at, byte in flips:
        data[at % len(data)] = byte
    data = bytes(data[: max(8, cut % (len(data) + 1))])
    path = tmp_path_factory.mktemp("f") / f"x.{fmt}"
    path.write_bytes(data)
    file = SourceFile(name=path.name, path=path, sha256="", size=len(data), format=sniff_format(data[:1024]))
    assume(file.format in READABLE)
    notes: list[str] = []
    try:
        pages = list(read_pages(file, Settings(ocr_long_side=200), lambda: NullEngine(), notes))
    except FileUnreadable:
        return
    assert all(p.page >= 1 for p in pages)
    assert all(isinstance(n, str) and n for n in notes)


def test_the_fuzzers_sample_pdf_is_readable():
    """Guards the fuzzing seed: damage must start from a file that reads."""
    with pymupdf.open("pdf", PDF) as doc:
        assert "承诺书" in doc[0].get_text()
    assert Path(__file__).name == "test_fuzz.py"
