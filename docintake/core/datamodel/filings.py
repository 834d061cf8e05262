"""The CAC's published filing registry (生成式人工智能服务 备案 and 登记 lists) and what a check
of one filing found in it: the row as published, and the evidence a report shows."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

# The columns of the shipped snapshot and of an importable CSV, in this order.
FILING_COLUMNS = ("kind", "list", "seq", "region", "name", "filer", "number", "filed")


class FilingRow(BaseModel):
    """One row of a published list, kept as printed (its errors included)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["备案", "登记"]
    list: str  # the list it was published in (its month, or the name given at import)
    seq: str = ""  # 序号 as printed
    region: str = ""  # 属地
    name: str  # 模型名称 / 大模型名称 / 应用名称
    filer: str  # 备案单位 / 登记单位
    number: str  # 备案编号 / 上线编号, whitespace removed
    filed: str = ""  # 备案时间 / 登记时间 as printed, notes such as （补登） included

    def key(self) -> str:
        """Identity of a published row: the same row imported twice is one row."""
        return "|".join((self.kind, self.number, self.name, self.filer, self.filed))


class FilingCheck(BaseModel):
    """Report extension: one filing number checked against the registry, with its evidence."""

    model_config = ConfigDict(extra="forbid")

    document: str | None = None  # the filing proof's document id
    number: str  # as read on the proof
    # found: a row with this number; not_found: none, though the registry is newer than the
    # number; too_new: none, the number may not be published yet; not_covered: a number the
    # lists do not hold (an algorithm filing), or no proof and only the registry's row is named
    outcome: Literal["found", "not_found", "too_new", "not_covered", "registry_only"]
    kind: str | None = None  # 备案 or 登记 (of the row, else read from the number)
    filer: str | None = None
    model: str | None = None
    filed: str | None = None
    list: str | None = None
    registry_as_of: str  # YYYY-MM-DD
    filer_matches: bool | None = None
    model_matches: bool | None = None
