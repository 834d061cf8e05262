"""The default OCR engine must run with no network at all: its models ship in the wheel."""

import subprocess
import sys
import textwrap

import pytest

from docintake.extractors.ocr import OcrUnavailable, get_engine
from tests.support import OCR_THREADS, ROOT
from tests.support.builders import FONT, INVOICE, make_pdf, render, write_jpeg


@pytest.mark.ocr
def test_rapidocr_reads_a_page_with_sockets_disabled(tmp_path):
    jpg = write_jpeg(tmp_path / "p.jpg", render(make_pdf(tmp_path / "a.pdf", [INVOICE]), dpi=150))
    code = textwrap.dedent(f"""
        import socket
        def refuse(*a, **k):
            raise RuntimeError("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        import cv2
        from docintake.extractors.ocr import get_engine
        result = get_engine("rapidocr", 1).read(cv2.imread({str(jpg)!r}))
        print("\\n".join(line.text for line in result.lines))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "25442000000012345678" in proc.stdout.replace(" ", "")


def test_unknown_and_unconfigured_engines_fail_clearly(monkeypatch):
    with pytest.raises(OcrUnavailable, match="未知"):
        get_engine("tesseract")
    monkeypatch.delenv("DOCINTAKE_PADDLE_DET_DIR", raising=False)
    with pytest.raises(OcrUnavailable, match="DOCINTAKE_PADDLE_DET_DIR"):
        get_engine("paddleocr", 7)


@pytest.mark.ocr
def test_a_crop_of_a_read_page_is_detected_at_its_own_scale(tmp_path):
    """A seal's neighbourhood read again is detected as it is, not enlarged to a 736 px short side
    (2.5x the pixels, ~40% of a page's cost), and reads the same."""
    import cv2

    jpg = write_jpeg(tmp_path / "p.jpg", render(make_pdf(tmp_path / "a.pdf", [INVOICE]), dpi=200))
    page = cv2.imread(str(jpg))
    engine = get_engine("rapidocr", OCR_THREADS)
    crop = page[: page.shape[0] // 5]  # the invoice's head: title, number, date
    shapes = []
    detector = engine._ocr._load_det_model()
    session = detector.session
    detector.session = lambda x: shapes.append(x.shape) or session(x)
    try:
        as_page = sorted(ln.text for ln in engine.read(crop).lines)
        as_crop = sorted(ln.text for ln in engine.read(crop, crop=True).lines)
    finally:
        detector.session = session
    assert shapes[0][2] >= 736 and shapes[1][2] <= crop.shape[0] + 32, shapes
    assert as_crop == as_page


@pytest.mark.ocr
def test_a_page_is_detected_smaller_and_every_line_still_read_from_the_full_image(tmp_path, monkeypatch):
    """Text detection looks at a page shrunk to DET_LONG_SIDE (finding lines needs no more), the
    recogniser reads each line from the full 2000 px image: the same text as detecting at full size
    (up to full- or half-width brackets), small print (7.5 pt table notes) included."""
    import unicodedata

    import pymupdf

    from docintake.extractors.ocr import rapid
    from docintake.extractors.render import page_image

    pdf = make_pdf(tmp_path / "a.pdf", [(*INVOICE, "备注：本发票已通过税务数字账户交付 校验码 8812 4471 0093")])
    with pymupdf.open(pdf) as doc:
        doc[0].insert_font(fontname="noto", fontfile=FONT)
        doc[0].insert_text((60, 760), "注：金额单位为人民币元，税率 6%，开票人 李明，复核 王芳", fontname="noto",
                           fontsize=7.5)
        doc.saveIncr()
    page, limit = page_image(pdf, 1, 2000), rapid.DET_LONG_SIDE
    engine = get_engine("rapidocr", OCR_THREADS)
    detector = engine._ocr._load_det_model()
    session, shapes = detector.session, []
    detector.session = lambda x: shapes.append(x.shape) or session(x)
    try:
        shrunk = sorted(unicodedata.normalize("NFKC", ln.text) for ln in engine.read(page).lines)
        monkeypatch.setattr(rapid, "DET_LONG_SIDE", 4000)
        full = sorted(unicodedata.normalize("NFKC", ln.text) for ln in engine.read(page).lines)
    finally:
        detector.session = session
    assert max(shapes[0][2:]) <= limit + 32 < max(shapes[1][2:]), shapes
    assert shrunk == full
    assert any("李明" in t for t in shrunk) and any("8812" in t for t in shrunk)


@pytest.mark.ocr
def test_the_detector_gets_rapidocrs_own_input_bit_for_bit(tmp_path, monkeypatch):
    """The detector's input is normalised through a table (rapidocr does it in float64 over the
    whole page): the tensor must be the one rapidocr's DetPreProcess makes, page and crop alike."""
    import cv2
    import numpy as np
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    jpg = write_jpeg(tmp_path / "p.jpg", render(make_pdf(tmp_path / "a.pdf", [INVOICE]), dpi=150))
    page = cv2.imread(str(jpg))
    page[:8, :256] = np.arange(256, dtype=np.uint8)[None, :, None]  # every grey level, on every channel
    engine = get_engine("rapidocr", OCR_THREADS)
    detector = engine._ocr._load_det_model()
    session, seen, given = detector.session, [], []
    detector.session = lambda x: seen.append(x) or session(x)
    resize = DetPreProcess.resize
    monkeypatch.setattr(DetPreProcess, "resize", lambda pre, img: given.append(img) or resize(pre, img))
    try:
        for image, crop in ((page, False), (page[: page.shape[0] // 4], True)):
            assert engine.read(image, crop=crop).lines
            theirs = DetPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)
            assert seen[-1].dtype == np.float32 and np.array_equal(seen[-1], theirs(given[-1]))
    finally:
        detector.session = session
    assert len(seen) == 2 and given[0].shape == page.shape
    assert getattr(detector.get_preprocess, "by_table", False)
