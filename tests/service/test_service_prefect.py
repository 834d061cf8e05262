"""The service under Prefect, for real: ephemeral API, a started `prefect server`, a cron deployment,
a process work pool with two workers on PostgreSQL, kill -9 in the middle of a batch."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from docintake.core.vocabulary import verdict_zh
from docintake.pipeline.history import History
from tests.support import ETOWN, ROOT, tree_hashes
from tests.support.builders import INVOICE, make_pdf, render, scan, write_jpeg
from tests.support.privacy import SECRETS, leaks, personal_inbox
from tests.support.servicekit import age, free_port, make_inbox, prefect_env

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _reports(out: Path) -> list[str]:
    return sorted(p.relative_to(out).parent.as_posix() for p in out.rglob("report.json"))


def _batch(tmp: Path, env: dict, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess:
    cmd = [str(BIN / "docintake"), "batch", str(tmp / "inbox"), "--out", str(tmp / "out"), "--settle", "0",
           *extra]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


def _wait(predicate, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_flows_read_text_step_reads_each_unchanged_file_once(tmp_path, prefect_db):
    """The flow runs the pipeline's own read_text step, which reads each file through the task
    cached by content (Context.read_file; docintake's encrypted page cache, not Prefect's): a second
    run of the step, and the task called on its own twice more, read nothing again, and Prefect
    stores no result."""
    make_pdf(tmp_path / "src.pdf", [INVOICE])
    write_jpeg(tmp_path / "bundle" / "scan.jpg", scan(render(tmp_path / "src.pdf", dpi=120)))
    code = textwrap.dedent(f"""
        import tempfile
        from pathlib import Path
        from prefect import flow
        import docintake.pipeline.steps as steps
        from docintake.core.settings import Settings
        from docintake.core.datamodel import Bundle
        from docintake.flows.bundle import STEP_TASKS, read_file_task

        reads = []
        real = steps.read_pages
        steps.read_pages = lambda *args, **kw: (reads.append(args[0].name), real(*args, **kw))[1]
        tasks = {{step.name: task for step, task in STEP_TASKS}}

        @flow
        def twice():
            with tempfile.TemporaryDirectory() as tmp:
                ctx = steps.Context(Settings.from_env(), Path(tmp), lambda *_: None, read_file=read_file_task)
                out = []
                for _ in range(2):
                    bundle = Bundle(name="b", path=Path({str(tmp_path / "bundle")!r}), programme="x")
                    bundle = tasks["ingest"](bundle, ctx)
                    bundle = tasks["read_text"](bundle, ctx)
                    out.append(([p.text_source.value for p in bundle.pages], sorted(bundle.timings)))
                states = [read_file_task(bundle.files[0], ctx, return_state=True) for _ in range(2)]
            pages = [s.result()[0] for s in states]
            return reads, out, [s.name for s in states], pages[0] == pages[1] == bundle.pages

        print("RESULT", twice())
    """)
    proc = subprocess.run([sys.executable, "-c", code], env=prefect_env(tmp_path, prefect_db), capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    reads, runs, states, same = eval(line[len("RESULT "):])  # printed by the child above
    assert reads == ["scan.jpg"]  # read once: the second run and the two calls were served by the cache
    assert [pages for pages, _ in runs] == [["ocr"], ["ocr"]]
    assert {"ingest", "read_text", "read_text.ocr_page", "read_text.straighten_image"} <= set(runs[0][1])
    assert states == ["Completed", "Completed"] and same
    assert len(list((tmp_path / "home" / "cache" / "pages").glob("*.page"))) == 1
    assert not (tmp_path / "prefect" / "storage").exists()


def test_kill_9_mid_batch_then_a_rerun_losing_a_worker_process_gives_every_report_exactly_once(
        tmp_path, prefect_db):
    """A batch killed with kill -9 after its first report (its API and worker processes with it), then
    a rerun one of whose pool worker processes is killed mid-bundle: the rerun retries that bundle in
    a new pool and still writes every report exactly once. Also: the batch fans the bundles (folders
    and zips) out over two worker processes, which report to the batch's own ephemeral API (none
    starts another); it leaves the inbox as it was, and a batch with nothing new does nothing.
    The bundles carry personal data in their names and pages (tests/support/privacy.py), and hostile
    names (markup, a newline, a right-to-left mark, 240 bytes), each given its report shown escaped:
    after all three runs, nothing under DOCINTAKE_HOME, PREFECT_HOME or the outbox, nor on any
    terminal, holds it."""
    personal_inbox(tmp_path / "inbox")
    env = prefect_env(tmp_path, prefect_db)
    before = tree_hashes(tmp_path / "inbox")
    history = str(tmp_path / "h.sqlite")
    cmd = [str(BIN / "docintake"), "batch", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"),
           "--settle", "0", "--workers", "2", "--history", history]
    with open(tmp_path / "killed.log", "w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait(lambda: _reports(tmp_path / "out") or proc.poll() is not None, 300, "a first report")
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch, its Prefect API and its worker processes
            proc.wait()
    killed_with = len(_reports(tmp_path / "out"))
    assert killed_with < 5, "the batch got too far before it could be killed"
    # A bundle is recorded as done just after its report is written: one killed between the two is
    # checked again by the rerun, which writes the same report again.
    recorded = History(history).submission_count()
    assert killed_with - 1 <= recorded <= killed_with
    rerun = subprocess.Popen(cmd, env=env | {"PREFECT_LOGGING_LEVEL": "INFO"}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        victims = _wait(lambda: _pool_processes(rerun.pid), 120, "the pool's worker processes", every=0.1)
        time.sleep(1.0)  # inside a bundle now
        os.kill(victims[0], signal.SIGKILL)
        stdout, stderr = rerun.communicate(timeout=600)
    finally:
        if rerun.poll() is None:
            os.killpg(rerun.pid, signal.SIGKILL)
    assert "worker process died" in stderr, stderr[-3000:]
    assert rerun.returncode == 0, stderr[-3000:]
    assert stderr.count("Starting temporary server") == 1, stderr[-3000:]
    assert f"本批处理 {6 - recorded} 个材料包（0 个失败" in stderr, stderr[-3000:]
    reports = _reports(tmp_path / "out")
    escaped = {f"{ETOWN}/{name}" for name in ("材料[b][red]x", "行一\\x0a行二", "[b].zip", "\\u202egpj.exe")}
    assert len(reports) == 6 and escaped <= set(reports), reports
    assert not list((tmp_path / "out").rglob("*.part"))  # no half-written report survives
    assert History(history).submission_count() == 6
    with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as db:  # docintake uses no Prefect blocks
        assert db.execute("SELECT count(*) FROM block_type").fetchone() == (0,)
    again = _batch(tmp_path, env, "--workers", "2", "--history", history)
    assert again.returncode == 0 and "本批处理 0 个材料包" in again.stderr
    assert tree_hashes(tmp_path / "inbox") == before
    terminals = (tmp_path / "killed.log").read_text() + stdout + stderr + again.stdout + again.stderr
    assert "Traceback" not in stderr + again.stderr
    assert "\u202e" not in terminals and not [s for s in SECRETS if s in terminals]
    found = [leak for sub in ("home", "prefect", "out") for leak in leaks(tmp_path / sub)]
    assert not found, "\n".join(found)


def _start_server(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 -- lives as long as the server
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"

    def healthy():
        if proc.poll() is not None:
            raise AssertionError((tmp / "server.log").read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    _wait(healthy, 180, "the Prefect server")
    return proc, api


def _post(api: str, path: str, body: dict | None = None):
    """POST to the Prefect API. A busy server (SQLite locked under a loaded CI machine) answers
    503: retried with backoff, as Prefect's own client does."""
    for attempt in range(6):
        req = urllib.request.Request(f"{api}{path}", data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == 5:
                raise
            time.sleep(0.5 * 2 ** attempt)


def _stop(*procs: subprocess.Popen) -> None:
    """Stop each in turn, the server last: a client stopped while its server is already gone
    spends its grace period retrying the API."""
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def test_cron_deployment_served_against_a_local_server_shows_each_verdict(tmp_path, prefect_db):
    make_inbox(tmp_path / "inbox", 3)
    base = prefect_env(tmp_path, prefect_db, PREFECT_UI_ENABLED="false")
    server, api = _start_server(tmp_path, base)
    env = base | {"PREFECT_API_URL": api}
    serve = subprocess.Popen(
        [sys.executable, "-m", "docintake.flows.deploy", "serve-batch", "--inbox", str(tmp_path / "inbox"),
         "--out", str(tmp_path / "out"), "--history", str(tmp_path / "h.sqlite"), "--cron", "*/30 * * * *",
         "--settle", "0", "--workers", "2"], env=env, cwd=ROOT,
        stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)  # noqa: SIM115
    try:
        deployments = _wait(lambda: _post(api, "/deployments/filter"), 120, "the batch deployment")
        [dep] = deployments
        assert dep["name"] == "inbox-batch"
        assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["*/30 * * * *"]
        _post(api, f"/deployments/{dep['id']}/create_flow_run", {})  # "Quick run", as in the UI
        _wait(lambda: len(_reports(tmp_path / "out")) == 3, 300, "three reports")
        def renamed():  # each bundle's run is renamed with its verdict as it finishes: wait for all three
            runs = [r for r in _post(api, "/flow_runs/filter") if "→" in r["name"]]
            return runs if len(runs) >= 3 and all(r["state_type"] == "COMPLETED" for r in runs) else None

        runs = _wait(renamed, 60, "renamed runs")
        # The batch run itself ends too (it indexes the outbox after its bundles)
        _wait(lambda: [r for r in _post(api, "/flow_runs/filter")
                       if r["name"].startswith("batch ") and r["state_type"] == "COMPLETED"], 60, "the batch run")
        verdicts = {verdict_zh(json.loads((p / "report.json").read_text())["verdict"])
                    for p in (tmp_path / "out" / ETOWN).iterdir()}
        assert len(runs) == 3 and {r["name"].split("→ ")[1] for r in runs} == verdicts  # 通过/不通过...
        assert {r["state_type"] for r in runs} == {"COMPLETED"}
    finally:
        _stop(serve, server)


def test_scale_out_two_workers_on_postgresql(tmp_path, postgres):
    postgres.create_db("prefect")
    postgres.create_db("history")
    history = postgres.url("history", "psycopg")
    for b in make_inbox(tmp_path / "inbox", 2):  # one per worker: each has --limit 1
        age(b)
    base = prefect_env(tmp_path, PREFECT_UI_ENABLED="false",
                       PREFECT_API_DATABASE_CONNECTION_URL=postgres.url("prefect", "asyncpg"))
    server, api = _start_server(tmp_path, base)
    env = base | {"PREFECT_API_URL": api, "PREFECT_WORKER_QUERY_SECONDS": "2",
                  "PREFECT_WORKER_PREFETCH_SECONDS": "2"}
    workers = []
    try:
        deploy = subprocess.run([sys.executable, "-m", "docintake.flows.deploy", "bundle-deployment", "--pool", "docintake"],
                                env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert deploy.returncode == 0, deploy.stderr[-3000:]
        for name in ("w1", "w2"):
            workers.append(subprocess.Popen(
                [str(BIN / "prefect"), "worker", "start", "--pool", "docintake", "--name", name, "--limit", "1"],
                env=env | {"PREFECT_LOGGING_LEVEL": "INFO"}, cwd=ROOT,
                stdout=open(tmp_path / f"{name}.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT, start_new_session=True))
        # Both workers polling before the batch starts: a worker still starting up (slow under a
        # loaded CI machine) would leave both bundles to the other one.
        _wait(lambda: len([w for w in _post(api, "/work_pools/docintake/workers/filter")
                           if w["status"] == "ONLINE"]) == 2, 120, "both workers online")
        batch = _batch(tmp_path, env, "--history", history, "--deployment", "inbox-bundle/inbox-bundle")
        assert batch.returncode == 0, batch.stderr[-3000:]
        assert len(_reports(tmp_path / "out")) == 2
        assert History(history).submission_count() == 2
        bundle_runs = [r for r in _post(api, "/flow_runs/filter") if r["name"].startswith(ETOWN)]
        assert len(bundle_runs) == 2 and {r["state_type"] for r in bundle_runs} == {"COMPLETED"}
        # Both workers ran bundles: the pool spread the batch over them. A run's "View at .../flow-run/<id>"
        # line comes from the process that ran it; its bare id can show in both logs, since a worker that
        # lost the race to claim a run logs its aborted submission too.
        taken = {name: {r["id"] for r in bundle_runs
                        if f"/flow-run/{r['id']}" in (tmp_path / f"{name}.log").read_text()}
                 for name in ("w1", "w2")}
        assert taken["w1"] and taken["w2"] and not taken["w1"] & taken["w2"], taken
    finally:
        _stop(*workers, server)


def _pool_processes(pid: int) -> list[int]:
    """The batch's ProcessPoolTaskRunner workers (children started by multiprocessing.spawn)."""
    found = []
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for c in child.read_text().split():
            cmdline = Path(f"/proc/{c}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                found.append(int(c))
    return found
