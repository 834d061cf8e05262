"""The watched-folder service in plain Python: which bundles of INBOX/<programme>/ are ready and not yet
processed, and finishing one (duplicates, report written atomically, history recorded).

"Processed" is a history row (programme, bundle name, fingerprint) written *after* the report, so a
kill at any point followed by a rerun neither loses a bundle nor leaves two reports: at worst the
bundle is checked again and its report replaced. Originals are only read.
Flows (flows/batch.py) and the CLI call these functions; fan-out is Prefect's.
"""

import hashlib
import logging
import time
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from docintake.core.datamodel import Report
from docintake.core.files import report_json, write_atomic
from docintake.core.logmask import redact, safe_label
from docintake.core.settings import Settings
from docintake.extractors.ingest import BundleError
from docintake.pipeline.history import History, HistoryError, StoreProblem, check_against
from docintake.pipeline.run import check_bundle
from docintake.report.html import render_report
from docintake.report.index import write_index
from docintake.validators.checklist import available_programmes

log = logging.getLogger(__name__)

# Names of files still being written by a copier, browser or sync tool.
IN_PROGRESS = (".part", ".partial", ".tmp", ".crdownload", ".download", ".filepart", "~", ".swp")
TRUTH_SUFFIX = ".truth.json"  # ground truth written next to generated samples, not a bundle


class Candidate(BaseModel):
    """A bundle of the inbox. Serialised (a Prefect run's parameters, which Prefect stores) it is
    the programme folder and the masked name only, never the real path: folder names carry ID
    numbers. A deserialised candidate finds its path again by the masked name (None: gone)."""

    programme: str
    path: Path | None = Field(None, exclude=True)
    folder: Path | None = None  # INBOX/<programme>
    label: str = ""  # the masked name
    fingerprint: str = ""  # names, sizes and mtimes of the bundle's files when it was seen

    @model_validator(mode="after")
    def _locate(self) -> "Candidate":
        if self.path is not None:
            self.folder, self.label = self.path.parent, safe_label(self.path.name)
        elif self.folder is not None and Path(self.folder).is_dir():
            self.path = next((p for p in sorted(Path(self.folder).iterdir())
                              if safe_label(p.name) == self.label), None)
        return self

    @property
    def name(self) -> str:
        """The name stored and shown everywhere (outbox, history, logs, runs): masked."""
        return self.label


class Failure(StrEnum):
    """Why a bundle is not done: what code decides by (retries, a second try), where `reason`
    is what the operator reads."""

    not_ready = "not_ready"  # still being written, unsettled, empty, unknown programme (waiting)
    moved = "moved"  # removed or renamed while we looked or checked (waiting)
    changed = "changed"  # changed while it was checked (waiting)
    bundle_unusable = "bundle_unusable"  # not a bundle we can open (BundleError)
    store_locked = "store_locked"  # the history store is locked: clears up, worth a retry
    store_error = "store_error"  # the history store is corrupt or unreachable
    unwritable = "unwritable"  # the report could not be written
    check_error = "check_error"  # the check itself failed (an exception in a flow run)
    crashed = "crashed"  # the process checking it died (OOM killer, kill -9)
    remote_failed = "remote_failed"  # its run on a worker (deployment) did not complete


class Outcome(BaseModel):
    programme: str
    bundle: str
    status: Literal["done", "waiting", "failed"]
    reason: str = ""  # Chinese, for the operator
    failure: Failure | None = None  # set whenever status is not "done"
    verdict: str | None = None
    report: Path | None = None
    pages: int = 0
    seconds: float = 0.0

    @field_validator("reason")
    @classmethod
    def _masked(cls, reason: str) -> str:  # reasons quote paths and library messages
        return redact(reason)


def out_dir(outbox: Path, programme: str, bundle: str) -> Path:
    return Path(outbox) / programme / bundle


def _in_progress(name: str) -> bool:
    return name.startswith((".~", "~$")) or name.lower().endswith(IN_PROGRESS)


def scan_inbox(inbox: Path) -> list[Candidate]:
    """Every folder or .zip directly under INBOX/<programme-id>/, in name order."""
    found = []
    programme_dirs = [p for p in Path(inbox).iterdir() if p.is_dir() and not p.name.startswith(".")]
    for programme_dir in sorted(programme_dirs):
        for entry in sorted(programme_dir.iterdir()):
            if entry.name.startswith(".") or entry.name.endswith(TRUTH_SUFFIX):
                continue
            if entry.is_dir() or entry.suffix.lower() == ".zip" or _in_progress(entry.name):
                found.append(Candidate(programme=programme_dir.name, path=entry))
    return found


