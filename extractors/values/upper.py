"""Amounts in words (大写金额): a small parser and the canonical writer.

cn2an is not used: it fails on common invoice forms (…元零壹分, amounts under 1 元, 人民币 prefix).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Traditional forms some fonts and older software print; 参, OCR's reading of 叁 (and a common
# misprint of it), is never a digit otherwise.
_VARIANTS = str.maketrans({"貳": "贰", "參": "叁", "参": "叁", "陸": "陆", "萬": "万", "億": "亿",
                           "圓": "圆"})
_VALUE = {c: i for i, c in enumerate(_DIGITS)}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_RUN = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]+")
_FRACTION = re.compile(r"零?(?:(?P<jiao>[零壹贰叁肆伍陆柒捌玖])角)?零?(?:(?P<fen>[零壹贰叁肆伍陆柒捌玖])分)?")
_LIMIT = 10**14  # fen (under 1万亿 yuan): far above any amount on an application


def _section(text: str) -> int | None:
    """Value of a run below 万, e.g. 壹仟零伍拾 → 1050, 拾伍 → 15."""
    value, digit, last_unit, zero = 0, None, 10_000, False
    for ch in text:
        if ch == "零":
            if digit is not None:
                return None
            zero = True
        elif ch in _VALUE:
            if digit is not None:
                return None
            digit = _VALUE[ch]
        else:
            unit = _SMALL.get(ch)
            if unit is None or unit >= last_unit or (digit is None and (unit != 10 or value)):
                return None  # units out of order, or a unit without its digit (拾 alone leads)
            value += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
    if digit is not None:
        # 壹佰伍 is colloquial for 150 but 105 in formal writing: refuse rather than guess.
        if last_unit > 10 and value and not zero:
            return None
        value += digit
    return value


def _integer(text: str) -> int | None:
    """Value of the part before 元: sections split at 亿 and 万, each at most once, in order."""
    total, last_big = 0, 10**12
    for part, big in re.findall(r"([^万亿]*)([万亿]?)", text):
        if not part and not big:
            continue
        # A section after a gap starts with 零 (壹万零伍); drop it before reading the section.
        stripped = part[1:] if part.startswith("零") and total else part
        if total and not big and part in _VALUE:
            return None  # 壹万伍: colloquial 15000, formally 10005; refuse rather than guess
        value = _section(stripped) if stripped else 0
        if value is None:
            return None
        if big:
            unit = _BIG[big]
            if unit >= last_big or value == 0:
                return None
            total += value * unit
            last_big = unit
        else:
            total += value
    return total


def parse_upper_amount(text: str | None) -> float | None:
    """Yuan from an amount in words, e.g. 人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分 → 123456.78."""
    if not isinstance(text, str):
        return None
    text = re.sub(r"\s+", "", text).translate(_VARIANTS)
    runs = [r for r in _RUN.findall(text) if re.search("[元圆角分]", r)]
    if not runs:
        return None
    run = max(runs, key=len)
    if "负" in text[: text.find(run)]:
        return None  # a negative (红字) amount: not something we compare
    run = re.sub("[整正]$", "", run).replace("圆", "元")
    head, sep, tail = run.partition("元")
    if not sep:
        head, tail = "", run  # 玖角伍分: under one yuan
    fraction = _FRACTION.fullmatch(tail)
    integer = _integer(head) if head not in ("", "零") else 0
    if fraction is None or integer is None or (not sep and not tail):
        return None
    jiao, fen = (_VALUE[fraction[k]] if fraction[k] else 0 for k in ("jiao", "fen"))
    return (integer * 100 + jiao * 10 + fen) / 100


# --- writer --------------------------------------------------------------------------------------

def _write_section(n: int) -> str:
    out, zero = "", False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = n // unit % 10
        if d == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + _DIGITS[d] + name
            zero = False
    return out


def _write_integer(n: int) -> str:
    sections = []
    while n:
        n, section = divmod(n, 10_000)
        sections.append(section)
    out, zero = "", False
    for i in reversed(range(len(sections))):
        section = sections[i]
        if section == 0:
            zero = bool(out)
            continue
        if out and (zero or section < 1000):
            out += "零"
        out += _write_section(section) + ("", "万", "亿")[i]
        zero = False
    return out


def upper_amount(value: float | str | Decimal) -> str | None:
    """Canonical 大写 as tax and accounting systems print it (with 元; tax systems print 圆).

    300000 → 叁拾万元整, 100005 → 壹拾万零伍元整 (壹拾, never bare 拾), 1.01 → 壹元零壹分,
    0.95 → 玖角伍分, 1.5 → 壹元伍角整 (整 after 元 or 角, none after 分). None for negative or
    non-numeric input.
    """
    try:
        fen = int(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not 0 <= fen < _LIMIT:
        return None
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if yuan == jiao == cents == 0:
        return "零元整"
    out = _write_integer(yuan) + ("元" if yuan else "")
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan and cents:
        out += "零"
    return out + (_DIGITS[cents] + "分" if cents else "整")


def upper_matches(text: str | None, value: float | None) -> bool | None:
    """Whether an amount in words states `value`; None when the words cannot be read.

    Compared by value, not by string: accounting rules allow optional 零 (壹仟元零叁角 or
    壹仟元叁角) and 圆/元, 整/正, 人民币/⊗ prefixes, so the strings legitimately differ.
    """
    parsed = parse_upper_amount(text)
    if parsed is None or value is None:
        return None
    try:
        return round(parsed, 2) == round(float(value), 2)
    except (TypeError, ValueError):
        return None
