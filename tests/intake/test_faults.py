"""Faults: an OCR engine failing on one page, a disk filling up while the report is written."""

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from docintake.core.settings import Settings
from docintake.extractors.ocr import ENGINES, get_engine
from docintake.pipeline.run import check_bundle
from tests.support import ETOWN as PROGRAMME
from tests.support import OCR_THREADS, ROOT, tree_hashes
from tests.support.badfiles import _pdf_bytes
from tests.support.builders import (
    COMMITMENT,
    CONTRACT_1,
    INVOICE,
    LICENCE,
    PAYMENT,
    image_pdf,
    make_pdf,
    render,
    scan,
)


class FlakyEngine:
    """The real engine, except that its second reading of a whole page fails as a broken ONNX
    session would (crops read again and the recogniser alone are the real engine's)."""

    name = "flaky"

    def __init__(self, threads: int | None = None):
        self.inner = get_engine("rapidocr", threads)
        self.pages = 0

    def read(self, image, crop=False):
        self.pages += not crop
        if self.pages == 2 and not crop:
            raise RuntimeError("onnxruntime: session run failed")
        return self.inner.read(image, crop=crop)

    def recognise(self, images):
        return self.inner.recognise(images)


@pytest.mark.ocr
def test_ocr_failing_on_one_page_loses_only_that_page(tmp_path, monkeypatch):
    monkeypatch.setitem(ENGINES, "flaky", f"{__name__}:FlakyEngine")  # the engines' plugin registry
    bundle = tmp_path / "bundle"
    sources = [make_pdf(tmp_path / f"src{i}.pdf", [spec]) for i, spec in enumerate((INVOICE, PAYMENT, LICENCE))]
    image_pdf(bundle / "scan.pdf", [scan(render(src, dpi=150)) for src in sources], dpi=150)
    make_pdf(bundle / "contract.pdf", [CONTRACT_1])
    before = tree_hashes(bundle)
    report = check_bundle(bundle, PROGRAMME, Settings(ocr_engine="flaky", ocr_threads=OCR_THREADS))
    files = {f.name: f for f in report.files}
    assert "第 2 页" in files["scan.pdf"].error and "RuntimeError" in files["scan.pdf"].error
    read = {(p.source, p.page) for d in report.documents for p in d.parts}
    assert {("scan.pdf", 1), ("scan.pdf", 3), ("contract.pdf", 1)} <= read
    assert ("scan.pdf", 2) not in read
    doc_types = {d.doc_type for d in report.documents}
    assert {"invoice", "business_licence", "contract"} <= doc_types
    assert any(f.code == "DOCUMENT_UNREADABLE" and f.source == "scan.pdf" for f in report.findings)
    assert tree_hashes(bundle) == before


def _bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for i, spec in enumerate((LICENCE, INVOICE, CONTRACT_1, COMMITMENT)):
        (bundle / f"{i}.pdf").write_bytes(_pdf_bytes((spec,)))
    return bundle


def _check(bundle: Path, json_path: Path, *extra: str, prefix: list[str] = (), preexec=None):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "docintake.app.cli", "check", str(bundle), "--programme", PROGRAMME,
         "--json", str(json_path), *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT, preexec_fn=preexec)


def _small_file_limit():
    # Files may not grow past 2 KB, like a full disk; EFBIG instead of the default SIGXFSZ kill.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def test_a_full_disk_leaves_no_report_and_no_temp_file(tmp_path):
    bundle = _bundle(tmp_path)
    before = tree_hashes(bundle)
    out = tmp_path / "out"
    out.mkdir()
    proc = _check(bundle, out / "report.json", "--html", str(out / "report.html"), preexec=_small_file_limit)
    assert proc.returncode == 2, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "Traceback" not in proc.stderr
    assert list(out.iterdir()) == []
    assert tree_hashes(bundle) == before


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare (util-linux)")
def test_a_really_full_tmpfs_leaves_nothing_behind(tmp_path):
    """ENOSPC for real: a 4 KiB tmpfs in a user namespace (skipped where namespaces are off)."""
    bundle = _bundle(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    script = 'mount -t tmpfs -o size=4k tmpfs "$0" || exit 77; "$@"; rc=$?; ls -A "$0"; exit $rc'
    proc = _check(bundle, out / "report.json", prefix=["unshare", "-r", "-m", "sh", "-c", script, str(out)])
    if proc.returncode == 77 or "unshare" in proc.stderr:
        pytest.skip(f"no user namespaces here: {proc.stderr.strip()[:200]}")
    assert proc.returncode == 2, proc.stderr
    assert "磁盘空间不足" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout.strip() == ""  # `ls` inside the namespace: the tmpfs holds nothing


def test_a_failed_json_write_removes_the_html_written_before_it(tmp_path):
    bundle = _bundle(tmp_path)
    out = tmp_path / "out"
    (out / "report.json").mkdir(parents=True)  # a folder where the report should go
    proc = _check(bundle, out / "report.json", "--html", str(out / "report.html"))
    assert proc.returncode == 2 and "无法写入报告" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json"] and not os.listdir(out / "report.json")
