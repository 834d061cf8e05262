"""Identifiers, check digits and Chinese amount words used on the documents."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_check(code8: str) -> str:
    """GB 11714 check character for the 8-character organisation code body."""
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(code8, ORG_WEIGHTS, strict=False)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(body17: str) -> str:
    s = sum(USCC_CHARS.index(ch) * w for ch, w in zip(body17, USCC_WEIGHTS, strict=False))
    return USCC_CHARS[(31 - s % 31) % 31]


def uscc_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    return uscc_check(code[:17]) == code[17]


def org_valid(code: str) -> bool:
    return org_check(code[8:16]) == code[16]


def make_uscc(rng: random.Random, region: str, entity: str = "1") -> str:
    """A credit code with valid inner organisation-code check and final check."""
    if rng.random() < 0.75:  # post-2015 codes usually start with MA
        body = "MA" + "".join(rng.choice(USCC_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    org = body + org_check(body)
    if org[-1] not in USCC_CHARS:  # 'X' is in the set; keep the guard anyway
        return make_uscc(rng, region, entity)
    b17 = "9" + entity + region + org
    return b17 + uscc_check(b17)


def corrupt_uscc(code: str) -> str:
    """Same code with a wrong final check character."""
    good = code[17]
    bad = USCC_CHARS[(USCC_CHARS.index(good) + 7) % 31]
    return code[:17] + bad


def other_valid_uscc(rng: random.Random, code: str) -> str:
    """A different but valid code that looks like a typo of `code` (one char changed)."""
    while True:
        i = rng.randrange(10, 16)
        ch = rng.choice("0123456789")
        if ch == code[i]:
            continue
        body = code[:i] + ch + code[i + 1 : 16]
        org = body[8:16] + org_check(body[8:16])
        b17 = code[:8] + org
        new = b17 + uscc_check(b17)
        if new != code:
            return new


ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def make_id_number(rng: random.Random, region: str, birth: date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + (rng.choice([1, 3, 5, 7, 9]) if male else rng.choice([0, 2, 4, 6, 8]))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    s = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=False))
    return body + "10X98765432"[s % 11]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


# ---------------------------------------------------------------- amounts
D_DIG = "零壹贰叁肆伍陆柒捌玖"
D_UNIT = ["", "拾", "佰", "仟"]


def _four(n: int) -> str:
    out, zero = "", False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += D_DIG[d] + D_UNIT[pos]
    return out


def amount_upper(amount: float, yuan: str = "元", zheng: str = "整") -> str:
    """Canonical 大写 of an amount, e.g. 300000 -> 叁拾万元整."""
    cents = int((Decimal(str(amount)) * 100).quantize(Decimal(1), ROUND_HALF_UP))
    y, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    groups, s = [], y
    while s:
        groups.append(s % 10000)
        s //= 10000
    text, need_zero = "", False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or g < 1000):
            text += "零"
        text += _four(g) + ["", "万", "亿", "万亿"][i]
        need_zero = False
    if y:
        text += yuan
    if jiao == 0 and fen == 0:
        return (text or "零" + yuan) + "整"
    if jiao:
        text += D_DIG[jiao] + "角"
    elif y:
        text += "零"
    if fen:
        text += D_DIG[fen] + "分"
    elif zheng == "整":
        text += "整"
    return text


def money(v: float) -> str:
    return f"{v:,.2f}"


def r2(v: float) -> float:
    return float(Decimal(str(v)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def normalise_name(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "").replace("（", "(").replace("）", ")")


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def cn_date_short(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------- invoices
def sd_invoice_number(rng: random.Random, d: date, province: str) -> str:
    """数电 invoice: 2 year + 2 province + 1 channel + 15 sequence."""
    return f"{d.year % 100:02d}{province}{rng.choice('12')}" + "0000" + digits(rng, 11)


def paper_invoice_code(rng: random.Random, d: date, region4: str, kind: str) -> str:
    if kind == "paper_special":
        return f"{region4}{d.year % 100:02d}{rng.randint(1, 4)}{rng.choice('13')}{digits(rng, 2)}"
    tail = "11" if kind == "e_normal" else "04"
    return f"0{region4}{d.year % 100:02d}00{rng.randint(1, 9)}{tail}"


def qr_payload(
    rng: random.Random,
    kind: str,
    code: str,
    number: str,
    amount_excl: float,
    total: float,
    d: date,
    check: str,
) -> str:
    qtype = {
        "sd_special": "31",
        "sd_normal": "32",
        "paper_special": "01",
        "paper_normal": "04",
        "e_normal": "10",
    }[kind]
    amount = total if kind.startswith("sd_") else amount_excl
    crc = "".join(rng.choice("0123456789ABCDEF") for _ in range(4))
    return f"01,{qtype},{code},{number},{amount:.2f},{d:%Y%m%d},{check},{crc}"


# ---------------------------------------------------------------- filings
def filing_number(rng: random.Random, province: str, pinyin: str, d: date, serial: bool) -> str:
    s = f"{province}-{pinyin}-{d:%Y%m%d}"
    return s + f"{rng.randint(1, 60):04d}" if serial else s


def algo_filing_number(rng: random.Random) -> str:
    return "网信算备" + digits(rng, 21) + "号"
