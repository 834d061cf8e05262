"""End to end on generated bundles (real generator, real OCR) against their ground truth."""

from pathlib import Path

import pytest

from docintake.app.bench import score_bundle
from docintake.core.datamodel import Bundle, DocType, DocumentReport, PageRef, TextSource
from tests.support import MIXED_BUNDLE, PHOTO_BUNDLE, SCAN_BUNDLE

CASES = [SCAN_BUNDLE, PHOTO_BUNDLE, MIXED_BUNDLE]  # read once each, with the other tests of SHARED
# The mixed bundle without its two scanned audit reports, 4 of its 10 pages to OCR: the scanned
# bundle's audit report is read from a scan too, and the rest still mixes scans, photos and
# born-digital files.
OPTIONS = {MIXED_BUNDLE: {"only": {t.value for t in DocType} - {"audit_report"}}}


@pytest.mark.ocr
@pytest.mark.parametrize(("programme", "seed", "render"), CASES)
def test_pages_are_classified_and_grouped_like_the_truth(processed, programme, seed, render):
    truth, bundle = processed(programme, seed, render, **OPTIONS.get((programme, seed, render), {}))
    score = score_bundle(bundle, truth)
    assert score["pages"] >= 8
    assert score["pages_ok"] / score["pages"] >= 0.95, score["confusions"]
    assert score["docs_matched"] / score["docs_denominator"] >= 0.9, score
    if render:
        assert set(score["by_render"]) == {render}
        assert all(p.text_source == "ocr" for p in bundle.pages)
    else:
        assert set(score["by_render"]) == {"scan", "photo", "born_digital"}


def test_a_bundle_generated_in_part_is_scored_on_the_documents_it_holds():
    """generate_bundle(only=...) writes some files but lists every document in its truth: a
    document none of whose files were written is neither matched nor missed."""
    truth = {"files": [{"name": "a.pdf", "pages": [{"doc": "t1", "page": 1, "render": "scan"}]}],
             "documents": [{"id": "t1", "doc_type": "contract", "pages": [["a.pdf", 1]]},
                           {"id": "t2", "doc_type": "audit_report", "pages": [["b.pdf", 1], ["b.pdf", 2]]}]}
    doc = DocumentReport(id="d1", source="a.pdf", pages=[1], doc_type=DocType.contract, text_source=TextSource.ocr,
                         parts=[PageRef(source="a.pdf", page=1)])
    score = score_bundle(Bundle(name="b", path=Path("b"), programme="x", documents=[doc]), truth)
    assert (score["docs_matched"], score["docs_denominator"], score["missed_documents"]) == (1, 1, [])
    assert (score["pages_ok"], score["pages"]) == (1, 1)
