"""The command line as users run it: a real subprocess, exit codes, no tracebacks."""

import json
import subprocess
import sys
import zipfile

import pytest

from docintake.core.datamodel import Report
from tests.support import ROOT
from tests.support.builders import COMMITMENT, INVOICE, make_pdf


def run(*args: str):
    return subprocess.run([sys.executable, "-m", "docintake.app.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_check_writes_a_contract_valid_report(tmp_path):
    bundle = tmp_path / "bundle"
    make_pdf(bundle / "a.pdf", [INVOICE, COMMITMENT])
    (bundle / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    out = tmp_path / "out" / "report.json"
    proc = run("check", str(bundle), "--programme", "etown-model-voucher-2026h1", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    report = Report.model_validate(data)
    assert report.bundle == "bundle" and len(report.bundle_sha256) == 64
    assert [d.doc_type for d in report.documents] == ["invoice", "commitment_letter"]
    codes = {(f.code, f.doc_type) for f in report.findings}
    assert ("MATERIAL_MISSING", "business_licence") in codes
    assert ("MATERIAL_MISSING", "invoice") not in codes
    unreadable = [f for f in report.findings if f.code == "DOCUMENT_UNREADABLE"]
    assert [f.source for f in unreadable] == ["broken.pdf"]
    assert report.verdict == "fail"
    assert "Traceback" not in proc.stderr
    assert not list(out.parent.glob("*.part"))


def test_same_bundle_gives_the_same_hash_as_its_zip(tmp_path):
    bundle = tmp_path / "bundle"
    make_pdf(bundle / "a.pdf", [INVOICE])
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(bundle / "a.pdf", "renamed.pdf")
    hashes = []
    for target in (bundle, archive):
        out = tmp_path / f"{target.name}.json"
        assert run("check", str(target), "--programme", "shenzhen-model-voucher-2025",
                   "--json", str(out)).returncode == 0
        hashes.append(json.loads(out.read_text())["bundle_sha256"])
    assert hashes[0] == hashes[1]


def test_exit_code_2_without_traceback_on_bad_usage_and_bad_paths(tmp_path):
    cases = [
        ("check", str(tmp_path / "missing"), "--programme", "etown-model-voucher-2026h1",
         "--json", str(tmp_path / "r.json")),
        ("check", str(tmp_path), "--programme", "no-such-programme", "--json", str(tmp_path / "r.json")),
        ("check", str(tmp_path)),  # --programme and --json missing
        ("frobnicate",),
    ]
    not_zip = tmp_path / "bundle.zip"
    not_zip.write_bytes(b"PK\x03\x04 truncated")
    cases.append(("check", str(not_zip), "--programme", "etown-model-voucher-2026h1",
                  "--json", str(tmp_path / "r.json")))
    for args in cases:
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip()
    assert not (tmp_path / "r.json").exists()


def test_programmes_and_schema_commands(tmp_path):
    proc = run("programmes")
    assert proc.returncode == 0
    assert len(proc.stdout.strip().splitlines()) == 5
    # A reader that goes away (`docintake programmes | head -1`): a quiet end, no traceback
    gone = subprocess.Popen([sys.executable, "-m", "docintake.app.cli", "programmes"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    gone.stdout.close()  # before its first line
    assert gone.wait(timeout=120) == 1
    assert gone.stderr.read() == ""
    proc = run("schema", "--out", str(tmp_path / "s.json"))
    schema = json.loads((tmp_path / "s.json").read_text())
    assert {"programme", "bundle_sha256", "documents", "findings", "verdict"} <= set(schema["properties"])


def test_html_report_escapes_file_names_and_text(tmp_path):
    bundle = tmp_path / "b"
    make_pdf(bundle / "<script>alert(1)</script>.pdf", [INVOICE])
    html = tmp_path / "r.html"
    proc = run("check", str(bundle), "--programme", "etown-model-voucher-2026h1",
               "--json", str(tmp_path / "r.json"), "--html", str(html))
    assert proc.returncode == 0, proc.stderr
    page = html.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.pdf" in page
    assert "缺少申报材料" in page and "不通过" in page


def test_committed_json_schema_matches_the_models():
    """schema/report.schema.json is what integrators read: regenerate it with `docintake schema`."""

    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text())
    assert committed == Report.model_json_schema()


def test_read_text_run_again_reads_what_it_noted_before(tmp_path):
    """A retried read_text (Prefect retries the step) must not drop a file it annotated the first time."""
    import pymupdf

    from docintake.core.datamodel import Bundle
    from docintake.core.settings import Settings
    from docintake.pipeline.steps import Context, ingest, read_text

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "营业执照 统一社会信用代码 91440300MA5FXXXX", fontname="china-s")
    doc.embfile_add("attachment.txt", b"hello")  # read, with a note about the attachment
    doc.save(tmp_path / "licence.pdf")
    bundle = Bundle(name="b", path=tmp_path, programme="etown-model-voucher-2026h1")
    ctx = Context(Settings(), tmp_path / "work", lambda *_: None)
    ingest(bundle, ctx)
    read_text(bundle, ctx)
    first = (len(bundle.pages), bundle.files[0].error)
    read_text(bundle, ctx)
    assert (len(bundle.pages), bundle.files[0].error) == first
    assert first[0] == 1 and first[1] and "附件" in first[1]
    # its page passes' seconds are this reading's, not added to the first one's
    passes = {f"read_text.{name}": seconds for name, seconds in bundle.pages[0].timings.items()}
    assert passes and {k: v for k, v in bundle.timings.items() if k.startswith("read_text.")} == passes


def _run_with_env(env: dict, *args: str, cwd=None):
    import os

    return subprocess.run([sys.executable, "-m", "docintake.app.cli", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, **env}, cwd=cwd)


def test_an_invalid_setting_ends_any_command_with_2_before_any_work(tmp_path):
    """A negative thread count or a flag that is neither yes nor no: exit 2, a Chinese message naming
    each bad variable, and nothing written (no report, no output folder, no history store)."""
    bundle = tmp_path / "bundle"
    make_pdf(bundle / "a.pdf", [INVOICE, COMMITMENT])
    out, home = tmp_path / "out", tmp_path / "home"
    bad = {"DOCINTAKE_OCR_THREADS": "-3", "DOCINTAKE_READ_SEALS": "maybe", "DOCINTAKE_HOME": str(home)}
    proc = _run_with_env(bad, "check", str(bundle), "--programme", "etown-model-voucher-2026h1",
                         "--json", str(out / "report.json"), "--html", str(out / "report.html"),
                         "--history", str(tmp_path / "h.sqlite"))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "环境变量取值无效" in proc.stderr
    assert "DOCINTAKE_OCR_THREADS" in proc.stderr and "DOCINTAKE_READ_SEALS" in proc.stderr
    assert "正整数" in proc.stderr and "1/true/yes" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]  # nothing written anywhere
    # every command, not only check; one bad value is enough
    for args in (("programmes",), ("schema",), ("batch", str(tmp_path / "inbox"), "--out", str(out))):
        proc = _run_with_env({"DOCINTAKE_MAX_FILES": "abc", "DOCINTAKE_HOME": str(home)}, *args)
        assert proc.returncode == 2 and "DOCINTAKE_MAX_FILES" in proc.stderr, (args, proc.stderr)
        assert not proc.stdout and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]


def test_valid_settings_keep_their_meaning(monkeypatch):
    import os

    from docintake.core.settings import ConfigError, Settings

    for name in [k for k in os.environ if k.upper().startswith("DOCINTAKE_")]:
        monkeypatch.delenv(name)
    default = Settings.from_env()
    assert (default.ocr_engine, default.ocr_long_side, default.read_seals, default.read_contract_seals) == \
        ("rapidocr", 2000, False, True)
    assert default.ocr_threads == (os.cpu_count() or 2) and str(default.home) == "~/.docintake"
    assert default.limits.max_files == 2000 and default.ocr_model_dirs == ()
    for word, meaning in [("1", True), ("true", True), ("YES", True), ("0", False), ("false", False),
                          ("No", False)]:
        monkeypatch.setenv("DOCINTAKE_READ_SEALS", word)
        monkeypatch.setenv("DOCINTAKE_READ_CONTRACT_SEALS", word)
        s = Settings.from_env()
        assert s.read_seals is meaning and s.read_contract_seals is meaning, word
    monkeypatch.setenv("DOCINTAKE_READ_SEALS", "on")  # was silently "no" before: now an error
    with pytest.raises(ConfigError, match="DOCINTAKE_READ_SEALS"):
        Settings.from_env()
    monkeypatch.delenv("DOCINTAKE_READ_SEALS")
    monkeypatch.setenv("DOCINTAKE_OCR_THREADS", "3")
    monkeypatch.setenv("DOCINTAKE_OCR_ENGINE", "paddleocr")
    monkeypatch.setenv("DOCINTAKE_PADDLE_DET_DIR", "/models/det")
    monkeypatch.setenv("DOCINTAKE_PADDLE_REC_DIR", "/models/rec")
    monkeypatch.setenv("DOCINTAKE_HOME", "/srv/docintake")
    monkeypatch.setenv("DOCINTAKE_MAX_FILES", "12")
    s = Settings.from_env()
    assert s.ocr_threads == 3 and s.ocr_model_dirs == ("/models/det", "/models/rec", None)
    assert str(s.home) == "/srv/docintake" and s.limits.max_files == 12


def test_only_the_settings_module_reads_docintake_variables():
    """Every DOCINTAKE_* variable is read in docintake/core/settings.py and passed down from there."""
    import re

    root = ROOT
    readers = []
    for top in ("docintake", "extractors", "validators", "flows", "checklists"):
        for path in sorted((root / top).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            # os.environ (or getenv) and a DOCINTAKE_ name as a string (not the `$DOCINTAKE_HOME` of a help text)
            if re.search(r"os\.environ|getenv\(", text) and re.search(r"[\"']DOCINTAKE_", text):
                readers.append(path.relative_to(root).as_posix())
    assert readers == ["docintake/core/settings.py"]


def test_paddle_gets_its_model_folders_from_the_settings_not_the_environment(monkeypatch):
    from docintake.extractors.ocr import OcrUnavailable, get_engine

    monkeypatch.setenv("DOCINTAKE_PADDLE_DET_DIR", "/models/det")
    monkeypatch.setenv("DOCINTAKE_PADDLE_REC_DIR", "/models/rec")
    with pytest.raises(OcrUnavailable, match="DOCINTAKE_PADDLE_DET_DIR"):
        get_engine("paddleocr", 5)  # no folders passed: the engine does not look at the environment
