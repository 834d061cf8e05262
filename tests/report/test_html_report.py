"""The reviewer's report (report.html): every finding shown with its marked page, safe with hostile
names, ID numbers masked, and it loads offline in headless Chromium (playwright driving Debian's
chromium) without console errors.

Screenshots and a print PDF land in test-artifacts/html_report/ (gitignored) for a human to look at.
"""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from playwright.sync_api import Page

from docintake.app.cli import main
from docintake.core.datamodel import Finding, Report, Seal
from docintake.core.files import report_json
from docintake.report.html import render_report
from docintake.samples.generator import generate_bundle
from tests.support import SCAN_BUNDLE, case_id
from tests.support.browser import (
    Seen,
    artefact_dir,
    chromium,
    needs_chromium,
    offline_page,
    open_file,
    screenshot,
)

ETOWN = "etown-model-voucher-2026h1"
ID_NUMBER = "110105198803070016"  # valid check character, real birth date


def _blank_pdf(path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page()  # no text, no image: read as a page without recognisable text
    doc.save(path)


def _check(bundle: Path, out: Path, programme: str = ETOWN) -> Report:
    assert main(["check", str(bundle), "--programme", programme, "--json", str(out / "report.json"),
                 "--html", str(out / "report.html"), "-q"]) == 0
    return Report.model_validate_json((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def defective(tmp_path_factory) -> tuple[Path, Path, Report]:
    """A born-digital bundle with a missing material, a corrupt file and a blank page."""
    root = tmp_path_factory.mktemp("defective")
    truth = generate_bundle(root / "gen", ETOWN, 3, render="born_digital",
                            defects=["unreadable_file", "missing_audit_report"])
    bundle = root / "gen" / ETOWN / truth["bundle"]
    _blank_pdf(bundle / "zz-blank.pdf")
    return bundle, root / "out", _check(bundle, root / "out")


@pytest.fixture(scope="module")
def chromium_browser():  # one chromium for the module, a fresh page per test
    with chromium() as browser:
        yield browser


@pytest.fixture
def browser(chromium_browser) -> Iterator[tuple[Page, Seen]]:
    """A fresh offline page (1280×900) and what it did."""
    with offline_page(chromium_browser) as page_seen:
        yield page_seen


FINDINGS_JS = """Array.from(document.querySelectorAll('article.finding')).map(a => ({
  code: a.dataset.code, message: a.querySelector('.msg').textContent,
  image: !!a.querySelector('svg.thumb use'), hits: a.querySelectorAll('svg.thumb .box.hit').length,
  hit: Array.from(a.querySelectorAll('svg.thumb .box.hit rect')).map(r =>
         ['x', 'y', 'width', 'height'].map(k => parseFloat(r.getAttribute(k))))}))"""


def _load(browser: tuple[Page, Seen], html: Path) -> Page:
    page, seen = browser
    open_file(page, html)
    assert seen.problems == []
    assert seen.requested and all(u.startswith(("file:", "data:")) for u in seen.requested), seen.requested
    assert seen.dialogs == []
    return page


def _assert_findings_shown(page: Page, report: Report) -> list[dict]:
    shown = page.evaluate(FINDINGS_JS)
    assert sorted(s["message"] for s in shown) == sorted(f.message for f in report.findings)
    order = [s["code"] for s in shown]
    severities = {f.message: f.severity for f in report.findings}
    ranks = [{"error": 0, "warning": 1}.get(severities[s["message"]], 2) for s in shown]
    assert ranks == sorted(ranks), f"errors first: {order}"
    by_message = {f.message: f for f in report.findings}
    for s in shown:
        if by_message[s["message"]].page is not None:
            assert s["image"], f"no page image for {s['code']}: {s['message']}"
    return shown


@needs_chromium
def test_report_of_a_defective_bundle_shows_every_finding_with_its_page(defective, browser):
    _, out, report = defective
    codes = {f.code for f in report.findings}
    assert {"MATERIAL_MISSING", "DOCUMENT_UNREADABLE"} <= codes
    assert any(f.page for f in report.findings), "the blank page gives a finding with a page"
    page = _load(browser, out / "report.html")
    _assert_findings_shown(page, report)
    # every page of every document is drawn, each image embedded once
    pages = {(i.source, i.page) for d in report.documents for i in d.page_info}
    assert page.evaluate("document.querySelectorAll('svg.defs image').length") == len(pages)
    assert page.evaluate("document.querySelectorAll('.page-row svg.full use').length") == len(pages)
    fields = sum(1 for d in report.documents for f in d.fields.values() if f.bbox)
    assert page.evaluate("document.querySelectorAll('svg.full .box.field').length") == fields
    # what could not be read is said plainly
    text = page.evaluate("document.body.innerText")
    assert "无法读取" in text and "没有可识别的文字" in text and "缺失" in text
    art = artefact_dir("html_report")
    screenshot(page, art / "defective-top.png")
    screenshot(page, art / "defective-full.png", full_page=True, max_height=16000)
    page.pdf(path=art / "defective-print.pdf", print_background=True, prefer_css_page_size=True)
    assert browser[1].problems == []
    assert (out / "report.html").stat().st_size < 400_000 * max(len(pages), 1)


@needs_chromium
def test_field_and_seal_findings_box_what_they_point_at(defective, browser, tmp_path):
    """Validators are growing: findings naming a field or a seal kind get that box, scaled from points."""
    bundle, _, report = defective
    report = report.model_copy(deep=True)
    invoice = next(d for d in report.documents if d.doc_type == "invoice" and "issue_date" in d.fields)
    sealed = next(d for d in report.documents if any(s.bbox for s in d.seals))
    date, seal = invoice.fields["issue_date"], next(s for s in sealed.seals if s.bbox)
    report.findings += [
        Finding(code="DATE_OUT_OF_WINDOW", severity="error", document=invoice.id, doc_type="invoice",
                page=date.page, field="issue_date", expected="2025-08-09..2026-06-30", found=str(date.value),
                message=f"发票开票日期 {date.value} 不在政策执行期内"),
        Finding(code="SEAL_MISSING", severity="error", document=sealed.id, doc_type=sealed.doc_type,
                field=seal.kind, message="印章不符合要求（测试）"),
        Finding(code="SEAL_MISSING", severity="warning", document=invoice.id, doc_type="invoice",
                field="paging_seal", message="缺少骑缝章（测试）"),
    ]
    report.subsidy = report.subsidy.model_copy(update={
        "basis": 246913.58, "rate": 0.5, "cap": 5e6, "amount": 123456.79, "payable": 123500.0,
        "notes": ["补贴基数为发票价税合计"]})
    html = tmp_path / "report.html"
    html.write_text(render_report(report, bundle), encoding="utf-8")
    page = _load(browser, html)
    shown = {s["message"]: s for s in _assert_findings_shown(page, report)}
    box = shown[report.findings[-3].message]["hit"]
    x0, y0, x1, y1 = date.bbox
    assert box == [[pytest.approx(x0, abs=0.1), pytest.approx(y0, abs=0.1),
                    pytest.approx(x1 - x0, abs=0.1), pytest.approx(y1 - y0, abs=0.1)]]
    assert shown[report.findings[-2].message]["hits"] >= 1
    no_box = shown[report.findings[-1].message]
    assert no_box["image"] and no_box["hits"] == 0  # the document's first page, unmarked
    assert "123,500.00 元" in page.evaluate("document.getElementById('subsidy').innerText")
    art = artefact_dir("html_report")
    page.evaluate("document.getElementById('findings').scrollIntoView()")
    screenshot(page, art / "findings.png")


HOSTILE = ["<script>alert(1)<", "<img src=x onerror=alert(2)>.pdf", "\"'><b>粗<i>&amp;.pdf"]


@needs_chromium
def test_hostile_names_and_text_render_as_text(defective, browser, tmp_path):
    source, _, _ = defective
    bundle = tmp_path / "<svg onload=alert(3)>"
    shutil.copytree(source, bundle)
    pdfs = sorted(p for p in bundle.glob("*.pdf") if p.stat().st_size > 1000)
    (bundle / HOSTILE[0]).mkdir()
    pdfs[0].rename(bundle / HOSTILE[0] / "script>.pdf")  # file name <script>alert(1)</script>.pdf
    pdfs[1].rename(bundle / HOSTILE[1])
    pdfs[2].rename(bundle / HOSTILE[2])
    report = _check(bundle, tmp_path / "out")
    # OCR text with markup, and an ID number read off a document
    doc = report.documents[0]
    doc.seals.append(Seal(page=doc.pages[0], kind="company_seal", text="<script>alert(4)</script>公司",
                          bbox=(10, 10, 50, 50), source=doc.source))
    report.findings.append(Finding(code="NAME_MISMATCH", severity="error", document=doc.id,
                                   message=f"名称 <i>不一致</i> {ID_NUMBER}", found="<b>x</b>"))
    report.applicant.name = "<b>恶意</b>公司"
    html = tmp_path / "report.html"
    html.write_text(render_report(report, bundle), encoding="utf-8")
    page = _load(browser, html)
    assert page.evaluate("document.querySelectorAll('script').length") == 1  # ours only
    assert page.evaluate("document.querySelectorAll('img, b, i, svg[onload]').length") == 0
    text = page.evaluate("document.body.innerText")
    for name in ("<script>alert(1)</script>.pdf", HOSTILE[1], HOSTILE[2], "<svg onload=alert(3)>",
                 "<script>alert(4)</script>公司", "<b>恶意</b>公司", "<i>不一致</i>"):
        assert name in text, name
    assert ID_NUMBER not in html.read_text(encoding="utf-8") and "110105********0016" in text
    screenshot(page, artefact_dir("html_report") / "hostile.png")
    assert browser[1].dialogs == [] and browser[1].problems == []


def test_id_numbers_are_masked_in_html_and_json(defective):
    report = defective[2].model_copy(deep=True)
    doc = next(d for d in report.documents if d.fields)
    doc.fields["id_number"] = next(iter(doc.fields.values())).model_copy(update={"value": ID_NUMBER})
    report.findings.append(Finding(code="NAME_MISMATCH", severity="warning",
                                   message=f"身份证号 {ID_NUMBER} 与 {ID_NUMBER[:17]}x 不符"))
    data = report_json(report)
    html = render_report(report)
    for text in (data, html):
        assert ID_NUMBER not in text and ID_NUMBER[:17] not in text
        assert "110105********0016" in text
    assert json.loads(data)["findings"][-1]["message"].count("110105*") == 2


def test_without_the_bundle_the_report_says_there_are_no_page_images(defective):
    _, _, report = defective
    html = render_report(report)
    assert "未提供材料包，无法显示页面图像" in html and "data:image/jpeg" not in html


@pytest.mark.ocr
@needs_chromium
@pytest.mark.parametrize("case", [SCAN_BUNDLE], ids=case_id)
def test_scanned_bundle_pages_are_drawn_upright_with_boxes(tmp_path, browser, processed, case):
    from docintake.core.datamodel import DocType, FindingCode
    from docintake.core.settings import Settings
    from docintake.pipeline.run import build_report
    from docintake.pipeline.steps import Context, validate

    _, bundle = processed(*case)  # the scanned bundle, checked again without its commitment letter
    bundle.documents = [d for d in bundle.documents if d.doc_type != DocType.commitment_letter]
    validate(bundle, Context(Settings(), tmp_path, lambda *_: None))
    report = build_report(bundle)
    assert any(f.code == FindingCode.MATERIAL_MISSING for f in report.findings)
    html = tmp_path / "report.html"
    html.write_text(render_report(report, bundle.path), encoding="utf-8")
    page = _load(browser, html)
    _assert_findings_shown(page, report)
    pages = {(i.source, i.page) for d in report.documents for i in d.page_info}
    assert page.evaluate("document.querySelectorAll('svg.defs image').length") == len(pages)
    assert page.evaluate("document.querySelectorAll('svg.full .box.field').length") > 0
    assert html.stat().st_size < 400_000 * len(pages)
    screenshot(page, artefact_dir("html_report") / "scanned-full.png", full_page=True, max_height=12000)


def test_the_checklist_names_whose_seals_were_found():
    """The checklist's seal column says whose each seal is, and which could not be read."""
    from docintake.core.datamodel import DocType, DocumentReport, TextSource
    from docintake.report.html import seals_zh

    doc = DocumentReport(id="d1", source="a.pdf", pages=[1, 2], doc_type=DocType.contract,
                         text_source=TextSource.ocr, seals=[
                             Seal(page=2, kind="company_seal", owner="深圳市甲乙科技有限公司"),
                             Seal(page=2, kind="contract_seal", owner="北京丙丁智能有限公司"),
                             Seal(page=2, kind="company_seal"),
                             Seal(page=1, kind="paging_seal"), Seal(page=2, kind="paging_seal")])
    assert seals_zh(doc) == ["公章 ×2（第 2 页）：深圳市甲乙科技有限公司、印文未能识读",
                             "合同专用章（第 2 页）：北京丙丁智能有限公司", "骑缝章 ×2（第 1、2 页）"]
