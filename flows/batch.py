"""Prefect batch flow: every ready, unprocessed bundle of INBOX/<programme>/ as its own bundle flow run.

Fan-out is Prefect's: locally a ProcessPoolTaskRunner sized to the machine, each task running the
bundle flow (a subflow, so every bundle shows in the UI with its verdict); with `deployment=` every
bundle becomes a run of that deployment, picked up by whichever worker of its work pool is free.
"""

import contextlib
import os
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from docintake.core.settings import Settings
from docintake.core.vocabulary import status_zh, verdict_zh
from docintake.flows.bundle import inbox_bundle_flow
from docintake.pipeline.history import History, default_url
from docintake.pipeline.inbox import Candidate, Failure, Outcome, out_dir, pending, refresh_index

BUNDLE_DEPLOYMENT = "inbox-bundle/inbox-bundle"


def _failed(candidate: Candidate, why: str, failure: Failure) -> Outcome:
    return Outcome(programme=candidate.programme, bundle=candidate.name, status="failed", reason=why,
                   failure=failure)


@task(name="bundle", task_run_name="bundle {candidate.programme}/{candidate.label}")
def bundle_task(candidate: Candidate, outbox: Path, history: str | None, ocr_threads: int) -> Outcome:
    try:
        return inbox_bundle_flow(candidate, outbox, history, ocr_threads)
    except Exception as exc:  # the bundle stays unprocessed; the next run takes it again
        return _failed(candidate, f"核查失败（{type(exc).__name__}：{exc}）", Failure.check_error)


@task(name="dispatch", task_run_name="dispatch {candidate.programme}/{candidate.label}")
def dispatch_task(candidate: Candidate, outbox: Path, history: str | None, deployment: str) -> Outcome:
    """Run the bundle on a worker and wait; the outcome is read back from the outbox, not from
    result storage, so workers need only share the outbox and the history store."""
    run = run_deployment(deployment, parameters={"candidate": candidate.model_dump(mode="json"),
                                                 "outbox": str(outbox), "history": history},
                         timeout=None, poll_interval=2)
    report = out_dir(outbox, candidate.programme, candidate.name) / "report.json"
    if run.state is not None and run.state.is_completed() and report.exists():
        import json

        verdict = json.loads(report.read_text(encoding="utf-8")).get("verdict")
        return Outcome(programme=candidate.programme, bundle=candidate.name, status="done",
                       verdict=verdict, report=report)
    name, message = (run.state.name, run.state.message or "") if run.state else ("unknown", "")
    return _failed(candidate, f"工作进程上的运行 {run.name} 结束于 {name}：{message}", Failure.remote_failed)


@flow(name="batch", flow_run_name="batch {inbox}")
def batch_flow(inbox: Path, outbox: Path, history: str | None = None, settle: float = 10.0,
               workers: int | None = None, deployment: str | None = None) -> list[Outcome]:
    """Process every ready bundle once. `history`: path or SQLAlchemy URL of the history store;
    `workers`: bundles at a time (default one per core); `deployment`: run bundles on workers."""
    logger = get_run_logger()
    # Absolute paths and URL: bundle runs may execute on workers with another working directory.
    inbox, outbox = Path(inbox).resolve(), Path(outbox).resolve()
    history = default_url(history, Settings.from_env().home)  # --history, else HOME/history.sqlite
    store = History(history)  # unusable store: the flow fails with the reason, nothing is touched
    try:
        todo, waiting = pending(Path(inbox), Path(outbox), store, settle)
    finally:
        store.close()
    for w in waiting:
        logger.info("waiting %s/%s: %s", w.programme, w.bundle, w.reason)
    logger.info("%d bundles to process, %d waiting", len(todo), len(waiting))
    if not todo:
        return waiting
    cores = os.cpu_count() or 1
    workers = max(1, min(workers or cores, len(todo)))
    if deployment:
        with ThreadPoolTaskRunner(max_workers=len(todo)) as runner:
            futures = [runner.submit(dispatch_task, {"candidate": c, "outbox": Path(outbox),
                                                     "history": history, "deployment": deployment})
                       for c in todo]
            outcomes = _collect(todo, futures)
    else:
        params = {"outbox": Path(outbox), "history": history,
                  "ocr_threads": max(1, cores // workers)}  # no oversubscription of the cores
        outcomes = _in_pool(todo, params, workers)
        # A pool process killed mid-bundle (OOM killer, kill -9) breaks the whole pool: the bundles
        # it took down get one more try in a fresh pool, then are reported failed with the reason.
        crashed = [c for c, o in zip(todo, outcomes, strict=True) if o.failure == Failure.crashed]
        if crashed:
            logger.warning("worker process died; retrying %d bundles in a new pool", len(crashed))
            retried = iter(_in_pool(crashed, params, workers))
            outcomes = [next(retried) if o.failure == Failure.crashed else o for o in outcomes]
    for o in outcomes:
        logger.info("%s %s/%s %s", status_zh(o.status), o.programme, o.bundle,
                    verdict_zh(o.verdict) if o.verdict else o.reason)
    refresh_index(outbox, outcomes)
    return waiting + outcomes


CRASHED = "处理进程异常结束"


@contextlib.contextmanager
def _api_for_the_pool():
    """The pool's processes report to this process's API. Without a configured PREFECT_API_URL the
    flow runs on Prefect's ephemeral server, which a child process cannot see: each would start one
    of its own on the same database (~7 s each, every batch)."""
    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer  # imported by the ephemeral client already

    server = SubprocessASGIServer()  # the ephemeral server this flow runs on (a singleton)
    server.start()  # already running: returns at once
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


def _in_pool(todo: list[Candidate], params: dict, workers: int) -> list[Outcome]:
    runner = ProcessPoolTaskRunner(max_workers=workers)
    with _api_for_the_pool():  # the settings each submit hands to the pool's processes
        runner.__enter__()
        try:
            futures = [runner.submit(bundle_task, {"candidate": c, **params}) for c in todo]
            return _collect(todo, futures)
        finally:
            with contextlib.suppress(Exception):  # a broken pool may complain while shutting down
                runner.__exit__(None, None, None)


def _collect(todo: list[Candidate], futures) -> list[Outcome]:
    """Each future's outcome; a future broken by its process dying becomes a failed outcome (the
    bundle stays unprocessed, so the next run takes it again)."""
    outcomes = []
    for cand, future in zip(todo, futures, strict=True):
        try:
            future.wait()
            state = future.state
        except Exception as exc:
            outcomes.append(_failed(cand, f"{CRASHED}（{type(exc).__name__}：{exc}）", Failure.crashed))
            continue
        result = state.result(raise_on_failure=False) if state.is_completed() else None
        outcomes.append(result if isinstance(result, Outcome) else
                        _failed(cand, f"{CRASHED}（{state.name}：{state.message or ''}）", Failure.crashed))
    return outcomes
