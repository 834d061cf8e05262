"""OUTBOX/index.html: one row per report, sortable and filterable offline, hostile names as text."""

from pathlib import Path
from urllib.parse import unquote

import pytest

from docintake.app.cli import main
from docintake.core.datamodel import Applicant, Finding, Report, Subsidy
from docintake.core.files import report_json
from docintake.report.index import write_index
from tests.support.browser import artefact_dir, chromium, needs_chromium, offline_page, open_file, screenshot

HOSTILE = "<img src=x onerror=alert(1)>"
SET = "(el => { el.value = '%s'; el.dispatchEvent(new Event('input')); })(document.getElementById('%s'))"


def _report(programme: str, bundle: str, verdict: str, errors: int, warnings: int, name: str,
            payable: float | None, when: str) -> Report:
    findings = [Finding(code="MATERIAL_MISSING", severity="error", message=f"缺少材料 {i}") for i in range(errors)]
    findings += [Finding(code="FIELD_UNREADABLE", severity="warning", message=f"字段 {i}") for i in range(warnings)]
    return Report(programme=programme, bundle=bundle, bundle_sha256="0" * 64, verdict=verdict,
                  applicant=Applicant(name=name, uscc="91110115MA8EHN5A3N"), findings=findings,
                  subsidy=Subsidy(payable=payable), generated_at=when)


@pytest.fixture
def outbox(tmp_path) -> Path:
    box = tmp_path / "OUTBOX"
    rows = [
        ("etown-model-voucher-2026h1", "bundle-1", "fail", 3, 1, "北京甲科技有限公司", None, "2026-07-01T02:00:00+00:00"),
        ("etown-model-voucher-2026h1", HOSTILE, "needs_review", 0, 2, "<script>alert(2)</script>公司", 50000.0,
         "2026-07-02T02:00:00+00:00"),
        ("shenzhen-model-voucher-2025", "申请 材料#1", "pass", 0, 0, "深圳乙科技有限公司", 123500.0,
         "2026-06-30T02:00:00+00:00"),
    ]
    for programme, bundle, *rest in rows:
        target = box / programme / bundle
        target.mkdir(parents=True)
        (target / "report.json").write_text(report_json(_report(programme, bundle, *rest)), encoding="utf-8")
        if bundle != "bundle-1":
            (target / "report.html").write_text("<!DOCTYPE html><title>r</title>", encoding="utf-8")
    broken = box / "nanshan-ai-plus-2026" / "half"
    broken.mkdir(parents=True)
    (broken / "report.json").write_text('{"programme": ', encoding="utf-8")
    return box


def test_index_lists_every_report_atomically(outbox):
    index = write_index(outbox)
    assert index == outbox / "index.html" and not list(outbox.glob(".index.html.*"))
    html = index.read_text(encoding="utf-8")
    assert html.count("<tr data-programme=") == 4
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "报告损坏" in html  # a broken report is listed, not skipped


def test_index_command(outbox, tmp_path):
    assert main(["index", str(outbox)]) == 0 and (outbox / "index.html").exists()
    assert main(["index", str(tmp_path / "missing")]) == 2


@needs_chromium
def test_index_sorts_and_filters_in_the_browser_offline(outbox):
    index = write_index(outbox)
    visible = """Array.from(document.querySelectorAll('#index tbody tr[data-verdict]'))
                 .filter(r => !r.hidden).map(r => r.cells[2].textContent)"""
    with chromium() as browser, offline_page(browser, 1280, 720) as (page, seen):
        open_file(page, index)
        assert seen.problems == []
        assert seen.requested and all(u.startswith(("file:", "data:")) for u in seen.requested)
        assert page.evaluate(visible) == [HOSTILE, "bundle-1", "申请 材料#1", "half"]  # newest first
        shot = artefact_dir("report_index")
        screenshot(page, shot / "index.png")
        # links resolve to files that exist
        hrefs = page.evaluate("Array.from(document.querySelectorAll('#index a')).map(a => a.getAttribute('href'))")
        for href in hrefs:
            assert (outbox / unquote(href)).exists(), href
        page.evaluate(SET % ("fail", "verdict"))
        assert page.evaluate(visible) == ["bundle-1"]
        assert page.evaluate("document.getElementById('shown').textContent") == "显示 1 / 4"
        page.evaluate(SET % ("", "verdict"))
        page.evaluate(SET % ("深圳乙", "q"))
        assert page.evaluate(visible) == ["申请 材料#1"]
        page.evaluate(SET % ("", "q"))
        page.evaluate("document.querySelectorAll('#index th')[4].click()")  # errors, ascending
        assert page.evaluate(visible)[-1] == "bundle-1"
        page.evaluate("document.querySelectorAll('#index th')[6].click()")  # subsidy, ascending
        assert page.evaluate(visible)[-1] == "申请 材料#1"
        page.evaluate("document.querySelectorAll('#index th')[6].click()")  # again: descending
        assert page.evaluate(visible)[0] == "申请 材料#1"
        assert seen.problems == [] and seen.dialogs == []
        screenshot(page, shot / "index-sorted.png")
