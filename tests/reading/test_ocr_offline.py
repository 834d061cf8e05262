"""The default OCR engine must run with no network at all: its models ship in the wheel."""

import subprocess
import sys
import textwrap

import pytest

from docintake.extractors.ocr import OcrUnavailable, get_engine
from tests.support import OCR_THREADS, ROOT
from tests.support.builders import INVOICE, make_pdf, render, write_jpeg


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
