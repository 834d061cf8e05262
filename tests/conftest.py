"""Fixtures every test area shares.

Tests are grouped by area (intake/, reading/, fields/, checks/, report/, service/, generator/,
architecture/); builders of test documents and other helpers are in tests/support/.
"""

import os
from pathlib import Path

import pytest

from docintake.extractors.ocr import OcrEngine, get_engine


@pytest.fixture(scope="session")
def generated_registry(tmp_path_factory) -> Path:
    """The generator's filings (its fictional models in the CAC registry's columns), written once."""
    from docintake.samples.generator import write_registry

    return write_registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(autouse=True)
def _no_docintake_settings(monkeypatch, tmp_path_factory, generated_registry):
    """Every test starts from the default settings, whatever DOCINTAKE_* the developer's shell has;
    a test that wants a setting sets it itself. DOCINTAKE_HOME is a fresh folder per test, so the
    submission history `check` keeps by default never joins two tests (nor the developer's own).
    The one exception: the generator's fictional models are in the filing registry
    (DOCINTAKE_REGISTRY_CSV), as `docintake bench` imports them, so generated bundles are filed."""
    for name in list(os.environ):
        if name.upper().startswith("DOCINTAKE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DOCINTAKE_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("DOCINTAKE_REGISTRY_CSV", str(generated_registry))


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    """The real OCR engine (PP-OCR models inside the rapidocr wheel), two threads."""
    return get_engine("rapidocr", 2)
