"""Group classified pages into documents.

Pages are taken in bundle order (files in natural name order, pages in file order), across
files: a contract scanned one page per JPEG is one document; a merged scan of five documents
is five. A page starts a new document when it carries a title or says it is page 1; otherwise
it continues the current document unless its content clearly says it is something else.
"""

from dataclasses import dataclass, field

from docintake.core.datamodel import DocType, Page
from docintake.core.idnumbers import id_numbers_in

from .values import parse_invoice_number

STRONG = 0.45  # a titleless page this sure of a different type starts its own document
SUPPORT = 1.0  # phrase weight (two key phrases) of the document's type that a page keeps it on
SHARE = 0.3  # ... as long as that support is not dwarfed by the page's own type (an invoice after a receipt)
COVER_LINES = 10  # a cover page (title, applicant, date) has few lines; the body repeats its title


@dataclass
class PageGroup:
    pages: list[Page] = field(default_factory=list)
    continues: DocType | None = None  # a later page of this type's document, filed on its own

    @property
    def doc_type(self) -> DocType:
        if self.continues:
            return self.continues
        titled = [p.label.doc_type for p in self.pages if p.label and p.label.title]
        if titled:
            return titled[0]
        votes: dict[DocType, float] = {}
        for p in self.pages:
            if p.label:
                votes[p.label.doc_type] = votes.get(p.label.doc_type, 0) + p.label.score
        return max(votes, key=votes.get) if votes else DocType.other

    @property
    def last_page_no(self) -> int | None:
        return self.pages[-1].label.page_no if self.pages[-1].label else None

    @property
    def expected_total(self) -> int | None:
        totals = [p.label.page_total for p in self.pages if p.label and p.label.page_total]
        return totals[0] if totals else None


def _continues(group: PageGroup, page: Page) -> bool:
    label = page.label
    if label is None or not page.lines:
        # Unreadable page: a blank back side inside a file belongs to what precedes it.
        return page.source == group.pages[-1].source
    last = group.last_page_no
    same_file = page.source == group.pages[-1].source
    numbered_next = label.page_no is not None and last is not None and label.page_no == last + 1
    # Across files a bare page number (- 2 -) could be any document's; 第 2 页 共 3 页 is not.
    if numbered_next and (same_file or label.page_total or group.expected_total):
        return True
    if label.page_no == 1:
        return False
    # A document that carries its own number is another document when the page's number is
    # another: an ID card of another person (the legal representative's, then the project
    # lead's), an invoice of another number (its title may be lost under the 监制章). Only these:
    # a form may list two people, a receipt several invoices.
    for doc_type, numbers in _OWN_NUMBERS.items():
        if doc_type in (label.doc_type, group.doc_type):
            own, theirs = numbers(page), {n for p in group.pages for n in numbers(p)}
            if own and theirs and not own & theirs:
                return False
    unfinished = group.expected_total is not None and len(group.pages) < group.expected_total
    if label.title:
        # A running header repeats the title on every page of some contracts; a part title
        # (the statements of an audit report) continues a document of its type, and so does the
        # body after a cover page that carries the same title.
        same = label.doc_type == group.doc_type
        return same and (label.part_title or unfinished or label.page_no not in (None, 1)
                         or (same_file and _cover_only(group)))
    if label.doc_type in (group.doc_type, DocType.other):
        return True
    # No title: a page of the same file stays in its document while that document's type still
    # has support on it (an application form's 承诺 section reads like a commitment letter).
    support = label.scores.get(group.doc_type.value, 0.0)
    if same_file and support >= SUPPORT and support >= SHARE * label.scores.get(label.doc_type.value, 0.0):
        return True
    return label.score < STRONG or unfinished


def _invoice_numbers(page: Page) -> set[str]:
    """The numbers printed after 发票号码 on a page (a bare number could be any figure)."""
    return {parsed["number"] for line in page.lines if "发票号码" in line.text
            and (parsed := parse_invoice_number(line.text)) and parsed["number"]}


_OWN_NUMBERS = {DocType.legal_rep_id: lambda page: set(id_numbers_in(page.text)),
                DocType.invoice: _invoice_numbers}


def _cover_only(group: PageGroup) -> bool:
    """The group so far is one sparse page: a cover, whose document goes on under the same title."""
    return len(group.pages) == 1 and len(group.pages[0].lines) <= COVER_LINES


def _main_titled(group: PageGroup) -> bool:
    return any(p.label and p.label.title and not p.label.part_title for p in group.pages)


def _orphan_part(group: PageGroup) -> bool:
    first = group.pages[0].label
    return bool(first and first.part_title) and not _main_titled(group)


def _attach_orphan_parts(groups: list[PageGroup]) -> list[PageGroup]:
    """A part filed on its own (a balance sheet photographed apart) joins the bundle's only main
    document of its type (the audit report). With none, or several, it stays a document."""
    mains: dict[DocType, list[PageGroup]] = {}
    for group in groups:
        if _main_titled(group):
            mains.setdefault(group.doc_type, []).append(group)
    out = []
    for group in groups:
        owners = mains.get(group.doc_type, [])
        if _orphan_part(group) and len(owners) == 1:
            owners[0].pages.extend(group.pages)
        else:
            out.append(group)
    return out


def _type_continued_pages(groups: list[PageGroup]) -> None:
    """A page photographed into a file of its own that says it is page n of a
    document (- 2 -), and has no title, is of the type of the document whose page n-1 was read
    elsewhere in the bundle, if that type has support on it: its own best type (a form's 承诺
    section reads as a commitment letter) is the section's, not the document's."""
    for group in groups:
        first = group.pages[0].label
        if first is None or first.title or not first.page_no or first.page_no < 2:
            continue
        supported = [g for g in groups
                     if g is not group and first.scores.get(g.doc_type.value, 0.0) >= SUPPORT]
        before = [g for g in supported if g.last_page_no == first.page_no - 1]
        if not before and first.page_no == 2:
            # page 1's number not read (OCR misses a small footer): a titled cover page will do
            before = [g for g in supported if g.last_page_no is None and _main_titled(g) and _cover_only(g)]
        if before and all(g.doc_type == before[0].doc_type for g in before):
            group.continues = before[0].doc_type


def group_pages(pages: list[Page]) -> list[PageGroup]:
    groups: list[PageGroup] = []
    for page in pages:
        if groups and _continues(groups[-1], page):
            groups[-1].pages.append(page)
        else:
            groups.append(PageGroup(pages=[page]))
    groups = _attach_orphan_parts(groups)
    _type_continued_pages(groups)
    return groups
