"""Run-time settings with safe defaults; every one can be set from the environment (DOCINTAKE_*)."""

import os
from pathlib import Path

from pydantic import BaseModel, Field, PositiveFloat, PositiveInt, ValidationError


class ConfigError(ValueError):
    """A DOCINTAKE_* setting is not a valid value (message in Chinese, for the operator)."""


class Limits(BaseModel):
    """Guards against hostile or absurd input: each breach becomes a finding, never a crash."""

    max_files: PositiveInt = 2000
    max_file_bytes: PositiveInt = 512 * 1024 * 1024
    max_unpacked_bytes: PositiveInt = 2 * 1024 * 1024 * 1024  # a zip may not unpack to more than this
    max_pages_per_file: PositiveInt = 500
    max_image_pixels: PositiveInt = 120_000_000  # ~ A0 at 300 dpi; checked before decoding
    # Cooperative deadlines (see extractors/pages.py): optional work on a page stops after
    # this, and a file's later pages are skipped once the file has taken this long.
    max_seconds_per_page: PositiveFloat = 60.0
    max_seconds_per_file: PositiveFloat = 900.0


class Settings(BaseModel):
    ocr_engine: str = "rapidocr"
    ocr_threads: int = Field(default_factory=lambda: os.cpu_count() or 2)
    # Long side of the image handed to OCR; rapidocr downsizes anything above 2000 px anyway.
    ocr_long_side: int = 2000
    # Reading seals (arc text ~1.3 s a seal; text under seals, another OCR of each seal's
    # neighbourhood) is off by default; detection is always on.
    read_seals: bool = False
    # ...except a contract's party seals: their owners show related parties (~1 s a seal).
    read_contract_seals: bool = True
    limits: Limits = Field(default_factory=Limits)
    home: Path = Field(default_factory=lambda: Path(os.environ.get("DOCINTAKE_HOME", "~/.docintake")))

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        values: dict = {}
        if "DOCINTAKE_OCR_ENGINE" in env:
            values["ocr_engine"] = env["DOCINTAKE_OCR_ENGINE"]
        if "DOCINTAKE_READ_SEALS" in env:
            values["read_seals"] = env["DOCINTAKE_READ_SEALS"].lower() in ("1", "true", "yes")
        if "DOCINTAKE_READ_CONTRACT_SEALS" in env:
            flag = env["DOCINTAKE_READ_CONTRACT_SEALS"].lower()
            values["read_contract_seals"] = flag in ("1", "true", "yes")
        if "DOCINTAKE_OCR_THREADS" in env:
            values["ocr_threads"] = env["DOCINTAKE_OCR_THREADS"]
        limits = {
            name: env[f"DOCINTAKE_{name.upper()}"]
            for name in Limits.model_fields
            if f"DOCINTAKE_{name.upper()}" in env
        }
        try:
            return cls(**values, limits=Limits(**limits))
        except ValidationError as exc:
            bad = ", ".join(f"DOCINTAKE_{str(e['loc'][-1]).upper()}" for e in exc.errors())
            raise ConfigError(f"环境变量取值无效：{bad}（须为正数）") from None
