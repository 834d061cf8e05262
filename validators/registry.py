"""The CAC filing registry the checks read: the shipped snapshot plus the lists imported since.

Rows are kept as published; a number is looked up by `filing_key` (case, spaces and hyphen
glyphs folded, nothing else). Which names count as the same firm or the same model is decided
here too, tolerantly: a mismatch only ever asks a person to look.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from docintake.core.datamodel import FilingRow
from docintake.extractors.values import SAME_OWNER, filing_key, name_similarity, normalise_name, parse_date

DATA = Path(__file__).parent / "data"
RULES_FILE = Path(__file__).parent / "rules" / "registry.yaml"


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _snapshot_meta() -> dict:
    return yaml.safe_load((DATA / "snapshot.yaml").read_text(encoding="utf-8"))


def snapshot_as_of() -> date:
    return _snapshot_meta()["as_of"]


@lru_cache(maxsize=1)
def snapshot_rows() -> tuple[FilingRow, ...]:
    """The shipped snapshot's rows (read once per process)."""
    with (DATA / _snapshot_meta()["file"]).open(encoding="utf-8", newline="") as f:
        return tuple(FilingRow(**row) for row in csv.DictReader(f))


@dataclass
class Registry:
    """Published rows and the date the registry is complete to (its newest list)."""

    rows: list[FilingRow]
    as_of: date
    by_key: dict[str, list[FilingRow]] = field(default_factory=dict)

    def __post_init__(self):
        for row in self.rows:
            self.by_key.setdefault(filing_key(row.number), []).append(row)

    def find(self, number: str) -> list[FilingRow]:
        return self.by_key.get(filing_key(number), [])

    def search(self, query: str) -> list[FilingRow]:
        """Rows whose number, name or filer holds the query (a number's case, spaces and hyphen
        glyphs, a name's spaces and brackets do not matter)."""
        key, name = filing_key(query), normalise_name(query)
        if not key:
            return []
        return [r for r in self.rows if key in filing_key(r.number)
                or (name and (name in normalise_name(r.name) or name in normalise_name(r.filer)))]

    def rows_of(self, provider: str) -> list[FilingRow]:
        """The rows filed by this firm."""
        return [r for r in self.rows if same_firm(r.filer, provider)]


def build_registry(extra: list[FilingRow] = ()) -> Registry:
    """The snapshot and the rows imported since (a row known twice is one row). The registry is
    complete to the snapshot's date, or to the newest row imported, whichever is later."""
    rows, seen = [], set()
    for row in (*snapshot_rows(), *extra):
        if row.key() not in seen:
            seen.add(row.key())
            rows.append(row)
    dates = [d for r in extra if (d := parse_date(r.filed))]
    return Registry(rows=rows, as_of=max([snapshot_as_of(), *dates]))


def same_firm(a: str | None, b: str | None) -> bool:
    """The same firm after normalisation (spaces, brackets), a misread character allowed."""
    if not a or not b:
        return False
    return normalise_name(a) == normalise_name(b) or name_similarity(a, b) >= SAME_OWNER


_GENERIC = re.compile(r"大模型|模型|多模态|人工智能|智能体|智能|服务|平台|系统|助手|算法|行业|通用")
_VERSION = re.compile(r"(?:[-_\s]*(?:v|V)?\d+(?:\.\d+)*[BbKkMm]?|[-_\s]*(?:Turbo|Pro|Max|Plus|Lite|Mini|Chat))+$")


def model_names(name: str) -> set[str]:
    """The names a model goes by: 智谱清言（ChatGLM） → {智谱清言, CHATGLM}; versions, sizes and
    generic words (大模型, 多模态 …) dropped, Latin upper-cased."""
    parts = re.split(r"[（()）/、]", name or "")
    names = set()
    for part in parts:
        part = re.sub(r"[\s\"“”'‘’《》<>·]", "", part)
        part = _VERSION.sub("", part)
        core = _GENERIC.sub("", part).upper()
        if len(core) >= 2:
            names.add(core)
    return names


def same_model(a: str | None, b: str | None) -> bool:
    """Tolerant: a shared name, one name inside the other, a Latin brand of 3+ letters in common,
    or a Chinese brand of 2+ characters both hold (文心一言 / 文心大模型, 讯飞星火 / 星火认知大模型)."""
    ours, theirs = model_names(a or ""), model_names(b or "")
    for x in ours:
        for y in theirs:
            if x == y or x in y or y in x:
                return True
            latin = set(re.findall(r"[A-Z]{3,}", x)) & set(re.findall(r"[A-Z]{3,}", y))
            if latin or _shared_brand(x, y):
                return True
    return False


def _shared_brand(x: str, y: str) -> bool:
    """Two Chinese characters in a row that both names hold."""
    return any(x[i:i + 2] in y for i in range(len(x) - 1) if not x[i:i + 2].isascii())
