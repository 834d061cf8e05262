"""Named defects: each one alters the facts or the document plan and says which findings
the checker must report for it."""

from __future__ import annotations

import random

from . import defect_kinds  # noqa: F401  (registers the catalogue)
from .assemble import FileSpec
from .defect_registry import DEFECTS, FILING_PROGS, FORCED_ONLY, SAFE_MISSING, F, required_types

__all__ = [
    "DEFECTS",
    "FILING_PROGS",
    "SAFE_MISSING",
    "F",
    "applicable",
    "apply",
    "pick_auto",
    "required_types",
    "touches",
    "unreadable_file",
]


def unreadable_file(kind: str, namer, rng: random.Random):
    if kind == "truncated_pdf":
        import pymupdf

        d = pymupdf.open()
        d.new_page().insert_text((72, 72), "x")
        data = d.tobytes(no_new_id=True)
        return FileSpec(namer.pdf(), "pdf", raw=data[: len(data) // 3])
    if kind == "garbage_pdf":
        return FileSpec(
            namer.pdf(), "pdf", raw=b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(3000))
        )
    import io

    from PIL import Image

    im = Image.new("RGB", (1200, 1600), (0, 0, 0) if kind == "black_image" else (255, 255, 255))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return FileSpec(namer.images("jpg", 1)[0], "jpeg", raw=buf.getvalue())


def apply(f, specs, rng: random.Random, names: list[str]) -> tuple[list[str], list[dict]]:
    applied, findings = [], []
    for name in names:
        if name == "missing_material":
            opts = [
                n
                for n in DEFECTS
                if n.startswith("missing_") and n[8:] in SAFE_MISSING and DEFECTS[n][2](f, specs)
            ]
            name = rng.choice(opts)
        if name not in DEFECTS:
            raise ValueError(f"unknown defect {name!r}; known: {sorted(DEFECTS)}")
        fn, _, when = DEFECTS[name]
        if not when(f, specs):
            raise ValueError(f"defect {name!r} does not apply to {f.programme}")
        out = fn(f, specs, rng)
        applied.append(name)
        findings += [dict(x, defect=name) for x in out]
    return applied, findings


# Defects whose finding is measured against another material: never picked with the defect that
# removes it, or the expected finding could not be known from the bundle.
NEEDS = {"payment_mismatch": "invoice", "usage_mismatch": "invoice"}


def _conflict(name: str, picked: list[str]) -> bool:
    removed = {n[8:] for n in [*picked, name] if n.startswith("missing_")}
    return any(NEEDS.get(n) in removed for n in [*picked, name])


def pick_auto(f, specs, rng: random.Random) -> list[str]:
    if rng.random() >= 0.6:
        return []
    k = 1 if rng.random() < 0.65 else 2
    names = sorted(n for n in DEFECTS if n not in FORCED_ONLY)
    rng.shuffle(names)
    picked, touched = [], set()
    for n in names:
        _fn, touches, when = DEFECTS[n]
        if n.startswith("missing_") and n[8:] in SAFE_MISSING and rng.random() < 0.6:
            continue  # there are many of these; keep the mix varied
        if (
            touches & touched
            or not when(f, specs)
            or (n == "unreadable_file" and "unreadable_file" in picked)
            or _conflict(n, picked)
        ):
            continue
        picked.append(n)
        touched |= touches or {"_file"}
        if len(picked) == k:
            break
    return picked


def applicable(programme: str, seed: int) -> list[str]:
    """Defects that can be forced on generate_bundle(programme, seed) (replays its first steps)."""
    from .plan import plan_documents
    from .scenario import make_facts

    rng = random.Random(f"{programme}:{seed}")
    f = make_facts(programme, rng)
    specs = plan_documents(f, rng)
    return [n for n, (_, _, when) in sorted(DEFECTS.items()) if when(f, specs)]


def touches(name: str) -> set[str]:
    return DEFECTS[name][1] or {"_file"}

