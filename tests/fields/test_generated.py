"""End to end on generated bundles (real generator, real OCR) against their ground truth."""

import pytest

from docintake.app.bench import score_bundle
from docintake.core.settings import Settings
from docintake.pipeline.run import process_bundle
from docintake.samples.generator import generate_bundle

CASES = [
    ("shenzhen-model-voucher-2025", 1001, "scan"),
    ("longgang-model-app-2025", 1002, "photo"),
    ("etown-model-voucher-2026h1", 1003, None),
]


@pytest.mark.ocr
@pytest.mark.parametrize(("programme", "seed", "render"), CASES)
def test_pages_are_classified_and_grouped_like_the_truth(tmp_path, programme, seed, render):
    truth = generate_bundle(tmp_path, programme, seed, render=render)
    bundle = process_bundle(tmp_path / programme / truth["bundle"], programme, Settings())
    score = score_bundle(bundle, truth)
    assert score["pages"] >= 8
    assert score["pages_ok"] / score["pages"] >= 0.95, score["confusions"]
    assert score["docs_matched"] / score["docs_denominator"] >= 0.9, score
    if render:
        assert set(score["by_render"]) == {render}
        assert all(p.text_source == "ocr" for p in bundle.pages)
