"""Self-checks of a generated bundle against its truth file (used by the tests)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pymupdf
from PIL import Image, ImageSequence

from .ids import uscc_valid
from .scenario import PROGRAMMES


def load(truth_path: Path) -> tuple[dict, dict[str, bytes]]:
    truth = json.loads(Path(truth_path).read_text("utf-8"))
    root = Path(truth_path).parent / truth["bundle"]
    if truth["bundle"].endswith(".zip"):
        with zipfile.ZipFile(root) as z:
            blobs = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    else:
        blobs = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return truth, blobs


def page_sizes(fmt: str, data: bytes) -> list[tuple[float, float]]:
    """Page sizes in points, as a reader would see them."""
    if fmt == "pdf":
        with pymupdf.open(stream=data, filetype="pdf") as d:
            return [(p.rect.width, p.rect.height) for p in d]
    im = Image.open(io.BytesIO(data))
    out = []
    for fr in ImageSequence.Iterator(im):
        dpi = fr.info.get("dpi", (72, 72))[0] or 72
        out.append((fr.width * 72 / float(dpi), fr.height * 72 / float(dpi)))
    return out


def check(truth_path: Path) -> list[str]:
    """Return a list of problems (empty when the bundle and its truth agree)."""
    t, blobs = load(truth_path)
    errs: list[str] = []
    names = {f["name"] for f in t["files"]}
    if names != set(blobs):
        errs.append(f"file list differs: {sorted(names ^ set(blobs))}")
    docs = {d["id"]: d for d in t["documents"]}
    seen: dict[str, list] = {d: [] for d in docs}
    sizes = {}
    for f in t["files"]:
        if f.get("unreadable"):
            continue
        try:
            sz = page_sizes(f["format"], blobs[f["name"]])
        except Exception as e:
            errs.append(f"{f['name']}: cannot open ({e})")
            continue
        if len(sz) != len(f["pages"]):
            errs.append(f"{f['name']}: {len(sz)} pages, truth says {len(f['pages'])}")
        for p in f["pages"]:
            sizes[(f["name"], p["page"])] = sz[p["page"] - 1] if p["page"] <= len(sz) else None
            if p["doc"] not in docs:
                errs.append(f"{f['name']} p{p['page']}: unknown doc {p['doc']}")
            else:
                seen[p["doc"]].append([f["name"], p["page"]])
    for d in docs.values():
        if sorted(map(tuple, d["pages"])) != sorted(map(tuple, seen[d["id"]])):
            errs.append(f"{d['id']}: pages {d['pages']} vs files {seen[d['id']]}")
        for s in d["seals"]:
            sz = sizes.get((s["file"], s["page"]))
            if sz is None:
                errs.append(f"{d['id']}: seal on missing page {s['file']} p{s['page']}")
            elif s["bbox"] is not None:
                x0, y0, x1, y1 = s["bbox"]
                if not (
                    x1 > x0
                    and y1 > y0
                    and x0 > -sz[0] * 0.2
                    and y0 > -sz[1] * 0.2
                    and x1 < sz[0] * 1.2
                    and y1 < sz[1] * 1.2
                ):
                    errs.append(f"{d['id']}: seal bbox {s['bbox']} outside page {sz}")
    if not t["defects"]:
        errs += clean_rules(t)
    return errs


def clean_rules(t: dict) -> list[str]:
    errs = []
    prog = PROGRAMMES[t["programme"]]
    by = {}
    for d in t["documents"]:
        by.setdefault(d["doc_type"], []).append(d["fields"])
    if not uscc_valid(t["applicant"]["uscc"]) or not uscc_valid(t["provider"]["uscc"]):
        errs.append("invalid USCC in a clean bundle")
    for need in prog["required"]:
        if need not in by and not (need == "cac_filing" and "security_assessment" in by):
            errs.append(f"clean bundle lacks {need}")
    inv = round(sum(x["total_amount"] for x in by.get("invoice", [])), 2)
    if "invoice" in by and "payment_proof" in by:
        pay = round(sum(x["amount"] for x in by["payment_proof"]), 2)
        if pay != inv:
            errs.append(f"payments {pay} != invoices {inv}")
    if "invoice" in by:
        for x in by["invoice"]:
            if x["buyer_name"] != t["applicant"]["name"] or x["buyer_uscc"] != t["applicant"]["uscc"]:
                errs.append("invoice buyer differs from applicant")
        c = by["contract"][0]["contract_amount"]
        if c + 0.005 < inv:
            errs.append(f"contract {c} < invoices {inv}")
        for u in by.get("usage_statement", []):
            if round(u["total_amount"], 2) != inv:
                errs.append(f"usage {u['total_amount']} != invoices {inv}")
    w0, w1 = (d.isoformat() for d in prog["window"])
    for dt, field in prog["date_checks"].items():
        for x in by.get(dt, []):
            if not w0 <= x[field] <= w1:
                errs.append(f"{dt}.{field} {x[field]} outside {w0}..{w1}")
    return errs
