"""Public entry points: generate_bundle and generate_corpus."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Collection
from pathlib import Path

from .bundle import make_bundle, zip_bytes
from .registry import write_registry
from .scenario import PROGRAMMES


def _write(out_dir: Path, programme: str, truth: dict, blobs: dict[str, bytes], as_zip: bool) -> dict:
    root = Path(out_dir) / programme
    root.mkdir(parents=True, exist_ok=True)
    stem = truth["bundle"]
    target = root / stem
    if target.exists():
        shutil.rmtree(target)
    (root / f"{stem}.zip").unlink(missing_ok=True)
    if as_zip:
        truth["bundle"] = f"{stem}.zip"
        (root / f"{stem}.zip").write_bytes(zip_bytes(blobs))
    else:
        for rel, data in blobs.items():
            p = target / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
    truth["container"] = "zip" if as_zip else "folder"
    (root / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return truth


def generate_bundle(
    out_dir: Path,
    programme: str,
    seed: int,
    *,
    defects: list[str] | None = None,
    render: str | None = None,
    auto_defects: bool = False,
    as_zip: bool | None = None,
    name: str | None = None,
    layouts: dict[str, str] | str | None = None,
    only: Collection[str] | None = None,
) -> dict:
    """Write one bundle under out_dir/<programme>/ and return its truth dict.

    defects: defect names to force (see defects.DEFECTS, plus "missing_material"); None = clean
    unless auto_defects. render: force every document to "born_digital", "scan" or "photo".
    layouts: layout families (families.py): {doc_type: family} forces one per type, e.g.
    {"payment_proof": "side_labels"}; "draw" draws each document's family from the seed;
    None / "original" keeps the original look (families.DRAW_BY_DEFAULT). only: doc types; only
    the files holding one are written, each as in the whole bundle (a test reading one document of
    a seed's bundle is spared making the rest), and the truth lists only those files.
    """
    if programme not in PROGRAMMES:
        raise ValueError(f"unknown programme {programme!r}; known: {sorted(PROGRAMMES)}")
    truth, blobs = make_bundle(
        programme,
        seed,
        forced=defects,
        auto=auto_defects and defects is None,
        render_mode=render,
        name=name,
        layouts=layouts,
        only=only,
    )
    if as_zip is None:
        as_zip = random.Random(f"zip:{programme}:{seed}").random() < 0.2
    return _write(Path(out_dir), programme, truth, blobs, as_zip)


def corpus_jobs(count: int, seed: int, programmes: list[str] | None = None) -> list[tuple[str, int]]:
    progs = sorted(programmes or PROGRAMMES)
    rng = random.Random(seed)
    return [
        (progs[i % len(progs)] if i < len(progs) else rng.choice(progs), seed * 10000 + i)
        for i in range(count)
    ]


def _job(args) -> dict:
    out_dir, programme, sub, defects, layouts = args
    return generate_bundle(Path(out_dir), programme, sub, auto_defects=defects == "auto", layouts=layouts)


def generate_corpus(
    out_dir: Path,
    count: int,
    seed: int,
    programmes: list[str] | None = None,
    *,
    defects: str = "auto",
    jobs: int = 1,
    layouts: str | None = None,
) -> list[dict]:
    write_registry(Path(out_dir))  # the corpus's models, filed in a registry of their own
    work = [(str(out_dir), p, s, defects, layouts) for p, s in corpus_jobs(count, seed, programmes)]
    if jobs > 1 and len(work) > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(jobs) as pool:
            return pool.map(_job, work, chunksize=1)
    return [_job(w) for w in work]
