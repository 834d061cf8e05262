"""CAC filing numbers: generative-AI service filings and algorithm filings."""

import re

from ._text import fold, is_text
from .dates import parse_date

# Beijing-YunQue-20230821, Hunan-PinCaiMao-202412310003: province pinyin, model pinyin in
# CamelCase, the filing date and (since 2024) a 4-digit serial. OCR spaces around hyphens.
_SERVICE = re.compile(
    r"(?<![A-Za-z])(?P<province>[A-Z][a-z]+)\s*[-_—–]\s*(?P<model>[A-Z][A-Za-z0-9]*)\s*[-_—–]\s*"
    r"(?P<date>\d{8})(?P<serial>\d{4})?(?!\d)"
)
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
        if filed and filed.year >= 2023:
            found.append((m.start(), f"{m['province']}-{m['model']}-{m['date']}{m['serial'] or ''}"))
    for m in _ALGORITHM.finditer(text):
        found.append((m.start(), "网信算备" + re.sub(r"\s", "", m["digits"]) + "号"))
    return list(dict.fromkeys(number for _, number in sorted(found)))
