import hashlib
import zipfile
from pathlib import Path

import pytest

from docintake.core.settings import Limits
from docintake.extractors.ingest import BundleError, bundle_sha256, natural_key, open_bundle, sniff_format
from tests.support import tree_hashes
from tests.support.builders import COMMITMENT, INVOICE, make_pdf


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "bundle"
    make_pdf(root / "IMG_10.pdf", [INVOICE])
    make_pdf(root / "IMG_9.pdf", [COMMITMENT])
    make_pdf(root / "子目录" / "附件3.pdf", [COMMITMENT])
    (root / ".DS_Store").write_bytes(b"junk")
    (root / "Thumbs.db").write_bytes(b"junk")
    return root


def test_folder_lists_files_in_natural_order_and_skips_junk(folder, tmp_path):
    files = open_bundle(folder, tmp_path / "work", Limits())
    assert [f.name for f in files] == ["IMG_9.pdf", "IMG_10.pdf", "子目录/附件3.pdf"]
    assert all(f.format == "pdf" and f.error is None and len(f.sha256) == 64 for f in files)


def test_zip_and_folder_have_the_same_bundle_hash_and_originals_stay_unchanged(folder, tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in folder.rglob("*.pdf"):
            zf.write(p, p.relative_to(folder).as_posix())
    before = tree_hashes(folder) | {"zip": hashlib.sha256(archive.read_bytes()).hexdigest()}
    from_folder = open_bundle(folder, tmp_path / "w1", Limits())
    from_zip = open_bundle(archive, tmp_path / "w2", Limits())
    assert bundle_sha256(from_folder) == bundle_sha256(from_zip)
    assert sorted(f.name for f in from_zip) == sorted(f.name for f in from_folder)
    after = tree_hashes(folder) | {"zip": hashlib.sha256(archive.read_bytes()).hexdigest()}
    assert before == after
    # zip members are read from the work folder, never next to the original
    assert all(tmp_path / "w2" in f.path.parents for f in from_zip)


def test_gbk_member_names_from_chinese_windows_zips_are_decoded(tmp_path):
    archive = tmp_path / "b.zip"
    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE])
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("XXXX.pdf", pdf.read_bytes())
    # Same byte length in GBK; no UTF-8 flag, as Windows' built-in zip writes it.
    raw = archive.read_bytes().replace(b"XXXX.pdf", "发票.pdf".encode("gbk"))
    archive.write_bytes(raw)
    files = open_bundle(archive, tmp_path / "w", Limits())
    assert [f.name for f in files] == ["发票.pdf"]
    assert files[0].error is None


def test_zip_slip_members_are_refused_and_nothing_lands_outside(tmp_path):
    archive = tmp_path / "evil.zip"
    pdf = make_pdf(tmp_path / "src.pdf", [INVOICE])
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.pdf", pdf.read_bytes())
        zf.writestr("/abs/escaped2.pdf", pdf.read_bytes())
        zf.writestr("ok/发票.pdf", pdf.read_bytes())
    files = open_bundle(archive, tmp_path / "deep" / "work", Limits())
    by_name = {f.name: f for f in files}
    assert by_name["ok/发票.pdf"].error is None
    refused = [f for f in files if f.error]
    assert len(refused) == 2 and all("不安全" in f.error for f in refused)
    assert not list(tmp_path.rglob("escaped*.pdf"))


def test_bad_members_become_file_errors_not_crashes(tmp_path):
    root = tmp_path / "b"
    root.mkdir()
    (root / "empty.pdf").write_bytes(b"")
    (root / "notes.docx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    (root / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (root / "random.bin").write_bytes(b"\x00\x01garbage")
    files = {f.name: f for f in open_bundle(root, tmp_path / "w", Limits())}
    assert "为空" in files["empty.pdf"].error
    assert files["notes.docx"].error and files["old.doc"].error and files["random.bin"].error


def test_unusable_bundle_paths_raise_bundle_error(tmp_path):
    with pytest.raises(BundleError):
        open_bundle(tmp_path / "missing", tmp_path / "w", Limits())
    not_zip = tmp_path / "x.pdf"
    not_zip.write_bytes(b"%PDF-1.4")
    with pytest.raises(BundleError):
        open_bundle(not_zip, tmp_path / "w", Limits())
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 10)
    with pytest.raises(BundleError):
        open_bundle(broken, tmp_path / "w", Limits())


def test_zip_bomb_is_stopped_by_the_unpacked_size_limit(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.pdf", b"%PDF-" + b"\0" * 5_000_000)
    files = open_bundle(archive, tmp_path / "w", Limits(max_file_bytes=1_000_000))
    assert files[0].error and "上限" in files[0].error
    assert sum(p.stat().st_size for p in (tmp_path / "w").rglob("*") if p.is_file()) <= 1_100_000


def test_sniffing_ignores_extensions():
    assert sniff_format(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_format(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff_format(b"garbage%PDF-1.7") == "pdf"
    assert sniff_format(b"II*\x00") == "tiff"
    assert sniff_format(b"hello") == "unknown"
    assert sorted(["p10", "p9", "p100"], key=natural_key) == ["p9", "p10", "p100"]
