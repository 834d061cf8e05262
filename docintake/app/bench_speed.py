"""`docintake bench-speed`: the pipeline's wall time per bundle against bare OCR of the same pages.

Bundles come from a validation set (SET/manifest.json) or a generated corpus (*.truth.json). Each
bundle is checked in this process as `docintake check` does (steps, report built and serialised);
right after, bare RapidOCR (the same model files, rapidocr's defaults otherwise) reads every page
without a text layer, decoded at its native resolution as a user calling the engine would. The
figures: per bundle both times and their ratio; over all bundles the ratio, each step's and each
page pass's seconds, the seconds of a born-digital, a blank and a scanned page; start-up (imports
and model loading) and the peak RSS of `docintake check` on the largest bundle, each in a fresh
process. Written to OUT/speed.json and OUT/speed.md; nothing is asserted.
"""

import functools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image, ImageOps
from rich.console import Console
from rich.table import Table

from docintake.app.bench_results import write_results
from docintake.app.service_cli import history_for_check, record_check
from docintake.core.datamodel import Bundle, Page, TextSource
from docintake.core.files import report_json, write_atomic
from docintake.core.memory import keep_freed_memory
from docintake.core.settings import Limits, Settings, env_name
from docintake.extractors.ingest import open_bundle
from docintake.extractors.render import render_at
from docintake.pipeline.run import build_report, process_bundle

console = Console(stderr=True)
DOCINTAKE = str(Path(sys.executable).parent / "docintake")
# What `check` costs before its first page: imports and OCR models, in a fresh interpreter.
_STARTUP = """
import sys, time
t = time.perf_counter()
from docintake.app.cli import main  # noqa: F401
from docintake.pipeline.run import check_bundle  # noqa: F401
imported = time.perf_counter() - t
from docintake.core.settings import Settings
from docintake.extractors.ocr import get_engine
s = Settings()
t = time.perf_counter()
get_engine(s.ocr_engine, s.ocr_threads, s.ocr_model_dirs)
loaded = time.perf_counter() - t
heavy = sorted(m for m in ("prefect", "fastapi", "sqlalchemy", "uvicorn", "playwright") if m in sys.modules)
print(imported, loaded, ",".join(heavy))
"""


