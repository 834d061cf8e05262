"""Checklist files: one YAML per programme under checklists/, validated on load."""

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docintake.datamodel import DocType

CHECKLIST_DIR = Path(__file__).resolve().parent.parent / "checklists"


class ChecklistError(Exception):
    """A checklist file is missing or invalid; the message says which and why."""


class Material(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str  # Chinese, as the policy words it
    any_of: list[DocType]  # alternatives: any one of these doc types satisfies the material
    min_count: int = 1  # e.g. AI+百业 asks for both 完税证明 and 无欠税证明
    policy_ref: str = ""  # where the policy asks for it


class Checklist(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    office: str
    policy_file: str
    materials: list[Material] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Checklist":
        ids = [m.id for m in self.materials]
        if len(ids) != len(set(ids)):
            raise ValueError(f"material ids must be unique: {ids}")
        return self


def available_programmes(directory: Path = CHECKLIST_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


@lru_cache(maxsize=32)
def load_checklist(programme: str, directory: Path = CHECKLIST_DIR) -> Checklist:
    path = directory / f"{programme}.yaml"
    if not path.is_file():
        known = "、".join(available_programmes(directory))
        raise ChecklistError(f"未知的申报项目（programme）：{programme}；可用：{known}")
    try:
        checklist = Checklist.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ChecklistError(f"清单文件 {path.name} 无效：{exc}") from exc
    if checklist.id != programme:
        raise ChecklistError(f"清单文件 {path.name} 的 id 为 {checklist.id}，与文件名不一致")
    return checklist
