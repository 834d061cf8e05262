"""Run-time settings with safe defaults: the one place that reads DOCINTAKE_* from the environment.

`Settings.from_env()` is called once where a process starts (the CLI's `main()`, a Prefect flow run
on a worker) and the object is passed down; no other module looks at the environment. Every field
`x` is the variable DOCINTAKE_X; the Limits keep their flat names (DOCINTAKE_MAX_FILES, not
DOCINTAKE_LIMITS__MAX_FILES). An invalid value is a ConfigError naming each bad variable.
"""

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, PositiveFloat, PositiveInt, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PREFIX = "DOCINTAKE_"


# The engines an operator may name (tests plug others into the engine registry, by argument).
OCR_ENGINES = ("rapidocr", "paddleocr")


class ConfigError(ValueError):
    """A DOCINTAKE_* setting is not a valid value (message in Chinese, for the operator)."""


_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


def _flag(value: Any) -> Any:
    """1/true/yes or 0/false/no (any case), as documented; anything else is an error, never a
    silent "false" (`maybe`, `on`, a typo)."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError("not a flag")
    return value


Flag = Annotated[bool, BeforeValidator(_flag)]


class Limits(BaseModel):
    """Guards against hostile or absurd input: each breach becomes a finding, never a crash."""

    max_files: PositiveInt = Field(
        2000, description="Files in one bundle; a bundle with more is refused (unusable, exit 2).")
    max_file_bytes: PositiveInt = Field(
        512 * 1024 * 1024, description="Bytes of one file (512 MiB); a bigger one is reported unreadable.")
    max_unpacked_bytes: PositiveInt = Field(  # a zip may not unpack to more than this
        2 * 1024 * 1024 * 1024, description="Bytes a zip may unpack to in all (2 GiB): zip-bomb guard.")
    max_pages_per_file: PositiveInt = Field(
        500, description="Pages read of one file; later pages are left out with a note.")
    max_image_pixels: PositiveInt = Field(  # ~ A0 at 300 dpi; checked before decoding
        120_000_000, description="Pixels of one image (about A0 at 300 dpi), checked before decoding; "
                                 "a bigger one is not decoded.")
    # Cooperative deadlines (see extractors/pages.py): optional work on a page stops after
    # this, and a file's later pages are skipped once the file has taken this long.
    max_seconds_per_page: PositiveFloat = Field(
        60.0, description="Seconds for one page; optional passes (seals, image regions) stop after this.")
    max_pages_per_bundle: PositiveInt = Field(
        1000, description="Pages of one bundle; a bundle with more is refused with a finding, not read.")
    max_seconds_per_file: PositiveFloat = Field(
        900.0, description="Seconds for one file; its later pages are skipped once it has taken this long.")


class _FlatLimits(PydanticBaseSettingsSource):
    """DOCINTAKE_MAX_FILES, DOCINTAKE_MAX_PAGES_PER_FILE ...: the Limits under their own names."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ builds the whole value

    def __call__(self) -> dict[str, Any]:
        env = {k.upper(): v for k, v in os.environ.items()}
        found = {name: env[_var(name)] for name in Limits.model_fields
                 if env.get(_var(name), "") != ""}  # empty = unset, as for every other variable
        return {"limits": found} if found else {}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_ignore_empty=True)

    ocr_engine: str = Field("rapidocr", description="OCR engine: `rapidocr` (models in its wheel) or "
                                                    "`paddleocr` (the `paddle` extra, local models).")
    ocr_threads: PositiveInt = Field(default_factory=lambda: os.cpu_count() or 2,
                                     description="OCR threads of one process; `batch` splits the cores "
                                                 "between its workers.",
                                     json_schema_extra={"shown_default": "CPU cores"})
    # Long side of the image handed to OCR; rapidocr downsizes anything above 2000 px anyway.
    ocr_long_side: PositiveInt = Field(2000, description="Long side in pixels of a page image handed "
                                                         "to OCR.")
    # Reading seals (arc text ~1.3 s a seal; text under seals, another OCR of each seal's
    # neighbourhood) is off by default; detection is always on.
    read_seals: Flag = Field(False, description="Read every seal's arc text (~1.3 s a seal) and the "
                                                "text under it; detection is always on.")
    # ...except party seals, read against the firms the bundle names once its fields are read:
    # whose seal is where shows a related party or a seal of the wrong party (~2 s a bundle).
    # (The name is kept from when only contracts' seals were read.)
    read_contract_seals: Flag = Field(True, description="Read every document's party seals against "
                                                        "the firms the bundle names (whose seal it is), "
                                                        "about 2 s a bundle.")
    limits: Limits = Field(default_factory=Limits)
    # Where the submission history lives unless --history says otherwise.
    home: Path = Field(Path("~/.docintake"), description="Folder of the submission history "
                       "(`history.sqlite`) unless `--history` names a store.")
    # A registry list read at every check besides the store's imported lists: a read-only set-up,
    # or a test corpus whose fictional models must count as filed.
    registry_csv: Path | None = Field(None, description="A CSV in the filing snapshot's columns "
                                      "(`kind,list,seq,region,name,filer,number,filed`) read at every "
                                      "check as part of the CAC filing registry, besides the lists "
                                      "`docintake registry import` keeps in the history store.")
    # docintake serve: how long a login lasts before the reviewer must log in again.
    review_token_hours: PositiveFloat = Field(8.0, description="`docintake serve`: hours a login "
                                              "(bearer token) stays valid.")
    cache_days: PositiveInt = Field(30, description="Days a file's reading is kept in the page cache "
                                    "(`DOCINTAKE_HOME/cache`); older entries are deleted on every run.")
    # paddleocr (optional engine) runs only from local model folders: detection, recognition and
    # (optional) text-line orientation.
    paddle_det_dir: str | None = Field(None, description="paddleocr: local detection model folder.")
    paddle_rec_dir: str | None = Field(None, description="paddleocr: local recognition model folder.")
    paddle_cls_dir: str | None = Field(None, description="paddleocr: local text-line orientation "
                                                         "model folder (optional).")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        # Arguments first (tests, flows), then the environment; no .env or secrets files.
        return init_settings, env_settings, _FlatLimits(settings_cls)

    @property
    def ocr_model_dirs(self) -> tuple[str | None, ...]:
        """Local model folders for the chosen OCR engine (paddleocr: det, rec, cls); () for rapidocr,
        which ships its models."""
        if self.ocr_engine == "paddleocr":
            return self.paddle_det_dir, self.paddle_rec_dir, self.paddle_cls_dir
        return ()

    @classmethod
    def from_env(cls) -> "Settings":
        """The settings of this process: defaults overridden by DOCINTAKE_* variables."""
        try:
            settings = cls()
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None
        if settings.ocr_engine not in OCR_ENGINES:
            raise ConfigError(f"环境变量取值无效：{_var('ocr_engine')}={settings.ocr_engine[:40]}"
                              f"（{_hint('ocr_engine')}）")
        return settings


def _var(name: str) -> str:
    return f"{PREFIX}{name.upper()}"


def env_name(field: str) -> str:
    """The environment variable of a setting, to hand a value to a child process."""
    return _var(field)


def _hint(name: str) -> str:
    field = Limits.model_fields.get(name) or Settings.model_fields.get(name)
    kind = field.annotation if field is not None else None
    if name == "ocr_engine":
        return "可选值：" + "、".join(OCR_ENGINES)
    if kind is bool:
        return "须为 1/true/yes 或 0/false/no"
    if kind is int:
        return "须为正整数"
    if kind is float:
        return "须为正数"
    return "取值格式不正确"


def _explain(exc: ValidationError) -> str:
    """One Chinese line naming each bad variable, its value and what it must be."""
    bad = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        name = loc[1] if loc[:1] == ["limits"] and len(loc) > 1 else loc[0]
        shown = error.get("input")
        value = f"={shown}" if isinstance(shown, str | int | float) and len(str(shown)) <= 40 else ""
        bad.setdefault(_var(name), f"{_var(name)}{value}（{_hint(name)}）")
    return "环境变量取值无效：" + "；".join(bad.values())
