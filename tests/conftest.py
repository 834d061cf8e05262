"""Fixtures every test area shares.

Tests are grouped by area (intake/, reading/, fields/, checks/, report/, service/, generator/,
architecture/); builders of test documents and other helpers are in tests/support/.
"""

import os

import pytest

from docintake.extractors.ocr import OcrEngine, get_engine


@pytest.fixture(autouse=True)
def _no_docintake_settings(monkeypatch, tmp_path_factory):
    """Every test starts from the default settings, whatever DOCINTAKE_* the developer's shell has;
    a test that wants a setting sets it itself. DOCINTAKE_HOME is a fresh folder per test, so the
    submission history `check` keeps by default never joins two tests (nor the developer's own)."""
    for name in list(os.environ):
        if name.upper().startswith("DOCINTAKE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOCINTAKE_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    """The real OCR engine (PP-OCR models inside the rapidocr wheel), two threads."""
    return get_engine("rapidocr", 2)
