"""Amounts in figures: ¥300,000.00, 人民币300000元, 30万元, ¥ 1 234.00 (OCR spaces)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from docintake.core.text import fold, is_text

Span = tuple[int, int]

# Thousands separated by commas, or by single spaces as OCR splits them; else a plain number.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    r"(?P<cur>[¥￥]|人民币|RMB|CNY)?\s*(?::\s*)?"
    r"(?P<neg>(?<![\dA-Za-z])[-−]\s*)?"
    rf"(?<![\d.,])(?P<num>{_NUMBER})(?![\d,]*\.\d)"
    r"(?:\s*(?P<mult>万|亿))?(?:\s*(?P<yuan>[元圆]))?",
    re.IGNORECASE,
)
# A bare figure, possibly after a label ending in a colon: "金额: 12,345.60".
_BARE = re.compile(rf"^\s*(?:[^\d:]*:)?\s*(?P<num>{_NUMBER})\s*$")
# "2,000万 tokens", "3万次": a count, not money.
_COUNT = re.compile(r"[A-Za-z个次条字张页人千]")
_TWO_DECIMALS = re.compile(r"\.\d\d$")
# A thousands comma OCR read as a period (1,018.000.00): a period with three digits and another
# separator after it cannot be the decimal point.
_PERIOD_FOR_COMMA = re.compile(r"(?<=\d)\.(?=\d{3}[.,]\d)")
_MULTIPLIER = {None: 1, "万": 10_000, "亿": 100_000_000}
_CENT = Decimal("0.01")


def _to_yuan(number: str, mult: str | None = None) -> float | None:
    try:
        value = Decimal(number.replace(",", "").replace(" ", "")) * _MULTIPLIER[mult]
        return float(value.quantize(_CENT, ROUND_HALF_UP))
    except (InvalidOperation, KeyError):  # quantize overflows on absurdly long digit runs
        return None


def find_amounts(text: str | None) -> list[tuple[float, Span]]:
    """Amounts in reading order with their spans.

    Figures marked as money (¥/人民币 before, or 元/万 after) are taken; when there are none,
    figures shaped like money (exactly two decimals, e.g. table cells "12,345.60") are. Negative
    amounts are skipped (nothing on an application is legitimately negative; 红字 invoices are
    out of scope), and so are unit prices ("0.008元/千tokens") and counts ("2,000万 tokens").
    """
    if not is_text(text):
        return []
    text = _PERIOD_FOR_COMMA.sub(",", fold(text))
    marked, shaped = [], []
    for m in _AMOUNT.finditer(text):
        after = text[m.end():].lstrip()
        if m["neg"] or after.startswith(("/", "%")) or (m["mult"] and not m["yuan"] and _COUNT.match(after)):
            continue
        value = _to_yuan(m["num"], m["mult"])
        if value is None:
            continue
        if m["cur"] or m["mult"] or m["yuan"]:
            start = m.start("cur") if m["cur"] else m.start("num")
            marked.append((value, (start, m.end())))
        elif _TWO_DECIMALS.search(m["num"]):
            shaped.append((value, m.span("num")))
    return marked or shaped


def parse_amount(text: str | float | None) -> float | None:
    """The first amount in `text` in yuan, rounded to 2 decimals; None if absent or negative."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return round(float(text), 2) if text >= 0 else None
    if not is_text(text):
        return None
    found = find_amounts(text)
    if found:
        return found[0][0]
    m = _BARE.match(fold(text))
    return _to_yuan(m["num"]) if m else None
