"""Bad input end to end: every bad file is reported, good files are still checked, no traceback,
no original changed, nothing written outside the report's folder and the temp folder."""

import ast
import hashlib
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pymupdf
import pytest
from PIL import Image

from docintake.core.datamodel import Report, SourceFile
from docintake.core.logmask import RedactingFilter, redact
from docintake.core.settings import ConfigError, Limits, Settings
from docintake.extractors.ingest import BundleError, open_bundle, safe_name
from docintake.extractors.ocr import OcrResult
from docintake.extractors.pages import FileUnreadable, read_pages, summarise
from tests.support import ETOWN, ROOT, tree_hashes
from tests.support.badfiles import (
    BAD_CASES,
    GOOD,
    ZIP_ONLY,
    bad_folder,
    bad_zip,
    huge_png_bytes,
    many_pages_pdf_bytes,
)

PROGRAMME = ETOWN
# ONNX Runtime leaves a 51-byte session id file in TMPDIR whenever it loads a model.
TMP_ALLOWED = {".ses"}


def run_check(bundle: Path, out: Path, tmp: Path, *extra: str, env: dict | None = None):
    tmp.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "docintake.app.cli", "check", str(bundle), "--programme", PROGRAMME,
         "--json", str(out / "report.json"), *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp), **(env or {})})


def check_report(proc, out: Path, tmp: Path, expected: dict[str, tuple[str, str]]) -> Report:
    """`expected`: file name -> (outcome, word its error must contain)."""
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # no .part left, nothing else
    assert {p.name for p in tmp.iterdir()} <= TMP_ALLOWED  # the work folder is gone
    report = Report.model_validate_json((out / "report.json").read_text(encoding="utf-8"))
    files = {f.name: f for f in report.files}
    unreadable = {f.source for f in report.findings if f.code == "DOCUMENT_UNREADABLE"}
    for name, (outcome, word) in expected.items():
        name = safe_name(name)
        assert name in files, name
        if outcome == "read":
            assert files[name].error is None, (name, files[name].error)
        else:
            assert files[name].error and word in files[name].error, (name, files[name].error)
            assert name in unreadable, name
    # the good files are still checked
    doc_types = {(d.source, d.doc_type) for d in report.documents}
    assert {("licence.pdf", "business_licence"), ("invoice.pdf", "invoice")} <= doc_types
    assert ("scan.jpg", "invoice") in doc_types  # a PDF named .jpg is read as the PDF it is
    return report


def test_folder_of_bad_files(tmp_path):
    bundle = bad_folder(tmp_path / "bundle")
    before = tree_hashes(bundle)
    proc = run_check(bundle, tmp_path / "out", tmp_path / "tmp")
    expected = {c.name: (c.outcome, c.expect) for c in BAD_CASES} | {n: ("read", "") for n in GOOD}
    report = check_report(proc, tmp_path / "out", tmp_path / "tmp", expected)
    assert tree_hashes(bundle) == before  # originals untouched, none added or removed
    names = [f.name for f in report.files]
    assert "\\xff\\xfe-latin1-\\xe9.pdf" in names  # a name that is not UTF-8, escaped and read
    assert all(ch.isprintable() for name in names for ch in name)
    pages = {f.name: f.pages for f in report.files}
    assert pages["2000-pages.pdf"] == 2000
    read = {(p.source, p.page) for d in report.documents for p in d.parts}
    assert ("2000-pages.pdf", 500) in read and ("2000-pages.pdf", 501) not in read


