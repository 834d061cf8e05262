"""CAC filing numbers: generative-AI service filings and algorithm filings."""

import re
from difflib import SequenceMatcher

from docintake.core.text import fold, is_text

from .dates import parse_date

# Beijing-YunQue-20230821, Hunan-PinCaiMao-202412310003: region pinyin, model pinyin in
# CamelCase, the filing date and (from 2024-04-28) a 4-digit serial; a 登记 (an app on another's
# model) ends in S and 4 digits (Shanghai-JunHongLingXi-20240521S0001). The name part may hold
# hyphens (Beijing-BMW-AI-202604150205), the region any case (ZheJiang). OCR spaces around
# hyphens, and reads a small printed hyphen as a dot or a space (Zhejiang QianTang·202406230059).
_SEP = r"(?:\s*[-_—–·・•]\s*|\s+)"
_SERVICE = re.compile(
    rf"(?<![A-Za-z])(?P<province>[A-Z][A-Za-z]+)(?P<sep1>{_SEP})"
    r"(?P<model>[A-Za-z][A-Za-z0-9]*(?:(?:-| ?)[A-Za-z][A-Za-z0-9]*)*)"
    rf"(?P<sep2>{_SEP})(?P<date>\d{{8}})(?P<serial>[Ss]\d{{4}}|\d{{4}})?(?!\d)"
)
# Where OCR left only spaces between the parts, the first must be a province (OCR may drop a
# letter: Jangsu), so that a name and a date in running text (Zhang San 20240101) are not one.
PROVINCES = ("Beijing", "Tianjin", "Hebei", "Shanxi", "Neimenggu", "Liaoning", "Jilin", "Heilongjiang",
             "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi", "Shandong", "Henan", "Hubei",
             "Hunan", "Guangdong", "Guangxi", "Hainan", "Chongqing", "Sichuan", "Guizhou", "Yunnan",
             "Xizang", "Shaanxi", "Gansu", "Qinghai", "Ningxia", "Xinjiang")
_ALGORITHM = re.compile(r"网信算备\s*(?P<digits>\d(?:\s?\d){20})\s*号")


def find_filing_numbers(text: str | None) -> list[str]:
    """Filing numbers in reading order, normalised (no spaces, plain hyphens); a service filing
    must carry a real date from 2023 on, when the filings began."""
    if not is_text(text):
        return []
    text = fold(text)
    found = []
    for m in _SERVICE.finditer(text):
        filed = parse_date(m["date"])
        spaced = not (m["sep1"].strip() and m["sep2"].strip())
        if spaced and not _province_like(m["province"]):
            continue
        if filed and filed.year >= 2023:
            serial = (m["serial"] or "").upper()
            model = re.sub(r"\s", "", m["model"])
            found.append((m.start(), f"{m['province']}-{model}-{m['date']}{serial}"))
    for m in _ALGORITHM.finditer(text):
        found.append((m.start(), "网信算备" + re.sub(r"\s", "", m["digits"]) + "号"))
    return list(dict.fromkeys(number for _, number in sorted(found)))


def _province_like(word: str) -> bool:
    return any(SequenceMatcher(None, word.capitalize(), p).ratio() >= 0.85 for p in PROVINCES)


# What OCR and typesetting change in a number without changing it: case, spaces, the hyphen's glyph.
_NOISE = re.compile(r"[\s\-_—–·・•.]+")
_TAIL = re.compile(r"(?P<date>\d{8})(?P<reg>S)?(?P<serial>\d{4})?$")


def filing_key(number: str) -> str:
    """The identity of a service filing number as published: case, spaces and hyphen glyphs folded
    (ZheJiang-X-2024… = Zhejiang - X - 2024…), nothing else, so a changed digit stays changed."""
    return _NOISE.sub("", fold(number or "")).upper()


def filing_kind(number: str) -> str | None:
    """备案, 登记 (…YYYYMMDDSNNNN), 算法备案 (网信算备…), or None for no number."""
    key = filing_key(number)
    if not key:
        return None
    if key.startswith("网信算备"):
        return "算法备案"
    tail = _TAIL.search(key)
    return "登记" if tail and tail["reg"] else "备案"


def filing_date(number: str):
    """The date a service filing number carries (its YYYYMMDD), or None."""
    tail = _TAIL.search(filing_key(number))
    return parse_date(tail["date"]) if tail else None