def snapshot(path: Path) -> list[tuple[str, int, int]]:
    """(relative name, size, mtime_ns) of every file of a bundle: cheap, and changes while it is written."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = []
    for f in files:
        st = f.stat()
        out.append((f.relative_to(path).as_posix() if f != path else f.name, st.st_size, st.st_mtime_ns))
    return out


def fingerprint(snap: list[tuple[str, int, int]]) -> str:
    return hashlib.sha256(repr(snap).encode()).hexdigest()


def not_ready(candidate: Candidate, snap: list, settle: float, now: float | None = None) -> str | None:
    """Why a bundle must wait for a later run (Chinese), or None when it can be taken."""
    now = time.time() if now is None else now
    if candidate.programme not in available_programmes():
        return f"未知的项目编号 {candidate.programme}（文件夹名须为项目编号）"
    if _in_progress(candidate.name):
        return "材料包仍在写入（临时文件名）"
    if not snap:
        return "材料包为空"
    if any(_in_progress(Path(name).name) for name, _, _ in snap):
        return "材料包内仍有正在写入的临时文件"
    newest = max(mtime for _, _, mtime in snap) / 1e9
    if now - newest < settle:
        return f"材料包在 {settle:g} 秒内仍有改动，等待其稳定"
    if candidate.path.is_file():
        try:
            with zipfile.ZipFile(candidate.path) as zf:
                if zf.testzip() is not None:
                    return "压缩包尚不完整（校验失败）"
        except (zipfile.BadZipFile, OSError, EOFError):
            return "压缩包尚不完整或无法打开"
    return None


def pending(inbox: Path, outbox: Path, history: History, settle: float
            ) -> tuple[list[Candidate], list[Outcome]]:
    """Bundles to process now (with their fingerprint), and those left for a later run with why."""
    done = history.processed_fingerprints()
    todo, waiting = [], []
    for cand in scan_inbox(inbox):
        try:
            snap = snapshot(cand.path)
        except OSError as exc:  # removed or renamed while we looked
            waiting.append(Outcome(programme=cand.programme, bundle=cand.name, status="waiting",
                                   reason=f"无法读取：{exc}", failure=Failure.moved))
            continue
        cand.fingerprint = fingerprint(snap)
        report = out_dir(outbox, cand.programme, cand.name) / "report.json"
        if done.get((cand.programme, cand.name)) == cand.fingerprint and report.exists():
            continue
        if (why := not_ready(cand, snap, settle)) is not None:
            waiting.append(Outcome(programme=cand.programme, bundle=cand.name, status="waiting", reason=why,
                                   failure=Failure.not_ready))
            continue
        todo.append(cand)
    return todo, waiting


def finish(candidate: Candidate, report: Report, outbox: Path, history_url: str,
           html: bool = True) -> tuple[Outcome, Report]:
    """After the check: the bundle must not have changed meanwhile; add duplicates, write, record.
    Returns the outcome and the report as written (with its duplicate findings)."""
    base = Outcome(programme=candidate.programme, bundle=candidate.name, status="failed",
                   pages=sum(f.pages for f in report.files))
    try:
        if fingerprint(snapshot(candidate.path)) != candidate.fingerprint:
            return base.model_copy(update={"status": "waiting", "failure": Failure.changed,
                                           "reason": "核查期间材料包有改动，下次重新核查"}), report
    except OSError as exc:
        return base.model_copy(update={"status": "waiting", "failure": Failure.moved,
                                       "reason": f"核查期间材料包被移走：{exc}"}), report
    try:
        history = History(history_url)
        try:

            target = out_dir(outbox, candidate.programme, candidate.name)
            # The HTML (page images: the slow part) is rendered before taking the store's lock ...
            report = check_against(history, report)
            page = render_report(report, candidate.path) if html else None
            with history.locked():
                # ... and again only if a bundle sharing an invoice or contract finished meanwhile.
                final = check_against(history, report)
                if html and final.findings != report.findings:
                    page = render_report(final, candidate.path)
                report = final
                _clear_partials(target)
                write_atomic(target / "report.json", report_json(report))
                if page is not None:
                    write_atomic(target / "report.html", page)
                history.record(report, target / "report.json",
                               (candidate.programme, candidate.name, candidate.fingerprint))
        finally:
            history.close()
    except HistoryError as exc:  # the bundle stays unprocessed: the next run takes it again
        failure = Failure.store_locked if exc.kind is StoreProblem.locked else Failure.store_error
        return base.model_copy(update={"reason": str(exc), "failure": failure}), report
    except OSError as exc:
        return base.model_copy(update={"reason": f"无法写入报告：{exc}",
                                       "failure": Failure.unwritable}), report
    return base.model_copy(update={"status": "done", "verdict": report.verdict.value,
                                   "report": target / "report.json"}), report


def _clear_partials(target: Path) -> None:
    """Temp files of a write killed half-way; the finished report is always renamed into place."""
    if target.is_dir():
        for leftover in target.glob(".report.*.part"):
            leftover.unlink(missing_ok=True)


def unusable(candidate: Candidate, exc: Exception) -> Outcome:
    """A bundle that cannot be opened (BundleError): failed, with the reason."""
    return Outcome(programme=candidate.programme, bundle=candidate.name, status="failed", reason=str(exc),
                   failure=Failure.bundle_unusable)


def process(candidate: Candidate, outbox: Path, history_url: str, settings: Settings) -> Outcome:
    """Check one ready bundle end to end, in this process (the plain path, no Prefect)."""
    start = time.perf_counter()
    try:
        report = check_bundle(candidate.path, candidate.programme, settings, history=history_url)
    except BundleError as exc:
        return unusable(candidate, exc)
    outcome, _ = finish(candidate, report, outbox, history_url)
    outcome.seconds = time.perf_counter() - start
    return outcome


def run_batch(inbox: Path, outbox: Path, history_url: str, settings: Settings,
              settle: float = 10.0) -> list[Outcome]:
    """Every ready, unprocessed bundle, one after the other, without Prefect."""
    history = History(history_url)
    try:
        todo, waiting = pending(inbox, outbox, history, settle)
    finally:
        history.close()
    outcomes = [process(c, outbox, history_url, settings) for c in todo]
    refresh_index(outbox, outcomes)
    return waiting + outcomes


def refresh_index(outbox: Path, outcomes: list) -> None:
    """OUTBOX/index.html lists every report; rewritten (atomically) after a batch that wrote any.
    Reports are the record: an index that fails to write is logged, never fatal."""
    if not any(o.status == "done" for o in outcomes):
        return

    try:
        write_index(outbox)
    except OSError as exc:
        log.warning("index not written: %s", exc)
