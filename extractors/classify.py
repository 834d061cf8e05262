"""Page classification from content: title lines first, key phrases second. Never file names.

Rules live in rules/doc_types.yaml; this module is the small engine that reads them.
"""

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from docintake.core.datamodel import DocType, Page, PageLabel, TextLine

from .normalise import compact

RULES_FILE = Path(__file__).parent / "rules" / "doc_types.yaml"
TITLE_WEIGHT = 6.0
PHRASE_WEIGHT = 0.5
MAX_PHRASES = 8
MAX_LINES_ABOVE_TITLE = 4
MAX_CENTRED_TITLE = 32  # characters: 2025年龙岗区调用模型开发应用扶持项目项目申请书 is 25
PAGE_NO = [
    re.compile(r"第(\d{1,3})页[,，/、]?共(\d{1,3})页"),
    re.compile(r"共(\d{1,3})页[,，/、]?第(\d{1,3})页"),
]
FOOTER_PAGE_NO = re.compile(r"^-?(\d{1,3})/(\d{1,3})-?$")
# - 2 -: the page's number, no total; OCR may drop one of its dashes (2-), not both (a bare 2).
FOOTER_DASHED = re.compile(r"^(?:[-—](\d{1,3})[-—]?|(\d{1,3})[-—])$")
# 一、申报单位基本情况 / 二、申报单位承诺 / (三) / 1. / 第二部分: a numbered heading is a section of the
# document it sits in, never the title of a new one.
NUMERAL = "[一二三四五六七八九十]"
SECTION = re.compile(rf"^(?:{NUMERAL}{{1,3}}[、.]|\((?:{NUMERAL}|\d){{1,3}}\)|\d{{1,2}}[、.](?!\d)"
                     rf"|第(?:{NUMERAL}|\d){{1,3}}[章节部分篇])")


@dataclass(frozen=True)
class Rule:
    doc_type: DocType
    titles: tuple[re.Pattern, ...]
    part_titles: tuple[re.Pattern, ...]
    phrases: tuple[re.Pattern, ...]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for name, spec in data.items():
        doc_type = DocType(name)  # an unknown name is an error in the rules file
        rules.append(Rule(
            doc_type=doc_type,
            titles=tuple(re.compile(t, re.I) for t in spec.get("titles", [])),
            part_titles=tuple(re.compile(t, re.I) for t in spec.get("part_titles", [])),
            phrases=tuple(re.compile(p, re.I) for p in spec.get("phrases", [])),
        ))
    return tuple(rules)


def _wrapped(upper: TextLine, lower: TextLine) -> TextLine | None:
    """A long title wraps: two lines close together read as one (…(申领)申 / 报书)."""
    gap = lower.bbox[1] - upper.bbox[3]
    if gap > 0.8 * max(upper.size, lower.size, 1.0):
        return None
    if min(upper.bbox[2], lower.bbox[2]) <= max(upper.bbox[0], lower.bbox[0]):
        return None  # side by side columns (a table's 页码 over the next row's 申报表), not a wrap
    box = (min(upper.bbox[0], lower.bbox[0]), upper.bbox[1],
           max(upper.bbox[2], lower.bbox[2]), lower.bbox[3])
    return TextLine(text=upper.text + lower.text, bbox=box, size=max(upper.size, lower.size),
                    confidence=min(upper.confidence, lower.confidence), source=upper.source)


