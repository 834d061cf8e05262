"""Key-field extraction: rules from rules/fields.yaml, read off the page layout.

A label is found on a line (whitespace removed: OCR letter-spaces labels such as 名  称); its
value is what follows on that line, else the nearest cell to its right on the same row, else
the cell just below. Each candidate is parsed by the field's type; the first that parses wins.
"""

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from docintake.core.datamodel import DocType, DocumentReport, ExtractedField, Page, TextLine

from . import values
from .normalise import compact

RULES_FILE = Path(__file__).parent / "rules" / "fields.yaml"
ORG = re.compile(r"^(.{2,40}?(有限责任公司|股份有限公司|有限公司|公司|\(普通合伙\)|\(特殊普通合伙\)|"
                 r"合伙企业|研究院|研究所|事务所|中心|银行|分行|支行|税务局|管理局))")
NOT_IN_NAME = re.compile(r"\d{5,}|名称|识别号|代码|:|盖章")  # a label or a number swallowed by a name
PERSON = re.compile(r"^([\u4e00-\u9fff·]{2,4})")
# 大写 amounts, with the variants values.parse_upper_amount reads (貳, 參, OCR's 参 for 叁, ...)
UPPER = re.compile(r"[⊗人民币]*[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正貳參参陸萬億圓]{2,}")
MODES = [("私有化部署", "私有化部署"), ("一体机", "大模型一体机"), ("云化部署", "云化部署"),
         ("API", "API调用"), ("接口调用", "API调用")]
CERT_KINDS = [("无欠税证明", "无欠税证明"), ("完税证明", "完税证明"), ("纳税情况证明", "纳税证明"),
              ("纳税证明", "纳税证明"), ("税收缴款书", "税收缴款书")]
UNSURE = 0.3  # confidence of a printed reading another reading contradicts (the 合计 row, a QR code)
QUOTED = re.compile(r"[“\"]([^”\"]{2,30})[”\"]")
LEADING = re.compile(r"^[\s:：)）\]】]+")
NEXT_LABEL = re.compile(r"[:：]|名称|识别号|信用代码")
THOUSANDS = re.compile(r"千元\s*([0-9][0-9,]*(?:\.[0-9]+)?)")
MONTH_SPAN = re.compile(r"(?:20\d\d年)?(1[0-2]|[1-9])\s*[-—~至]\s*(1[0-2]|[1-9])月")

ABOUT_MODEL = re.compile(r"关于(.{2,30}?模型)(?:已?完成|通过|的)")
CUT_DAY = 0.6  # confidence of 2025年11月2 at a line's end: the day may have lost a digit


# The contract's key-field table: what the accuracy target is about (extension fields such as
# business_scope or sign_date serve the checks and are measured through the findings).
KEY_FIELDS: dict[str, set[str]] = {
    "business_licence": {"company_name", "uscc", "legal_rep", "established_date", "valid_until", "address"},
    "invoice": {"invoice_number", "invoice_code", "issue_date", "buyer_name", "buyer_uscc", "seller_name",
                "seller_uscc", "amount_excl_tax", "tax_amount", "total_amount", "total_amount_upper"},
    "contract": {"party_a", "party_b", "contract_amount", "sign_date", "service_start", "service_end",
                 "model_name", "deployment_mode"},
    "usage_statement": {"customer_name", "provider_name", "period_start", "period_end", "total_amount",
                        "model_name"},
    "payment_proof": {"payer_name", "payee_name", "amount", "payment_date"},
    "tax_certificate": {"taxpayer_name", "uscc", "issue_date", "certificate_kind"},
    "cac_filing": {"provider_name", "model_name", "filing_number"},
    "application_form": {"applicant_name", "uscc", "programme_title", "requested_amount"},
    "acceptance_report": {"customer_name", "provider_name", "acceptance_date"},
}


@dataclass(frozen=True)
class FieldRule:
    name: str
    labels: tuple[re.Pattern, ...]
    type: str
    occurrence: int = 1
    nth_value: int = 1
    search: str | None = None  # None, "first" or "last"


