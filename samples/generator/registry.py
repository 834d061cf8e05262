"""The generator's own CAC filing registry: a row for each fictional model provider, in the columns
of the shipped snapshot, so docintake's registry check sees our fictional models as filed (tests
and `docintake bench` import it; `docintake registry import OUT/filings.csv` for a corpus)."""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

from .entities import PROVIDERS, make_provider

COLUMNS = ("kind", "list", "seq", "region", "name", "filer", "number", "filed")
LIST_NAME = "generator"
FILE_NAME = "filings.csv"


def registry_rows() -> list[dict[str, str]]:
    """One 备案 row per fictional provider: its model, its name, the number its proofs print."""
    rows = []
    for i in range(len(PROVIDERS)):
        p = make_provider(random.Random(0), i)  # stable: a provider's number depends on its name only
        filed = p.filing_date + timedelta(days=10)  # listed some days after the number's date
        rows.append({"kind": "备案", "list": LIST_NAME, "seq": str(i + 1), "region": p.extra["province_cn"],
                     "name": p.model_name, "filer": p.name, "number": p.filing_number,
                     "filed": f"{filed.year}/{filed.month}/{filed.day}"})
    return rows


def write_registry(out_dir: Path) -> Path:
    """OUT/filings.csv: the registry rows of the generator's models."""
    path = Path(out_dir) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(registry_rows())
    return path
