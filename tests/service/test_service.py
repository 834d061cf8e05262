"""Batch, history and duplicates without Prefect: real PDFs, real SQLite, the real CLI entry point."""

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from docintake.app.cli import main
from docintake.app.watch import watch
from docintake.core.datamodel import DocType, DocumentReport, ExtractedField, Report, TextSource, Verdict
from docintake.core.settings import Settings
from docintake.pipeline.history import MIGRATIONS, History, HistoryError
from docintake.pipeline.inbox import not_ready, scan_inbox, snapshot
from docintake.validators.duplicates import SubmissionRecord, claim_keys, duplicate_findings
from tests.support import ETOWN, tree_hashes
from tests.support.servicekit import NANSHAN, age, make_bundle, make_inbox


def _batch(inbox: Path, out: Path, history: Path, *extra: str) -> int:
    return main(["batch", str(inbox), "--out", str(out), "--history", str(history), "--plain", *extra])


def _reports(out: Path) -> list[Path]:
    return sorted(out.rglob("report.json"))


def test_batch_processes_each_bundle_once_and_never_touches_originals(tmp_path):
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "h.sqlite"
    bundles = make_inbox(inbox, 4)
    (inbox / ETOWN / "b00.truth.json").write_text("{}", encoding="utf-8")  # generator truth: not a bundle
    for b in bundles:
        age(b)
    before = tree_hashes(inbox)
    assert _batch(inbox, out, db) == 0
    reports = _reports(out)
    assert [r.parent.name for r in reports] == ["b00", "b01", "b02.zip", "b03"]
    stamp = {r: r.stat().st_mtime_ns for r in reports}
    assert all((r.parent / "report.html").exists() for r in reports)
    report = json.loads(reports[2].read_text(encoding="utf-8"))
    assert report["bundle"] == "b02.zip" and report["programme"] == ETOWN
    index = (out / "index.html").read_text(encoding="utf-8")  # the OUTBOX index follows each batch
    assert all(f"{ETOWN}/{r.parent.name}/report.html" in index for r in reports)
    # a second batch does nothing: the same reports, untouched
    assert _batch(inbox, out, db) == 0
    assert {r: r.stat().st_mtime_ns for r in _reports(out)} == stamp
    assert tree_hashes(inbox) == before
    assert History(str(db)).submission_count() == 4


def test_half_written_bundles_wait_then_are_taken(tmp_path):
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "h.sqlite"
    done = make_bundle(inbox, ETOWN, "done", "25442000000000000001")
    partial = make_bundle(inbox, ETOWN, "copying", "25442000000000000002")
    (partial / "材料.pdf").rename(partial / "材料.pdf.part")  # a copier still writing
    fresh = make_bundle(inbox, ETOWN, "fresh", "25442000000000000003")  # just dropped: not settled
    broken = make_bundle(inbox, ETOWN, "upload", "25442000000000000004", as_zip=True)
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # a zip still arriving
    for b in (done, partial, broken):
        age(b)
    assert _batch(inbox, out, db, "--settle", "30") == 0
    assert [r.parent.name for r in _reports(out)] == ["done"]
    # the copies finish; time passes
    (partial / "材料.pdf.part").rename(partial / "材料.pdf")
    broken.write_bytes(data)
    for b in (partial, fresh, broken):
        age(b)
    assert _batch(inbox, out, db, "--settle", "30") == 0
    assert [r.parent.name for r in _reports(out)] == ["copying", "done", "fresh", "upload.zip"]


def test_not_ready_reasons_are_chinese(tmp_path):
    bundle = make_bundle(tmp_path, ETOWN, "x", "25442000000000000009")
    cand = scan_inbox(tmp_path)[0]
    assert "秒内仍有改动" in not_ready(cand, snapshot(bundle), settle=60)
    assert not_ready(cand, snapshot(bundle), settle=0) is None
    (tmp_path / "unknown-programme" / "y").mkdir(parents=True)
    other = next(c for c in scan_inbox(tmp_path) if c.programme == "unknown-programme")
    assert "未知的项目编号" in not_ready(other, [("a.pdf", 1, 0)], settle=0)


