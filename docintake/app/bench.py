"""`docintake bench`: accuracy and speed of the pipeline over generated bundles with ground truth.

Prints per-page doc-type accuracy (overall and per render kind), document grouping accuracy,
seconds per born-digital and per scanned page, bare RapidOCR's time on a sample of the same
scanned pages (as `bench-speed` reads them: rapidocr's defaults, native resolution), and peak
memory. Figures are also written to OUT/bench.json, and what is printed to OUT/results.md with
the date, seed, count and commit (to paste into docs/bench-results.md).
"""

import json
import math
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from docintake.app.bench_findings import print_summary, score_report, summarise
from docintake.app.bench_results import write_results
from docintake.app.bench_speed import BareOcrProcess
from docintake.core.datamodel import Bundle, TextSource
from docintake.core.settings import Settings
from docintake.extractors import values
from docintake.extractors.fields import KEY_FIELDS, load_field_rules
from docintake.extractors.seals import box_iou
from docintake.extractors.values import normalise_name
from docintake.pipeline.run import build_report, process_bundle

console = Console(stderr=True)
BARE_OCR_PER_BUNDLE = 2  # scanned pages re-OCRed bare right after their bundle (same load)


def _truth_pages(truth: dict) -> dict[tuple[str, int], dict]:
    docs = {d["id"]: d for d in truth["documents"]}
    pages = {}
    for file in truth["files"]:
        for page in file.get("pages", []):
            doc = docs.get(page.get("doc"))
            if doc is not None:
                pages[(file["name"], page["page"])] = {"doc_type": doc["doc_type"], **page}
    return pages


def _unreadable_files(truth: dict) -> set[str]:
    return {f["name"] for f in truth["files"] if f.get("unreadable") or f.get("corrupt")}


def score_bundle(bundle: Bundle, truth: dict) -> dict:
    """Compare one processed bundle with its truth: page labels and document page sets."""
    skip = _unreadable_files(truth)
    truth_pages = {k: v for k, v in _truth_pages(truth).items() if k[0] not in skip}
    predicted = {}
    for doc in bundle.documents:
        for ref in doc.parts:
            predicted[(ref.source, ref.page)] = doc.doc_type.value
    by_render: dict[str, list[int]] = defaultdict(list)
    confusions: Counter = Counter()
    for key, page in truth_pages.items():
        ok = predicted.get(key) == page["doc_type"]
        by_render[page.get("render", "?")].append(int(ok))
        if not ok:
            confusions[(page["doc_type"], predicted.get(key, "—"))] += 1
    # a bundle generated in part (generate_bundle's only=) lists every document: those whose files
    # were written are scored
    written = {f["name"] for f in truth["files"]} - skip
    truth_docs = {frozenset((a, b) for a, b in d["pages"]) for d in truth["documents"]
                  if d["pages"] and all(p[0] in written for p in d["pages"])}
    pred_docs = {frozenset((r.source, r.page) for r in d.parts) for d in bundle.documents
                 if not any(r.source in skip for r in d.parts)}
    missed = [{"doc_type": d["doc_type"], "pages": d["pages"]} for d in truth["documents"]
              if frozenset(map(tuple, d["pages"])) in truth_docs - pred_docs]
    extra = [{"doc_type": d.doc_type.value, "pages": [[r.source, r.page] for r in d.parts]}
             for d in bundle.documents if frozenset((r.source, r.page) for r in d.parts)
             in pred_docs - truth_docs]
    return {
        "missed_documents": missed,
        "extra_documents": extra,
        "pages_ok": sum(sum(v) for v in by_render.values()),
        "pages": len(truth_pages),
        "by_render": {k: [sum(v), len(v)] for k, v in by_render.items()},
        "docs_matched": len(truth_docs & pred_docs),
        "docs_denominator": max(len(truth_docs), len(pred_docs)),
        "confusions": [[a, b, n] for (a, b), n in confusions.items()],
    }


def _same_value(kind: str, expected, found) -> bool:

    if found is None:
        return False
    if kind in ("amount",):
        return abs(float(expected) - float(found)) <= 0.01
    if kind == "upper":
        a, b = values.parse_upper_amount(str(expected)), values.parse_upper_amount(str(found))
        return a is not None and a == b
    if kind == "programme_title":  # "…模型券", "…模型券项目" and "…模型券项目申请书" name one programme
        clean = lambda v: values.normalise_name(re.sub(  # noqa: E731  (quotes left at the end are dropped)
            r"(项目)*(申报表|申请书|申报书|申请表|申领表)?$", "", values.normalise_name(str(v))))
        return clean(expected) == clean(found)
    if kind in ("name", "person", "model", "text"):
        return values.normalise_name(str(expected)) == values.normalise_name(str(found))
    return str(expected).upper() == str(found).upper()




