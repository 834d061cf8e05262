"""Subcommands of the watched-folder service: `batch`, `watch`, `bench-batch`; the history for `check`.

Kept out of cli.py so that module stays the single-bundle command line. Exit status: 0 when every
bundle was processed or left waiting, 1 when a bundle failed (it stays unprocessed; the next run
takes it again), 2 on bad usage or an unusable history store.
"""

import argparse
import os
from pathlib import Path

from docintake.app.console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, corpus_options, err, outcome_line, say
from docintake.core.datamodel import Finding, FindingCode, Report, Severity
from docintake.pipeline.history import History, HistoryError, check_against, default_url


def history_for_check(report: Report, location: str) -> tuple[Report, History | None]:
    """`check --history`: duplicates against the store. A store that cannot be used never loses the
    report: it is written with a warning that the duplicate check could not be made."""
    try:
        history = History(location)
        return check_against(history, report), history
    except HistoryError as exc:
        say("[yellow]警告：[/yellow]", exc)
        note = Finding(code=FindingCode.DUPLICATE_SUBMISSION, severity=Severity.warning,
                       message=f"未能核查重复申报：{exc}")
        from docintake.validators.run import verdict_of

        findings = [*report.findings, note]
        return report.model_copy(update={"findings": findings, "verdict": verdict_of(findings)}), None


def record_check(history: History, report: Report, report_path: Path) -> None:
    try:
        history.record(report, report_path)
    except HistoryError as exc:
        say("[yellow]警告：报告已写入，但未能记入申报历史：[/yellow]", exc)
    finally:
        history.close()


def _prefect_env() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The ephemeral API competes with OCR for the cores: give it longer than Prefect's 20 s to start.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # docintake's flows use no Prefect blocks: writing Prefect's 54 block types into a new home's
    # database cost the ephemeral API 1.7 s of its start (memoised after, per home and database).
    os.environ.setdefault("PREFECT_SERVER_REGISTER_BLOCKS_ON_START", "false")


def run_once(args: argparse.Namespace):
    """One batch over the inbox: the Prefect flow (default) or plain Python (--plain)."""
    inbox, outbox = Path(args.inbox), Path(args.out)
    if args.plain:
        from docintake.pipeline.inbox import run_batch

        return run_batch(inbox, outbox, args.history, args.settings, args.settle)
    from docintake.pipeline.inbox import pending

    store = History(args.history)
    try:
        todo, waiting = pending(inbox, outbox, store, args.settle)
    finally:
        store.close()
    if not todo:  # nothing to do: no flow run (a cron or rescan tick on an idle inbox stays cheap)
        return waiting
    _prefect_env()
    from docintake.flows.batch import batch_flow

    return batch_flow(inbox, outbox, args.history, args.settle, args.workers, args.deployment)


def _summary(outcomes) -> int:
    for o in outcomes:
        if o.status in ("failed", "waiting"):
            err.print(outcome_line(o))
    done = [o for o in outcomes if o.status == "done"]
    failed = sum(o.status == "failed" for o in outcomes)
    waiting = sum(o.status == "waiting" for o in outcomes)
    err.print(f"本批处理 {len(done)} 个材料包（{failed} 个失败，{waiting} 个等待下次）")
    return EXIT_FAILED if failed else EXIT_OK


def _usable(args: argparse.Namespace) -> str | None:
    """Why batch/watch cannot start, or None; fixes args.history to the store's URL (--history, else
    the one under the settings' home)."""
    args.history = default_url(args.history, args.settings.home)
    if not Path(args.inbox).is_dir():
        return f"收件目录不存在：{args.inbox}"
    try:
        History(args.history).close()  # fail fast, before any work: the store is also the ledger
    except HistoryError as exc:
        return str(exc)
    return None


def cmd_batch(args: argparse.Namespace) -> int:
    if (why := _usable(args)) is not None:
        say("[red]错误：[/red]", why)
        return EXIT_USAGE
    try:
        return _summary(run_once(args))
    except HistoryError as exc:
        say("[red]错误：[/red]", exc)
        return EXIT_USAGE
    except Exception as exc:  # never a traceback: unfinished bundles stay for the next run
        say("[red]本批中断：[/red]", f"{type(exc).__name__}：{exc}（未完成的材料包下次重新处理）")
        return EXIT_FAILED


def cmd_watch(args: argparse.Namespace) -> int:
    from docintake.app.watch import watch

    if (why := _usable(args)) is not None:
        say("[red]错误：[/red]", why)
        return EXIT_USAGE

    def run() -> None:
        try:
            _summary(run_once(args))
        except Exception as exc:  # one bad batch must not end the service
            say("[red]本批失败：[/red]", f"{type(exc).__name__}：{exc}")

    watch(Path(args.inbox), Path(args.out), args.history, run, settle=args.settle,
          rescan=args.rescan, poll=args.poll, log=lambda m: say("", m))
    return EXIT_OK


def cmd_bench_batch(args: argparse.Namespace) -> int:
    from docintake.app.extras import samples_available

    if not samples_available():  # the bench generates its bundles: docintake[samples]
        return EXIT_USAGE
    from docintake.app.batch_bench import run_batch_bench

    return run_batch_bench(Path(args.out), count=args.count, seed=args.seed, keep=args.keep,
                           kill=args.kill)


def _service_options(p: argparse.ArgumentParser, settle: float) -> None:
    p.add_argument("inbox", help="INBOX: bundles under INBOX/<programme-id>/")
    p.add_argument("--out", required=True, help="OUTBOX: reports at OUTBOX/<programme-id>/<bundle>/")
    p.add_argument("--history", help="history store: SQLite path or SQLAlchemy URL "
                                     "(default $DOCINTAKE_HOME/history.sqlite)")
    p.add_argument("--settle", type=float, default=settle,
                   help="seconds a bundle must be unchanged before it is taken")
    p.add_argument("--workers", type=int, help="bundles at a time (default: one per core)")
    p.add_argument("--deployment", help="run each bundle as a run of this deployment, on the work "
                                        "pool's workers (e.g. inbox-bundle/inbox-bundle)")
    p.add_argument("--plain", action="store_true", help="without Prefect, one bundle at a time")


def add_service_commands(sub) -> None:
    batch = sub.add_parser("batch", help="process every ready, unprocessed bundle of INBOX once")
    _service_options(batch, settle=10.0)
    batch.set_defaults(func=cmd_batch)

    watch = sub.add_parser("watch", help="keep watching INBOX; a bundle is taken once it is stable")
    _service_options(watch, settle=10.0)
    watch.add_argument("--rescan", type=float, default=300.0, help="full rescan every N seconds")
    watch.add_argument("--poll", type=float, help="poll every N seconds instead of inotify (network shares)")
    watch.set_defaults(func=cmd_watch)

    bench = sub.add_parser("bench-batch", help="bundles/min and pages/s of batch with 1 and 2 workers")
    corpus_options(bench, out="bench-batch-out", count=20, seed=20261122)
    bench.add_argument("--kill", action="store_true", help="also kill -9 a batch mid-way and rerun it")
    bench.set_defaults(func=cmd_bench_batch)
