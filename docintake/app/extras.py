"""Optional extras: the sample generator's libraries ship in `docintake[samples]`, not with the product.

Only the `samples` and `bench` commands (and `bench-batch`) need them; without the extra they end
with exit 2 and a Chinese message instead of a traceback.
"""

from rich.markup import escape

from docintake.app.console import err

# Imported only by samples/generator; keep in step with the `samples` extra in pyproject.toml.
SAMPLES_MODULES = ("qrcode",)
SAMPLES_HINT = ("样例生成器所需的库未安装（缺少 {missing}）。"
                "请安装可选依赖：pip install 'docintake[samples]'（开发环境：pip install -e '.[dev]'）")


def samples_available() -> bool:
    """True when the sample generator imports; otherwise say what to install and return False."""
    try:
        import docintake.samples.generator  # noqa: F401
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in SAMPLES_MODULES:
            raise
        # unwrapped, so the install command stays whole on the screen
        err.print("[red]错误：[/red]" + escape(SAMPLES_HINT.format(missing=missing)), soft_wrap=True)
        return False
    return True