_LAUNCH = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def bundles_in(source: Path) -> list[tuple[Path, str]]:
    """(bundle path, programme) of a validation set or of a generated corpus, in name order."""
    manifest = source / "manifest.json"
    if manifest.is_file():
        rows = json.loads(manifest.read_text(encoding="utf-8"))["bundles"]
        return [(source / r["programme"] / r["bundle"], r["programme"])
                for r in sorted(rows, key=lambda r: r["bundle"])]
    found = []
    for truth_file in sorted(source.rglob("*.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        found.append((truth_file.parent / truth["bundle"], truth["programme"]))
    return found


def registry_of(source: Path) -> Path | None:
    """The set's own filings (its models are fictional), imported as run.sh and `bench` do."""
    return next((p for p in (source / "filings.csv", source / "bundles" / "filings.csv") if p.is_file()),
                None)


def native_image(path: Path, page: int) -> np.ndarray:
    """A page as a user would hand it to the engine: an image file decoded whole (turned by its
    EXIF), a scanned PDF page rendered at the resolution of its largest image (300 dpi without)."""
    if path.suffix.lower() == ".pdf":
        with pymupdf.open(path) as doc:
            pdf_page = doc[page - 1]
            infos = [i for i in pdf_page.get_image_info() if i["bbox"][2] > i["bbox"][0]]
            widest = max(infos, key=lambda i: i["width"] * i["height"], default=None)
            zoom = widest["width"] / (widest["bbox"][2] - widest["bbox"][0]) if widest else 300 / 72
            return render_at(pdf_page, zoom)
    with Image.open(path) as img:
        img.seek(page - 1)
        frame = (ImageOps.exif_transpose(img) or img).convert("RGB")
        return np.ascontiguousarray(np.asarray(frame)[:, :, ::-1])


def bare_engine():
    """RapidOCR as a user would create it, given the model files the pipeline reads with."""
    import rapidocr
    from rapidocr import RapidOCR

    models = Path(rapidocr.__file__).parent / "models"
    return RapidOCR(params={"Global.log_level": "error",
                            "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                            "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                            "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx")})


def unlayered(bundle: Bundle) -> list[Page]:
    """The pages with no text layer (scans and photos, blank ones included) of image and PDF files."""
    formats = {f.name: f.format for f in bundle.files}
    return [p for p in bundle.pages
            if p.text_source != TextSource.text_layer and formats.get(p.source) not in ("ofd", "xml")]


def bare_page_seconds(path: Path, page: int, engine) -> float:
    """Seconds `engine` (bare_engine) takes to read one page, decoded (untimed) at its native size."""
    image = native_image(path, page)
    start = time.perf_counter()
    engine(image)
    return time.perf_counter() - start


def _bare_seconds(engine, bundle: Bundle, limits: Limits) -> float:
    with tempfile.TemporaryDirectory(prefix="docintake-bare-") as tmp:  # a zip's members, unpacked
        paths = {f.name: f.path for f in open_bundle(bundle.path, Path(tmp), limits)}
        return sum(bare_page_seconds(paths[page.source], page.page, engine) for page in unlayered(bundle))


@functools.cache
def _child_engine():
    return bare_engine()  # once per process: BareOcrProcess's child


def _bare_in_child(path: str, page: int) -> float:
    return bare_page_seconds(Path(path), page, _child_engine())


class BareOcrProcess:
    """bare_page_seconds in a child process of its own, started at the first page: what bare
    RapidOCR holds for a page at its native size (~2 GB for a 12 MP photo) stays out of the
    caller's peak RSS. The child keeps freed memory as docintake's processes do."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def seconds(self, path: Path, page: int) -> float:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=keep_freed_memory)
        return self._pool.submit(_bare_in_child, str(path), page).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _in_fresh_process(args: list[str]) -> tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout, time.perf_counter() - start


def _peak_check(path: Path, programme: str, registry: Path | None, work: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a real `docintake check` of one bundle in its own process.
    Started from a small launcher: a child forked from this big process would count its pages."""
    cmd = [DOCINTAKE, "check", str(path), "--programme", programme, "--json", str(work / "rss.json"),
           "--no-history", "-q"]
    env = os.environ | {env_name("home"): str(work / "rss-home")}
    if registry:
        env[env_name("registry_csv")] = str(registry)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *cmd], check=True, env=env, capture_output=True,
                          text=True)
    return time.perf_counter() - start, float(done.stdout.split()[-1])


