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

from docintake.core.datamodel import DocType, ExtractedField, Page

from . import values
from .field_values import MODES, QUOTED, looks_like_address, parse_value
from .invoice_totals import check_payment_amount, reconcile_invoice_total
from .layout import Cell, is_vertical, line_centre, reading_order

RULES_FILE = Path(__file__).parent / "rules" / "fields.yaml"
CERT_KINDS = [("无欠税证明", "无欠税证明"), ("完税证明", "完税证明"), ("纳税情况证明", "纳税证明"),
              ("纳税证明", "纳税证明"), ("税收缴款书", "税收缴款书")]
# What separates a label from its value: colons, a label's closing bracket, and a short note in
# brackets (申报单位(盖章): …, 申请资助金额(元) …).
LEADING = re.compile(r"^[\s:：)）\]】]*(?:\([^()]{1,8}\))?[\s:：)）\]】]*")
# Inside a block (付款人 | 户名 / 账号 / 开户银行) the name is the value of its name line.
NAME_LINE = re.compile(r"^(?:户名|全称|名称|账户名称|单位名称|开户名称?)")
NEXT_LABEL = re.compile(r"[:：]|名称|识别号|信用代码")
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
    after: str | None = None  # only values after this field's value (and before a sibling's anchor)


@lru_cache(maxsize=2)
def load_field_rules(path: Path = RULES_FILE) -> dict[DocType, tuple[FieldRule, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        DocType(doc_type): tuple(
            FieldRule(name=name, labels=tuple(re.compile(p) for p in spec.get("labels", [])),
                      type=spec["type"], occurrence=spec.get("occurrence", 1),
                      nth_value=spec.get("nth_value", 1), search=_search_mode(spec.get("search")),
                      after=spec.get("after"))
            for name, spec in fields.items())
        for doc_type, fields in data.items()
    }


def _search_mode(value) -> str | None:
    return {True: "first", "first": "first", "last": "last"}.get(value) if value else None


# --- finding values next to labels ----------------------------------------------------------------

def _candidates(cells: list[Cell], index: int, end: int) -> list[tuple[str, Cell]]:
    """Value texts for a label ending at `end` in cells[index]: rest of line, rest of the row
    (a table row read as separate cells), each cell to the right, the cell below, and the rest
    of the line run on into the next line (a credit code wrapped mid-way)."""
    cell = cells[index]
    rest = LEADING.sub("", cell.text[end:])
    if not rest and is_vertical(cell.line):
        return _block_values(cells, cell)
    out = [(rest, cell)]
    x1, centre = cell.line.bbox[2], line_centre(cell.line)
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    same_page = [c for c in cells if (c.source, c.page) == (cell.source, cell.page) and c is not cell]
    # OCR boxes of neighbouring cells overlap a little: "right of" means past the label's middle.
    middle = (cell.line.bbox[0] + x1) / 2
    right = sorted((c for c in same_page if abs(line_centre(c.line) - centre) < 0.6 * height
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


def _block_values(cells: list[Cell], block: Cell) -> list[tuple[str, Cell]]:
    """Values of a block labelled down its side (付/款/人 beside rows 户名, 账号, 开户银行): each
    row's label and the cell right of it, the name row first."""
    x1, top, bottom = block.line.bbox[2], block.line.bbox[1], block.line.bbox[3]
    beside = [c for c in cells if (c.source, c.page) == (block.source, block.page) and c is not block
              and c.line.bbox[0] >= x1 - 2 and top - 2 <= line_centre(c.line) <= bottom + 2]
    out = []
    for label in beside:
        height = max(label.line.bbox[3] - label.line.bbox[1], 1.0)
        right = sorted((c for c in beside if c.line.bbox[0] > label.line.bbox[2] - 1
                        and abs(line_centre(c.line) - line_centre(label.line)) < 0.6 * height),
                       key=lambda c: c.line.bbox[0])
        if right and len(label.text) <= 6 and not any(r.line.bbox[0] < label.line.bbox[0] for r in beside
                                                      if abs(line_centre(r.line) - line_centre(label.line))
                                                      < 0.6 * height):
            out.append((LEADING.sub("", right[0].text), right[0], bool(NAME_LINE.match(label.text))))
    return [(text, cell) for text, cell, _ in sorted(out, key=lambda o: not o[2])]


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
                    if rule.type in ("text", "address"):
                        value = _with_wrapped_line(value, cells, source)
                    elif rule.type == "paragraph":
                        value = _with_paragraph(value, cells, source)
                    found.append((value, source))
                    break
        if found:
            return found
    return []


def _with_wrapped_line(value: str, cells: list[Cell], cell: Cell) -> str:
    """A long address wraps: a short unlabelled line just below the value's line continues it.
    A line led by a label of its own is the next row's value (法定代表人 | 朱新), not it."""
    height = max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)
    for nxt in cells:
        gap = nxt.line.bbox[1] - cell.line.bbox[3]
        if (nxt.source, nxt.page) == (cell.source, cell.page) and nxt is not cell \
                and -0.2 * height < gap < 0.9 * height and len(nxt.text) <= 16 and ":" not in nxt.text \
                and abs(nxt.line.bbox[0] - cell.line.bbox[0]) < 3 * height and not _led_by(nxt, cell, cells):
            return value + nxt.text
    return value


def _led_by(nxt: Cell, value: Cell, cells: list[Cell]) -> bool:
    """A label of its own leads `nxt`: a cell on its row, in the label column just left of the
    value's, that starts below the value's line. (The value's own label, centred beside both lines
    of a wrapped address, starts above; another column's text, further left, leads nothing.)"""
    x0, y0, _, y1 = nxt.line.bbox
    v0, v1, height = value.line.bbox[0], value.line.bbox[3], value.line.bbox[3] - value.line.bbox[1]
    return any(o is not nxt and (o.source, o.page) == (nxt.source, nxt.page)
               and v0 - 4 * height < o.line.bbox[2] <= x0 and o.line.bbox[1] >= v1 - 0.2 * height
               and min(y1, o.line.bbox[3]) - max(y0, o.line.bbox[1]) > 0.5 * (y1 - y0) for o in cells)


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


DASH_MISREAD = re.compile(r"—一|一—")  # OCR reads one half of a long dash (——) as 一
FORM_TITLE = re.compile(r"^(.{0,80}?(?:申请书|申报书|申报表|申请表|申领表))")


def _form_title(cells: list[Cell]) -> tuple[str, Cell] | None:
    """The form's title as printed, form word included (…“模型券”申报表): the lines near the top
    that run on into each other (a long programme name breaks over two or three centred lines,
    and OCR may cut one line in two), up to the form word; an attachment header (附件1:) is not
    part of it."""
    top = cells[:8]
    runs: list[list[Cell]] = []
    for cell in top:
        last = runs[-1][-1] if runs else None
        if last is not None and _height(cell) > 2.5 * _height(last):
            continue  # a watermark or a seal's text across the title: not a line of the page
        if last is not None and (_same_line(last, cell) or (
                _wraps_onto(last, cell) and cell.line.size >= 0.8 * last.line.size)):
            runs[-1].append(cell)
        else:
            runs.append([cell])
    for run in runs:
        m = FORM_TITLE.search("".join(c.text for c in run))
        if m and len(m.group(1)) >= 6:
            return DASH_MISREAD.sub("——", m.group(1)), run[0]
    return None


def _height(cell: Cell) -> float:
    return max(cell.line.bbox[3] - cell.line.bbox[1], 1.0)


def _same_line(left: Cell, right: Cell) -> bool:
    """A line OCR boxed in two pieces: the second on the same row, to the right."""
    height, other = _height(left), _height(right)
    # Alike in height: a watermark (龙岗区企业服务信息平台 across the page) or a seal's large
    # characters beside the title are no piece of it.
    return ((left.source, left.page) == (right.source, right.page) and ":" not in left.text
            and 0.75 < other / height < 1.33
            and abs(line_centre(left.line) - line_centre(right.line)) < 0.5 * height
            and right.line.bbox[0] > left.line.bbox[0])


def _searched(rule: FieldRule, cells: list[Cell]) -> tuple[object, Cell] | None:
    if rule.type == "mode":
        # A sentence wraps anywhere (调用方式为:云化部 | 署。): each line is read with the next.
        joined = [(c.text + (cells[k + 1].text[:6] if k + 1 < len(cells) else ""), c)
                  for k, c in enumerate(cells)]
        for keyword, mode in MODES:
            hit = next((c for text, c in joined if keyword in text), None)
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
        return _form_title(cells)
    if rule.type == "address":  # unlabelled (住所 not read): the line that is an address
        hit = next((c for c in cells if looks_like_address(c.text)), None)
        return (hit.text, hit) if hit else None
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
                and abs(line_centre(c.line) - line_centre(cell.line)) < height]
        if band and all(cell.line.bbox[0] < out[k][1].line.bbox[0] for k in band):
            out.insert(band[0], hit)
        else:
            out.append(hit)
    return out


def _after_anchor(rule: FieldRule, hits: list[tuple[object, Cell]], cells: list[Cell],
                  anchors: dict[str, list[Cell]], siblings: set[str]) -> list[tuple[object, Cell]]:
    """Hits whose nearest labelled sibling above (in reading order) is the rule's anchor: the code
    printed under 甲方's name is 甲方's, wherever the parties are named again (a cover page)."""
    index = {id(c): k for k, c in enumerate(cells)}
    marks = sorted((index[id(c)], name) for name in siblings for c in anchors.get(name, ()))
    out = []
    for hit in hits:
        k = index[id(hit[1])]
        above = [name for at, name in marks if at < k]
        if above and above[-1] == rule.after:
            out.append(hit)
    return out


def extract_fields(doc_type: DocType, pages: list[Page]) -> dict[str, ExtractedField]:
    rules = load_field_rules().get(doc_type, ())
    cells = reading_order(pages)
    siblings = {r.after for r in rules if r.after}
    anchors: dict[str, list[Cell]] = {}  # every labelled value's cell, per field
    fields = {}
    for rule in rules:
        hits = _side_by_side(_labelled(rule, cells)) if rule.labels else []
        anchors[rule.name] = [cell for _, cell in hits]
        if rule.after:
            hits = _after_anchor(rule, hits, cells, anchors, siblings)
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
        _unlabelled_invoice_code(fields, cells)
    elif doc_type == DocType.payment_proof:
        check_payment_amount(fields)
    return fields


BARE_CODE = re.compile(r"\d{10}|\d{12}")


def _unlabelled_invoice_code(fields: dict[str, ExtractedField], cells: list[Cell]) -> None:
    """A paper invoice (8-digit number) prints its 发票代码 a second time, bare, in the top-left
    corner: taken there when the labelled one was not read. Never on a 数电 invoice (20 digits),
    which has no code."""
    number = fields.get("invoice_number")
    if "invoice_code" in fields or number is None or len(str(number.value)) != 8:
        return
    hit = next((c for c in cells[:12] if BARE_CODE.fullmatch(c.text)), None)
    if hit is not None:
        fields["invoice_code"] = ExtractedField(value=hit.text, page=hit.page, bbox=hit.line.bbox,
                                                confidence=round(min(hit.line.confidence, 1.0), 4),
                                                source=hit.source)
