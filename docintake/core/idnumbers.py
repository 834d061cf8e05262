"""Resident ID numbers (GB 11643): validity and masking for reports."""

import re
from datetime import date

from docintake.core.text import fold, is_text

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def id_check_char(body17: str) -> str | None:
    """ISO 7064 MOD 11-2 check character."""
    if len(body17) != 17 or not body17.isdigit() or not body17.isascii():
        return None
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def _birth_date_ok(code: str) -> bool:
    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def id_number_valid(s: str | None) -> bool:
    """18-character ID number: check character and a real, past birth date."""
    if not isinstance(s, str):
        return False
    code = re.sub(r"\s", "", s).upper()
    return len(code) == 18 and id_check_char(code[:17]) == code[17] and _birth_date_ok(code)


def mask_id_number(s: str | None) -> str | None:
    """440305199001011234 → 440305********1234 (first 6, last 4 kept)."""
    if not is_text(s):
        return None
    code = re.sub(r"\s", "", s).upper()
    if len(code) <= 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def id_numbers_in(text: str | None) -> set[str]:
    """The ID-number-shaped runs of a text whose birth date is real (a credit code is not one)."""
    if not isinstance(text, str):
        return set()
    return {m.group().upper() for m in _ID.finditer(fold(text)) if _birth_date_ok(m.group())}


def mask_ids_in_text(text: str | None) -> str | None:
    """Mask every ID-number-shaped run whose birth date is real, even if its check character is
    wrong: an OCR slip must not leak a number into a report."""
    if not isinstance(text, str):
        return text
    folded = fold(text)
    out, last = [], 0
    for m in _ID.finditer(folded):
        if _birth_date_ok(m.group()):
            out += [text[last:m.start()], mask_id_number(m.group())]
            last = m.end()
    return "".join(out) + text[last:]
