"""Operator commands: --version, check --fail-on, purge (by bundle and by date)."""

import sqlite3
from datetime import date, timedelta

import pytest

from docintake import __version__
from docintake.app.cli import main
from docintake.core.settings import Settings
from docintake.extractors.ingest import open_bundle
from docintake.pipeline.pagecache import PageCache
from docintake.pipeline.steps import Context, read_file
from tests.support.builders import COMMITMENT, INVOICE, LICENCE, make_pdf

PROGRAMME = "etown-model-voucher-2026h1"
NUMBER = "25442000000012345678"  # the invoice's number: what the history keeps of the bundle


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and __version__ in capsys.readouterr().out


def test_fail_on_sets_the_exit_status_by_the_verdict(tmp_path):
    make_pdf(tmp_path / "b" / "材料.pdf", [INVOICE, COMMITMENT])  # no licence: 不通过
    base = ["check", str(tmp_path / "b"), "--programme", PROGRAMME, "--json", str(tmp_path / "r.json"),
            "--no-history", "-q"]
    assert main(base) == 0
    assert main([*base, "--fail-on", "error"]) == 1
    assert main([*base, "--fail-on", "warning"]) == 1
    with pytest.raises(SystemExit) as exit_:
        main([*base, "--fail-on", "never"])
    assert exit_.value.code == 2


def _home_holds(home, text: str) -> list[str]:
    return [str(p) for p in home.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def test_purge_a_bundle_leaves_no_trace_of_it_but_an_audit_line(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DOCINTAKE_HOME", str(home))
    bundle = tmp_path / "b"
    make_pdf(bundle / "材料.pdf", [LICENCE, INVOICE, COMMITMENT])
    report = tmp_path / "out" / "report.json"
    assert main(["check", str(bundle), "--programme", PROGRAMME, "--json", str(report), "-q"]) == 0
    settings = Settings.from_env()
    file = open_bundle(bundle, tmp_path / "work", settings.limits)[0]
    cache = PageCache(settings)
    cache.put(file, read_file(file, Context(settings, tmp_path / "work", lambda *_: None)))
    assert _home_holds(home, NUMBER) and cache.get(file) is not None
    assert main(["purge", str(bundle)]) == 0
    assert not _home_holds(home, NUMBER) and cache.get(file) is None
    assert not report.exists()
    with sqlite3.connect(home / "history.sqlite") as db:
        assert db.execute("select count(*) from submissions").fetchone() == (0,)
        audit = db.execute("select reason, rows, cached_files from purges").fetchall()
    assert audit == [("bundle", 2, 1)]  # its submission and its invoice claim; its cached file


def test_purge_before_a_date_removes_older_submissions_only(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DOCINTAKE_HOME", str(home))
    make_pdf(tmp_path / "b" / "材料.pdf", [LICENCE, INVOICE, COMMITMENT])
    assert main(["check", str(tmp_path / "b"), "--programme", PROGRAMME, "--json",
                 str(tmp_path / "r.json"), "-q"]) == 0
    assert main(["purge", "--before", date.today().isoformat()]) == 0  # checked today: kept
    assert _home_holds(home, NUMBER)
    assert main(["purge", "--before", (date.today() + timedelta(days=1)).isoformat()]) == 0
    assert not _home_holds(home, NUMBER) and not (tmp_path / "r.json").exists()
    assert main(["purge", "--before", "昨天"]) == 2 and main(["purge"]) == 2


@pytest.mark.parametrize(("name", "value", "allowed"), [("DOCINTAKE_OCR_ENGINE", "tesseract", "rapidocr、paddleocr"),
                                                        ("DOCINTAKE_CACHE_DAYS", "0", "正整数"),
                                                        ("DOCINTAKE_MAX_PAGES_PER_BUNDLE", "-1", "正整数")])
def test_an_invalid_new_setting_is_named_with_its_allowed_values(tmp_path, monkeypatch, capsys, name, value,
                                                                  allowed):
    monkeypatch.setenv(name, value)
    make_pdf(tmp_path / "b" / "材料.pdf", [INVOICE])
    assert main(["check", str(tmp_path / "b"), "--programme", PROGRAMME, "--json", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert name in err and allowed in err and "Traceback" not in err
    assert not (tmp_path / "r.json").exists()
