"""Run-time settings with safe defaults; every one can be set from the environment (DOCINTAKE_*)."""

import os
from pathlib import Path

from pydantic import BaseModel, Field


class Limits(BaseModel):
    """Guards against hostile or absurd input: each breach becomes a finding, never a crash."""

    max_files: int = 2000
    max_file_bytes: int = 512 * 1024 * 1024
    max_unpacked_bytes: int = 2 * 1024 * 1024 * 1024  # a zip may not unpack to more than this
    max_pages_per_file: int = 500
    max_image_pixels: int = 120_000_000  # ~ A0 at 300 dpi


class Settings(BaseModel):
    ocr_engine: str = "rapidocr"
    ocr_threads: int = Field(default_factory=lambda: os.cpu_count() or 2)
    # Long side of the image handed to OCR; rapidocr downsizes anything above 2000 px anyway.
    ocr_long_side: int = 2000
    # Reading seals (arc text ~1.3 s a seal; text under seals, another OCR of each seal's
    # neighbourhood) is off by default; detection is always on.
    read_seals: bool = False
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
        if "DOCINTAKE_OCR_THREADS" in env:
            values["ocr_threads"] = int(env["DOCINTAKE_OCR_THREADS"])
        limits = {
            name: int(env[f"DOCINTAKE_{name.upper()}"])
            for name in Limits.model_fields
            if f"DOCINTAKE_{name.upper()}" in env
        }
        return cls(**values, limits=Limits(**limits))
