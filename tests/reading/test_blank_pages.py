"""Blank pages are found by their ink before OCR and reported; a bundle over the page limit is
refused with a finding instead of being read for hours."""

import time

import cv2
import numpy as np
import pymupdf
import pytest
from PIL import Image

from docintake.core.datamodel import SourceFile
from docintake.core.settings import Limits, Settings
from docintake.extractors import pages
from docintake.extractors.blank import GLANCE_SHRINK, INK_BELOW_PAPER, ink_share, is_blank, surely_blank
from docintake.extractors.render import render_at, zoom_to_fit
from docintake.pipeline.run import check_bundle
from tests.support.builders import INVOICE, image_pdf, make_pdf, render, scan, write_jpeg

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


def _plain_ink_share(image: np.ndarray) -> float:
    small = image[::2, ::2]
    grey = small.mean(axis=2) if small.ndim == 3 else small.astype(np.float32)
    return np.count_nonzero(grey < float(np.median(grey)) - INK_BELOW_PAPER) / grey.size


@pytest.mark.parametrize("shape", [(400, 300, 3), (401, 299, 3), (400, 300), (399, 301)])
def test_ink_is_counted_as_the_pixels_float_mean_under_the_median_paper_counts_it(shape):
    """ink_share counts on a histogram; the share must be the one the plain formula gives: the
    pixel's mean over its channels, the median of those, ink darker than it by INK_BELOW_PAPER
    (odd and even pixel counts, colour and grey, paper light and dark, ink around the threshold)."""
    rng = np.random.default_rng(sum(shape))
    for paper in (60, 150, 201, 236):
        image = np.clip(rng.normal(paper, 6, shape), 0, 255).astype(np.uint8)
        dots = rng.random(shape[:2]) < 0.05
        image[dots] = rng.integers(paper - INK_BELOW_PAPER - 3, paper - INK_BELOW_PAPER + 3, dots.sum())[
            (slice(None),) + (None,) * (len(shape) - 2)].clip(0, 255)
        assert ink_share(image) == _plain_ink_share(image) and (paper < 100 or ink_share(image) > 0.001)


def test_ink_a_third_of_a_level_under_the_threshold_is_counted_and_over_it_is_not():
    """Paper half at 200, half at 201: the median is 200.5 and ink must be under 120.5. Means a
    third of a level apart on either side of it (channels 120/120/121 and so on): two counted."""
    ink = [(120, 120, 120), (120, 120, 121), (120, 121, 121), (121, 121, 121), (121, 121, 122)]
    counted = [sum(c) < 3 * 120.5 for c in ink]
    pixels = [c for c in ink for _ in range(10)]
    half = 5000
    pixels += [(200, 200, 200)] * (half - len(pixels)) + [(201, 201, 201)] * half
    small = np.array(pixels, np.uint8).reshape(100, 100, 3)
    image = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)  # image[::2, ::2] is `small`
    assert ink_share(image) == _plain_ink_share(image) == 10 * sum(counted) / 10000 == 0.002


def test_a_bundle_over_the_page_limit_is_refused_unread(tmp_path):
    for i in range(3):
        _blank_pdf(tmp_path / "b" / f"卷{i}.pdf", 400)
    report = check_bundle(tmp_path / "b", PROGRAMME, Settings())  # default limit: 1000 pages
    refused = [f for f in report.findings if f.code == "DOCUMENT_UNREADABLE" and "超过上限 1000 页" in f.message]
    assert len(refused) == 3 and "共 1200 页" in refused[0].message
    assert not report.documents


def _as_files(folder, image: np.ndarray) -> list:
    """One scanned sheet as a phone JPEG, a lossless PNG and an image-only PDF."""
    paths = [write_jpeg(folder / "sheet.jpg", image, 85), image_pdf(folder / "sheet.pdf", [image])]
    cv2.imwrite(str(folder / "sheet.png"), image)
    return [*paths, folder / "sheet.png"]


def _glance(path) -> np.ndarray:
    long_side = Settings().ocr_long_side // GLANCE_SHRINK
    if path.suffix == ".pdf":
        with pymupdf.open(path) as doc:
            return render_at(doc[0], zoom_to_fit(doc[0], long_side))
    with Image.open(path) as img:
        return pages._glance(img, path, long_side)


def _no_engine():
    raise AssertionError("a blank sheet must not load the OCR models")


def test_an_empty_sheet_is_blank_at_a_glance_without_the_full_render(tmp_path, monkeypatch):
    sheet = scan(np.full((2339, 1654, 3), 232, np.uint8), noise=6.0)
    monkeypatch.setattr(pages, "is_blank", lambda bgr: pytest.fail("the page was rendered in full"))
    for path in _as_files(tmp_path, sheet):
        file = SourceFile(name=path.name, path=path, sha256="", size=path.stat().st_size,
                          format=path.suffix[1:])
        [page] = pages.read_pages(file, Settings(), _no_engine)
        assert page.blank and not page.lines, path.name


@pytest.mark.parametrize("mark", ["pencil line", "faded red seal", "a date", "blue ticks"])
def test_any_mark_the_full_look_counts_as_ink_is_not_blank_at_a_glance(tmp_path, mark):
    paper = np.full((2339, 1654, 3), 232, np.uint8)
    if mark == "pencil line":
        cv2.line(paper, (200, 1200), (1400, 1290), (140, 140, 140), 2)  # about the lightest counted as ink
    elif mark == "faded red seal":
        cv2.circle(paper, (900, 1500), 70, (110, 110, 225), 3)  # BGR: pale red, light in grey
    elif mark == "a date":
        cv2.putText(paper, "2025.6.30", (700, 2250), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (40, 40, 40), 2)
    else:
        for i in range(12):
            cv2.line(paper, (300 + 90 * i, 600), (320 + 90 * i, 630), (200, 90, 40), 2)
    sheet = scan(paper, noise=6.0)
    reading_size = cv2.resize(sheet, (1414, 2000), interpolation=cv2.INTER_AREA)
    assert not is_blank(reading_size)  # the full look finds ink: the glance must not say blank
    for path in _as_files(tmp_path, sheet):
        assert not surely_blank(_glance(path)), path.name
