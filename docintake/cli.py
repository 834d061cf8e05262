"""Command line: `docintake check BUNDLE --programme ID --json OUT.json [--html OUT.html]`.

Exit status 0 when the report was written (whatever its verdict), 2 on bad usage or an
unusable bundle path. Bad input never produces a traceback.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from docintake.datamodel import Report

EXIT_OK, EXIT_USAGE = 0, 2
err = Console(stderr=True)


def write_atomic(path: Path, data: str) -> None:
    """Write next to the target and rename: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reviewers on other accounts read reports
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def report_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)


def cmd_check(args: argparse.Namespace) -> int:
    from docintake.pipeline import check_bundle
    from extractors.ingest import BundleError
    from validators.checklist import ChecklistError

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=args.quiet or not err.is_terminal) as bar:
        task = bar.add_task("读取页面", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=f"读取{what}", completed=done, total=total)

        try:
            report = check_bundle(Path(args.bundle), args.programme, progress=progress)
        except (BundleError, ChecklistError) as exc:
            err.print(f"[red]错误：[/red]{exc}")
            return EXIT_USAGE
    try:
        write_atomic(Path(args.json), report_json(report))
        if args.html:
            from docintake.html_report import render_report

            write_atomic(Path(args.html), render_report(report))
    except OSError as exc:
        err.print(f"[red]错误：无法写入报告：[/red]{exc}")
        return EXIT_USAGE
    if not args.quiet:
        errors = sum(1 for f in report.findings if f.severity == "error")
        warnings = sum(1 for f in report.findings if f.severity == "warning")
        err.print(f"{report.bundle}：{len(report.documents)} 份材料，{errors} 个错误，"
                  f"{warnings} 个警告，结论 [bold]{report.verdict.value}[/bold] → {args.json}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    schema = json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2)
    if args.out:
        write_atomic(Path(args.out), schema + "\n")
    else:
        print(schema)
    return EXIT_OK


def cmd_programmes(args: argparse.Namespace) -> int:
    from validators.checklist import available_programmes, load_checklist

    for programme in available_programmes():
        print(f"{programme}\t{load_checklist(programme).title}")
    return EXIT_OK


def cmd_samples(args: argparse.Namespace) -> int:
    from samples.generator import generate_corpus

    truths = generate_corpus(Path(args.out), args.count, args.seed,
                             programmes=[args.programme] if args.programme else None)
    err.print(f"已生成 {len(truths)} 个样例材料包 → {args.out}")
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from docintake.bench import run_bench

    return run_bench(Path(args.out), count=args.count, seed=args.seed, keep=args.keep,
                     verbose=args.verbose)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors; say it in Chinese too
        self.print_usage(sys.stderr)
        err.print(f"[red]用法错误：[/red]{message}")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="docintake", description="模型券申报材料核验 (model-voucher bundle checks)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="check one bundle (folder or .zip) and write its report")
    check.add_argument("bundle")
    check.add_argument("--programme", required=True, help="checklist id, see `docintake programmes`")
    check.add_argument("--json", required=True, help="where to write report.json")
    check.add_argument("--html", help="where to write report.html")
    check.add_argument("-q", "--quiet", action="store_true")
    check.set_defaults(func=cmd_check)

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
    bench.add_argument("--out", default="bench-out")
    bench.add_argument("--count", type=int, default=40)
    bench.add_argument("--seed", type=int, default=20261121)
    bench.add_argument("--keep", action="store_true", help="reuse bundles already generated in --out")
    bench.add_argument("-v", "--verbose", action="store_true", help="list documents grouped wrongly")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