def score_fields(bundle: Bundle, truth: dict) -> list[tuple[str, str, str, bool]]:
    """(doc_type, render, field, correct) for every key field of every correctly grouped document."""
    rules = load_field_rules()
    renders = {(f["name"], p["page"]): p.get("render", "?") for f in truth["files"] for p in f["pages"]}
    predicted = {frozenset((r.source, r.page) for r in d.parts): d for d in bundle.documents}
    out = []
    for doc in truth["documents"]:
        found = predicted.get(frozenset(map(tuple, doc["pages"])))
        if found is None or found.doc_type.value != doc["doc_type"]:
            continue
        render = renders.get(tuple(doc["pages"][0]), "?")
        for rule in rules.get(found.doc_type, ()):
            expected = doc["fields"].get(rule.name)
            if expected is None or rule.name not in KEY_FIELDS.get(doc["doc_type"], ()):
                continue
            field = found.fields.get(rule.name)
            ok = _same_value(rule.type, expected, field.value if field else None)
            out.append((doc["doc_type"], render, rule.name, ok))
    return out


def score_seals(bundle: Bundle, truth: dict) -> list[tuple[str, str, bool]]:
    """(truth seal kind, render, found) for seals on pages read in their own frame (not turned or
    warped, not a photo: one left unwarped is still in the camera's frame), where truth and report
    boxes share coordinates; found = a detected box with IoU >= 0.3. Render "grey" is a scan from a
    black-and-white scanner (colour says nothing there)."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    renders = {(f["name"], p["page"]): p.get("render", "?") for f in truth["files"] for p in f["pages"]}
    out = []
    for doc in truth["documents"]:
        for seal in doc.get("seals", []):
            page = pages.get((seal["file"], seal["page"]))
            kind = renders.get((seal["file"], seal["page"]), "?")
            if not seal.get("bbox") or page is None or page.rotation or page.perspective or kind == "photo":
                continue
            box = _deskewed(seal["bbox"], page)
            found = any(box_iou(box, s.bbox) >= 0.3 for s in page.seals if s.bbox)
            render = "grey" if page.grey else kind
            out.append((seal["kind"], render, found))
    return out


def _deskewed(bbox, page) -> tuple[float, float, float, float]:
    """A truth box (page points, as generated) moved into the page's frame after deskew: the page
    was turned by page.skew degrees about its centre on a canvas grown to keep the corners."""
    if not page.skew:
        return tuple(bbox)
    t = math.radians(page.skew)
    c, s, a = math.cos(t), math.sin(t), abs(math.sin(t))
    w = (c * page.width - a * page.height) / (c * c - a * a)  # the canvas before it grew
    h = (c * page.height - a * page.width) / (c * c - a * a)
    cx, cy = (bbox[0] + bbox[2]) / 2 - w / 2, (bbox[1] + bbox[3]) / 2 - h / 2
    nx, ny = c * cx + s * cy + page.width / 2, -s * cx + c * cy + page.height / 2
    hw, hh = (bbox[2] - bbox[0]) / 2, (bbox[3] - bbox[1]) / 2
    return nx - hw, ny - hh, nx + hw, ny + hh


def score_paging(bundle: Bundle, truth: dict) -> list[bool]:
    """Per contract stamped with a 骑缝章: was a slice found on any of its pages."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    out = []
    for doc in truth["documents"]:
        if doc["doc_type"] == "contract" and any(s["kind"] == "paging_seal" for s in doc.get("seals", [])):
            out.append(any(s.kind == "paging_seal" for f, n in doc["pages"]
                           for s in getattr(pages.get((f, n)), "seals", [])))
    return out


