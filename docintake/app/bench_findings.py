"""Findings, verdict and subsidy of reports scored against the generator's truth.

Findings match on (code, doc_type) as issue 4 defines; FIELD_UNREADABLE is scored apart (the truth
cannot know which readings were unsure). The subsidy is scored on bundles whose amount is well
defined: no defect that moves the basis, a date out of the window, or a missing material.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from docintake.core.datamodel import Report
from docintake.validators.checklist import load_checklist
from docintake.validators.run import validate_documents

# Defects after which the truth's amount is not what the policy would pay (the generator keeps
# the clean figure; the policy excludes or cannot compute part of it).
AMOUNT_UNDEFINED = {"invoice_date_out_of_window", "usage_out_of_window", "invoices_exceed_contract",
                    "payment_mismatch", "usage_mismatch", "missing_invoice", "missing_usage_statement",
                    "contract_date_out_of_window", "unreadable_file", "missing_statistics_report",
                    "invoice_upper_mismatch"}


def truth_verdict(truth: dict) -> str:
    codes = {f["code"] for f in truth["expected_findings"]}
    if codes - {"DOCUMENT_UNREADABLE", "FIELD_UNREADABLE"}:
        return "fail"
    return "needs_review" if codes else "pass"


def score_report(report: Report, truth: dict) -> dict:
    got = Counter((f.code.value, f.doc_type.value if f.doc_type else None) for f in report.findings
                  if f.code.value != "FIELD_UNREADABLE")
    expected = Counter((f["code"], f["doc_type"]) for f in truth["expected_findings"])
    matched = got & expected
    paid, want = report.subsidy.payable, truth["expected_subsidy"]["payable"]
    # The truth's amount is what the generator invoiced; without those documents in the bundle
    # (Shenzhen asks for no invoices) it cannot be derived from the bundle.
    basis = {"invoices": "invoice", "contract": "contract", "usage": "usage_statement"}[
        load_checklist(report.programme).subsidy.basis]
    defined = not set(truth["defects"]) & AMOUNT_UNDEFINED and any(
        d["doc_type"] == basis for d in truth["documents"])
    return {
        "programme": report.programme,
        "bundle": report.bundle,
        "matched": sorted(matched.elements()),
        "false_positives": sorted((got - expected).elements()),
        "missed": sorted((expected - got).elements()),
        "field_unreadable": sum(f.code.value == "FIELD_UNREADABLE" for f in report.findings),
        "verdict": report.verdict.value,
        "truth_verdict": truth_verdict(truth),
        "subsidy_defined": defined,
        "subsidy_ok": defined and paid is not None and abs(paid - want) <= 1.0,
        "payable": paid,
        "truth_payable": want,
    }


def revalidate(report: Report, registry=None) -> Report:
    """The same documents through today's validators: checks can be tuned without re-reading pages.
    `registry`: the CAC filing registry the bench run checked against (None: no registry check)."""
    result = validate_documents(report.documents, report.files, load_checklist(report.programme), registry)
    return report.model_copy(update={"findings": result.findings, "subsidy": result.subsidy,
                                     "verdict": result.verdict, "filing_checks": result.filing_checks})


def summarise(scores: list[dict]) -> dict:
    def pr(rows: list[dict]) -> dict:
        tp = sum(len(r["matched"]) for r in rows)
        fp = sum(len(r["false_positives"]) for r in rows)
        fn = sum(len(r["missed"]) for r in rows)
        verdicts = [r["verdict"] == r["truth_verdict"] for r in rows]
        return {"precision": tp / (tp + fp) if tp + fp else None,
                "recall": tp / (tp + fn) if tp + fn else None, "tp": tp, "fp": fp, "fn": fn,
                "verdict_accuracy": sum(verdicts) / len(verdicts) if verdicts else None,
                "subsidy_exact": _share([r["subsidy_ok"] for r in rows if r["subsidy_defined"]]),
                "bundles": len(rows)}

    by_programme = defaultdict(list)
    for row in scores:
        by_programme[row["programme"]].append(row)
    per_code: dict[str, Counter] = defaultdict(Counter)
    for row in scores:
        for kind in ("matched", "false_positives", "missed"):
            for code, _doc_type in row[kind]:
                per_code[code][kind] += 1
    return {"overall": pr(scores), "by_programme": {k: pr(v) for k, v in sorted(by_programme.items())},
            "by_code": {k: dict(v) for k, v in sorted(per_code.items())},
            "field_unreadable_per_bundle": sum(r["field_unreadable"] for r in scores) / max(len(scores), 1)}


def _share(flags: list[bool]) -> list:
    return [sum(flags) / len(flags), len(flags)] if flags else [None, 0]


def print_summary(summary: dict, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="findings, verdict and subsidy")
    for col in ("", "precision", "recall", "tp/fp/fn", "verdict", "subsidy exact", "bundles"):
        table.add_column(col, justify="right" if col else "left")
    rows = [("overall", summary["overall"]), *summary["by_programme"].items()]
    for name, s in rows:
        sub, n = s["subsidy_exact"]
        table.add_row(name, _f(s["precision"]), _f(s["recall"]), f"{s['tp']}/{s['fp']}/{s['fn']}",
                      _f(s["verdict_accuracy"]), f"{_f(sub)} (n={n})", str(s["bundles"]))
    console.print(table)
    codes = Table(title="per finding code (matched on code and doc_type)")
    for col in ("code", "matched", "false positives", "missed"):
        codes.add_column(col, justify="right" if col != "code" else "left")
    for code, c in summary["by_code"].items():
        codes.add_row(code, *(str(c.get(k, 0)) for k in ("matched", "false_positives", "missed")))
    console.print(codes)
    console.print(f"FIELD_UNREADABLE warnings per bundle: {summary['field_unreadable_per_bundle']:.2f}")


def _f(x) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def rescore(out: Path, verbose: bool = False) -> dict:
    """Re-validate and score every report saved by a bench run under OUT/reports."""
    from docintake.pipeline.registry_store import load_registry

    scores = []
    registry = load_registry(str(out / "history.sqlite"))  # the corpus's filings, as `bench` imported them
    for path in sorted((out / "reports").glob("*/*.json")):
        report = revalidate(Report.model_validate_json(path.read_text(encoding="utf-8")), registry)
        truth_file = out / "bundles" / path.parent.name / f"{path.stem}.truth.json"
        truth = json.loads(truth_file.read_text("utf-8"))
        score = score_report(report, truth)
        scores.append(score)
        wrong = score["false_positives"] or score["missed"] or score["verdict"] != score["truth_verdict"]
        if verbose and wrong:
            Console(stderr=True).print(f"{path.parent.name}/{path.stem}: +{score['false_positives']} "
                                       f"-{score['missed']} {score['verdict']}≠{score['truth_verdict']}?")
    summary = summarise(scores)
    print_summary(summary)
    return summary