def run_speed(source: Path, out: Path, settings: Settings, limit: int | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    pairs = bundles_in(source)[:limit]
    if not pairs:
        console.print(f"[red]错误：[/red]{source} 中没有材料包（manifest.json 或 *.truth.json）")
        return 2
    registry = registry_of(source)
    settings = settings.model_copy(update={"registry_csv": registry or settings.registry_csv,
                                           "home": out / "home"})
    stdout, _ = _in_fresh_process([sys.executable, "-c", _STARTUP])
    imported, loaded, heavy = stdout.split()[0], stdout.split()[1], (stdout.split()[2:] or [""])[0]
    engine = bare_engine()
    rows, steps, passes, kinds = [], Counter(), Counter(), {"born_digital": [], "blank": [], "scanned": []}
    history = str(out / "history.sqlite")  # one fresh store, bundles in name order, as run.sh checks them
    Path(history).unlink(missing_ok=True)
    for path, programme in pairs:
        start = time.perf_counter()
        bundle = process_bundle(path, programme, settings)
        report, store = history_for_check(build_report(bundle), history)
        saved = out / "reports" / f"{path.name}.json"  # for the set's scorer (score.py --reports)
        write_atomic(saved, report_json(report))
        if store is not None:
            record_check(store, report, saved)
        wall = time.perf_counter() - start
        bare = _bare_seconds(engine, bundle, settings.limits)
        rows.append({"bundle": path.name, "pages": len(bundle.pages), "unlayered": len(unlayered(bundle)),
                     "pipeline_seconds": wall, "bare_ocr_seconds": bare,
                     "ratio": wall / bare if bare else None,
                     "timings": {k: round(v, 3) for k, v in bundle.timings.items()}})
        for name, seconds in bundle.timings.items():
            (passes if name.startswith("read_text.") else steps)[name.removeprefix("read_text.")] += seconds
        for page in bundle.pages:
            kind = ("blank" if page.blank else "born_digital" if page.text_source == TextSource.text_layer
                    else "scanned")
            kinds[kind].append(page.seconds)
        console.print(f"{path.name}: {wall:.1f} s, bare OCR {bare:.1f} s"
                      + (f", {wall / bare:.2f}×" if bare else ""))
    largest = pairs[max(range(len(rows)), key=lambda i: rows[i]["pages"])]  # the most pages
    with tempfile.TemporaryDirectory(prefix="docintake-speed-") as tmp:
        rss_wall, rss = _peak_check(*largest, registry, Path(tmp))
    total, bare = sum(r["pipeline_seconds"] for r in rows), sum(r["bare_ocr_seconds"] for r in rows)
    results = {
        "source": str(source), "bundles": len(rows), "rows": rows,
        "pipeline_seconds": total, "bare_ocr_seconds": bare, "ratio": total / bare if bare else None,
        "steps": dict(steps.most_common()), "page_passes": dict(passes.most_common()),
        "page_seconds": {k: (statistics.mean(v) if v else None, len(v)) for k, v in kinds.items()},
        "startup_import_seconds": float(imported), "startup_model_seconds": float(loaded),
        "startup_heavy_modules": [m for m in heavy.split(",") if m],
        "check_peak_rss_mb": rss, "check_peak_rss_bundle": largest[0].name, "check_peak_rss_wall": rss_wall,
        "ocr_threads": settings.ocr_threads,
    }
    (out / "speed.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    shown = Console(record=True)
    _print(results, shown)
    write_results(out, shown.export_text(), seed=None, count=len(rows), name="speed.md",
                  command=f"docintake bench-speed {source} --out {out}")
    return 0


def _print(r: dict, out: Console) -> None:
    per = Table(title=f"流水线 vs 裸 OCR（{r['source']}）")
    for column in ("材料包", "页", "无文字层页", "流水线 s", "裸 OCR s", "倍数"):
        per.add_column(column)
    for row in r["rows"]:
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] else "n/a"
        per.add_row(row["bundle"], str(row["pages"]), str(row["unlayered"]), f"{row['pipeline_seconds']:.1f}",
                    f"{row['bare_ocr_seconds']:.1f}", ratio)
    ratio = f"{r['ratio']:.3f}×" if r["ratio"] else "n/a"
    per.add_row("合计", "", "", f"{r['pipeline_seconds']:.1f}", f"{r['bare_ocr_seconds']:.1f}", ratio)
    out.print(per)
    parts = Table(title="各步骤耗时（秒，全部材料包合计）")
    parts.add_column("步骤")
    parts.add_column("秒")
    for name, seconds in r["steps"].items():
        parts.add_row(name, f"{seconds:.2f}")
    for name, seconds in r["page_passes"].items():
        parts.add_row(f"  页面 · {name}", f"{seconds:.2f}")
    out.print(parts)
    for kind, (mean, n) in r["page_seconds"].items():
        out.print(f"{kind} 页平均：" + (f"{mean * 1000:.0f} ms（{n} 页）" if mean is not None else "n/a"))
    heavy = "、".join(r["startup_heavy_modules"]) or "无"
    out.print(f"启动：导入 {r['startup_import_seconds']:.2f} s，加载模型 {r['startup_model_seconds']:.2f} s；"
              f"check 导入的重模块：{heavy}")
    out.print(f"check 峰值内存：{r['check_peak_rss_mb']:.0f} MB（{r['check_peak_rss_bundle']}，"
              f"{r['check_peak_rss_wall']:.1f} s）；OCR 线程 {r['ocr_threads']}")
