"""Score seal detection/reading on generated bundles:

    python -m docintake.app.bench_seals [N] [--seed S] [--long-side PX] [--misses]

--long-side rescales every page image (and its truth) first, to check that reading does not
depend on the render size; --misses prints each wrong owner read.

Also home of the loaders the tests use: pages of a generated bundle as BGR images together with
their truth seals converted to pixels of that image.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import cv2
import numpy as np

from docintake.extractors.seals import box_iou

PDF_DPI = 150
PROGRAMMES = [
    "etown-model-voucher-2026h1",
    "shenzhen-model-voucher-2025",
    "nanshan-model-voucher-2026q1",
    "nanshan-ai-plus-2026",
    "longgang-model-app-2025",
]


def _read_file(data: bytes, name: str) -> list[tuple[np.ndarray, float]]:
    """All pages of one stored file as (BGR image, pixels per PDF point)."""
    if name.lower().endswith(".pdf"):
        import pymupdf

        doc = pymupdf.open(stream=data, filetype="pdf")
        out = []
        for page in doc:
            pix = page.get_pixmap(dpi=PDF_DPI)
            img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
            img = cv2.cvtColor(img, cv2.COLOR_RGBA2BGR if pix.n == 4 else cv2.COLOR_RGB2BGR)
            out.append((img, PDF_DPI / 72))
        return out
    from PIL import Image, ImageSequence

    im = Image.open(io.BytesIO(data))
    return [(cv2.cvtColor(np.asarray(f.convert("RGB")), cv2.COLOR_RGB2BGR), 0.0)
            for f in ImageSequence.Iterator(im)]


def bundle_pages(root: Path, truth: dict) -> list[dict]:
    """[{file, page, image, seals: [{kind, text, bbox(px)}]}] for every page of a generated bundle."""
    folder = root / truth["programme"] / truth["bundle"]
    if folder.suffix == ".zip":
        zf = zipfile.ZipFile(folder)
        blobs = {Path(n).name: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    else:
        blobs = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    seals: dict[tuple[str, int], list[dict]] = {}
    for doc in truth["documents"]:
        for s in doc.get("seals", []):
            seals.setdefault((s["file"], s["page"]), []).append(s)
    pages = []
    for f in truth["files"]:
        if f.get("unreadable") or f["name"] not in blobs:
            continue
        images = _read_file(blobs[f["name"]], f["name"])
        for meta, (img, scale) in zip(f["pages"], images, strict=False):
            if not scale:  # image file: points = pixels * 72 / dpi
                scale = (meta.get("dpi") or 72) / 72
            truth_seals = [
                {**s, "bbox": tuple(v * scale for v in s["bbox"])}
                for s in seals.get((f["name"], meta["page"]), [])
            ]
            pages.append({"file": f["name"], "page": meta["page"], "render": meta.get("render"),
                          "image": img, "seals": truth_seals})
    return pages


iou = box_iou  # the evaluation's name for it


def generate(out: Path, programme: str, seed: int, render: str | None) -> list[dict]:
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(out, programme, seed, render=render)
    return bundle_pages(out, truth)


def _rescale(page: dict, long_side: int) -> dict:
    img = page["image"]
    f = long_side / max(img.shape[:2])
    img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
    seals = [{**s, "bbox": tuple(v * f for v in s["bbox"])} for s in page["seals"]]
    return {**page, "image": img, "seals": seals}


def evaluate(n: int = 10, seed: int = 100, out: Path | None = None, read: bool = True,
             long_side: int | None = None, misses: bool = False) -> dict:
    """Run find_seals over n generated bundles (renders cycle scan / photo / born_digital)."""
    from docintake.extractors.ocr import get_engine
    from docintake.extractors.seals import find_seals
    from docintake.extractors.seals.read import normalise

    engine = get_engine("rapidocr", 2) if read else None
    out = out or Path(tempfile.mkdtemp(prefix="seals-eval-"))
    c = dict.fromkeys(["seals", "found", "kind_ok", "owner_n", "owner_ok", "paging", "paging_found",
                       "false_pos", "pages", "read_n"], 0)
    det_ms: list[float] = []
    read_s = read_cpu = 0.0
    renders = ["scan", "photo", "born_digital"]
    per = {r: dict.fromkeys(["owner_n", "owner_ok", "read_n", "read_s"], 0) for r in renders}
    for i in range(n):
        pages = generate(out, PROGRAMMES[i % len(PROGRAMMES)], seed + i, renders[i % 3])
        pr = per[renders[i % 3]]
        for p in pages:
            p = _rescale(p, long_side) if long_side else p
            t = time.perf_counter()
            find_seals(p["image"])
            det_ms.append((time.perf_counter() - t) * 1000)
            t, cpu = time.perf_counter(), time.process_time()
            hits = find_seals(p["image"], engine) if read else find_seals(p["image"])
            read_cpu += time.process_time() - cpu
            read_s += time.perf_counter() - t
            pr["read_s"] += time.perf_counter() - t
            c["read_n"] += sum(h.shape != "slice" for h in hits)
            pr["read_n"] += sum(h.shape != "slice" for h in hits)
            c["pages"] += 1
            used = set()
            for s in p["seals"]:
                best = max(range(len(hits)), key=lambda k: iou(hits[k].bbox, s["bbox"]), default=None)
                ok = best is not None and iou(hits[best].bbox, s["bbox"]) >= 0.3
                c["seals"] += 1
                c["paging"] += s["kind"] == "paging_seal"
                if not ok:
                    continue
                used.add(best)
                h = hits[best]
                c["found"] += 1
                c["paging_found"] += s["kind"] == "paging_seal"
                c["kind_ok"] += h.kind == s["kind"]
                if s["kind"] != "paging_seal":
                    good = normalise(h.owner or "") == normalise(s["owner"])
                    c["owner_n"] += 1
                    c["owner_ok"] += good
                    pr["owner_n"] += 1
                    pr["owner_ok"] += good
                    if misses and not good:
                        print(f"  miss {p['render']} {p['file']} p{p['page']} {s['kind']}: "
                              f"{h.owner!r} != {s['owner']!r}")
            c["false_pos"] += len(hits) - len(used)
    return {
        "pages": c["pages"],
        "seal_recall": c["found"] / max(c["seals"], 1),
        "kind_accuracy": c["kind_ok"] / max(c["found"], 1),
        "owner_exact": c["owner_n"] and c["owner_ok"] / c["owner_n"],
        "paging_recall": c["paging_found"] / max(c["paging"], 1),
        "false_positives": c["false_pos"],
        "detect_ms_per_page": sum(det_ms) / max(len(det_ms), 1),
        "detect_ms_max": max(det_ms, default=0.0),
        "read_s_per_seal": read_s / max(c["read_n"], 1),
        "read_cpu_s_per_seal": read_cpu / max(c["read_n"], 1),  # wall time suffers on a shared machine
        **{f"owner_exact_{r}": v["owner_ok"] / max(v["owner_n"], 1) for r, v in per.items()},
        **{f"read_s_per_seal_{r}": v["read_s"] / max(v["read_n"], 1) for r, v in per.items()},
        "counts": c,
    }


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=10)
    ap.add_argument("--seed", type=int, default=100)
    ap.add_argument("--long-side", type=int)
    ap.add_argument("--misses", action="store_true")
    a = ap.parse_args()
    res = evaluate(a.n, a.seed, long_side=a.long_side, misses=a.misses)
    for key, val in res.items():
        print(f"{key:20s} {val:.3f}" if isinstance(val, float) else f"{key:20s} {val}")
