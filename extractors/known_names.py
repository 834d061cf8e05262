"""Names OCR read one character off a name the bundle knows, checked against the ink.

A photo's 深圳市青藤… read as 深埔市青藤…, or a filing's 玄穹多模态大模型 read as 玄守…, is one
character off the applicant's (or the contract's model's) name: the shape of an OCR slip, but
also of a different firm or model, so the checks cannot tell and ask a person (FIELD_UNREADABLE).
The page can tell: the line the value was read from is cut out again and the recogniser's own
per-frame output (extractors.ocr.lexicon) asked how much less it supports the known spelling than
the one read. Where the known spelling costs next to nothing the field takes it, and keeps the
reading in `read_as`; a clearly printed different character costs far more, and the field stays
as read.

An invoice's 大写 total is checked the same way when its figures and its 合计 row agree on the
total (two readings) but the words do not read as it (⊗肆万壹仟壹佰查拾肆圆… where 查 was 壹):
the words those figures are printed as are the known spelling. Words that print another amount
are clearly other characters, stay as read, and the 大写 check reports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docintake.core.datamodel import DocType, DocumentReport, ExtractedField, Page, TextLine, TextSource

from . import values
from .line_images import line_image
from .ocr import OcrEngine
from .ocr.base import line_posteriors
from .ocr.lexicon import text_gaps
from .page_frames import page_frame
from .seal_owners import FIRM_FIELDS, bundle_firms

# How many nats less the known spelling may be supported than the spelling read, over the whole
# name. Six one-character misreadings of bench runs cost -1.4 to +13.8 (most lines read right
# when cut out alone); swapping one character of 149 names read right on scans and photos for the
# look-alike the recogniser liked next cost less than this on 1 (深埔 for 深圳), the median -8.5.
LOOKALIKE_NATS = 2.0
UPPER_NUMERALS = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整")


def confirm_known_names(documents: list[DocumentReport], pages: dict[tuple[str, int], Page],
                        paths: dict[str, Path], engine: Callable[[], OcrEngine], long_side: int) -> None:
    """Set each OCR-read name field that is one character off a known name to that name, and an
    invoice's 大写 total that does not read as its agreed figures to their words, where the ink
    supports the known spelling about as well as the one read."""
    todo: dict[tuple[str, int], list[_Candidate]] = {}
    for doc, field, read, known in _one_char_off(documents):
        page = pages.get((field.source or doc.source, field.page))
        line = _line_of(page, field, read) if page and page.text_source != TextSource.text_layer else None
        if line is not None:
            todo.setdefault((page.source, page.page), []).append(
                _Candidate(line, read, [known], lambda value, field=field: _take(field, value)))
    for candidate, key in _implied_words(documents, pages):
        todo.setdefault(key, []).append(candidate)
    for key, candidates in todo.items():
        image = page_frame(pages[key], paths, long_side)
        if image is None:
            continue
        points_per_px = pages[key].width / image.shape[1]
        crops = [line_image(image, c.line.bbox, points_per_px) for c in candidates]
        posteriors = line_posteriors(engine(), crops)
        if posteriors is None:  # an engine that does not say
            continue
        for c, post in zip(candidates, posteriors, strict=True):
            gaps = text_gaps(post, [c.read, *c.known])
            best = max(c.known, key=lambda k: gaps[k] * len(k))
            if gaps[best] * len(best) >= gaps[c.read] * len(c.read) - LOOKALIKE_NATS:
                c.take(best)


@dataclass
class _Candidate:
    line: TextLine  # the page line the value was (or should have been) read from
    read: str  # what OCR read there
    known: list[str]  # the spellings the bundle expects (one name; a total's words in 元 and 圆)
    take: Callable[[str], None]  # sets the field to the known spelling


def _take(field: ExtractedField, value: str) -> None:
    field.read_as, field.value = str(field.value), value


def _implied_words(documents: list[DocumentReport], pages: dict[tuple[str, int], Page]):
    """(candidate, page key) for each OCR-read invoice whose 大写 total is missing or reads as
    another amount while its figures and its 合计 row agree (two readings of one total): the
    words those figures are printed as, to be checked against the ink of the 大写 line."""
    for doc in documents:
        f = doc.fields
        total, excl, tax = f.get("total_amount"), f.get("amount_excl_tax"), f.get("tax_amount")
        if doc.doc_type != DocType.invoice or not (total and excl and tax):
            continue
        if abs(float(excl.value) + float(tax.value) - float(total.value)) > 0.005:
            continue
        upper = f.get("total_amount_upper")
        if upper and values.upper_matches(str(upper.value), float(total.value)):
            continue
        key = (total.source or doc.source, total.page)
        page = pages.get(key)
        if page is None or page.text_source == TextSource.text_layer:
            continue
        line, read = _words_line(page)
        words = values.upper_amount(float(total.value))  # None for a red-letter invoice's negative total
        if line is None or words is None:
            continue
        known = [words, words.replace("元", "圆")]

        def take(value: str, doc=doc, line=line, read=read, total=total) -> None:
            doc.fields["total_amount_upper"] = ExtractedField(
                value=value, page=total.page, bbox=line.bbox, confidence=round(line.confidence, 4),
                source=total.source, read_as=read)

        yield _Candidate(line, read, known, take), key


def _words_line(page: Page) -> tuple[TextLine | None, str]:
    """The page's line with the longest run of 大写 numerals, and that run (with what OCR put
    inside it: 壹佰查拾 where 查 was 壹)."""
    best, run = None, ""
    for line in page.lines:
        chars = [i for i, ch in enumerate(line.text) if ch in UPPER_NUMERALS]
        if len(chars) >= 4 and chars[-1] - chars[0] + 1 > len(run):
            best, run = line, line.text[chars[0]:chars[-1] + 1]
    return best, run


def _one_char_off(documents: list[DocumentReport]):
    """(doc, field, value read, known name) for each name field one character off a known name:
    the firms the bundle names (their majority spellings), the models its contracts name."""
    firms = bundle_firms(documents)
    models = {values.model_key(str(d.fields["model_name"].value)): str(d.fields["model_name"].value)
              for d in documents if d.doc_type == DocType.contract and "model_name" in d.fields}
    for doc in documents:
        for key, field in doc.fields.items():
            if field.value is None:
                continue
            if key in FIRM_FIELDS:
                read = values.normalise_name(str(field.value))
                known = next((f for f in firms if values.one_char_off(read, f)), None)
            elif key == "model_name" and doc.doc_type != DocType.contract:
                read = str(field.value)
                known = next((m for k, m in models.items() if values.one_char_off(values.model_key(read), k)),
                             None)
            else:
                continue
            if known:
                yield doc, field, read, known


def _line_of(page: Page, field: ExtractedField, read: str):
    """The page's line the value was read from: the one its text is in (spaces aside), else the
    one whose box holds the value's box."""
    squeezed = read.replace(" ", "")
    for line in page.lines:
        if squeezed in values.normalise_name(line.text) or squeezed in line.text.replace(" ", ""):
            return line
    if field.bbox is None:
        return None
    cx, cy = (field.bbox[0] + field.bbox[2]) / 2, (field.bbox[1] + field.bbox[3]) / 2
    holds = (ln for ln in page.lines if ln.bbox[0] <= cx <= ln.bbox[2] and ln.bbox[1] <= cy <= ln.bbox[3])
    return next(holds, None)