def test_duplicate_invoice_is_flagged_in_the_later_bundle_across_programmes(tmp_path):
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "h.sqlite"
    first = make_bundle(inbox, ETOWN, "first", "25442000000000000077", contract=True)
    age(first)
    assert _batch(inbox, out, db) == 0
    second = make_bundle(inbox, NANSHAN, "second", "25442000000000000077", contract=True)
    age(second)
    assert _batch(inbox, out, db) == 0
    earlier = json.loads((out / ETOWN / "first" / "report.json").read_text(encoding="utf-8"))
    later = json.loads((out / NANSHAN / "second" / "report.json").read_text(encoding="utf-8"))
    assert not [f for f in earlier["findings"] if f["code"] == "DUPLICATE_SUBMISSION"]
    dups = [f for f in later["findings"] if f["code"] == "DUPLICATE_SUBMISSION"]
    assert {f["doc_type"] for f in dups} == {"invoice", "contract"}
    invoice = next(f for f in dups if f["doc_type"] == "invoice")
    assert invoice["severity"] == "error" and "first" in invoice["message"] and ETOWN in invoice["message"]
    assert "多头申报" in invoice["message"] and later["verdict"] == "fail"


def test_check_with_history_replaces_its_own_record_and_never_flags_itself(tmp_path):
    bundle = make_bundle(tmp_path / "in", ETOWN, "b", "25442000000000000055")
    db, out = tmp_path / "h.sqlite", tmp_path / "r.json"
    args = ["check", str(bundle), "--programme", ETOWN, "--json", str(out), "--history", str(db), "-q"]
    for _ in range(2):
        assert main(args) == 0
        assert not [f for f in json.loads(out.read_text())["findings"] if f["code"] == "DUPLICATE_SUBMISSION"]
    assert History(str(db)).submission_count() == 1


def test_check_keeps_the_default_history_under_the_home_unless_told_not_to(tmp_path, monkeypatch):
    """contract.md: without --history, `check` uses $DOCINTAKE_HOME/history.sqlite, so a second
    bundle reusing an invoice is flagged; --no-history is a trial run that records nothing."""
    monkeypatch.setenv("DOCINTAKE_HOME", str(tmp_path / "home"))
    first = make_bundle(tmp_path / "in", ETOWN, "first", "25442000000000000088")
    second = make_bundle(tmp_path / "in", NANSHAN, "second", "25442000000000000088")
    out = tmp_path / "r.json"

    def codes(bundle, programme, *extra):
        assert main(["check", str(bundle), "--programme", programme, "--json", str(out), "-q", *extra]) == 0
        return [f["code"] for f in json.loads(out.read_text())["findings"]]

    assert "DUPLICATE_SUBMISSION" not in codes(second, NANSHAN, "--no-history")
    assert not (tmp_path / "home" / "history.sqlite").exists()
    assert "DUPLICATE_SUBMISSION" not in codes(first, ETOWN)
    assert History(str(tmp_path / "home" / "history.sqlite")).submission_count() == 1
    assert "DUPLICATE_SUBMISSION" in codes(second, NANSHAN)


def _report(sha: str, programme: str, number: str, uscc: str = "91440300MA5G8XYZ3K") -> Report:
    field = ExtractedField(value=number, page=1, confidence=0.99)
    doc = DocumentReport(id="d1", source="a.pdf", pages=[1], doc_type=DocType.invoice,
                         text_source=TextSource.text_layer, fields={"invoice_number": field})
    return Report(programme=programme, bundle=f"bundle-{sha}", bundle_sha256=sha, documents=[doc],
                  verdict=Verdict.pass_, applicant={"name": "深圳市星河智能科技有限公司", "uscc": uscc})


def test_duplicate_findings_pure_function():
    now = _report("a" * 64, ETOWN, "2544 2000 0000 1234 5678")
    assert claim_keys(now)[0].key == "25442000000012345678"  # OCR spaces do not hide a duplicate
    record = SubmissionRecord(bundle_sha256="b" * 64, bundle="old", programme=ETOWN,
                              applicant_uscc="91440300MA5G8XYZ3K", checked_at="2026-03-01T08:00:00+00:00",
                              keys=claim_keys(_report("b" * 64, ETOWN, "25442000000012345678")))
    same_sha = record.model_copy(update={"bundle_sha256": "a" * 64})
    assert duplicate_findings(now, [same_sha]) == []
    [resubmitted] = duplicate_findings(now, [record])  # same applicant, same programme
    assert resubmitted.severity == "warning" and "2026-03-01" in resubmitted.message
    other_programme = record.model_copy(update={"programme": NANSHAN})
    [multi] = duplicate_findings(now, [other_programme])
    assert multi.severity == "error" and "多头申报" in multi.message
    assert duplicate_findings(_report("c" * 64, ETOWN, "99999999999999999999"), [record]) == []


