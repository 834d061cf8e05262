"""Fixtures every test area shares.

Tests are grouped by area (intake/, reading/, fields/, checks/, report/, service/, generator/,
architecture/); builders of test documents and other helpers are in tests/support/.
"""

import os
from pathlib import Path

import pytest

from docintake.core.memory import keep_freed_memory
from docintake.extractors.ocr import OcrEngine, get_engine
from tests.support import OCR_THREADS, work_unit


def pytest_configure(config):
    """Each test process keeps freed memory for reuse, as `docintake` and its flows' processes do
    (docintake/core/memory.py): tests reading pages run as `check` runs."""
    keep_freed_memory()


def pytest_xdist_make_scheduler(config, log):
    """`-n 2 --dist loadgroup` (.ci/run): tests grouped by tests.support.work_unit, so a shared
    bundle or a costly module fixture is built on one worker. (xdist's own xdist_group marks no
    longer reach its scheduler under pytest 9, which keeps node ids elsewhere.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedWork(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedWork(config, log)


def pytest_collection_modifyitems(config, items):
    """Longest work first, so the two workers end together rather than one waiting on a late
    Prefect run: shared bundles and costly modules, then `slow` tests, then OCR tests (a stable
    sort: every worker collects the same order, as xdist requires)."""
    def rank(item) -> int:
        if work_unit(item.nodeid) != item.nodeid:
            return 0
        return 1 if item.get_closest_marker("slow") else 2 if item.get_closest_marker("ocr") else 3

    items.sort(key=rank)


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
    monkeypatch.setenv("DOCINTAKE_OCR_THREADS", str(OCR_THREADS))


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    """The real OCR engine (PP-OCR models inside the rapidocr wheel), this worker's share of the cores."""
    return get_engine("rapidocr", OCR_THREADS)


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    """processed(programme, seed, render=None, **options) -> (truth, Bundle): a generated bundle
    (samples.generator.generate_bundle's options) read by the real pipeline once per session and
    worker, in the first asking test's settings. A test sharing one is parametrized with it
    (tests.support.SHARED), so `pytest -n 2 --dist loadgroup` (.ci/run) reads it on one worker."""
    from docintake.core.settings import Settings
    from docintake.pipeline.run import process_bundle
    from docintake.samples.generator import generate_bundle

    done: dict[tuple, tuple[dict, object]] = {}

    def get(programme: str, seed: int, render: str | None = None, **options):
        key = (programme, seed, render, tuple(sorted((k, repr(v)) for k, v in options.items())))
        if key not in done:
            root = tmp_path_factory.mktemp(f"processed-{seed}-{render}")
            truth = generate_bundle(root, programme, seed, render=render, **options)
            done[key] = truth, process_bundle(root / programme / truth["bundle"], programme, Settings())
        truth, bundle = done[key]
        return truth, bundle.model_copy(deep=True)  # a test may edit what it was given

    return get
