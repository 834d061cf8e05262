"""Dates and date ranges as printed on Chinese business documents."""

import calendar
import re
from datetime import date
from itertools import pairwise

from docintake.core.text import fold, is_text

Span = tuple[int, int]

# OCR inserts single spaces anywhere, also between digits ("20 26 年").
_YEAR = r"(?<![\d.])(\d(?: ?\d){3})"
_Y = r"(?<![\d.])(?P<y>\d(?: ?\d){3})"
_M = r"(?P<m>\d(?: ?\d)?)"
_D = r"(?P<d>\d(?: ?\d)?)"
_MD = r"(\d(?: ?\d)?)"
_CN_DIGITS = "〇零○Oo0一二三四五六七八九"
_CN_VALUE = {**dict.fromkeys("〇零○Oo0", 0), **{c: i for i, c in enumerate("一二三四五六七八九", 1)}}

_PATTERNS = [
    # 2026年3月15日, 2026 年 03 月 15 日 (日 or 号 may be missing at a line end)
    re.compile(_Y + r"\s*年\s*" + _M + r"\s*月\s*" + _D + r"(?!\d)\s*[日号]?"),
    # 2026-03-15, 2026.03.15, 2026/3/15 (the same separator twice)
    re.compile(_Y + r"\s*(?P<sep>[-./])\s*" + _M + r"\s*(?P=sep)\s*" + _D + r"(?![\d.])"),
    # 20260315
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?![\d.])"),
    # 二〇二六年三月十五日
    re.compile(rf"(?P<y>[{_CN_DIGITS}]{{4}})\s*年\s*(?P<m>[{_CN_DIGITS}十]{{1,3}})\s*月"
               rf"\s*(?P<d>[{_CN_DIGITS}十]{{1,4}})\s*日"),
]


def _cn_number(text: str) -> int | None:
    """一 .. 三十一; 〇三 also read digit by digit."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return None
        t = _CN_VALUE.get(tens) if tens else 1
        o = _CN_VALUE.get(ones) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if all(c in _CN_VALUE for c in text):
        return int("".join(str(_CN_VALUE[c]) for c in text))
    return None


def _int(text: str) -> int | None:
    text = text.replace(" ", "")
    return int(text) if text.isdigit() else _cn_number(text)


def _make_date(y: str, m: str, d: str) -> date | None:
    year, month, day = _int(y), _int(m), _int(d)
    if year is None or month is None or day is None or not 1900 <= year <= 2199:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[date, Span]]:
    """Every date in `text`, in reading order, with its (start, end) span."""
    if not is_text(text):
        return []
    text = fold(text)
    found: list[tuple[date, Span]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            d = _make_date(m["y"], m["m"], m["d"])
            if d and not any(s < m.end() and m.start() < e for _, (s, e) in found):
                found.append((d, m.span()))
    return sorted(found, key=lambda item: item[1])


def day_may_be_cut(text: str) -> bool:
    """2025年11月2 at a line's end: a one-digit day with no 日 may be what is left of 21 once a
    seal or the page edge took the rest, so it is not read as sure."""
    m = _PATTERNS[0].search(fold(text)) if is_text(text) else None
    return bool(m and len(m["d"].replace(" ", "")) == 1 and not m.group().rstrip().endswith(("日", "号"))
                and not fold(text)[m.end():].strip())


def parse_date(text: str | date | None) -> date | None:
    """The first date in `text` (labels and OCR spaces allowed around it)."""
    if isinstance(text, date):
        return text
    found = find_dates(text) if isinstance(text, str) else []
    return found[0][0] if found else None


# --- periods -------------------------------------------------------------------------------------

_TO = r"\s*起?\s*(?:至|到|~|〜|-|—|–)\s*"
_RANGE_GAP = re.compile(rf"^{_TO}$")
# 2026年1月1日至3月31日: the end date leaves out the year.
_SHORT_END = re.compile(_TO + _MD + r"\s*月\s*" + _MD + r"\s*日")
# 2026年1月-3月, 2026年1月至2026年3月, 2026-01 ~ 2026-03
_MONTHS = re.compile(
    _YEAR + r"\s*(?:年|[-./])\s*" + _MD + r"(?!\s*[-./]\s*\d)\s*月?" + _TO
    + r"(?:" + _YEAR + r"\s*(?:年|[-./])\s*)?" + _MD + r"(?![\d.])\s*月?"
)


def _month_range(m: re.Match) -> tuple[date, date] | None:
    y1, m1, y2, m2 = m.groups()
    start = _make_date(y1, m1, "1")
    if start is None:
        return None
    year, month = _int(y2 or y1), _int(m2)
    if year is None or month is None or not 1 <= month <= 12:
        return None
    return start, date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str | None) -> tuple[date, date] | None:
    """(start, end) of a range such as 2025年9月1日至2026年6月30日 or 2026年1月-3月."""
    if not is_text(text):
        return None
    text = fold(text)
    found = find_dates(text)
    for (start, (_, s_end)), (end, (e_start, _)) in pairwise(found):
        if _RANGE_GAP.match(text[s_end:e_start]) and start <= end:
            return start, end
    for start, (_, s_end) in found:
        m = _SHORT_END.match(text, s_end)
        end = m and _make_date(str(start.year), m.group(1), m.group(2))
        if end and start <= end:
            return start, end
    m = _MONTHS.search(text)
    period = _month_range(m) if m else None
    return period if period and period[0] <= period[1] else None