def test_history_store_migrates_uses_wal_and_explains_corruption_and_locks(tmp_path):
    db = tmp_path / "h.sqlite"
    store = History(str(db))
    assert store.version() == len(MIGRATIONS) == 4  # 2: the imported CAC filing lists, 3: serve, 4: purges
    store.record(_report("a" * 64, ETOWN, "1"))
    store.close()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # locked: another process holds the write lock longer than the busy timeout
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    locked = History(str(db), busy_timeout=0.2)
    with pytest.raises(HistoryError, match="锁定"):
        locked.record(_report("b" * 64, ETOWN, "2"))
    holder.rollback()
    locked.record(_report("b" * 64, ETOWN, "2"))  # nothing was lost: the retry succeeds
    assert locked.submission_count() == 2
    # corrupt: batch refuses to start (exit 2), the inbox is untouched, no report is written
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="损坏"):
        History(str(bad))
    inbox = tmp_path / "inbox"
    age(make_bundle(inbox, ETOWN, "b", "25442000000000000031"))
    assert _batch(inbox, tmp_path / "out", bad) == 2
    assert not (tmp_path / "out").exists()
    # check still writes its report, with a warning that duplicates could not be checked
    out = tmp_path / "r.json"
    assert main(["check", str(inbox / ETOWN / "b"), "--programme", ETOWN, "--json", str(out),
                 "--history", str(bad), "-q"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert any(f["code"] == "DUPLICATE_SUBMISSION" and f["severity"] == "warning" and "未能核查" in f["message"]
               for f in report["findings"])


@pytest.mark.parametrize("poll", [None, 0.5])
def test_watch_takes_a_bundle_once_it_is_stable(tmp_path, poll):
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "h.sqlite"
    (inbox / ETOWN).mkdir(parents=True)
    from docintake.pipeline.inbox import run_batch

    runs: list[int] = []

    def run() -> None:
        runs.append(len(run_batch(inbox, out, str(db), Settings.from_env(), settle=1.0)))

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(inbox, out, str(db), run),
                              kwargs={"settle": 1.0, "rescan": 60, "poll": poll, "stop": stop,
                                      "log": lambda m: None})
    thread.start()
    try:
        time.sleep(0.5)
        make_bundle(tmp_path / "staging", ETOWN, "dropped", "25442000000000000041")
        (tmp_path / "staging" / ETOWN / "dropped").rename(inbox / ETOWN / "dropped")
        deadline = time.monotonic() + 20
        report = out / ETOWN / "dropped" / "report.json"
        while not (report.exists() and runs) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert report.exists() and runs == [1]  # one batch, one bundle
        settled = len(runs)
        time.sleep(3)
        assert len(runs) == settled  # nothing pending: no further batches
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_command_takes_dropped_bundles_and_stops_cleanly_on_sigterm(tmp_path):
    import signal
    import subprocess
    import sys

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / ETOWN).mkdir(parents=True)
    cmd = [str(Path(sys.executable).parent / "docintake"), "watch", str(inbox), "--out", str(out),
           "--history", str(tmp_path / "h.sqlite"), "--settle", "1", "--plain", "--poll", "0.5"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        make_bundle(inbox, ETOWN, "dropped", "25442000000000000061", as_zip=True)
        report = out / ETOWN / "dropped.zip" / "report.json"
        deadline = time.monotonic() + 30
        while not report.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert report.exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    assert "开始监视" in stderr and "已停止监视" in stderr


def test_finishing_is_serialised_so_twins_finishing_together_see_each_other(tmp_path):
    """Two processes' finish steps never interleave: the second waits for the first's record."""
    db = str(tmp_path / "h.sqlite")
    first, second = History(db), History(db)
    entered: list[int] = []

    def finish_later() -> None:
        with second.locked():
            entered.append(len(second.earlier_records(_report("b" * 64, NANSHAN, "42"))))

    with first.locked():
        first.record(_report("a" * 64, ETOWN, "42"))
        thread = threading.Thread(target=finish_later)
        thread.start()
        time.sleep(1.0)
        assert entered == []  # still waiting for the first's lock
    thread.join(10)
    assert entered == [1]  # entered once the first had finished, and saw its record


def test_a_locked_store_is_a_typed_failure_and_only_that_is_retried(tmp_path, monkeypatch):
    """The store says why it failed (HistoryError.kind), the outcome carries it (Outcome.failure),
    and the flow's retry reads that, never the Chinese text the operator reads."""
    from docintake.flows import bundle as bundle_flow
    from docintake.pipeline.history import StoreProblem
    from docintake.pipeline.inbox import Candidate, Failure, Outcome, fingerprint, finish

    db = tmp_path / "h.sqlite"
    History(str(db)).close()
    folder = make_bundle(tmp_path / "inbox", ETOWN, "b", "25442000000000000077")
    candidate = Candidate(programme=ETOWN, path=folder, fingerprint=fingerprint(snapshot(folder)))
    holder = sqlite3.connect(db)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError) as caught:
            History(str(db), busy_timeout=0.2).record(_report("a" * 64, ETOWN, "1"))
        assert caught.value.kind is StoreProblem.locked
        import pickle  # Prefect carries exceptions across processes

        assert pickle.loads(pickle.dumps(caught.value)).kind is StoreProblem.locked
        monkeypatch.setattr("docintake.pipeline.inbox.History",
                            lambda url: History(url, busy_timeout=0.2))
        outcome, _ = finish(candidate, _report("a" * 64, ETOWN, "1"), tmp_path / "out", str(db), html=False)
    finally:
        holder.rollback()
        holder.close()
    assert (outcome.status, outcome.failure) == ("failed", Failure.store_locked)
    assert "锁定" in outcome.reason  # the operator's text is unchanged
    assert not (tmp_path / "out").exists()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError) as caught:
        History(str(bad))
    assert caught.value.kind is StoreProblem.corrupt
    outcome, _ = finish(candidate, _report("a" * 64, ETOWN, "1"), tmp_path / "out", str(bad), html=False)
    assert outcome.failure is Failure.store_error

    # finish_task (Prefect retries it when it raises) decides by the enum, not by the words
    def finished(failure, reason):
        result = Outcome(programme=ETOWN, bundle="b", status="failed", reason=reason, failure=failure)
        monkeypatch.setattr(bundle_flow, "finish", lambda *a, **k: (result, None))
        return lambda: bundle_flow.finish_task.fn(candidate, None, tmp_path / "out", str(db))

    with pytest.raises(RuntimeError):
        finished(Failure.store_locked, "database is busy")()
    assert finished(Failure.store_error, "数据库被锁定？不，已损坏")()[0].failure is Failure.store_error
    assert finished(Failure.unwritable, "无法写入报告：锁定")()[0].status == "failed"


