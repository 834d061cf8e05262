"""The reviewer's report: one self-contained HTML page (Chinese) per bundle.

Header and verdict, the subsidy step by step, the checklist, the findings (errors first) each with
the page it points at and the field or seal boxed, then every page with its fields drawn over it.
Page images are embedded once as JPEG data URIs and reused through SVG <use>; boxes are SVG in PDF
points, so they stay crisp at any zoom and in print. Jinja autoescaping escapes every string that
came from a document or a file name; ID numbers are masked before anything is rendered.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import jinja2

from docintake.core.datamodel import DocumentReport, Finding, Report
from docintake.core.privacy import mask_report
from docintake.core.vocabulary import (
    CODE_ZH,
    DOC_TYPE_ZH,
    FILING_OUTCOME_ZH,
    REQUIRED_SEAL_ZH,
    SEAL_ZH,
    SEVERITY_ZH,
    SIGNATURE_ZH,
    SOURCE_ZH,
    VERDICT_ZH,
    field_zh,
)
from docintake.extractors.fields import load_field_rules
from docintake.report.page_images import pages_of, render_pages
from docintake.validators.checklist import ChecklistError, load_checklist

BEIJING = timezone(timedelta(hours=8), "北京时间")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("docintake.report", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=money, pct=pct, local_time=local_time, doc_type_zh=doc_type_zh)
    return env


def money(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f} 元"
    return f"{text}（{value / 10000:,.2f} 万元）" if abs(value) >= 10000 else text


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.4g}%"


def local_time(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def doc_type_zh(doc_type) -> str:
    return DOC_TYPE_ZH.get(doc_type, str(doc_type or "")) if doc_type else ""


def parts_zh(parts) -> str:
    """「a.pdf」第 1、2、3 页、「b.jpg」第 1 页: pages grouped by file, in reading order."""
    runs: list[tuple[str, list[int]]] = []
    for part in parts:
        if runs and runs[-1][0] == part.source:
            runs[-1][1].append(part.page)
        else:
            runs.append((part.source, [part.page]))
    return "、".join(f"「{src}」第 {'、'.join(map(str, pages))} 页" for src, pages in runs)


def seals_zh(doc: DocumentReport) -> list[str]:
    """One line per seal kind of a document, with whose they are: 发票专用章（第 1 页）：北京某某
    有限公司; a seal whose text could not be read says so, for the reviewer to look at its box."""
    groups: dict[str, list] = {}
    for seal in doc.seals:
        groups.setdefault(seal.kind, []).append(seal)
    lines = []
    for kind, seals in groups.items():
        pages = "、".join(map(str, sorted({s.page for s in seals})))
        owners = list(dict.fromkeys(s.owner for s in seals if s.owner))
        unread = sum(1 for s in seals if not s.owner) if kind != "paging_seal" else 0
        who = "、".join(owners + ([f"印文未能识读 ×{unread}" if unread > 1 else "印文未能识读"] if unread else []))
        lines.append(f"{SEAL_ZH.get(kind, kind)}{f' ×{len(seals)}' if len(seals) > 1 else ''}"
                     f"（第 {pages} 页）{'：' + who if who else ''}")
    return lines


def _shown(value):
    """Amounts as a reviewer writes them (52,000.00); everything else as read."""
    return f"{value:,.2f}" if isinstance(value, float) else value


@dataclass
class Box:
    bbox: tuple[float, float, float, float]
    kind: str  # field | seal | hit (what a finding points at)
    label: str
    num: str = ""
    ref: str = ""  # id shared by a box and its row in the fields table

    @property
    def xywh(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.bbox
        return round(x0, 1), round(y0, 1), round(max(x1 - x0, 1), 1), round(max(y1 - y0, 1), 1)


@dataclass
class PageView:
    key: tuple[str, int]
    ref: str  # html id of the image definition
    width: float
    height: float
    image: str | None  # data URI, None when it could not be rendered
    problem: str | None
    boxes: list[Box] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # fields and seals read on this page

    def crop(self, bbox) -> str:
        """A viewBox around `bbox`, wide enough to show the label beside a value."""
        x0, y0, x1, y1 = bbox
        w = min(self.width, max((x1 - x0) * 2.4, self.width * 0.5))
        h = min(self.height, max((y1 - y0) * 3.0, w * 0.32))
        x = min(max((x0 + x1 - w) / 2, 0), self.width - w)
        y = min(max((y0 + y1 - h) / 2, 0), self.height - h)
        return f"{x:.1f} {y:.1f} {w:.1f} {h:.1f}"


def _page_notes(info) -> list[tuple[str, str]]:
    """(class, text): 'warn' where the reading needs a human, 'info' for how the page was read."""
    notes = []
    if info.text_source == "none":
        notes.append(("warn", "本页没有可识别的文字（空白、全黑或严重模糊），请人工核对"))
    if info.ocr_confidence is not None and info.ocr_confidence < 0.85:
        notes.append(("warn", f"OCR 置信度偏低（{info.ocr_confidence:.0%}），识别结果需核对"))
    if info.rotation:
        notes.append(("info", f"扫描件已旋转 {info.rotation}° 后识别"))
    if info.perspective:
        notes.append(("info", "手机拍摄，已校正透视"))
    if abs(info.skew) >= 0.5:
        notes.append(("info", f"已纠偏 {info.skew:.1f}°"))
    return notes


def build_pages(report: Report, images: dict, problems: dict) -> dict[tuple[str, int], PageView]:
    pages: dict[tuple[str, int], PageView] = {}
    for doc in report.documents:
        for info in doc.page_info:
            key = (info.source, info.page)
            if key in pages:
                continue
            problem = problems.get(key) or (None if key in images else
                                            "空白页（未见字迹），未生成页面图像" if info.blank else
                                            "未提供材料包，无法显示页面图像")
            pages[key] = PageView(key=key, ref=f"pg{len(pages) + 1}", width=info.width or 595,
                                  height=info.height or 842, image=images.get(key), problem=problem,
                                  notes=_page_notes(info))
        for num, (name, value) in enumerate(doc.fields.items(), start=1):
            page = pages.get((value.source or doc.source, value.page))
            if page is None:
                continue
            ref = f"{doc.id}-f{num}"
            page.rows.append({"ref": ref if value.bbox else "", "num": str(num), "name": field_zh(name),
                              "value": _shown(value.value) + _read_as(value), "confidence": value.confidence,
                              "kind": "field"})
            if value.bbox:
                page.boxes.append(Box(value.bbox, "field", field_zh(name), str(num), ref))
        for num, seal in enumerate(doc.seals, start=1):
            page = pages.get((seal.source or doc.source, seal.page))
            if page is None:
                continue
            ref, label = f"{doc.id}-s{num}", SEAL_ZH.get(seal.kind, seal.kind)
            text = "　".join(t for t in (seal.text, seal.owner and f"（{seal.owner}）") if t)
            page.rows.append({"ref": ref if seal.bbox else "", "num": f"印{num}", "name": label,
                              "value": text or "（未识读印文）", "confidence": seal.confidence,
                              "kind": "seal"})
            if seal.bbox:
                page.boxes.append(Box(seal.bbox, "seal", label, f"印{num}", ref))
        for num, sig in enumerate(getattr(doc, "signatures", None) or [], start=1):
            page = pages.get((sig.source or doc.source, sig.page))
            if page is None:
                continue
            ref = f"{doc.id}-g{num}"
            page.rows.append({"ref": ref if sig.bbox else "", "num": f"签{num}", "name": "手写签字",
                              "value": sig.label or "（签字）", "confidence": sig.confidence, "kind": "sig"})
            if sig.bbox:
                page.boxes.append(Box(sig.bbox, "sig", "手写签字", f"签{num}", ref))
    return pages


@dataclass
class FindingView:
    finding: Finding
    document: DocumentReport | None
    page: PageView | None
    hits: list[Box]
    where: str


def _finding_view(f: Finding, docs: dict[str, DocumentReport], pages: dict) -> FindingView:
    doc = docs.get(f.document) if f.document else None
    hits: list[Box] = []
    source, page_no = f.source, f.page
    if doc is not None:
        value = doc.fields.get(f.field) if f.field else None
        if value is not None:
            source, page_no = source or value.source or doc.source, page_no or value.page
            if value.bbox and (value.page == page_no):
                hits.append(Box(value.bbox, "hit", field_zh(f.field)))
        elif f.field:
            seals = [s for s in doc.seals if s.kind == f.field and s.bbox
                     and (page_no is None or s.page == page_no)]
            hits += [Box(s.bbox, "hit", SEAL_ZH.get(s.kind, s.kind)) for s in seals]
            if seals and page_no is None:
                source, page_no = seals[0].source or doc.source, seals[0].page
        if page_no is None and doc.parts:  # the document as a whole: show its first page
            source, page_no = doc.parts[0].source, doc.parts[0].page
        source = source or doc.source
    page = pages.get((source, page_no)) if source and page_no else None
    if page is None:
        hits = []
    where = "　".join(x for x in (
        f"材料 {doc.id}（{doc_type_zh(doc.doc_type)}）" if doc else doc_type_zh(f.doc_type),
        f"文件「{source}」" if source else "",
        f"第 {page_no} 页" if page_no else "",
        f"印章：{REQUIRED_SEAL_ZH.get(f.field, field_zh(f.field))}" if f.field and f.code == "SEAL_MISSING" else
        f"字段：{field_zh(f.field)}" if f.field and f.code != "MATERIAL_MISSING" else "",
    ) if x)
    return FindingView(f, doc, page, hits, where)


def checklist_rows(report: Report, checklist, docs_of_type: dict, findings_by_doc: dict) -> list[dict]:
    missing = {f.field for f in report.findings if f.code == "MATERIAL_MISSING"}
    rows = []
    for material in checklist.materials if checklist else []:
        docs = [d for t in material.any_of for d in docs_of_type.get(t, [])]
        severities = {f.severity for d in docs for f in findings_by_doc.get(d.id, [])}
        when = getattr(material, "when", None)
        if material.id in missing:
            status = ("missing", "缺失" if not docs else f"不足（{len(docs)}/{material.min_count} 份）")
        elif not docs:  # no finding either: the validators judged it does not apply
            status = ("na", "不适用" if when else "未找到")
        elif "error" in severities:
            status = ("error", "有错误")
        elif "warning" in severities:
            status = ("warning", "需复核")
        else:
            status = ("ok", "齐全")
        kinds = [getattr(s, "kind", s) for s in getattr(material, "seals", None) or []]
        needs = [REQUIRED_SEAL_ZH.get(k, SEAL_ZH.get(k, str(k))) for k in kinds]  # whose seal: 申报单位公章
        if getattr(material, "signature", False):
            needs.append("签字")
        modes = getattr(when, "deployment_mode", None) if when else None
        rows.append({"material": material, "docs": docs, "status": status, "needs": list(dict.fromkeys(needs)),
                     "alternatives": " 或 ".join(doc_type_zh(t) for t in material.any_of),
                     "only_for": "、".join(modes) if modes else ""})
    return rows


def _read_as(value) -> str:
    return f"（识别为「{value.read_as}」，经字形比对按本材料包中的名称采用）" if value.read_as else ""


def unread_fields(doc: DocumentReport) -> list[str]:
    """Key fields the rules look for on this doc type that were not found: said plainly."""
    return [field_zh(rule.name) for rule in load_field_rules().get(doc.doc_type, ())
            if rule.name not in doc.fields and rule.name != "invoice_code"]  # paper invoices only


def _checklist(programme: str):

    try:
        return load_checklist(programme)
    except ChecklistError:
        return None


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def render_report(report: Report, bundle: Path | None = None, images: dict | None = None) -> str:
    """The report as HTML. With `bundle` (the folder or zip that was checked) pages are drawn;
    `images` ((file, page) -> data URI) may be given instead, e.g. by a caller that has them."""
    report = mask_report(report)
    problems: dict = {}
    if images is None and bundle is not None:

        images, problems = render_pages(bundle, pages_of(report))
    pages = build_pages(report, images or {}, problems)
    docs = {d.id: d for d in report.documents}
    findings = sorted(report.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    findings_by_doc: dict[str, list[Finding]] = {}
    for f in findings:
        if f.document:
            findings_by_doc.setdefault(f.document, []).append(f)
    docs_of_type: dict = {}
    for d in report.documents:
        docs_of_type.setdefault(d.doc_type, []).append(d)
    checklist = _checklist(report.programme)
    rows = checklist_rows(report, checklist, docs_of_type, findings_by_doc)
    listed = {t for r in rows for t in r["material"].any_of}
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    return templates().get_template("report.html.j2").render(
        r=report, checklist=checklist, rows=rows, pages=pages, counts=counts,
        findings=[_finding_view(f, docs, pages) for f in findings],
        findings_by_doc=findings_by_doc,
        unlisted=[d for d in report.documents if d.doc_type not in listed],
        readable_pages=sum(f.pages for f in report.files if not f.error),
        FILING_OUTCOME_ZH=FILING_OUTCOME_ZH, yes_no=_yes_no,
        nonce=secrets.token_urlsafe(16), VERDICT_ZH=VERDICT_ZH, SEVERITY_ZH=SEVERITY_ZH,
        SOURCE_ZH=SOURCE_ZH, SIGNATURE_ZH=SIGNATURE_ZH, CODE_ZH=CODE_ZH, field_zh=field_zh, unread_fields=unread_fields, parts_zh=parts_zh, seals_zh=seals_zh,
    )