def test_zip_of_bad_files_with_zip_slip_and_bomb(tmp_path):
    archive = bad_zip(tmp_path / "bundle.zip")
    before = hashlib.sha256(archive.read_bytes()).hexdigest()
    proc = run_check(archive, tmp_path / "out", tmp_path / "tmp")
    expected = ({c.name: (c.outcome, c.expect) for c in BAD_CASES} | {n: ("read", "") for n in GOOD}
                | {n: ("unreadable", word) for n, word in ZIP_ONLY.items()})
    check_report(proc, tmp_path / "out", tmp_path / "tmp", expected)
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == before
    assert not [p for p in Path("/").glob("*escaped*")] and not list(tmp_path.rglob("*escaped*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.zip", "out", "tmp"]


def test_zip_members_encrypted_or_packed_with_unknown_methods_are_reported(tmp_path):
    from tests.support.badfiles import _pdf_bytes, patch_member

    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("locked.pdf", "odd-method.pdf", "ok.pdf"):
            zf.writestr(name, _pdf_bytes())
    raw = patch_member(archive.read_bytes(), "locked.pdf", flags=0x1)
    archive.write_bytes(patch_member(raw, "odd-method.pdf", method=99))
    files = {f.name: f for f in open_bundle(archive, tmp_path / "w", Limits())}
    assert "加密" in files["locked.pdf"].error
    assert "压缩方式" in files["odd-method.pdf"].error
    assert files["ok.pdf"].error is None
    assert [p.name for p in (tmp_path / "w").iterdir()] == [files["ok.pdf"].path.name]


def test_an_empty_bundle_is_a_clear_cli_error(tmp_path):
    (tmp_path / "bundle").mkdir()
    proc = run_check(tmp_path / "bundle", tmp_path / "out", tmp_path / "tmp")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "材料包为空" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["empty folder", "junk only", "empty zip"])
def test_an_empty_bundle_raises_bundle_error(tmp_path, kind):
    bundle = tmp_path / "bundle"
    if kind == "empty zip":
        bundle = tmp_path / "bundle.zip"
        zipfile.ZipFile(bundle, "w").close()
    else:
        bundle.mkdir()
        if kind == "junk only":
            (bundle / ".DS_Store").write_bytes(b"junk")
            (bundle / "__MACOSX").mkdir()
            (bundle / "__MACOSX" / "._a.pdf").write_bytes(b"junk")
    with pytest.raises(BundleError, match="为空"):
        open_bundle(bundle, tmp_path / "w", Limits())


def test_cli_errors_never_read_paths_as_markup_and_bad_settings_are_clear(tmp_path):
    proc = run_check(tmp_path / "[/bold] 440305199001011234 [red]", tmp_path / "out", tmp_path / "tmp")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "[/bold]" in proc.stderr and "440305********1234" in proc.stderr
    bundle = bad_folder(tmp_path / "b", cases=[])
    proc = run_check(bundle, tmp_path / "out", tmp_path / "tmp", env={"DOCINTAKE_MAX_FILES": "many"})
    assert proc.returncode == 2 and "DOCINTAKE_MAX_FILES" in proc.stderr and "Traceback" not in proc.stderr


def test_limits_come_from_the_environment_and_are_validated(monkeypatch):
    monkeypatch.setenv("DOCINTAKE_MAX_PAGES_PER_FILE", "7")
    monkeypatch.setenv("DOCINTAKE_MAX_SECONDS_PER_PAGE", "2.5")
    limits = Settings.from_env().limits
    assert limits.max_pages_per_file == 7 and limits.max_seconds_per_page == 2.5
    monkeypatch.setenv("DOCINTAKE_MAX_IMAGE_PIXELS", "-1")
    with pytest.raises(ConfigError, match="DOCINTAKE_MAX_IMAGE_PIXELS"):
        Settings.from_env()


# --- the page reader's limits, in process with a stand-in OCR engine -----------------------------

class SlowEngine:
    """Reads one fixed line, taking `seconds`: enough to run deadlines without a real model."""

    name = "slow"

    def __init__(self, seconds: float = 0.0):
        self.seconds = seconds
        self.calls = 0

    def read(self, image, crop=False):
        import time

        from docintake.extractors.ocr import OcrLine

        self.calls += 1
        time.sleep(self.seconds)
        h, w = image.shape[:2]
        lines = [OcrLine(text=f"第{i}行文字内容足够长", box=(10, 40 * i, 10 + 20 * i, 40 * i + 30), confidence=0.9)
                 for i in range(1, 4)]  # wider than tall: never "sideways"
        return OcrResult(lines=lines if w > 50 and h > 50 else [])


def _file(path: Path, fmt: str) -> SourceFile:
    return SourceFile(name=path.name, path=path, sha256="", size=path.stat().st_size, format=fmt)


def _read(path: Path, fmt: str, engine, **limits) -> tuple[list, str | None]:
    notes: list[str] = []
    settings = Settings(limits=Limits(**limits))
    pages = list(read_pages(_file(path, fmt), settings, lambda: engine, notes))
    return pages, summarise(notes)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_limit_is_checked_before_decoding(tmp_path):
    png = tmp_path / "huge.png"
    png.write_bytes(huge_png_bytes(12_000, 12_000))  # between the limit and PIL's own 2x guard
    pages, error = _read(png, "png", SlowEngine())
    assert pages == [] and "像素" in error and "12000×12000" in error
    with pytest.raises(FileUnreadable, match="像素"):  # above PIL's guard: refused on open
        png.write_bytes(huge_png_bytes(20_000, 20_000))
        _read(png, "png", SlowEngine())


