"""`docintake bench-batch`: throughput of `docintake batch` over generated bundles.

Each configuration is a real `docintake batch` process on a fresh outbox, history and PREFECT_HOME
(so no OCR cache is shared): plain Python one bundle at a time, the Prefect flow with 1 and with 2
worker processes, and the 2-worker run again with its OCR cache warm. Prefect overhead per bundle is
(Prefect with 1 worker - plain) / bundles: API round trips, worker processes, start-up amortised.
`--kill` also kills -9 a 2-worker batch part-way, reruns it and checks every report exists once.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from docintake.pipeline.history import History

console = Console(stderr=True)
DOCINTAKE = str(Path(sys.executable).parent / "docintake")


def _reports(out: Path) -> list[Path]:
    return sorted(out.rglob("report.json"))


def _env(prefect_home: Path) -> dict:
    return os.environ | {"PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                         "PREFECT_LOGGING_LEVEL": "WARNING"}


def _cmd(inbox: Path, run: Path, *extra: str) -> list[str]:
    return [DOCINTAKE, "batch", str(inbox), "--out", str(run / "out"), "--history",
            str(run / "history.sqlite"), "--settle", "0", *extra]


def _run(inbox: Path, run: Path, prefect_home: Path, *extra: str) -> dict:
    shutil.rmtree(run / "out", ignore_errors=True)
    (run / "history.sqlite").unlink(missing_ok=True)
    run.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(_cmd(inbox, run, *extra), env=_env(prefect_home), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    reports = _reports(run / "out")
    pages = sum(f["pages"] for r in reports for f in json.loads(r.read_text(encoding="utf-8"))["files"])
    if proc.returncode != 0:
        console.print(proc.stderr[-2000:])
    # The machine's 1-minute load at the end: figures from a shared machine need it to be read.
    return {"seconds": seconds, "bundles": len(reports), "pages": pages, "exit": proc.returncode,
            "load": round(os.getloadavg()[0], 1)}


def _kill_and_rerun(inbox: Path, run: Path, count: int) -> dict:
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    home = run / "prefect"
    proc = subprocess.Popen(_cmd(inbox, run, "--workers", "2"), env=_env(home), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    while len(_reports(run / "out")) < max(1, count * 2 // 5) and proc.poll() is None:
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = len(_reports(run / "out"))
    rerun = subprocess.run(_cmd(inbox, run, "--workers", "2"), env=_env(home), capture_output=True, text=True)
    reports = _reports(run / "out")
    names = [r.parent.name for r in reports]
    return {"at_kill": at_kill, "after_rerun": len(reports), "unique": len(set(names)) == len(names),
            "partials": len(list((run / "out").rglob("*.part"))),
            "history": History(str(run / "history.sqlite")).submission_count(), "exit": rerun.returncode}


def run_batch_bench(out: Path, count: int = 20, seed: int = 20261122, keep: bool = False,
                    kill: bool = False) -> int:
    from docintake.samples.generator import generate_corpus

    inbox = out / "inbox"
    if not (keep and inbox.exists()):
        shutil.rmtree(inbox, ignore_errors=True)
        console.print(f"生成 {count} 个样例材料包 …")
        generate_corpus(inbox, count, seed, jobs=2)
    rows = [("plain, 1 at a time", "plain", ["--plain"], "p1"),
            ("Prefect, 1 worker", "w1", ["--workers", "1"], "p1"),
            ("Prefect, 2 workers", "w2", ["--workers", "2"], "p2"),
            ("Prefect, 2 workers, OCR cache warm", "w2", ["--workers", "2"], "p2")]
    figures = {}
    for label, run, extra, home in rows:
        if label == rows[1][0] or label == rows[2][0]:
            shutil.rmtree(out / home, ignore_errors=True)  # cold cache for the measured runs
        console.print(f"运行：{label} …")
        figures[label] = _run(inbox, out / run, out / home, *extra)
    table = Table(title=f"docintake batch over {count} generated bundles ({os.cpu_count()} cores)")
    for col in ("configuration", "bundles", "pages", "seconds", "bundles/min", "pages/s", "load"):
        table.add_column(col, justify="right" if col != "configuration" else "left")
    for label, f in figures.items():
        table.add_row(label, str(f["bundles"]), str(f["pages"]), f"{f['seconds']:.1f}",
                      f"{60 * f['bundles'] / f['seconds']:.2f}", f"{f['pages'] / f['seconds']:.2f}",
                      str(f["load"]))
    console.print(table)
    plain, one = figures[rows[0][0]], figures[rows[1][0]]
    overhead = (one["seconds"] - plain["seconds"]) / max(1, count)
    console.print(f"Prefect overhead per bundle (1 worker vs plain): {overhead:.2f} s")
    # The same difference on born-digital bundles (no OCR): little work besides Prefect's, so a load
    # swing between the two runs cannot hide or invent the overhead.
    digital = out / "digital-inbox"
    if not (keep and digital.exists()):
        from docintake.samples.generator import generate_bundle
        from docintake.samples.generator.api import corpus_jobs

        shutil.rmtree(digital, ignore_errors=True)
        for programme, sub in corpus_jobs(count, seed + 1):
            generate_bundle(digital, programme, sub, render="born_digital")
    d_plain = _run(digital, out / "d-plain", out / "d-home", "--plain")
    shutil.rmtree(out / "d-home", ignore_errors=True)
    d_one = _run(digital, out / "d-w1", out / "d-home", "--workers", "1")
    d_overhead = (d_one["seconds"] - d_plain["seconds"]) / max(1, count)
    console.print(f"Prefect overhead per bundle on {count} born-digital bundles: {d_overhead:.2f} s "
                  f"(plain {d_plain['seconds']:.1f} s, Prefect 1 worker {d_one['seconds']:.1f} s, "
                  f"incl. starting the ephemeral API once)")
    result = {"figures": figures, "prefect_overhead_per_bundle_s": round(overhead, 3),
              "born_digital": {"plain": d_plain, "prefect_1_worker": d_one,
                               "prefect_overhead_per_bundle_s": round(d_overhead, 3)}}
    if kill:
        console.print("kill -9 part-way through a 2-worker batch, then rerun …")
        k = _kill_and_rerun(inbox, out / "kill", count)
        ok = k["after_rerun"] == count and k["unique"] and not k["partials"] and k["history"] == count
        console.print(f"kill -9 at {k['at_kill']} reports; after rerun {k['after_rerun']} reports, "
                      f"{k['partials']} partial files, {k['history']} history records: "
                      f"{'每个报告恰好一份' if ok else '不一致！'}")
        result["kill"] = k | {"ok": ok}
    (out / "bench-batch.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(f["exit"] == 0 and f["bundles"] == count for f in figures.values()) else 1
