"""Fixtures every test area shares.

Tests are grouped by area (intake/, reading/, fields/, checks/, report/, service/, generator/,
architecture/); builders of test documents and other helpers are in tests/support/.
"""

import os

import pytest

from docintake.extractors.ocr import OcrEngine, get_engine


@pytest.fixture(autouse=True)
def _no_docintake_settings(monkeypatch):
    """Every test starts from the default settings, whatever DOCINTAKE_* the developer's shell has;
    a test that wants a setting sets it itself."""
    for name in list(os.environ):
        if name.upper().startswith("DOCINTAKE_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    """The real OCR engine (PP-OCR models inside the rapidocr wheel), two threads."""
    return get_engine("rapidocr", 2)
