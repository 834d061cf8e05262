"""OUT/results.md of `docintake bench`: the figures it printed, under a heading saying when, on what
and on which commit, ready to paste into docs/bench-results.md."""

import os
import subprocess
from datetime import datetime
from pathlib import Path

from docintake import __version__
from docintake.core.files import write_atomic

CHECKOUT = Path(__file__).resolve().parents[2]


def commit() -> str | None:
    """The checkout's commit (short), marked when files differ from it; None outside a git checkout."""
    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(["git", *args], cwd=CHECKOUT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout.strip() if proc.returncode == 0 else None

    head = git("rev-parse", "--short", "HEAD")
    if head is None:
        return None
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} + uncommitted changes" if changed else head


def results_markdown(printed: str, seed: int | None, count: int, when: datetime | None = None,
                     revision: str | None = None, command: str | None = None) -> str:
    when = when or datetime.now().astimezone()
    corpus = f"seed {seed}, {count} bundles" if seed is not None else f"{count} bundles"
    head = f"### {when:%Y-%m-%d %H:%M %z} — {corpus}, commit {revision or 'unknown'}"
    command = command or f"docintake bench --count {count} --seed {seed}"
    how = f"`{command}` · docintake {__version__} · {os.cpu_count()} cores"
    return f"{head}\n\n{how}\n\n```text\n{printed.rstrip()}\n```\n"


def write_results(out: Path, printed: str, seed: int | None, count: int, name: str = "results.md",
                  command: str | None = None) -> Path:
    """Write OUT/NAME (replaced by each run) and return its path."""
    path = out / name
    write_atomic(path, results_markdown(printed, seed, count, revision=commit(), command=command))
    return path