def score_seal_precision(bundle: Bundle, truth: dict) -> list[tuple[bool]]:
    """(a truth seal lies there,) for each seal the documents report on pages read in their own
    frame (score_seals' pages): what set-a's scorer calls seal precision, box by box."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    renders = {(f["name"], p["page"]): p.get("render", "?") for f in truth["files"] for p in f["pages"]}
    boxes: dict[tuple[str, int], list] = defaultdict(list)
    for doc in truth["documents"]:
        for seal in doc.get("seals", []):
            boxes[(seal["file"], seal["page"])].append(seal.get("bbox"))
    out = []
    for doc in bundle.documents:
        for seal in doc.seals:
            key = (seal.source or doc.source, seal.page)
            page = pages.get(key)
            flat = page is not None and not (page.rotation or page.perspective or renders.get(key) == "photo")
            if not flat or not seal.bbox:
                continue
            out.append((any(b and box_iou(_deskewed(b, page), seal.bbox) >= 0.3 for b in boxes[key]),))
    return out


def score_owners(bundle: Bundle, truth: dict, doc_types: tuple[str, ...] = ("contract",)
                 ) -> list[tuple[str, bool, bool]]:
    """(render, arc text read exactly, owner right) for the seals of `doc_types` (the party seals of
    contracts by default; empty: every document's); on the pages score_seals matches boxes on, a
    grey scan counted apart. The owner is the name the reading was resolved to
    (extractors.seal_owners), or the owner the text read names; the text is the raw reading."""
    pages = {(p.source, p.page): p for p in bundle.pages}
    out = []
    for doc in truth["documents"]:
        if doc_types and doc["doc_type"] not in doc_types:
            continue
        for seal in doc.get("seals", []):
            page = pages.get((seal["file"], seal["page"]))
            if seal["kind"] == "paging_seal" or not seal.get("bbox") or page is None or page.rotation \
                    or page.perspective:
                continue
            box = _deskewed(seal["bbox"], page)
            hit = max(page.seals, key=lambda s: box_iou(box, s.bbox) if s.bbox else 0, default=None)
            if hit is not None and hit.bbox and box_iou(box, hit.bbox) >= 0.3:
                owner = normalise_name(seal["owner"])
                read = re.sub("(合同|财务|发票)专用章$", "", normalise_name(hit.text))
                named = normalise_name(hit.owner) == owner or (not doc_types
                                                                and owner in normalise_name(hit.text))
                out.append(("grey" if page.grey else doc.get("render", "?"), read == owner, named))
    return out


def _generate(out: Path, count: int, seed: int, keep: bool) -> list[tuple[Path, dict]]:
    corpus = out / "bundles"
    if not (keep and any(corpus.glob("*/*.truth.json"))):
        # In a child process, so the peak memory printed is the pipeline's, not the generator's.
        subprocess.run([sys.executable, "-m", "docintake.samples.generator", "--out", str(corpus), "--count",
                        str(count), "--seed", str(seed), "-q"], check=True)
    pairs = []
    for truth_file in sorted(corpus.glob("*/*.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        bundle = truth_file.parent / truth["bundle"]
        pairs.append((bundle, truth))
    return pairs[:count]


def _import_registry(out: Path) -> str:
    """The corpus's fictional filings imported into the bench's own store (OUT/history.sqlite), as a
    service centre imports a CAC list, so the registry check sees the generated models as filed."""
    from docintake.extractors.registry_lists import read_filing_list
    from docintake.pipeline.history import History
    from docintake.pipeline.registry_store import import_rows
    from docintake.samples.generator import write_registry

    corpus = out / "bundles"
    listed = corpus / "filings.csv"
    if not listed.is_file():  # a corpus generated before the generator wrote its registry
        write_registry(corpus)
    location = str(out / "history.sqlite")
    history = History(location)
    try:
        import_rows(history, read_filing_list(listed))
    finally:
        history.close()
    return location


def run_bench(out: Path, settings: Settings, count: int = 40, seed: int = 20261121, keep: bool = False,
              verbose: bool = False) -> int:
    out.mkdir(parents=True, exist_ok=True)
    console.print(f"生成/读取 {count} 个样例材料包（seed={seed}）→ {out}")
    pairs = _generate(out, count, seed, keep)
    history = _import_registry(out)
    totals: Counter = Counter()
    by_render: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusions: Counter = Counter()
    page_times: dict[str, list[float]] = defaultdict(list)
    field_scores: list[tuple[str, str, str, bool]] = []
    seal_scores: list[tuple[str, str, bool]] = []
    paired: list[tuple[float, float]] = []  # (pipeline seconds, bare OCR seconds) of one page
    finding_scores: list[dict] = []
    paging_scores: list[bool] = []
    owner_scores: list[tuple[str, bool, bool]] = []
    all_owner_scores: list[tuple[str, bool, bool]] = []
    precision_scores: list[tuple[bool]] = []
    rng = random.Random(seed)
    bare = BareOcrProcess()  # bench-speed's baseline, in a process of its own
    wall = time.perf_counter()
    for i, (path, truth) in enumerate(pairs, 1):
        bundle = process_bundle(path, truth["programme"], settings, history=history)
        report = build_report(bundle)
        saved = out / "reports" / truth["programme"] / f"{truth['bundle'].removesuffix('.zip')}.json"
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(report.model_dump_json(indent=1), encoding="utf-8")  # for `bench --rescore`
        finding_scores.append(score_report(report, truth))
        score = score_bundle(bundle, truth)
        field_scores += score_fields(bundle, truth)
        seal_scores += score_seals(bundle, truth)
        paging_scores += score_paging(bundle, truth)
        owner_scores += score_owners(bundle, truth)
        all_owner_scores += score_owners(bundle, truth, doc_types=())
        precision_scores += score_seal_precision(bundle, truth)
        for key in ("pages_ok", "pages", "docs_matched", "docs_denominator"):
            totals[key] += score[key]
        for render, (ok, n) in score["by_render"].items():
            by_render[render][0] += ok
            by_render[render][1] += n
        for a, b, n in score["confusions"]:
            confusions[(a, b)] += n
        for page in bundle.pages:
            kind = "born_digital" if page.text_source == TextSource.text_layer else "scanned"
            page_times[kind].append(page.seconds)
        ocred = [p for p in bundle.pages if p.text_source == TextSource.ocr] if path.is_dir() else []
        for page in rng.sample(ocred, min(BARE_OCR_PER_BUNDLE, len(ocred))):
            paired.append((page.seconds, bare.seconds(path / page.source, page.page)))
        console.print(f"[{i}/{len(pairs)}] {path.name}: 页面 {score['pages_ok']}/{score['pages']}，"
                      f"材料 {score['docs_matched']}/{score['docs_denominator']}")
        if verbose:
            for doc in score["missed_documents"]:
                console.print(f"    应为 {doc['doc_type']}: {doc['pages']}")
            for doc in score["extra_documents"]:
                console.print(f"    识别为 {doc['doc_type']}: {doc['pages']}")
    wall = time.perf_counter() - wall
    bare.close()
    pipeline_sample = [p for p, _ in paired]
    bare_sample = [b for _, b in paired]
    results = {
        "bundles": len(pairs),
        "seed": seed,
        "page_accuracy": totals["pages_ok"] / max(totals["pages"], 1),
        "pages": totals["pages"],
        "page_accuracy_by_render": {k: ok / n for k, (ok, n) in by_render.items() if n},
        "grouping_accuracy": totals["docs_matched"] / max(totals["docs_denominator"], 1),
        "documents": totals["docs_denominator"],
        "seconds_per_born_digital_page": statistics.mean(page_times["born_digital"] or [0]),
        "seconds_per_scanned_page": statistics.mean(page_times["scanned"] or [0]),
        "bare_ocr_seconds_same_pages": statistics.mean(bare_sample or [0]),
        "pipeline_seconds_same_pages": statistics.mean(pipeline_sample or [0]),
        "scan_overhead_ratio": (sum(pipeline_sample) / sum(bare_sample)) if bare_sample else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "wall_seconds": wall,
        "top_confusions": [[a, b, n] for (a, b), n in confusions.most_common(12)],
        **_field_summary(field_scores),
        "seal_recall": _rate(seal_scores),
        "seal_recall_by_render": {r: _rate([s for s in seal_scores if s[1] == r])
                                  for r in sorted({s[1] for s in seal_scores})},
        "paging_seal_recall": _rate([s for s in seal_scores if s[0] == "paging_seal"]),
        "seal_precision": _rate(precision_scores),
        "seal_owner_named": _rate([(r[0], r[2]) for r in all_owner_scores]),
        "paging_seal_contracts": _rate([(ok,) for ok in paging_scores]),
        "contract_seal_owner_accuracy": _rate(owner_scores),
        "contract_seal_arc_read_exact": _rate([r[:2] for r in owner_scores]),
        "contract_seal_owner_by_render": {k: _rate([r for r in owner_scores if r[0] == k])
                                          for k in sorted({r[0] for r in owner_scores})},
        "findings": summarise(finding_scores),
    }
    (out / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    shown = Console(record=True)  # prints as before; the same text goes to OUT/results.md
    _print(results, len(page_times["born_digital"]), len(page_times["scanned"]), len(paired), shown)
    print_summary(results["findings"], shown)
    write_results(out, shown.export_text(), seed=seed, count=len(pairs))
    return 0


def _rate(rows) -> list:
    return [sum(ok for *_, ok in rows) / len(rows), len(rows)] if rows else [None, 0]


def _field_summary(rows: list[tuple[str, str, str, bool]]) -> dict:
    by = lambda i: {k: _rate([r for r in rows if r[i] == k]) for k in sorted({r[i] for r in rows})}  # noqa: E731
    misses = Counter(f"{d}.{f}" for d, _, f, ok in rows if not ok)
    scanned = [r for r in rows if r[1] in ("scan", "photo")]
    return {"field_accuracy": _rate(rows), "field_accuracy_by_doc_type": by(0),
            "field_accuracy_by_render": by(1), "field_misses": misses.most_common(15),
            "field_accuracy_scanned_by_doc_type": {k: _rate([r for r in scanned if r[0] == k])
                                                   for k in sorted({r[0] for r in scanned})}}


def _print(r: dict, n_born: int, n_scanned: int, n_sample: int, out: Console) -> None:
    table = Table(title=f"docintake bench — {r['bundles']} bundles, seed {r['seed']}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_row("per-page doc-type accuracy", f"{r['page_accuracy']:.4f} ({r['pages']} pages)")
    for render, acc in sorted(r["page_accuracy_by_render"].items()):
        table.add_row(f"  · {render}", f"{acc:.4f}")
    table.add_row("document grouping accuracy", f"{r['grouping_accuracy']:.4f} ({r['documents']} docs)")
    born = f"{r['seconds_per_born_digital_page'] * 1000:.1f} ms (n={n_born})"
    table.add_row("s / born-digital page", born)
    table.add_row("s / scanned page", f"{r['seconds_per_scanned_page']:.3f} s (n={n_scanned})")
    sampled = f"{r['pipeline_seconds_same_pages']:.3f} s (n={n_sample})"
    table.add_row("pipeline s / sampled scanned page", sampled)
    table.add_row("bare RapidOCR s / same pages (native size)", f"{r['bare_ocr_seconds_same_pages']:.3f} s")
    ratio = r["scan_overhead_ratio"]
    table.add_row("scanned page cost / bare OCR", f"{ratio:.3f}×" if ratio else "n/a")
    table.add_row("peak memory (RSS)", f"{r['peak_rss_mb']:.0f} MB")
    table.add_row("wall time", f"{r['wall_seconds']:.0f} s")
    seal_rows = (("seal recall (flat pages)", "seal_recall"),
                 ("  · paging seal slices", "paging_seal_recall"),
                 ("seal precision (flat pages)", "seal_precision"),
                 ("seal owner named (every document)", "seal_owner_named"),
                 ("contracts with 骑缝章 found", "paging_seal_contracts"),
                 ("contract seal owner right", "contract_seal_owner_accuracy"),
                 ("  · arc text read exactly (before naming)", "contract_seal_arc_read_exact"))
    for name, key in seal_rows:
        acc, n = r.get(key, (None, 0))  # results saved before a figure existed lack it
        table.add_row(name, f"{acc:.4f} (n={n})" if n else "n/a")
        if key == "seal_recall":
            for render, (acc, n) in r.get("seal_recall_by_render", {}).items():
                table.add_row(f"  · {render}", f"{acc:.4f} (n={n})")
    for render, (acc, n) in r["contract_seal_owner_by_render"].items():
        table.add_row(f"  · owner text, {render}", f"{acc:.4f} (n={n})")
    acc, n = r["field_accuracy"]
    table.add_row("key-field exact match", f"{acc:.4f} ({n} fields)" if n else "n/a")
    for name, key in (("doc type", "field_accuracy_by_doc_type"), ("render", "field_accuracy_by_render"),
                      ("scan/photo, doc type", "field_accuracy_scanned_by_doc_type")):
        for k, (acc, n) in r.get(key, {}).items():
            table.add_row(f"  · {name} {k}", f"{acc:.4f} (n={n})")
    out.print(table)
    for name, n in r["field_misses"]:
        out.print(f"  field miss: {name} ×{n}")
    for a, b, n in r["top_confusions"]:
        out.print(f"  confusion: {a} → {b} ×{n}")
