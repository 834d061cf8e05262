"""The operator's terminal: exit codes and stderr output, masked and never read as markup."""

import argparse

from rich.console import Console
from rich.markup import escape

from docintake.core.logmask import redact, safe_name
from docintake.core.vocabulary import status_zh, verdict_zh

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
err = Console(stderr=True)


def say(markup: str, text: object = "") -> None:
    """Print to stderr: `text` (paths, names, library messages) is masked and never read as markup."""
    err.print(markup + shown(text))


def shown(text: object) -> str:
    """Text as data on the terminal: masked, control and bidi characters escaped, no markup."""
    return escape(safe_name(redact(text)))


def check_summary(report) -> str:
    """The line `check` ends with (markup): the bundle, what was found and the verdict in Chinese."""
    errors = sum(1 for f in report.findings if f.severity == "error")
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    return (f"{shown(report.bundle)}：{len(report.documents)} 份材料，{errors} 个错误，"
            f"{warnings} 个警告，结论 [bold]{verdict_zh(report.verdict)}[/bold] → ")


def outcome_line(outcome) -> str:
    """A failed or waiting bundle of a batch (markup): 失败 programme/bundle：reason."""
    style = "red" if outcome.status == "failed" else "dim"
    return (f"[{style}]{status_zh(outcome.status)}[/{style}] "
            f"{shown(f'{outcome.programme}/{outcome.bundle}：{outcome.reason}')}")


def corpus_options(parser: argparse.ArgumentParser, out: str, count: int, seed: int) -> None:
    """Where a bench keeps its generated bundles, how many, from which seed (bench, bench-batch)."""
    parser.add_argument("--out", default=out)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--keep", action="store_true", help="reuse bundles already generated in --out")
