"""Command line: python -m samples.generator --out DIR --count N --seed S."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .api import generate_corpus
from .scenario import PROGRAMMES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generator", description=__doc__)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--programme", action="append", choices=sorted(PROGRAMMES), help="repeatable; default: all five"
    )
    ap.add_argument("--defects", choices=["auto", "none"], default="auto")
    ap.add_argument(
        "--layouts", choices=["draw", "original"], default=None, help="second layout families (families.py)"
    )
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    t = time.time()
    truths = generate_corpus(
        a.out, a.count, a.seed, a.programme, defects=a.defects, jobs=a.jobs, layouts=a.layouts
    )
    if not a.quiet:
        for tr in truths:
            pages = sum(len(f["pages"]) for f in tr["files"])
            print(
                f"{tr['programme']}/{tr['bundle']}: {len(tr['files'])} files, {pages} pages, "
                f"defects={tr['defects']}"
            )
        print(f"{len(truths)} bundles in {time.time() - t:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
