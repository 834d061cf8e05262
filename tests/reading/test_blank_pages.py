"""Blank pages are found by their ink before OCR and reported; a bundle over the page limit is
refused with a finding instead of being read for hours."""

import time

import cv2
import numpy as np
import pymupdf

from docintake.core.settings import Limits, Settings
from docintake.extractors.blank import is_blank
from docintake.pipeline.run import check_bundle
from tests.support.builders import INVOICE, make_pdf, render, scan

PROGRAMME = "etown-model-voucher-2026h1"


def _blank_pdf(path, pages: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=595, height=842)
    doc.save(path)


def test_a_2000_page_blank_pdf_is_checked_in_seconds_with_a_blank_page_warning(tmp_path):
    _blank_pdf(tmp_path / "b" / "扫描.pdf", 2000)
    make_pdf(tmp_path / "b" / "发票.pdf", [INVOICE])
    settings = Settings(limits=Limits(max_pages_per_file=2000, max_pages_per_bundle=2001))
    start = time.perf_counter()
    report = check_bundle(tmp_path / "b", PROGRAMME, settings)
    assert time.perf_counter() - start < 60
    blank = [f for f in report.findings if f.source == "扫描.pdf" and "空白页" in f.message]
    assert len(blank) == 1 and blank[0].severity == "warning" and "第 1–2000 页" in blank[0].message
    infos = [i for d in report.documents for i in d.page_info]
    assert sum(i.blank for i in infos) == 2000 and not any(i.blank for i in infos if i.source == "发票.pdf")


def test_ink_tells_an_empty_scan_from_a_page_with_a_little_on_it(tmp_path):
    paper = np.full((2000, 1414, 3), 235, np.uint8)
    assert is_blank(scan(paper, noise=8.0))  # an empty sheet, grey and noisy as scanned
    seal = paper.copy()
    cv2.circle(seal, (700, 1000), 120, (40, 40, 210), 6)  # a lone red seal ring (BGR)
    assert not is_blank(scan(seal))
    make_pdf(tmp_path / "p.pdf", [INVOICE])
    assert not is_blank(scan(render(tmp_path / "p.pdf", dpi=150)))


def test_a_bundle_over_the_page_limit_is_refused_unread(tmp_path):
    for i in range(3):
        _blank_pdf(tmp_path / "b" / f"卷{i}.pdf", 400)
    report = check_bundle(tmp_path / "b", PROGRAMME, Settings())  # default limit: 1000 pages
    refused = [f for f in report.findings if f.code == "DOCUMENT_UNREADABLE" and "超过上限 1000 页" in f.message]
    assert len(refused) == 3 and "共 1200 页" in refused[0].message
    assert not report.documents