def test_a_typed_page_with_a_huge_image_keeps_its_text(tmp_path):
    from tests.support.badfiles import _pdf_bytes, huge_image_pdf_bytes

    doc = pymupdf.open("pdf", _pdf_bytes())
    doc.insert_pdf(pymupdf.open("pdf", huge_image_pdf_bytes(20_000)))
    doc[1].insert_text((60, 100), "这一页有文字层，也有一张巨大的图片", fontname="china-s")
    doc.save(tmp_path / "mixed.pdf")
    engine = SlowEngine()
    pages, error = _read(tmp_path / "mixed.pdf", "pdf", engine)
    assert [p.page for p in pages] == [1, 2] and "巨大的图片" in pages[1].text
    assert "第 2 页页面内嵌图片过大" in error and engine.calls == 0


def test_page_limit_and_file_time_limit_skip_the_rest_with_a_note(tmp_path):
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(many_pages_pdf_bytes(30))
    pages, error = _read(pdf, "pdf", SlowEngine(), max_pages_per_file=10)
    assert len(pages) == 10 and "共 30 页" in error and "第 11 页起未检查" in error
    frames = [Image.new("RGB", (400, 300), "white") for _ in range(4)]
    for frame in frames:  # some ink: a blank page would not reach the (slow) OCR
        frame.paste((0, 0, 0), (50, 50, 350, 80))
    tif = tmp_path / "scan.tif"
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    pages, error = _read(tif, "tiff", SlowEngine(0.3), max_seconds_per_file=0.5)
    assert 1 <= len(pages) < 4 and "文件处理时间超过上限" in error


def test_page_deadline_skips_optional_work_and_says_so(tmp_path):
    img = tmp_path / "p.png"
    page = np.full((800, 600, 3), 255, np.uint8)
    page[100:130, 50:550] = 0  # some ink: a blank page would not reach the (slow) OCR
    Image.fromarray(page).save(img)
    pages, error = _read(img, "png", SlowEngine(0.2), max_seconds_per_page=0.1)
    assert len(pages) == 1 and pages[0].lines  # what was read is kept
    assert "处理超过 0.1 秒" in error and pages[0].seals == []


# --- security audits -----------------------------------------------------------------------------

def test_no_shell_outs_and_no_commands_built_from_names():
    """No shell anywhere: commands are argument lists, never strings a file name could be spliced into."""
    sources = [p for d in ("docintake", "extractors", "validators", "flows", "samples", "scripts")
               for p in sorted((ROOT / d).rglob("*.py"))]
    assert len(sources) > 20
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = ast.unparse(node.func)
            assert func not in ("os.system", "os.popen") and not func.startswith(("os.exec", "os.spawn")), rel
            assert not any(k.arg == "shell" for k in node.keywords), rel
            if func.startswith("subprocess.") and node.args:
                assert not isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp), (rel, func)


def test_pii_is_masked_in_log_lines(caplog):
    line = "收到材料包 张三440305199001011234 账号 6222 0212 3456 7890 123 发票 25442000000012345678"
    masked = redact(line)
    assert "440305********1234" in masked and "199001011234" not in masked
    assert "6222 0212" not in masked and masked.endswith("5678")
    caplog.handler.addFilter(RedactingFilter())
    logging.getLogger("docintake.test").warning("bundle %s", "张三440305199001011234")
    assert "440305********1234" in caplog.text and "199001011234" not in caplog.text


def test_symlinks_are_reported_not_followed(tmp_path):
    bundle = bad_folder(tmp_path / "b", cases=[])
    (bundle / "passwd.pdf").symlink_to("/etc/passwd")
    (bundle / "outside").symlink_to(tmp_path, target_is_directory=True)
    files = {f.name: f for f in open_bundle(bundle, tmp_path / "w", Limits())}
    assert "符号链接" in files["passwd.pdf"].error and "符号链接" in files["outside"].error
    assert not any(name.startswith("outside/") for name in files)
