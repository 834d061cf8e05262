"""What the reviewers' workspace shows, as pure functions over reports: the queue's rows, the report
as served (personal data masked), the resubmission diff and the 补正 (return for correction) notice.

Reports are read from the OUTBOX at every request, so a report the batch has just written is in the
queue at once; the review state comes from the store and is passed in.
"""

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from docintake.core.datamodel import Report
from docintake.core.logmask import redact
from docintake.core.privacy import mask_report
from docintake.core.vocabulary import CODE_ZH, DOC_TYPE_ZH, field_zh
from docintake.report.html import SEVERITY_ORDER, local_time, templates
from docintake.validators.checklist import ChecklistError, load_checklist

_NAME = re.compile(r"^[^/\\\x00]+$")


def report_path(outbox: Path, programme: str, bundle: str) -> Path | None:
    """OUTBOX/<programme>/<bundle>/report.json for plain names only (never a path outside OUTBOX)."""
    if not all(_NAME.match(p) and p not in (".", "..") for p in (programme, bundle)):
        return None
    return Path(outbox) / programme / bundle / "report.json"


def load_report(outbox: Path, programme: str, bundle: str) -> Report | None:
    path = report_path(outbox, programme, bundle)
    try:
        return Report.model_validate_json(path.read_bytes()) if path else None
    except (OSError, ValueError, ValidationError):
        return None


class ReportShelf:
    """The OUTBOX's reports, each parsed again only when its file changed (size or mtime): the queue is
    read at every request, and a service centre's OUTBOX holds thousands of reports."""

    def __init__(self, outbox: Path):
        self.outbox = Path(outbox)
        self._parsed: dict[Path, tuple[tuple[int, int], Report | None]] = {}

    def reports(self) -> list[Report]:
        found, seen = [], set()
        for path in sorted(self.outbox.glob("*/*/report.json")):
            try:
                st = path.stat()
            except OSError:
                continue
            seen.add(path)
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._parsed.get(path)
            if cached is None or cached[0] != stamp:
                report = load_report(self.outbox, path.parent.parent.name, path.parent.name)
                if report is not None:  # named by where it lies, as batch lays them out
                    report = report.model_copy(update={"programme": path.parent.parent.name,
                                                       "bundle": path.parent.name})
                cached = self._parsed[path] = (stamp, report)
            if cached[1] is not None:
                found.append(cached[1])
        for gone in set(self._parsed) - seen:
            del self._parsed[gone]
        return found


def served(report: Report) -> Report:
    """The report as the service shows it: ID numbers masked everywhere, bank account numbers in the
    fields of bank documents and account fields (invoice numbers are long digit runs too: left whole)."""
    masked = mask_report(report)
    documents = []
    for doc in masked.documents:
        bank = doc.doc_type == "bank_account_info"
        fields = {name: f.model_copy(update={"value": redact(f.value)})
                  if isinstance(f.value, str) and (bank or "account" in name) else f
                  for name, f in doc.fields.items()}
        documents.append(doc.model_copy(update={"fields": fields}))
    return masked.model_copy(update={"documents": documents})


def _account_values(report: Report) -> list[str]:
    return [f.value for d in report.documents for name, f in d.fields.items()
            if isinstance(f.value, str) and (d.doc_type == "bank_account_info" or "account" in name)]


def served_html(html: str, report: Report) -> str:
    """The batch's report.html as the service shows it: its ID numbers are masked already (html.py);
    the bank account numbers the report read are masked here, wherever the page quotes them."""
    for value in sorted(set(_account_values(report)), key=len, reverse=True):
        masked = redact(value)
        if masked != value:
            html = html.replace(value, masked)
    return html


def days_waiting(since: str | None, now: datetime) -> int:
    try:
        moment = datetime.fromisoformat(since or "")
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, (now - moment).days)


def queue_rows(reports: list[Report], states: dict[tuple[str, str], dict], now: datetime) -> list[dict]:
    """One row per submission, oldest first (the longest waiting at the top)."""
    rows = []
    for report in reports:
        state = states.get((report.programme, report.bundle), {})
        severities = [f.severity for f in report.findings]
        rows.append({"programme": report.programme, "bundle": report.bundle,
                     "applicant": report.applicant.name, "verdict": report.verdict.value,
                     "errors": severities.count("error"), "warnings": severities.count("warning"),
                     "status": state.get("status") or "pending", "assignee": state.get("assignee"),
                     "received": report.generated_at, "days_waiting": days_waiting(report.generated_at, now),
                     "previous": state.get("previous")})
    rows.sort(key=lambda r: (r["received"] or "", r["programme"], r["bundle"]))
    return rows


