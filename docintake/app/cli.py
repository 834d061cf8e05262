"""Command line: `docintake check BUNDLE --programme ID --json OUT.json [--html OUT.html]`.

Exit status 0 when the report was written (whatever its verdict), 2 on bad usage or an
unusable bundle path. Bad input never produces a traceback.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from docintake import __version__
from docintake.app.console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, check_summary, corpus_options, err, say
from docintake.app.extras import samples_available
from docintake.core.datamodel import Report
from docintake.core.files import report_json, write_atomic, write_error


def cmd_check(args: argparse.Namespace) -> int:
    from docintake.extractors.ingest import BundleError
    from docintake.extractors.registry_lists import RegistryFileError
    from docintake.pipeline.run import check_bundle
    from docintake.validators.checklist import ChecklistError

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=args.quiet or not err.is_terminal) as bar:
        task = bar.add_task("读取页面", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=f"读取{what}", completed=done, total=total)

        try:
            # the filing lists imported into the history store are read even by a --no-history trial
            report = check_bundle(Path(args.bundle), args.programme, args.settings, progress=progress,
                                  history=args.history)
        except (BundleError, ChecklistError, RegistryFileError) as exc:  # the last: DOCINTAKE_REGISTRY_CSV
            say("[red]错误：[/red]", exc)
            return EXIT_USAGE
    history = None
    if not args.no_history:  # duplicates against other submissions; recorded once the report is written
        from docintake.app.service_cli import history_for_check
        from docintake.pipeline.history import default_url

        report, history = history_for_check(report, default_url(args.history, args.settings.home))
    written: list[Path] = []
    try:  # report.json last: once it exists, the report is complete
        if args.html:
            from docintake.report.html import render_report

            write_atomic(Path(args.html), render_report(report, Path(args.bundle)))
            written.append(Path(args.html))
        write_atomic(Path(args.json), report_json(report))
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        say(f"[red]错误：无法写入报告（{write_error(exc)}），未留下不完整的报告：[/red]", args.json)
        return EXIT_USAGE
    if history is not None:
        from docintake.app.service_cli import record_check

        record_check(history, report, Path(args.json))
    if not args.quiet:
        say(check_summary(report), args.json)
    if args.fail_on and report.verdict.value in FAIL_ON[args.fail_on]:
        return EXIT_FAILED
    return EXIT_OK


# --fail-on LEVEL: the verdicts that end `check` with exit 1.
FAIL_ON = {"error": ("fail",), "warning": ("fail", "needs_review")}


def cmd_index(args: argparse.Namespace) -> int:
    from docintake.report.index import write_index

    if not Path(args.outbox).is_dir():
        say("[red]错误：[/red]OUTBOX 不是文件夹：", args.outbox)
        return EXIT_USAGE
    say("汇总页 → ", write_index(Path(args.outbox)))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    schema = json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2)
    if args.out:
        write_atomic(Path(args.out), schema + "\n")
    else:
        print(schema)
    return EXIT_OK


def cmd_programmes(args: argparse.Namespace) -> int:
    from docintake.validators.checklist import available_programmes, load_checklist

    for programme in available_programmes():
        print(f"{programme}\t{load_checklist(programme).title}")
    return EXIT_OK


def cmd_samples(args: argparse.Namespace) -> int:
    if not samples_available():  # the generator's libraries come with docintake[samples]
        return EXIT_USAGE
    from docintake.samples.generator import generate_corpus

    truths = generate_corpus(Path(args.out), args.count, args.seed,
                             programmes=[args.programme] if args.programme else None)
    err.print(f"已生成 {len(truths)} 个样例材料包 → {args.out}")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    if not args.rescore and not samples_available():  # it generates its bundles: docintake[samples]
        return EXIT_USAGE
    from docintake.app.bench import run_bench

    if args.rescore:
        from docintake.app.bench_findings import rescore

        rescore(Path(args.out), verbose=args.verbose)
        return EXIT_OK
    return run_bench(Path(args.out), args.settings, count=args.count, seed=args.seed, keep=args.keep,
                     verbose=args.verbose)


def cmd_bench_speed(args: argparse.Namespace) -> int:
    from docintake.app.bench_speed import run_speed

    return run_speed(Path(args.source), Path(args.out), args.settings, limit=args.count)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; say it in Chinese too
        self.print_usage(sys.stderr)
        err.print(f"[red]用法错误：[/red]{message}")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docintake", description="模型券申报材料核验 (model-voucher bundle checks)")
    parser.add_argument("--version", action="version", version=f"docintake {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check one bundle (folder or .zip) and write its report")
    check.add_argument("bundle")
    check.add_argument("--programme", required=True, help="checklist id, see `docintake programmes`")
    check.add_argument("--json", required=True, help="where to write report.json")
    check.add_argument("--html", help="where to write report.html")
    check.add_argument("--history", help="check duplicates against (and record in) this history store "
                       "(default $DOCINTAKE_HOME/history.sqlite, else ~/.docintake/history.sqlite)")
    check.add_argument("--no-history", action="store_true",
                       help="neither check duplicates nor record this check (a trial run)")
    check.add_argument("--fail-on", choices=FAIL_ON,
                       help="exit 1 when the verdict is this bad (error: fail; warning: needs_review too)")
    check.add_argument("-q", "--quiet", action="store_true")
    check.set_defaults(func=cmd_check)

    index = sub.add_parser("index", help="write OUTBOX/index.html listing every report")
    index.add_argument("outbox")
    index.set_defaults(func=cmd_index)

    schema = sub.add_parser("schema", help="print the JSON Schema of the report")
    schema.add_argument("--out")
    schema.set_defaults(func=cmd_schema)

    programmes = sub.add_parser("programmes", help="list the programmes (checklists)")
    programmes.set_defaults(func=cmd_programmes)

    samples = sub.add_parser("samples", help="generate synthetic sample bundles with ground truth")
    samples.add_argument("--out", required=True)
    samples.add_argument("--count", type=int, default=5)
    samples.add_argument("--seed", type=int, default=1)
    samples.add_argument("--programme")
    samples.set_defaults(func=cmd_samples)

    bench = sub.add_parser("bench", help="accuracy and speed over generated bundles")
    corpus_options(bench, out="bench-out", count=40, seed=20261121)
    bench.add_argument("--rescore", action="store_true",
                       help="re-run the checks over the reports a previous run saved in --out (no OCR)")
    bench.add_argument("-v", "--verbose", action="store_true", help="list documents grouped wrongly")
    bench.set_defaults(func=cmd_bench)

    speed = sub.add_parser("bench-speed", help="pipeline wall time per bundle against bare OCR of its pages")
    speed.add_argument("source", help="a validation set (manifest.json) or a generated corpus (*.truth.json)")
    speed.add_argument("--out", default="speed-out")
    speed.add_argument("--count", type=int, help="only the first COUNT bundles")
    speed.set_defaults(func=cmd_bench_speed)

    from docintake.app.service_cli import add_service_commands

    add_service_commands(sub)  # batch, watch, bench-batch
    from docintake.app.registry_cli import add_registry_commands

    add_registry_commands(sub)  # registry import, registry show
    from docintake.app.review_cli import add_review_commands

    add_review_commands(sub)  # users, serve
    from docintake.app.purge_cli import add_purge_command

    add_purge_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from docintake.core.logmask import redact
    from docintake.core.memory import keep_freed_memory
    from docintake.core.settings import ConfigError, Settings

    keep_freed_memory()  # page after page of big arrays: reused, not faulted in again
    args = build_parser().parse_args(argv)
    try:  # read once, before any work; every command gets them as args.settings
        args.settings = Settings.from_env()
    except ConfigError as exc:  # unwrapped, so each variable's name stays whole on the screen
        err.print("[red]错误：[/red]" + escape(redact(exc)), soft_wrap=True)
        return EXIT_USAGE
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (`docintake programmes | head -1`): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
