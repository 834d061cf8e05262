"""The default OCR engine must run with no network at all: its models ship in the wheel."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extractors.ocr import OcrUnavailable, get_engine

from .builders import INVOICE, make_pdf, render, write_jpeg


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
        from extractors.ocr import get_engine
        result = get_engine("rapidocr", 2).read(cv2.imread({str(jpg)!r}))
        print("\\n".join(line.text for line in result.lines))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr
    assert "25442000000012345678" in proc.stdout.replace(" ", "")


def test_unknown_and_unconfigured_engines_fail_clearly(monkeypatch):
    with pytest.raises(OcrUnavailable, match="未知"):
        get_engine("tesseract")
    monkeypatch.delenv("DOCINTAKE_PADDLE_DET_DIR", raising=False)
    with pytest.raises(OcrUnavailable, match="DOCINTAKE_PADDLE_DET_DIR"):
        get_engine("paddleocr", 7)