def earlier_returned(report: Report, reports: list[Report],
                     states: dict[tuple[str, str], dict]) -> str | None:
    """The returned submission this report corrects: same programme and applicant (credit code, else
    name), another bundle, checked before it; the latest such."""
    def same(other: Report) -> bool:
        a, b = report.applicant, other.applicant
        return bool(a.uscc and a.uscc == b.uscc) or bool(not a.uscc and a.name and a.name == b.name)

    candidates = [r for r in reports if r.programme == report.programme and r.bundle != report.bundle
                  and states.get((r.programme, r.bundle), {}).get("status") == "returned" and same(r)
                  and (r.generated_at or "") <= (report.generated_at or "")]
    candidates.sort(key=lambda r: r.generated_at or "")
    return candidates[-1].bundle if candidates else None


class Diff(BaseModel):
    """A resubmission against the returned submission it corrects."""

    previous: str
    resolved: list[str]
    still_open: list[str]
    new: list[str]
    documents_added: list[str]
    documents_replaced: list[str]


def _finding_key(f) -> tuple:
    return f.code, f.doc_type, f.field


def _finding_zh(f) -> str:
    named = field_zh(f.field) if f.field != f.doc_type else ""  # MATERIAL_MISSING: field = doc_type
    what = "、".join(x for x in (DOC_TYPE_ZH.get(f.doc_type or "", ""), named) if x)
    return f"{CODE_ZH.get(f.code, f.code)}" + (f"（{what}）" if what else "") + f"：{f.message}"


def resubmission_diff(old: Report, new: Report) -> Diff:
    before = {_finding_key(f): f for f in old.findings}
    after = {_finding_key(f): f for f in new.findings}
    old_docs = {d.doc_type for d in old.documents}
    old_files = {f.sha256 for f in old.files}
    added = [DOC_TYPE_ZH.get(d.doc_type, d.doc_type) for d in new.documents if d.doc_type not in old_docs]
    replaced = [f.name for f in new.files if f.sha256 not in old_files]
    return Diff(previous=old.bundle,
                resolved=[_finding_zh(f) for k, f in before.items() if k not in after],
                still_open=[_finding_zh(f) for k, f in after.items() if k in before],
                new=[_finding_zh(f) for k, f in after.items() if k not in before],
                documents_added=sorted(set(added)), documents_replaced=replaced)


def unsettled_errors(report: Report, decisions: list[dict]) -> list[int]:
    """Error findings a reviewer has not dismissed: approving over them needs a reason."""
    dismissed = {d["index"] for d in decisions if d["decision"] == "dismissed"}
    return [i for i, f in enumerate(report.findings) if f.severity == "error" and i not in dismissed]


def evidence_anchors(report: Report) -> list[int]:
    """For each finding (report order), its number in report.html (errors first, as html.py sorts)."""
    findings = report.findings
    order = sorted(range(len(findings)), key=lambda i: SEVERITY_ORDER.get(findings[i].severity, 3))
    anchors = [0] * len(order)
    for position, index in enumerate(order, start=1):
        anchors[index] = position
    return anchors


def dismissal_stats(reports: list[Report], decisions: list[dict]) -> list[dict]:
    """Per finding code: how many were found, decided, dismissed (with the reasons), and the share of
    decided findings reviewers dismissed: the measured false-finding rate, worst first."""
    stats: dict[str, dict] = {}
    for report in reports:
        for f in report.findings:
            row = stats.setdefault(f.code, {"code": f.code, "name": CODE_ZH.get(f.code, f.code), "found": 0,
                                            "decided": 0, "dismissed": 0, "reasons": []})
            row["found"] += 1
    for d in decisions:
        row = stats.setdefault(d["code"], {"code": d["code"], "name": CODE_ZH.get(d["code"], d["code"]),
                                           "found": 0, "decided": 0, "dismissed": 0, "reasons": []})
        row["decided"] += 1
        if d["decision"] == "dismissed":
            row["dismissed"] += 1
            row["reasons"].append(d["reason"])
    for row in stats.values():
        row["false_rate"] = round(row["dismissed"] / row["decided"], 3) if row["decided"] else None
    return sorted(stats.values(), key=lambda r: (-(r["false_rate"] or 0), -r["found"], r["code"]))


def render_notice(report: Report, decisions: list[dict], note: str | None, reviewer: str) -> str:
    """The printable 补正 notice: each confirmed finding as a thing to correct."""
    try:
        title = load_checklist(report.programme).title
    except ChecklistError:
        title = report.programme
    confirmed = {d["index"] for d in decisions if d["decision"] == "confirmed"}
    items = [_finding_zh(f) for i, f in enumerate(report.findings) if i in confirmed]
    report = served(report)
    return templates().get_template("notice.html.j2").render(
        report=report, title=title, items=items, note=note or "", reviewer=reviewer,
        date=local_time(datetime.now(UTC).isoformat())[:10], nonce=secrets.token_urlsafe(16))
