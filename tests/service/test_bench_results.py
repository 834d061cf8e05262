"""`docintake bench` writes what it printed to OUT/results.md, ready for docs/bench-results.md."""

import io
from datetime import UTC, datetime

from rich.console import Console

from docintake.app import bench, bench_results
from docintake.app.bench_findings import print_summary


def _results() -> dict:
    overall = {"precision": 1.0, "recall": 0.5, "tp": 1, "fp": 0, "fn": 1, "verdict_accuracy": 1.0,
               "subsidy_exact": [1.0, 1], "bundles": 1}
    return {
        "bundles": 1, "seed": 7, "page_accuracy": 1.0, "pages": 3, "page_accuracy_by_render": {"born": 1.0},
        "grouping_accuracy": 1.0, "documents": 2, "seconds_per_born_digital_page": 0.019,
        "seconds_per_scanned_page": 1.5, "pipeline_seconds_same_pages": 1.4, "bare_ocr_seconds_same_pages": 1.2,
        "scan_overhead_ratio": 1.17, "peak_rss_mb": 2000, "wall_seconds": 30,
        "seal_recall": [1.0, 2], "seal_recall_by_render": {"scan": [1.0, 2]}, "paging_seal_recall": [None, 0],
        "paging_seal_contracts": [None, 0], "contract_seal_owner_accuracy": [1.0, 1],
        "contract_seal_arc_read_exact": [0.0, 1], "contract_seal_owner_by_render": {"scan": [1.0, 1]},
        "field_accuracy": [0.9, 10], "field_accuracy_by_doc_type": {"invoice": [0.9, 10]},
        "field_accuracy_by_render": {}, "field_accuracy_scanned_by_doc_type": {},
        "field_misses": [["invoice.issue_date", 1]], "top_confusions": [["invoice", "other", 1]],
        "findings": {"overall": overall, "by_programme": {}, "by_code": {"SEAL_MISSING": {"matched": 1}},
                     "field_unreadable_per_bundle": 0.0},
    }


def test_results_md_holds_what_the_bench_printed(tmp_path):
    shown = Console(record=True, width=100, file=io.StringIO())
    results = _results()
    bench._print(results, 1, 2, 2, shown)
    print_summary(results["findings"], shown)
    printed = shown.export_text()
    path = bench_results.write_results(tmp_path, printed, seed=7, count=1)
    text = path.read_text(encoding="utf-8")
    assert path == tmp_path / "results.md"
    assert printed.rstrip() in text
    for figure in ("per-page doc-type accuracy", "1.170×", "field miss: invoice.issue_date ×1",
                   "findings, verdict and subsidy", "SEAL_MISSING"):
        assert figure in text
    heading = text.splitlines()[0]
    assert heading.startswith("### ") and "seed 7, 1 bundles, commit " in heading


def test_the_heading_names_date_seed_count_and_commit():
    when = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    text = bench_results.results_markdown("table\n", seed=20261121, count=40, when=when, revision="abc1234")
    assert text.startswith("### 2026-11-21 09:30 +0000 — seed 20261121, 40 bundles, commit abc1234\n")
    assert "`docintake bench --count 40 --seed 20261121`" in text
    assert text.endswith("```text\ntable\n```\n")
    assert "commit unknown" in bench_results.results_markdown("x", seed=1, count=1, revision=None)
