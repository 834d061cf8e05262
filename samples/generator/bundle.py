"""One bundle: facts -> documents -> rendered pages -> files + truth."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Collection
from datetime import date, datetime, timedelta

import numpy as np

from . import assemble, defects, families, render
from .assemble import FileSpec, PageOut
from .plan import build, choose_renders, plan_documents
from .scenario import expected_subsidy, make_facts

GENERATOR_VERSION = 1
LABEL = {
    "business_licence": "营业执照复印件",
    "legal_rep_id": "法定代表人身份证复印件",
    "tax_certificate": "完税证明",
    "bank_account_info": "银行账户信息",
    "commitment_letter": "承诺书",
    "other": "其他材料",
}


class Namer:
    def __init__(self, rng: random.Random, day: date):
        self.rng, self.day, self.used, self.n = rng, day, set(), rng.randint(1, 9)
        self.img = rng.randint(1, 9000)

    def _stamp(self) -> str:
        d = self.day - timedelta(days=self.rng.randint(0, 30))
        r = self.rng
        return f"{d:%Y%m%d}_{r.randint(8, 21):02d}{r.randint(0, 59):02d}{r.randint(0, 59):02d}"

    def unique(self, name: str) -> str:
        base, ext = name.rsplit(".", 1)
        k = 1
        while name in self.used:
            k += 1
            name = f"{base}({k}).{ext}"
        self.used.add(name)
        return name

    def pdf(self) -> str:
        self.n += 1
        r, n, st = self.rng, self.n, self._stamp()
        return self.unique(
            r.choice(
                [
                    f"scan_{n:03d}.pdf",
                    f"附件{n}.pdf",
                    f"扫描全能王 {st[:8]} {st[9:11]}.{st[11:13]}.pdf",
                    f"Doc{n}.pdf",
                    f"未命名{n}.pdf",
                    f"材料（{n}）.pdf",
                    f"{st}.pdf",
                    f"CamScanner {st[4:6]}-{st[6:8]}-{st[:4]} {st[9:11]}.{st[11:13]}.pdf",
                    f"新建文档 {n}.pdf",
                    f"{r.randint(10**5, 10**6)}.pdf",
                ]
            )
        )

    def images(self, ext: str, count: int) -> list[str]:
        r = self.rng
        if ext == "jpg" and r.random() < 0.6:  # camera roll numbering, consecutive pages
            start = self.img
            self.img += count + r.randint(0, 3)
            style = self.__dict__.setdefault(
                "style", r.choice(["IMG_{:04d}.jpg", "DSC_{:04d}.jpg", "IMG{:04d}.jpg"])
            )
            return [self.unique(style.format(start + k)) for k in range(count)]
        # Pages of one document are photographed or exported in one go: one naming style,
        # names increasing with the page (timestamps a few seconds apart).
        day = self.day - timedelta(days=r.randint(0, 30))
        base = datetime(day.year, day.month, day.day, r.randint(8, 20), r.randint(0, 59))
        first_id, choice = r.randint(10**12, 9 * 10**12), r.randrange(3)
        out = []
        for k in range(count):
            st = f"{base + timedelta(seconds=20 * k + r.randint(0, 9)):%Y%m%d_%H%M%S}"
            if ext == "jpg":
                nm = [f"IMG_{st}.jpg", f"微信图片_{st.replace('_', '')}.jpg",
                      f"mmexport{first_id + 1000 * k}.jpg"][choice]
            elif ext == "png":
                nm = [f"image{self.n + k:03d}.png", f"截图{self.n + k}.png", f"Screenshot_{st}.png"][choice]
            else:
                nm = [f"{self.n + k:04d}.tif", f"scan{self.n + k}.tiff"][choice % 2]
            out.append(self.unique(nm))
        self.n += count
        return out


def _single_files(doc_pages: list[PageOut], namer: Namer, rng: random.Random) -> list[FileSpec]:
    kind, n, r = doc_pages[0].render, len(doc_pages), rng.random()
    if kind == "born_digital" or (kind == "scan" and r < 0.6) or (kind == "photo" and r < 0.15):
        return [FileSpec(namer.pdf(), "pdf", doc_pages)]
    if kind == "scan" and r < 0.72:
        return [FileSpec(namer.images("tif", 1)[0], "tiff", doc_pages)]
    fmt, ext = ("png", "png") if kind == "scan" and r < 0.8 else ("jpeg", "jpg")
    return [FileSpec(nm, fmt, [po]) for nm, po in zip(namer.images(ext, n), doc_pages, strict=True)]


def group_files(
    pages_by_doc: list[list[PageOut]], style: str, namer: Namer, rng: random.Random
) -> list[FileSpec]:
    files: list[FileSpec] = []
    singles = list(pages_by_doc)
    if style in ("merged", "mixed"):
        rng.shuffle(singles)
        share = 0.75 if style == "merged" else 0.55
        n_merge = int(len(singles) * share)
        pool, singles = singles[:n_merge], singles[n_merge:]
        while pool:
            k = min(len(pool), rng.randint(3, 6))
            if len(pool) - k in (1, 2):
                k = len(pool)
            chunk, pool = pool[:k], pool[k:]
            fs = FileSpec(namer.pdf(), "pdf", [po for d in chunk for po in d])
            if style == "mixed":
                cand = [d[0] for d in chunk if len(d) == 1 and d[0].render == "scan" and d[0].rotation == 0]
                if cand and rng.random() < 0.7:
                    po = rng.choice(cand)
                    fs.pasted[id(po)] = f"附件{rng.randint(1, 9)}：{LABEL.get(po.doc.doc_type, '证明材料')}"
            files.append(fs)
    for d in singles:
        files += _single_files(d, namer, rng)
    if rng.random() < 0.25:
        folder = rng.choice(["新建文件夹", "附件", "材料", "扫描件", "申报材料/附件"])
        # People file whole documents into a folder: the page images of one document move together.
        by_doc: dict[int, list[FileSpec]] = {}
        for fs in files:
            by_doc.setdefault(id(fs.pages[0].doc), []).append(fs)
        groups = list(by_doc.values())
        for group in rng.sample(groups, max(1, len(groups) // 3)):
            for fs in group:
                fs.name = f"{folder}/{fs.name}"
    return files


def _encode(fs: FileSpec, rng: random.Random) -> bytes:
    if fs.raw is not None:
        return fs.raw
    if fs.fmt == "pdf":
        return assemble.pdf_bytes(fs.pages, rng, fs.pasted)
    if fs.fmt == "tiff":
        return render.tiff([po.img for po in fs.pages], fs.pages[0].dpi)
    return render.encode(fs.pages[0].img, fs.fmt, fs.pages[0].dpi, rng)


def make_bundle(
    programme: str,
    seed: int,
    *,
    forced: list[str] | None = None,
    auto: bool = False,
    render_mode: str | None = None,
    name: str | None = None,
    layouts: dict[str, str] | str | None = None,
    only: Collection[str] | None = None,
):
    """The bundle's truth and its files' bytes. only: doc types; just the files holding one are
    encoded (each byte for byte as in the whole bundle: every random choice is still drawn)."""
    rng = random.Random(f"{programme}:{seed}")
    f = make_facts(programme, rng)
    choice = families.check(layouts)
    # bundle-level families first: a sole trader's licence makes the applicant one everywhere
    f.extra["layouts"] = {t: families.pick(t, f"{programme}:{seed}", choice) for t in families.BUNDLE_LEVEL}
    if f.extra["layouts"].get("business_licence") == "sole_trader":
        families.make_sole_trader(f, f"{programme}:{seed}")
    specs = plan_documents(f, rng)
    applied, findings = defects.apply(
        f, specs, rng, forced if forced is not None else (defects.pick_auto(f, specs, rng) if auto else [])
    )
    for i, s in enumerate(specs, 1):
        s.id = f"t{i}"
    style = rng.choices(["tidy", "merged", "phone", "mixed"], [4, 3, 1.5, 1.5])[0]
    choose_renders(specs, style, rng)
    if render_mode:
        for s in specs:
            s.render = render_mode
        style = "tidy" if render_mode != "photo" else "phone"
    docs = [build(s, f, rng, choice) for s in specs]
    pages = [
        assemble.rasterise_doc(d, random.Random(rng.randrange(1 << 30)), s.render)
        for d, s in zip(docs, specs, strict=True)
    ]
    namer = Namer(rng, f.app_date)
    files = group_files(pages, style, namer, rng)
    if f.extra.get("unreadable"):
        files.append(defects.unreadable_file(f.extra["unreadable"], namer, rng))
        for x in findings:
            if x["code"] == "DOCUMENT_UNREADABLE":
                x["file"] = files[-1].name
    rng.shuffle(files)
    file_seeds = [rng.randrange(1 << 30) for _ in files]
    # (a file with a pasted scan is always encoded: encoding places the scan, which its truth needs)
    blobs = {fs.name: _encode(fs, random.Random(s)) for fs, s in zip(files, file_seeds, strict=True)
             if only is None or fs.pasted or any(po.doc.doc_type in only for po in fs.pages)}
    truth = _truth(programme, seed, f, docs, files, applied, findings, style)
    truth["files"] = [t for t in truth["files"] if t["name"] in blobs]
    truth["bundle"] = name or f"bundle-{seed}"
    return truth, blobs


def _truth(programme, seed, f, docs, files, applied, findings, style) -> dict:
    where: dict[tuple[str, int], tuple[str, int, PageOut]] = {}
    tfiles = []
    for fs in files:
        pages = []
        for k, po in enumerate(fs.pages, 1):
            where[(po.doc.id, po.index)] = (fs.name, k, po)
            pages.append(
                {
                    "page": k,
                    "doc": po.doc.id,
                    "render": po.render,
                    "rotation": po.rotation,
                    "dpi": po.dpi,
                    **({"pasted": True} if id(po) in fs.pasted else {}),
                }
            )
        tfiles.append(
            {
                "name": fs.name,
                "format": fs.fmt,
                "pages": pages,
                **({"unreadable": True} if fs.raw is not None else {}),
            }
        )
    tdocs = []
    for d in docs:
        seals = []
        for s in d.seals:
            fname, k, po = where[(d.id, s["page"])]
            bbox = (
                assemble.pasted_bbox(po, s["bbox"])
                if "pasted" in po.extra
                else assemble.page_bbox(po, s["bbox"])
            )
            seals.append(
                {
                    "file": fname,
                    "page": k,
                    "kind": s["kind"],
                    "owner": s["owner"],
                    "text": s["text"],
                    "bbox": bbox,
                }
            )
        fields = {k: v for k, v in d.fields.items()}
        tdocs.append(
            {
                "id": d.id,
                "doc_type": d.doc_type,
                "render": d.info["render"],
                **({"layout": d.info["layout"]} if "layout" in d.info else {}),
                "pages": [[where[(d.id, i)][0], where[(d.id, i)][1]] for i in range(d.n_pages)],
                "fields": fields,
                "seals": seals,
            }
        )
    p = f.provider
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "programme": programme,
        "bundle": "",
        "style": style,
        "application_date": f.app_date.isoformat(),
        "window": [d.isoformat() for d in f.prog["window"]],
        "applicant": {"name": _n(f.applicant.name), "uscc": f.applicant.uscc},
        "provider": {
            "name": _n(p.name),
            "uscc": p.uscc,
            "model_name": p.model_name,
            "filing_number": p.filing_number,
        },
        "files": tfiles,
        "documents": tdocs,
        "defects": applied,
        "expected_findings": findings,
        "expected_subsidy": expected_subsidy(f),
    }


def _n(s: str) -> str:
    from .ids import normalise_name

    return normalise_name(s)


def zip_bytes(blobs: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(blobs):
            zi = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, blobs[name])
    return buf.getvalue()


_ = np
