"""End to end on generated bundles (real generator, real OCR) against their ground truth."""

import pytest

from docintake.app.bench import score_bundle
from tests.support import MIXED_BUNDLE, PHOTO_BUNDLE, SCAN_BUNDLE

CASES = [SCAN_BUNDLE, PHOTO_BUNDLE, MIXED_BUNDLE]  # read once each, with the other tests of SHARED


@pytest.mark.ocr
@pytest.mark.parametrize(("programme", "seed", "render"), CASES)
def test_pages_are_classified_and_grouped_like_the_truth(processed, programme, seed, render):
    truth, bundle = processed(programme, seed, render)
    score = score_bundle(bundle, truth)
    assert score["pages"] >= 8
    assert score["pages_ok"] / score["pages"] >= 0.95, score["confusions"]
    assert score["docs_matched"] / score["docs_denominator"] >= 0.9, score
    if render:
        assert set(score["by_render"]) == {render}
        assert all(p.text_source == "ocr" for p in bundle.pages)
