"""统一社会信用代码 (GB 32100-2015): check characters and OCR repair."""

import re

from docintake.core.idnumbers import id_number_valid  # an 18-digit ID number can pass the USCC check
from docintake.core.text import fold, is_text

Span = tuple[int, int]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # valued 0..30; no I, O, S, V, Z
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_FORM = re.compile(rf"[{ALPHABET}]{{2}}\d{{6}}[{ALPHABET}]{{10}}")
# OCR confusions for letters the alphabet lacks; B→8 only in the all-digit region code.
_NEVER = str.maketrans("OIZS", "0125")
_REGION = str.maketrans("OIZSB", "01258")
_TOKEN = re.compile(r"[0-9A-Za-z]+")


def check_char(body17: str) -> str | None:
    """The 18th character for a 17-character body, None if it holds a foreign character."""
    if len(body17) != 17 or any(c not in ALPHABET for c in body17):
        return None
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str | None:
    """GB 11714 check character (position 17 of a USCC) for the organisation code body."""
    if len(body8) != 8 or not body8.isascii() or not body8.isalnum():
        return None
    values = [int(c) if c.isdigit() else ord(c.upper()) - ord("A") + 10 for c in body8]
    c = 11 - sum(v * w for v, w in zip(values, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_valid(code: str | None) -> bool:
    """Form (registration authority, entity type, 6-digit region, alphabet) and 18th character.

    Unlike stdnum.cn.uscc this admits letters in positions 1-2 (authority Y, N, A; entity
    types such as 9Y), as GB 32100 does.
    """
    if not isinstance(code, str) or not _FORM.fullmatch(code):
        return False
    return check_char(code[:17]) == code[17]


def uscc_inner_valid(code: str | None) -> bool:
    """The organisation-code check at position 17; codes issued before it was enforced fail it
    legitimately, so callers treat False as a warning only."""
    return isinstance(code, str) and len(code) == 18 and org_check_char(code[8:16]) == code[16]


def _repair(code: str) -> str:
    return code[:2].translate(_NEVER) + code[2:8].translate(_REGION) + code[8:].translate(_NEVER)


def _candidates(text: str) -> list[tuple[str, Span]]:
    """18-character readings: a token, a token with a label glued on (USCC9111…), or
    neighbouring tokens OCR split with single spaces (9111 0000 8021 …)."""
    tokens = [(m.group().upper(), m.span()) for m in _TOKEN.finditer(fold(text))]
    out = []
    for i, (token, (start, end)) in enumerate(tokens):
        if len(token) > 18 and token[:-18].isalpha() and token[-18].isdigit():
            out.append((token[-18:], (end - 18, end)))
        joined, j = token, i
        while len(joined) < 18 and j + 1 < len(tokens) and tokens[j + 1][1][0] == tokens[j][1][1] + 1:
            j += 1
            joined += tokens[j][0]
        if len(joined) == 18:
            out.append((joined, (start, tokens[j][1][1])))
    # The region code alone holds 6 digits; this keeps English words out.
    return [(c, span) for c, span in out if sum(ch.isdigit() for ch in _repair(c)) >= 6]


def repair_uscc(text: str | None) -> tuple[str | None, bool]:
    """(code, repaired) for the credit code in `text`.

    A valid reading is returned as is; an invalid one is retried with O→0, I→1, Z→2, S→5 (and
    B→8 in the region code), characters that cannot occur there, so a valid but different code
    is never produced from a valid one. If nothing checks out, the upper-cased raw candidate is
    returned with False and the caller reports it invalid.
    """
    if not is_text(text):
        return None, False
    candidates = [c for c, _ in _candidates(text)]
    for code in candidates:
        if uscc_valid(code):
            return code, False
    for code in candidates:
        if uscc_valid(_repair(code)):
            return _repair(code), True
    return (candidates[0], False) if candidates else (None, False)


def first_uscc(text: str | None) -> str | None:
    """The first credit code in `text` in reading order, repaired when that makes it valid.
    For a labelled field: a row of cells may go on to another party's (valid) code."""
    if not is_text(text):
        return None
    candidates = [c for c, _ in _candidates(text)]
    if not candidates:
        return None
    code = candidates[0]
    return code if uscc_valid(code) or not uscc_valid(_repair(code)) else _repair(code)


def find_usccs(text: str | None) -> list[tuple[str, Span]]:
    """Valid credit codes in `text` (after OCR repair), with spans.

    Invalid candidates are left out: 18-character numbers on these documents are as often bank
    accounts or ID numbers; read a labelled field with repair_uscc to report an invalid code.
    """
    if not is_text(text):
        return []
    out = []
    for code, span in _candidates(text):
        fixed = code if uscc_valid(code) else _repair(code)
        if uscc_valid(fixed) and not id_number_valid(fixed):
            out.append((fixed, span))
    return out
