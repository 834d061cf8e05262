"""One invoice given in several formats (PDF and OFD, or XML) is one document.

Matched by number (and code, on the older types that have one) across files, where at least one
file is an electronic original: the original's exact fields lead, the other files' fields fill
gaps, and a key field two files give differently is a conflict the checks report with both files.
Amounts are then counted once. Two copies of the same scan are left alone: that is a duplicate
for the reviewer, not a second format.
"""

from docintake.core.datamodel import DocType, DocumentReport, ExtractedField, FieldConflict

from . import values

COMPARED = ("invoice_code", "issue_date", "buyer_name", "buyer_uscc", "seller_name", "seller_uscc",
            "amount_excl_tax", "tax_amount", "total_amount")
SURE = 0.9  # a reading below this is not held against an exact one (FIELD_UNREADABLE's business)
_RANK = {"invalid": 2, "valid": 1, "unchecked": 0}


def _number(doc: DocumentReport) -> str | None:
    number = doc.fields.get("invoice_number")
    if doc.doc_type != DocType.invoice or number is None or not number.value:
        return None
    return str(number.value)


def _code(doc: DocumentReport) -> str | None:
    code = doc.fields.get("invoice_code")
    return str(code.value) if code and code.value else None


def _same_invoice(a: DocumentReport, b: DocumentReport) -> bool:
    """Same number, and the same code where both give one (a 数电 XML carries none)."""
    return _code(a) is None or _code(b) is None or _code(a) == _code(b)


def _same(name: str, a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return round(float(a) * 100) == round(float(b) * 100)
    if name.endswith("_name"):
        return values.normalise_name(str(a)) == values.normalise_name(str(b))
    return str(a).strip().upper() == str(b).strip().upper()


def _exactness(doc: DocumentReport, electronic: set[str]) -> tuple:
    """The leading copy: an electronic original, signed, with the most exact fields."""
    exact = sum(1 for f in doc.fields.values() if f.confidence >= 1.0)
    return (doc.source in electronic, doc.signature is not None, exact)


def _fold(keep: DocumentReport, other: DocumentReport) -> None:
    for name, got in other.fields.items():
        mine: ExtractedField | None = keep.fields.get(name)
        if mine is None:
            keep.fields[name] = got
        elif (name in COMPARED and got.value is not None and mine.value is not None
              and min(got.confidence, mine.confidence) >= SURE and not _same(name, mine.value, got.value)):
            keep.conflicts.append(FieldConflict(
                field=name, value=mine.value, source=mine.source or keep.source, other_value=got.value,
                other_source=got.source or other.source))
    keep.seals += other.seals
    keep.signatures += other.signatures
    keep.parts += [p for p in other.parts if p not in keep.parts]
    keep.page_info += other.page_info
    keep.sources += [s for s in other.sources or [other.source] if s not in keep.sources]
    keep.conflicts += other.conflicts
    if other.signature and (keep.signature is None
                            or _RANK[other.signature.status] > _RANK[keep.signature.status]):
        keep.signature = other.signature


def merge_same_invoices(documents: list[DocumentReport], electronic: set[str]) -> list[DocumentReport]:
    """The documents with every invoice given in several formats folded into one (ids kept)."""
    groups: dict[str, list[DocumentReport]] = {}
    for doc in documents:
        number = _number(doc)
        if number is not None:
            groups.setdefault(number, []).append(doc)
    gone: set[str] = set()
    for docs in groups.values():
        if len(docs) < 2 or not any(d.source in electronic for d in docs):
            continue
        docs = sorted(docs, key=lambda d: _exactness(d, electronic), reverse=True)
        keep, seen = docs[0], {docs[0].source}
        for other in docs[1:]:
            if other.source in seen or not _same_invoice(keep, other):  # not another format of it
                continue
            seen.add(other.source)
            _fold(keep, other)
            gone.add(other.id)
    return [d for d in documents if d.id not in gone]
