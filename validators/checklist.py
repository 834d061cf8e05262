"""Checklist files: one YAML per programme under checklists/, validated on load.

A checklist is the programme's policy as data: which materials, which seals and signatures
each needs, which dates must fall in which window, which amounts must agree, who is eligible
and how the subsidy is computed. A new programme is a new file; the validators read these
models and never name a programme.
"""

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docintake.core.datamodel import DocType

CHECKLIST_DIR = Path(__file__).resolve().parent.parent / "checklists"

SealKind = Literal["company_seal", "provider_seal", "invoice_seal", "finance_seal",
                   "tax_authority_seal", "paging_seal"]
DeploymentMode = Literal["API调用", "云化部署", "私有化部署", "大模型一体机", "端侧部署"]


class ChecklistError(Exception):
    """A checklist file is missing or invalid; the message says which and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Window(_Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> "Window":
        if self.start > self.end:
            raise ValueError(f"起始日期 {self.start} 晚于结束日期 {self.end}")
        return self

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def zh(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


class SealRule(_Strict):
    kind: SealKind
    # paper invoices carry the seller's 发票专用章; 数电 invoices carry none (domain notes)
    unless_digital_invoice: bool = False
    min_pages: int = 1  # paging seals only make sense on documents of at least this many pages


class Condition(_Strict):
    """A material that applies only to some projects (e.g. usage statements for API/cloud)."""

    deployment_mode: list[DeploymentMode]


class Material(_Strict):
    id: str
    name: str  # Chinese, as the policy words it
    any_of: list[DocType] = Field(min_length=1)  # alternatives: any one of these satisfies it
    min_count: int = 1  # e.g. AI+百业 asks for both 完税证明 and 无欠税证明
    # Not required, but checked when present (Shenzhen asks for no invoices; a paper invoice that
    # is submitted still needs its 发票专用章).
    optional: bool = False
    when: Condition | None = None
    seals: list[SealRule] = Field(default_factory=list)
    signature: bool = False  # a handwritten signature (法定代表人签字) is required
    policy_ref: str = ""  # where the policy asks for it


class DateRule(_Strict):
    doc_type: DocType
    field: str
    label: str  # Chinese, e.g. 发票开票日期
    window: Window
    policy_ref: str = ""


class AmountMinimum(_Strict):
    doc_type: DocType
    field: str
    label: str
    minimum: float
    policy_ref: str = ""


class Eligibility(_Strict):
    # GB/T 4754 division prefixes the applicant's industry must start with; empty = any.
    industry_prefixes: list[str] = Field(default_factory=list)
    # cac: the contract's model must be filed with the CAC; cac_or_assessment: or a 三级等保 test
    filing: Literal["none", "cac", "cac_or_assessment"] = "cac"
    # What a 登记 (an app calling another's filed model) proves where a 备案 is asked for: accept it,
    # warn (ask for the underlying model's 备案), or reject it (an error).
    registration: Literal["accept", "warn", "reject"] = "warn"
    related_party_forbidden: bool = True
    licence_must_be_valid: bool = True
    policy_ref: str = ""


class RevenueCap(_Strict):
    """A lower cap for smaller firms (Nanshan Q1: monthly revenue under 1000万 → 50万)."""

    monthly_revenue_below: float
    cap: float


class SubsidyRule(_Strict):
    # invoices: tax-inclusive invoice totals dated in the window; contract: contract amounts;
    # usage: usage-statement totals (token spend) in the window.
    basis: Literal["invoices", "contract", "usage"]
    basis_window: Window | None = None
    # What to count when the bundle holds none of the basis documents (Shenzhen asks for no
    # invoices: the contract's amount is then the purchase cost on file).
    basis_fallback: Literal["invoices", "contract", "usage"] | None = None
    rate: float = Field(gt=0, le=1)
    cap: float = Field(gt=0)
    revenue_caps: list[RevenueCap] = Field(default_factory=list)
    # yuan: to the fen; wan_1: payable in 万元 with one decimal (rounded half up)
    rounding: Literal["yuan", "wan_1"] = "yuan"
    minimum_payable: float = 0.0
    notes: list[str] = Field(default_factory=list)  # policy wording the reviewer should see
    policy_ref: str = ""


class Checklist(_Strict):
    id: str
    title: str
    office: str
    policy_file: str
    application_window: Window  # 申报时间: the reference for licence validity
    materials: list[Material] = Field(min_length=1)
    dates: list[DateRule] = Field(default_factory=list)
    # invoice_upper: 大写 vs figures; invoices_vs_contract: invoiced total within the contract;
    # payments_vs_invoices and usage_vs_invoices: totals agree
    amount_checks: list[Literal["invoice_upper", "invoices_vs_contract", "payments_vs_invoices",
                                "usage_vs_invoices"]] = Field(default_factory=list)
    amount_tolerance: float = 0.01  # yuan: amounts that must agree agree to the fen
    minimums: list[AmountMinimum] = Field(default_factory=list)
    eligibility: Eligibility = Field(default_factory=Eligibility)
    subsidy: SubsidyRule

    @model_validator(mode="after")
    def _unique_ids(self) -> "Checklist":
        ids = [m.id for m in self.materials]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"材料 id 重复：{'、'.join(repeated)}")
        return self


def available_programmes(directory: Path = CHECKLIST_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


def _problem_zh(error: dict) -> str:
    """One pydantic error as the checklist's author should read it."""
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "未知字段（拼写错误，或清单格式不支持此项）"
    if kind == "missing":
        return "缺少必填项"
    if kind in ("literal_error", "enum"):
        return f"取值「{got}」不在允许范围内（允许：{error.get('ctx', {}).get('expected', '')}）"
    if kind.startswith("date_"):
        return f"「{got}」不是有效日期（应为 YYYY-MM-DD）"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return f"{error['msg']}（值：{got!r}）"


@lru_cache(maxsize=32)
def load_checklist(programme: str, directory: Path = CHECKLIST_DIR) -> Checklist:
    path = directory / f"{programme}.yaml"
    if not path.is_file():
        known = "、".join(available_programmes(directory))
        raise ChecklistError(f"未知的申报项目（programme）：{programme}；可用：{known}")
    try:
        checklist = Checklist.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        raise ChecklistError(f"清单文件 {path.name} 不是有效的 YAML：{exc}") from exc
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(map(str, e['loc'])) or '（整个清单）'}：{_problem_zh(e)}" for e in exc.errors())
        raise ChecklistError(f"清单文件 {path.name} 无效：{problems}") from exc
    if checklist.id != programme:
        raise ChecklistError(f"清单文件 {path.name} 的 id 为 {checklist.id}，与文件名不一致")
    return checklist