@lru_cache(maxsize=2)
def load_field_rules(path: Path = RULES_FILE) -> dict[DocType, tuple[FieldRule, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        DocType(doc_type): tuple(
            FieldRule(name=name, labels=tuple(re.compile(p) for p in spec.get("labels", [])),
                      type=spec["type"], occurrence=spec.get("occurrence", 1),
                      nth_value=spec.get("nth_value", 1), search=_search_mode(spec.get("search")))
            for name, spec in fields.items())
        for doc_type, fields in data.items()
    }


def _search_mode(value) -> str | None:
    return {True: "first", "first": "first", "last": "last"}.get(value) if value else None


@dataclass
class Cell:
    """A text line of a document page, in reading order."""

    source: str  # the file
    page: int  # 1-based page within the file
    line: TextLine
    text: str  # compacted


def reading_order(pages: list[Page]) -> list[Cell]:
    cells = []
    for page in pages:
        lines = sorted(page.lines, key=lambda ln: (ln.bbox[1] + ln.bbox[3]) / 2)
        rows: list[list[TextLine]] = []
        for line in lines:
            centre = (line.bbox[1] + line.bbox[3]) / 2
            height = max(line.bbox[3] - line.bbox[1], 1.0)
            if rows and abs(centre - _centre(rows[-1][0])) < 0.5 * height:
                rows[-1].append(line)
            else:
                rows.append([line])
        for row in rows:
            cells.extend(Cell(page.source, page.page, ln, compact(ln.text))
                         for ln in _split_words_joined(sorted(row, key=lambda ln: ln.bbox[0])))
    return cells


def _split_words_joined(row: list[TextLine]) -> list[TextLine]:
    """A row's lines with one- and two-character pieces that touch joined: OCR boxes a spaced
    label (合  计) one character at a time, and no label pattern matches half of it."""
    out: list[TextLine] = []
    for line in row:
        prev = out[-1] if out else None
        height = min(line.bbox[3] - line.bbox[1], prev.bbox[3] - prev.bbox[1]) if prev else 0.0
        if (prev and len(compact(prev.text)) <= 2 and len(compact(line.text)) <= 2
                and line.bbox[0] - prev.bbox[2] < 0.3 * height):
            box = (prev.bbox[0], min(prev.bbox[1], line.bbox[1]), max(prev.bbox[2], line.bbox[2]),
                   max(prev.bbox[3], line.bbox[3]))
            out[-1] = prev.model_copy(update={"text": prev.text + line.text, "bbox": box,
                                             "confidence": min(prev.confidence, line.confidence)})
        else:
            out.append(line)
    return out


def _centre(line: TextLine) -> float:
    return (line.bbox[1] + line.bbox[3]) / 2


# --- value parsers: text -> normalised value or None -------------------------------------------

def _name(text: str) -> str | None:
    m = ORG.match(values.normalise_name(text))
    return m.group(1) if m and not NOT_IN_NAME.search(m.group(1)) else None


def _person(text: str) -> str | None:
    m = PERSON.match(text)
    return m.group(1) if m else None


def _upper(text: str) -> str | None:
    m = UPPER.search(text)
    if m and values.parse_upper_amount(m.group()) is not None:
        return m.group()
    return None


YUAN_MISREAD = re.compile(r"(?<![A-Za-z0-9])[VYy半](?=\d)")  # OCR reads ¥ as V, Y or 半


def _amount(text: str, nth: int = 1) -> float | None:
    found = values.find_amounts(YUAN_MISREAD.sub("¥", text))
    if len(found) >= nth:
        value = found[nth - 1]
        return value[0] if isinstance(value, tuple) else value
    return None


def _period(text: str, index: int) -> str | None:
    period = values.parse_period(text)
    if period:
        return period[index].isoformat() if period[index] else None
    return None


def _model(text: str) -> str | None:
    m = QUOTED.search(text)
    if m:
        return m.group(1)
    m = ABOUT_MODEL.search(text)  # a letter's title: 关于星衍大模型完成生成式人工智能服务备案的说明
    if m:
        return m.group(1)
    m = re.match(r"^([^,;。，、(]{2,30})", text)
    return m.group(1) if m and "模型" in m.group(1) else None


def parse_value(kind: str, text: str, nth: int = 1):
    if not text:
        return None
    if kind == "date":
        d = values.parse_date(text)
        return d.isoformat() if d else None
    if kind == "amount":
        return _amount(text, nth)
    if kind == "name":
        return _name(text)
    if kind == "person":
        return _person(text)
    if kind == "uscc":
        code = values.first_uscc(text)
        return code if code and len(code) == 18 else None
    if kind == "upper":
        return _upper(text)
    if kind == "invoice_number":
        parsed = values.parse_invoice_number(text)
        return parsed["number"] if parsed else None
    if kind == "invoice_code":
        m = re.search(r"(?<!\d)(\d{12}|\d{10})(?!\d)", text)
        return m.group(1) if m else None
    if kind in ("period_start", "period_end"):
        return _period(text, 0 if kind == "period_start" else 1)
    if kind == "filing_number":
        found = values.find_filing_numbers(text)
        return found[0] if found else None
    if kind == "model":
        return _model(text)
    if kind in ("text", "paragraph"):
        return text.strip(" :") or None
    if kind == "mode":
        return next((mode for keyword, mode in MODES if keyword in text), None)
    if kind == "thousand_yuan":  # statistics tables: 代码 | 千元 | 本年累计 | 上年同期
        m = THOUSANDS.search(text)
        return round(float(m.group(1).replace(",", "")) * 1000, 2) if m else None
    if kind == "month_span":  # 报告期：2026年1-3月 -> 3
        m = MONTH_SPAN.search(text)
        return int(m.group(2)) - int(m.group(1)) + 1 if m and int(m.group(2)) >= int(m.group(1)) else None
    raise ValueError(f"unknown field type {kind!r}")


# --- finding values next to labels ----------------------------------------------------------------

def _candidates(cells: list[Cell], index: int, end: int) -> list[tuple[str, Cell]]:
    """Value texts for a label ending at `end` in cells[index]: rest of line, rest of the row
    (a table row read as separate cells), each cell to the right, the cell below, and the rest
    of the line run on into the next line (a credit code wrapped mid-way)."""
    cell = cells[index]
    rest = LEADING.sub("", cell.text[end:])
    out = [(rest, cell)]
    x1, centre = cell.line.bbox[2], _centre(cell.line)
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    same_page = [c for c in cells if (c.source, c.page) == (cell.source, cell.page) and c is not cell]
    # OCR boxes of neighbouring cells overlap a little: "right of" means past the label's middle.
    middle = (cell.line.bbox[0] + x1) / 2
    right = sorted((c for c in same_page if abs(_centre(c.line) - centre) < 0.6 * height
                    and c.line.bbox[0] > middle), key=lambda c: c.line.bbox[0])
    if right:
        # The row read on, but not into the next labelled cell: on an invoice the seller's block
        # sits right of the buyer's, and its code must never answer the buyer's label.
        run = list(itertools.takewhile(lambda c: not NEXT_LABEL.search(c.text), right))
        if run:
            out.append((" ".join([rest, *(c.text for c in run)]).strip(), run[0]))
    out += [(LEADING.sub("", c.text), c) for c in right[:2]]
    below = sorted((c for c in same_page if 0 < c.line.bbox[1] - cell.line.bbox[3] < 2.5 * height
                    and c.line.bbox[0] < cell.line.bbox[2] and c.line.bbox[2] > cell.line.bbox[0]),
                   key=lambda c: c.line.bbox[1])
    out += [(LEADING.sub("", c.text), c) for c in below[:1]]
    if rest and index + 1 < len(cells):
        out.append((rest + cells[index + 1].text, cell))
    return out


def _labelled(rule: FieldRule, cells: list[Cell]) -> list[tuple[object, Cell]]:
    """Values next to the rule's labels; the first label (most specific) that yields any wins."""
    for pattern in rule.labels:
        found = []
        for index, cell in enumerate(cells):
            m = pattern.search(cell.text)
            if not m:
                continue
            for text, source in _candidates(cells, index, m.end()):
                if rule.type == "paragraph" and " " in text:
                    continue  # a whole table row joined: a paragraph is one column's text
                value = parse_value(rule.type, text, rule.nth_value)
                if value is not None:
                    if rule.type == "text":
                        value = _with_wrapped_line(value, cells, source)
                    elif rule.type == "paragraph":
                        value = _with_paragraph(value, cells, source)
                    found.append((value, source))
                    break
        if found:
            return found
    return []


def _with_wrapped_line(value: str, cells: list[Cell], cell: Cell) -> str:
    """A long address wraps: a short unlabelled line just below the value's line continues it."""
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    for nxt in cells:
        gap = nxt.line.bbox[1] - cell.line.bbox[3]
        if (nxt.source, nxt.page) == (cell.source, cell.page) and nxt is not cell \
                and -0.2 * height < gap < 0.9 * height and len(nxt.text) <= 16 and ":" not in nxt.text \
                and abs(nxt.line.bbox[0] - cell.line.bbox[0]) < 3 * height:
            return value + nxt.text
    return value


def _with_paragraph(value: str, cells: list[Cell], cell: Cell) -> str:
    """A paragraph value (经营范围) runs over the lines below it in the same column; cells of
    another column on the same rows (a licence's second column) are skipped."""
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    last = cell
    for nxt in cells[cells.index(cell) + 1:]:
        if (nxt.source, nxt.page) != (cell.source, cell.page):
            break
        other_column = abs(nxt.line.bbox[0] - cell.line.bbox[0]) > 3 * height
        if other_column or nxt.line.bbox[1] < last.line.bbox[1] + 0.5 * height:
            continue
        if nxt.line.bbox[1] - last.line.bbox[3] > 1.2 * height or ":" in nxt.text[:8]:
            break
        value, last = value + nxt.text, nxt
    return value


def _wraps_onto(first: Cell, second: Cell) -> bool:
    """Whether `second` continues `first` as the next line of one wrapped title."""
    if (first.source, first.page) != (second.source, second.page) or ":" in first.text:
        return False
    height = first.line.bbox[3] - first.line.bbox[1]
    return -0.5 * height <= second.line.bbox[1] - first.line.bbox[3] <= 0.8 * height


def _searched(rule: FieldRule, cells: list[Cell]) -> tuple[object, Cell] | None:
    if rule.type == "mode":
        for keyword, mode in MODES:
            hit = next((c for c in cells if keyword in c.text), None)
            if hit:
                return mode, hit
        return None
    if rule.type == "certificate_kind":
        for cell in cells[:8]:
            kind = next((canonical for key, canonical in CERT_KINDS if key in cell.text), None)
            if kind:
                return kind, cell
        return None
    if rule.type == "programme_title":
        # The form's title names the programme; a long title wraps onto the line just below it.
        # 项目 ends many programme names (…扶持项目申报表) and is only the form's when it is
        # 项目申请书 (…计划模型券（申领）项目申请书).
        for first, second in zip(cells[:6], [*cells[1:7], None], strict=False):
            texts = [first.text]
            if second and _wraps_onto(first, second):
                texts.append(first.text + second.text)
            for text in texts:
                m = re.search(r"^(.{4,60}?)(项目(?=申请书))?(申请书|申报书|申报表|申请表|申领表)", text)
                if m:
                    return m.group(1), first
        return None
    if rule.type == "model":  # unlabelled, a model is named in quotes: 研发的“青鸾语音模型”
        quoted = next(((m.group(1), c) for c in cells for m in [QUOTED.search(c.text)]
                       if m and "模型" in m.group(1)), None)
        if quoted:
            return quoted
    ordered = cells if rule.search == "first" else list(reversed(cells))
    for cell in ordered:
        if rule.type == "date" and len(cell.text) > 16:
            continue  # unlabelled, only a line that is a date (not a period in a table) will do
        if rule.type == "uscc":  # unlabelled, only a valid code: 18 digits are often a serial No.
            value = next((code for code, _ in values.find_usccs(cell.text)), None)
        else:
            value = parse_value(rule.type, cell.text, rule.nth_value)
        if value is not None:
            return value, cell
    return None


@dataclass
class FilingRow:
    number: str
    provider: str | None
    model: str | None
    cell: Cell


def _wrapped_tail(cell: Cell, other: Cell) -> bool:
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    gap = other.line.bbox[1] - cell.line.bbox[3]
    return ((other.source, other.page) == (cell.source, cell.page) and -0.3 * height < gap < 0.8 * height
            and abs(other.line.bbox[0] - cell.line.bbox[0]) < 2 * height
            and re.fullmatch(r"\d{1,4}号?|号", other.text) is not None)


def filing_rows(pages: list[Page]) -> list[FilingRow]:
    """Rows of a CAC list printout: each filing number with the company and model on its row."""
    cells = reading_order(pages)
    rows = []
    for cell in cells:
        # A narrow table cell wraps the number's tail (…000 / 8, or 网信算备… / 号) onto a second line.
        tail = next((c.text for c in cells if _wrapped_tail(cell, c)), "")
        numbers = (values.find_filing_numbers(cell.text + tail) or values.find_filing_numbers(cell.text)
                   or values.find_filing_numbers(cell.text + "号"))
        if not numbers:
            continue
        row = _row_of(cells, cell)
        provider = next((n for n in (_name(c.text) for c in row) if n), None)
        rows.append(FilingRow(numbers[0], provider, _model_in(row), cell))
    return rows


def _row_of(cells: list[Cell], cell: Cell) -> list[Cell]:
    """The other cells on `cell`'s table row, nearest first."""
    centre = _centre(cell.line)
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    row = [c for c in cells if (c.source, c.page) == (cell.source, cell.page) and c is not cell
           and abs(_centre(c.line) - centre) < 1.5 * height]
    return sorted(row, key=lambda c: abs(_centre(c.line) - centre))


def _model_in(row: list[Cell]) -> str | None:
    return next((c.text for c in row if "模型" in c.text and len(c.text) <= 30), None)


def _unnumbered_row(pages: list[Page], parties: set[str]) -> FilingRow | None:
    """The provider's row of a list printout whose filing number OCR missed (text detection
    dropped the cell): the provider's name, and a model on its row."""
    cells = reading_order(pages)
    for cell in cells:
        name = _name(cell.text)
        if name and max((values.name_similarity(name, p) for p in parties), default=0.0) >= 0.75:
            model = _model_in(_row_of(cells, cell))
            if model:
                return FilingRow("", name, model, cell)
    return None


def keep_filing_row_of(doc: DocumentReport, pages: list[Page], parties: set[str]) -> None:
    """A CAC list printout names many models: the filing that matters is the contract provider's."""
    rows = filing_rows(pages)
    if len(rows) < 2:
        return
    score = lambda r: max((values.name_similarity(v, p) for v in (r.provider, r.model) if v  # noqa: E731
                           for p in parties), default=0.0)
    row = max(rows, key=score)
    if score(row) < 0.75:
        # The provider's numbered row is not among those read: what the label search found
        # belongs to another row. Its row without the number still says which model is filed;
        # without that row, nothing found can be trusted to.
        row = _unnumbered_row(pages, parties)
        unsure = ("filing_number",) if row else ("filing_number", "provider_name", "model_name")
        for name in unsure:
            if name in doc.fields:
                doc.fields[name].confidence = min(doc.fields[name].confidence, 0.5)
        if row is None:
            return
    for name, value in (("filing_number", row.number), ("provider_name", row.provider),
                        ("model_name", row.model)):
        if value:
            doc.fields[name] = ExtractedField(value=value, page=row.cell.page, bbox=row.cell.line.bbox,
                                              confidence=round(row.cell.line.confidence, 4),
                                              source=row.cell.source)


def reconcile_invoice_total(fields: dict[str, ExtractedField]) -> None:
    """An invoice prints its total three ways: figures, 大写, and amount + tax (the 合计 row).
    OCR misreads the figures now and then, and one misread total makes false AMOUNT_MISMATCH
    errors against the contract, the payments and the usage statement. So:
    - figures that agree with another reading stay;
    - words and sum that agree with each other, not with the figures, are the total (a lost
      decimal point), as sure as the less sure of them;
    - figures whose first digit is a misread currency sign (¥4167.23 read 44167.23) are the rest
      of the figures when that agrees with another reading;
    - figures the sum contradicts while the words say nothing are unsure (the checks then ask a
      person), as printed figures a QR code contradicts are.
    Figures that disagree with the words alone stay as read: that is what the 大写 check reports."""
    total, upper = fields.get("total_amount"), fields.get("total_amount_upper")
    excl, tax = fields.get("amount_excl_tax"), fields.get("tax_amount")
    words = values.parse_upper_amount(str(upper.value)) if upper else None
    summed = round(float(excl.value) + float(tax.value), 2) if excl and tax else None
    agreed = _near(words, summed)
    if total is None:
        if agreed:
            sure = min(upper.confidence, excl.confidence, tax.confidence)
            fields["total_amount"] = upper.model_copy(update={"value": words, "confidence": sure})
        return
    figures = float(total.value)
    if _near(figures, words) or _near(figures, summed):
        return
    text = f"{figures:.2f}"
    rest = float(text[1:]) if len(text) > 4 and text[1] != "." else None  # 44167.23 -> 4167.23
    if agreed:
        sure = min(upper.confidence, excl.confidence, tax.confidence)
        fields["total_amount"] = total.model_copy(update={"value": words, "confidence": sure,
                                                          "read_as": text})
    elif rest is not None and (_near(rest, words) or _near(rest, summed)):
        fields["total_amount"] = total.model_copy(update={"value": rest, "read_as": text})
    elif summed is not None and words is None:
        total.confidence = min(total.confidence, UNSURE)


def _near(a: float | None, b: float | None) -> bool:
    """Two amounts the same to the fen (either missing: not the same)."""
    return a is not None and b is not None and abs(a - b) <= 0.01


def _side_by_side(hits: list[tuple[object, Cell]]) -> list[tuple[object, Cell]]:
    """Values of one label in reading order, where values less than a line apart in height count
    as one row, read left to right: an invoice's 购买方 and 销售方 blocks sit side by side, and on a
    page left a degree or two askew the seller's 名称 can sit higher than the buyer's, which made
    the seller's name the first 名称 (occurrence 1, the buyer's)."""
    out: list[tuple[object, Cell]] = []
    for hit in hits:
        cell = hit[1]
        height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
        band = [k for k, (_, c) in enumerate(out) if (c.source, c.page) == (cell.source, cell.page)
                and abs(_centre(c.line) - _centre(cell.line)) < height]
        if band and all(cell.line.bbox[0] < out[k][1].line.bbox[0] for k in band):
            out.insert(band[0], hit)
        else:
            out.append(hit)
    return out


def extract_fields(doc_type: DocType, pages: list[Page]) -> dict[str, ExtractedField]:
    rules = load_field_rules().get(doc_type, ())
    cells = reading_order(pages)
    fields = {}
    for rule in rules:
        hits = _side_by_side(_labelled(rule, cells)) if rule.labels else []
        pick = None
        if hits:
            position = rule.occurrence - 1 if rule.occurrence > 0 else rule.occurrence
            if -len(hits) <= position < len(hits):
                pick = hits[position]
        if pick is None and (rule.search or not rule.labels):
            pick = _searched(rule, cells)
        if pick is None:
            continue
        value, cell = pick
        sure = min(cell.line.confidence, 1.0)
        if rule.type == "date" and values.day_may_be_cut(cell.text):
            sure = min(sure, CUT_DAY)
        fields[rule.name] = ExtractedField(value=value, page=cell.page, bbox=cell.line.bbox,
                                           confidence=round(sure, 4), source=cell.source)
    if doc_type == DocType.invoice:
        reconcile_invoice_total(fields)
    return fields
