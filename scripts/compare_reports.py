"""Compare the report.json files of two runs, e.g. before and after a refactor.

    python3 scripts/compare_reports.py BEFORE AFTER      (two report files, or two folders of them)

Everything must be equal except what differs on every run: generated_at, timings, tool_version.
Exit 0 when every report is the same, 1 otherwise (the differing top-level keys are listed).
"""

import json
import sys
from pathlib import Path

VOLATILE = ("generated_at", "timings", "tool_version")


def _stable(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in report.items() if k not in VOLATILE}


def main(before: Path, after: Path) -> int:
    pairs = [(before, after)] if before.is_file() else [
        (p, after / p.relative_to(before)) for p in sorted(before.rglob("*.json")) if p.name != "score.json"]
    differing = 0
    for old, new in pairs:
        if not new.exists():
            print(f"missing  {new}")
            differing += 1
            continue
        a, b = _stable(old), _stable(new)
        if a != b:
            differing += 1
            print(f"differs  {old.name}: {', '.join(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))}")
    print(f"{len(pairs) - differing} of {len(pairs)} reports the same")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