def test_a_bundle_changed_or_crashed_is_typed(tmp_path):
    from docintake.flows.batch import _collect
    from docintake.pipeline.inbox import Candidate, Failure, fingerprint, finish

    folder = make_bundle(tmp_path / "inbox", ETOWN, "b", "25442000000000000078")
    candidate = Candidate(programme=ETOWN, path=folder, fingerprint="not the same")
    outcome, _ = finish(candidate, _report("a" * 64, ETOWN, "1"), tmp_path / "out", str(tmp_path / "h.sqlite"))
    assert (outcome.status, outcome.failure) == ("waiting", Failure.changed)

    class Broken:  # a future whose pool process died
        def wait(self):
            raise RuntimeError("A process in the process pool was terminated abruptly")

    candidate.fingerprint = fingerprint(snapshot(folder))
    [crashed] = _collect([candidate], [Broken()])
    assert crashed.failure is Failure.crashed and crashed.reason.startswith("处理进程异常结束")


def test_without_history_the_store_is_under_the_settings_home(tmp_path, monkeypatch):
    """DOCINTAKE_HOME reaches the history through the settings (the store module reads no variable)."""
    inbox = tmp_path / "inbox"
    (inbox / ETOWN).mkdir(parents=True)
    monkeypatch.setenv("DOCINTAKE_HOME", str(tmp_path / "home"))
    assert main(["batch", str(inbox), "--out", str(tmp_path / "out"), "--plain"]) == 0
    assert (tmp_path / "home" / "history.sqlite").is_file()
