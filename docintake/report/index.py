"""OUTBOX/index.html: every submission on one page, sortable and filterable in the browser.

Rows are rendered on the server (the page reads fine without JavaScript and in print); a small
inline script sorts and filters them. Reports that cannot be parsed are listed, not skipped.
"""

import secrets
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pydantic import ValidationError

from docintake.core.datamodel import Report
from docintake.core.files import write_atomic
from docintake.core.privacy import mask_report
from docintake.core.vocabulary import VERDICT_ZH
from docintake.report.html import local_time, money, templates
from docintake.validators.checklist import ChecklistError, available_programmes, load_checklist

VERDICT_RANK = {"fail": 0, "needs_review": 1, "pass": 2}


def _href(outbox: Path, path: Path) -> str:
    return "/".join(quote(part) for part in path.relative_to(outbox).parts)


def programme_titles() -> dict[str, str]:
    """Each programme as its checklist names it (a person reads the title, not the id)."""
    titles = {}
    for programme in available_programmes():
        try:
            titles[programme] = load_checklist(programme).title
        except ChecklistError:
            titles[programme] = programme
    return titles


def _row(outbox: Path, path: Path, titles: dict[str, str]) -> dict:
    programme, bundle = path.parent.parent.name, path.parent.name
    html = path.with_name("report.html")
    base = {"programme": programme, "programme_title": titles.get(programme, programme),
            "bundle": bundle, "link": _href(outbox, html if html.exists() else path),
            "json": _href(outbox, path)}
    try:
        report = mask_report(Report.model_validate_json(path.read_bytes()))
    except (OSError, ValueError, ValidationError) as exc:
        reason = f"{type(exc).__name__}" if not isinstance(exc, OSError) else str(exc)
        return {**base, "broken": f"报告无法读取（{reason}）", "verdict": "", "verdict_zh": "报告损坏",
                "rank": -1, "errors": 0, "warnings": 0, "applicant": "", "uscc": "", "payable": None,
                "payable_text": "—", "processed": "", "processed_text": "—"}
    severities = [f.severity for f in report.findings]
    verdict = report.verdict.value
    return {**base, "broken": "", "verdict": verdict, "verdict_zh": VERDICT_ZH.get(verdict, verdict),
            "rank": VERDICT_RANK.get(verdict, 3), "errors": severities.count("error"),
            "warnings": severities.count("warning"), "applicant": report.applicant.name or "",
            "uscc": report.applicant.uscc or "", "payable": report.subsidy.payable,
            "payable_text": money(report.subsidy.payable), "processed": report.generated_at or "",
            "processed_text": local_time(report.generated_at)}


def render_index(outbox: Path) -> str:
    outbox = Path(outbox)
    titles = programme_titles()
    rows = [_row(outbox, p, titles) for p in sorted(outbox.glob("*/*/report.json"))]
    rows.sort(key=lambda r: r["processed"], reverse=True)  # newest first
    programmes = sorted({(r["programme"], r["programme_title"]) for r in rows})
    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in VERDICT_RANK}
    return templates().get_template("index.html.j2").render(
        rows=rows, programmes=programmes, counts=counts, VERDICT_ZH=VERDICT_ZH, outbox=outbox.name,
        nonce=secrets.token_urlsafe(16), generated=local_time(datetime.now(UTC).isoformat()))


def write_index(outbox: Path) -> Path:
    """Write OUTBOX/index.html atomically and return its path."""
    target = Path(outbox) / "index.html"
    write_atomic(target, render_index(Path(outbox)))
    return target