def title_candidates(page: Page) -> list[TextLine]:
    """Lines that look like a document title: upper part, large or centred, not 'label: value'."""
    if not page.lines:
        return []
    sizes = [ln.size for ln in page.lines if ln.size > 0]
    median = statistics.median(sizes) if sizes else 0.0
    # A title opens the page: at most a few header lines (编号, company name) come before it.
    # Seal text (合同专用章) further down is short and centred but never a title.
    # Text inside a seal (合同专用章 near the top of a signing page) is the seal's, not a title.
    lines = [ln for ln in page.lines if not page.in_seal(ln.bbox)]
    # Single characters and short non-Chinese scraps (a paper invoice's 监制章 read piecemeal: 发,
    # 票, IV) do not count as lines above the title.
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    counted = [k for k, ln in enumerate(ordered) if not _scrap(compact(ln.text))]
    cut = counted[MAX_LINES_ABOVE_TITLE] + 1 if len(counted) > MAX_LINES_ABOVE_TITLE else len(ordered)
    opening = ordered[:cut]
    pairs = [_wrapped(a, b) for a, b in pairwise(opening)]
    out = []
    for line in opening + [p for p in pairs if p]:
        text = compact(line.text)
        x0, y0, x1, _ = line.bbox
        # Titles carry no 'label:' colon and no sentence punctuation (a body line does).
        if y0 > 0.45 * page.height or not 2 <= len(text) <= 48 or any(c in text for c in ":。,;"):
            continue
        if SECTION.match(text):
            continue
        large = median > 0 and line.size >= 1.18 * median
        centred = abs((x0 + x1) / 2 - page.width / 2) < 0.12 * page.width and len(text) <= MAX_CENTRED_TITLE
        if large or centred:
            out.append(line)
    out.sort(key=lambda ln: (-ln.size, ln.bbox[1]))
    return out[:6]


def _scrap(text: str) -> bool:
    return len(text) <= 1 or (len(text) <= 2 and not re.search(r"[\u4e00-\u9fff]", text))


def _title_match(candidates: list[TextLine], rules: tuple[Rule, ...]
                 ) -> tuple[DocType, str, bool] | None:
    """The weightiest title match among the candidates, its length times its line's size: (doc
    type, title line, is a part title). Longer matches win among lines alike in size; a contents
    page's large 目录 still wins over a 申报表 listed in its table."""
    best: tuple[float, int, DocType, str, bool] | None = None  # (weight, -rank, type, line, part)
    for rank, line in enumerate(candidates):
        text = compact(line.text)
        for rule in rules:
            patterns = [(p, False) for p in rule.titles] + [(p, True) for p in rule.part_titles]
            for pattern, part in patterns:
                m = pattern.search(text)
                weight = len(m.group()) * max(line.size, 1.0) if m else 0.0
                if m and (best is None or (weight, -rank) > best[:2]):
                    best = (weight, -rank, rule.doc_type, line.text, part)
    return best[2:] if best else None


def page_number(page: Page) -> tuple[int | None, int | None]:
    for line in page.lines:
        text = compact(line.text)
        for i, pattern in enumerate(PAGE_NO):
            m = pattern.search(text)
            if m:
                n, total = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
                return int(n), int(total)
        m = FOOTER_PAGE_NO.match(text)
        if m and line.bbox[1] > 0.88 * page.height and int(m.group(1)) <= int(m.group(2)):
            return int(m.group(1)), int(m.group(2))
        m = FOOTER_DASHED.match(text)
        if m and line.bbox[1] > 0.88 * page.height and int(m.group(1) or m.group(2)) > 0:
            return int(m.group(1) or m.group(2)), None
    return None, None


def classify_page(page: Page, rules: tuple[Rule, ...] | None = None) -> PageLabel:
    rules = rules or load_rules()
    body = compact(page.text)
    scores: dict[str, float] = {}
    for rule in rules:
        hits = sum(1 for p in rule.phrases if p.search(body))
        scores[rule.doc_type.value] = PHRASE_WEIGHT * min(hits, MAX_PHRASES)
    title = _title_match(title_candidates(page), rules)
    if title:
        scores[title[0].value] += TITLE_WEIGHT
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    doc_type = DocType(best) if top >= 1.0 else DocType.other
    page_no, total = page_number(page)
    return PageLabel(
        doc_type=doc_type,
        score=round(top / (top + second + 1.0), 3),
        title=title[1] if title else None,
        part_title=bool(title and title[2]),
        page_no=page_no,
        page_total=total,
        scores={k: v for k, v in ranked[:4] if v > 0},
    )
