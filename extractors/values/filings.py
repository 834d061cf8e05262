"""CAC filing numbers: generative-AI service filings and algorithm filings."""

import re
from difflib import SequenceMatcher

from docintake.core.text import fold, is_text

from .dates import parse_date

# Beijing-YunQue-20230821, Hunan-PinCaiMao-202412310003: province pinyin, model pinyin in
# CamelCase, the filing date and (since 2024) a 4-digit serial. OCR spaces around hyphens, and
# reads a small printed hyphen as a dot or a space (Zhejiang QianTang·202406230059).
_SEP = r"(?:\s*[-_—–·・•]\s*|\s+)"
_SERVICE = re.compile(
    rf"(?<![A-Za-z])(?P<province>[A-Z][a-z]+)(?P<sep1>{_SEP})(?P<model>[A-Z][A-Za-z0-9]*)(?P<sep2>{_SEP})"
    r"(?P<date>\d{8})(?P<serial>\d{4})?(?!\d)"
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
            found.append((m.start(), f"{m['province']}-{m['model']}-{m['date']}{m['serial'] or ''}"))
    for m in _ALGORITHM.finditer(text):
        found.append((m.start(), "网信算备" + re.sub(r"\s", "", m["digits"]) + "号"))
    return list(dict.fromkeys(number for _, number in sorted(found)))


def _province_like(word: str) -> bool:
    return any(SequenceMatcher(None, word, p).ratio() >= 0.85 for p in PROVINCES)
