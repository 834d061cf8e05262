"""Invoice numbers (数电 vs paper/older e-invoices) and the invoice QR payload."""

import re
from datetime import date

from docintake.core.text import fold, is_text

# A labelled value: digits, possibly in groups OCR or the layout split with single spaces.
_DIGIT_GROUPS = r"[:\s]*(?:No\.?)?[:\s]*(\d+(?: \d+)*)"
_CODE = re.compile(r"发票代码" + _DIGIT_GROUPS)
_NUMBER = re.compile(r"发票号码" + _DIGIT_GROUPS)
_BARE = re.compile(r"^\s*(?:No\.?)?[\s:]*(\d+(?:[\s,-]+\d+)*)\s*$", re.IGNORECASE)
# Qualifiers that mean a string of digits is not the invoice's number.
_OTHER_LABELS = ("校验码", "机器编号", "机打号码", "机打代码")
_QR_TYPES_WITH_TAX = {"31", "32"}  # 数电专票 / 数电普票 print the total including tax


def _take(groups: str, lengths: tuple[int, ...]) -> str | None:
    """The leading digit groups that add up to one of `lengths` (longest first)."""
    parts, joined, best = groups.split(), "", None
    for part in parts:
        joined += part
        if len(joined) in lengths:
            best = joined
        if len(joined) >= max(lengths):
            break
    return best


def _from_groups(groups: list[str]) -> dict | None:
    """Unlabelled value: 20 digits (数电), or a 10/12-digit code then an 8-digit number."""
    if len(groups) == 2 and len(groups[0]) in (10, 12) and len(groups[1]) == 8:
        return {"code": groups[0], "number": groups[1], "kind": "paper"}
    joined = "".join(groups)
    if len(joined) == 20:
        return {"number": joined, "kind": "digital"}
    if len(joined) == 8:
        return {"code": None, "number": joined, "kind": "paper"}
    return None


def parse_invoice_number(text: str | None) -> dict | None:
    """{"number", "kind": "digital"} for a 20-digit 数电 number, {"code", "number", "kind":
    "paper"} for 发票代码 (10/12) + 发票号码 (8); code is None when only the number is given."""
    if not is_text(text):
        return None
    text = fold(text)
    number_m, code_m = _NUMBER.search(text), _CODE.search(text)
    if number_m or code_m:
        number = number_m and _take(number_m[1], (8, 20))
        code = code_m and _take(code_m[1], (10, 12))
        if number and len(number) == 20:
            return {"number": number, "kind": "digital"}
        return {"code": code or None, "number": number, "kind": "paper"} if number else None
    if any(label in text for label in _OTHER_LABELS):
        return None
    m = _BARE.match(text)
    return _from_groups(re.split(r"[\s,-]+", m[1])) if m else None


def _qr_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _qr_amount(text: str) -> float | None:
    return round(float(text), 2) if re.fullmatch(r"\d+(?:\.\d+)?", text) else None


def parse_invoice_qr(payload: str | None) -> dict | None:
    """Fields of `01,<type>,<code>,<number>,<amount>,<YYYYMMDD>,<check>,<crc>`.

    Blank fields (empty or a single space) become None. `amount` is the total including tax on
    types 31/32 (数电) and the amount before tax on older types; `amount_includes_tax` says
    which. None when the payload is not an invoice code (no version 01, type or number).
    """
    if not is_text(payload):
        return None
    fields = [f.strip() for f in payload.strip().split(",")]
    if len(fields) < 6 or fields[0] != "01" or not re.fullmatch(r"\d\d", fields[1]):
        return None
    kind, code, number = fields[1], fields[2], fields[3]
    if not re.fullmatch(r"\d{8}|\d{20}", number) or not re.fullmatch(r"(?:\d{10}|\d{12})?", code):
        return None
    return {
        "type": kind,
        "code": code or None,
        "number": number,
        "amount": _qr_amount(fields[4]),
        "amount_includes_tax": kind in _QR_TYPES_WITH_TAX,
        "date": _qr_date(fields[5]),
        "check": (fields[6] if len(fields) > 6 else "") or None,
    }
