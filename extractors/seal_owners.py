"""Read who stamped each document's party seals, and name the firm each seal belongs to.

Reading every seal with its page (Settings.read_seals) costs about a second a seal; once the
fields are read, the bundle's firms are known and a seal is read against them instead, on the
pages that carry party seals only (rendered again: extractors.page_frames). Whose seal sits
where is what shows a related party (the applicant's own seal stamped for the provider) and a
seal of the wrong party (another company's 发票专用章 on an invoice).

An arc read off a scan is often a character or two off (深圳市致件有限公司), and on a black-and-
white scan, where the seal's grey cannot be told from the print it is stamped over, half garbled
(深训恒信格股份有展公司). So the owner is resolved against the firms the bundle names, as in
lexicon-constrained text recognition: the recogniser's own per-frame output is asked how well it
supports each firm's name (extractors.ocr.lexicon), and a firm it supports clearly better than
any other names the seal; engines without that output compare the text read instead. The seal's
`text` keeps what was read; `owner` is the firm. A reading that names none of them (a stranger's
seal, or an arc too garbled) keeps its own text as owner.
"""

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from docintake.core.datamodel import DocType, DocumentReport, Page, Seal

from . import values
from .field_values import org_name
from .ocr import OcrEngine
from .page_frames import page_frame
from .seals import SealHit, box_iou, find_seals, read_seal

PARTY_SEAL_SKIP = {"paging_seal", "personal_seal"}
UNREAD_SKIP = {"paging_seal"}  # a slice holds a few characters of an arc at most
BANK_BRANCH = re.compile(r"([\u4e00-\u9fff]{2,10}?银行)(股份有限公司|有限责任公司|有限公司)?"
                         r"([\u4e00-\u9fff]{2,12}?(?:分行|支行|营业部))")
BANK_LABEL = re.compile(r"^.*?(?:开户银?行|收款银?行|付款银?行|银行名称|行名)(?=.{2,}银行$)")
BANK_NAME = re.compile(r"银行.*(?:分行|支行|营业部)$|银行(?:股份有限公司|有限公司)?$")
BANK_FORM = "股份有限公司"  # the legal form of nearly every bank in China
ADDRESS_PLACE = re.compile(r"(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?"  # the province, if written
                           r"([\u4e00-\u9fff]{2,4}?市)([\u4e00-\u9fff]{1,4}?[区县])?")
REGULATOR = "市场监督管理局"
# Fields naming a person whose square name seal may be on a material (the legal representative's).
PERSON_FIELDS = ("legal_rep",)
# Fields that name a firm, by doc type's key-field table; the lexicon an arc reading is matched to.
FIRM_FIELDS = ("party_a", "party_b", "company_name", "applicant_name", "taxpayer_name", "seller_name",
               "buyer_name", "payer_name", "payee_name", "customer_name", "provider_name")
# A reading names a firm when it is at least this like the firm's name (values.seal_similarity)
# and this much more like it than like any other firm of the bundle: (likeness, margin) pairs.
NAMES_FIRM = ((0.5, 0.15), (0.4, 0.3))
# ... except the applicant named on the provider's side, a related party: that takes the evidence
# RELATED_PARTY asks of a raw reading (values.clearly_names).
# With an engine that gives the recogniser's posteriors, the arc's ink itself is asked how well it
# supports each firm's name (nats per character below the recogniser's own reading,
# extractors.ocr.lexicon.text_gaps): a firm is named when it is supported at least this well and
# this much better than any other, (floor, margin). On 311 party seals of six bench runs this
# named 311 right (the text rule: 300) and, with the true firm taken out of a lexicon of 17 firms,
# named a stranger for 2 (the text rule: 30), both names one or two characters apart.
INK_NAMES_FIRM = (-2.8, 2.5)
INK_NAMES_APPLICANT = (-2.0, 2.5)  # there: 1 stranger named, 4 of 69 grey seals left unnamed
# Names that share most of their characters (two branches of one bank: 中国建设银行股份有限公司
# 深圳福田支行, 中国银行股份有限公司杭州西湖支行) differ on a few characters only, so per
# character their support differs less: the one firm above INK_NAMES_FIRM's floor is named when
# it beats the runner-up (below the floor: not a name the ink could be) by this much.
INK_NAMES_ALONE = 1.0


def read_party_seal_owners(doc: DocumentReport, pages: list[Page], paths: dict[str, Path],
                           engine: Callable[[], OcrEngine], long_side: int, firms: list[str],
                           applicant: set[str], people: list[str] = ()) -> None:
    """Read each seal of a document and name its owner: a round or oval seal's firm among `firms`
    (the bundle's, bundle_firms), a square name seal's person among `people` (bundle_people);
    `applicant`: the names the applicant goes by (applicant_names)."""
    for page in pages:
        unread = [s for s in page.seals if s.kind not in UNREAD_SKIP and not s.owner]
        if not unread:
            continue
        for seal, best in _read_again(page, unread, paths, long_side, engine(), firms):
            if best.kind == "supervision_seal":  # the tax bureau's, named from their list (or not at all)
                seal.owner, seal.text, seal.kind = best.owner, best.text, best.kind
            elif not (best.owner or best.lexicon_gaps):  # nothing read; an arc all junk may still name
                continue
            elif best.shape == "square":
                # a person's name is two to four characters: one read character names nobody
                named = resolve_owner(best.owner, list(people)) if len(best.owner or "") >= 2 else None
                seal.owner, seal.text = named or best.owner, best.text
            else:
                # the applicant's name needs more evidence where 乙方 signs a contract
                strict = applicant if doc.doc_type == DocType.contract and doc.on_right_half(seal) else set()
                named = firm_of(best, firms, strict)
                seal.owner, seal.text, seal.kind = named or best.owner, best.text, best.kind
                if named and seal.kind in ("company_seal", "unknown_seal") and BANK_NAME.search(named):
                    seal.kind = "bank_seal"  # its arc too garbled to say 银行, its owner a bank


def _read_again(page: Page, seals: list[Seal], paths: dict[str, Path], long_side: int, engine: OcrEngine,
                lexicon: list[str]) -> list[tuple[Seal, SealHit]]:
    """Each seal read with `lexicon`: from the pixels the page's reading kept (Seal.pixels), else
    (a reading from the page cache, a born-digital page) from the page rendered again, its seals
    found again and matched to these by their boxes."""
    read = [(seal, read_seal(*seal.pixels, engine, lexicon)) for seal in seals if seal.pixels]
    rest = [seal for seal in seals if not seal.pixels]
    image = page_frame(page, paths, long_side) if rest else None
    if image is None:
        return read
    scale = page.width / image.shape[1]
    hits = find_seals(image, engine, lexicon=lexicon)
    for seal in rest:
        overlap = {id(h): box_iou(seal.bbox, [v * scale for v in h.bbox]) if seal.bbox else 0.0 for h in hits}
        best = max(hits, key=lambda h: overlap[id(h)], default=None)
        if best is not None and overlap[id(best)] > 0.3:
            read.append((seal, best))
    return read


def firm_of(hit: SealHit, firms: list[str], applicant_side_only: set[str] = frozenset()) -> str | None:
    """The firm of `firms` a round or oval seal read with them as lexicon names (by its ink, or
    by its text with engines that give no posteriors), or None. A seal read whole as a look-alike
    of the firm (its subsidiary's, its branch's: values.look_alike_marks) is not the firm's."""
    named = (name_by_ink(hit.lexicon_gaps, applicant_side_only) if hit.lexicon_gaps
             else resolve_owner(hit.owner, firms, applicant_side_only))
    return None if named and values.look_alike_marks(hit.owner, named) else named


def name_by_ink(gaps: dict[str, float], applicant_side_only: set[str] = frozenset()) -> str | None:
    """The firm whose name the arc's ink clearly supports best (gaps: firm -> text_gaps score),
    or None. `applicant_side_only`: names that need INK_NAMES_APPLICANT."""
    ranked = sorted(gaps.items(), key=lambda kv: -kv[1])
    if not ranked:
        return None
    firm, best = ranked[0]
    rest = ranked[1][1] if len(ranked) > 1 else -np.inf
    strict = any(firm == a or values.one_edit_apart(firm, a) for a in applicant_side_only)
    floor, margin = INK_NAMES_APPLICANT if strict else INK_NAMES_FIRM
    if best >= floor and best - rest >= margin:
        return firm
    alone = not strict and best >= floor > rest and best - rest >= INK_NAMES_ALONE
    return firm if alone else None


def bundle_firms(documents: list[DocumentReport]) -> list[str]:
    """Every firm the bundle's key fields name, once each. A name read one character off (OCR of
    one field: 深圳海拓… for 深圳市海拓…) is the same firm as the spelling most fields agree on,
    so it is folded into that."""
    counts = Counter(values.normalise_name(str(f.value)) for d in documents for k, f in d.fields.items()
                     if k in FIRM_FIELDS and f.value)
    firms: list[str] = []
    for name, _ in counts.most_common():
        if len(name) >= 4 and not any(values.one_edit_apart(name, kept) for kept in firms):
            firms.append(name)
    return firms


def bundle_people(documents: list[DocumentReport]) -> list[str]:
    """The people the bundle's key fields name (the legal representative), once each."""
    return list(dict.fromkeys(str(f.value) for d in documents for k, f in d.fields.items()
                              if k in PERSON_FIELDS and f.value))


def banks_named(pages: list[Page]) -> list[str]:
    """Bank branches a document names (开户银行: 招商银行深圳龙岗支行), as their seals spell them:
    a branch's seal carries the bank's registered name, legal form included (招商银行股份有限公司
    深圳龙岗支行), which print mostly leaves out."""
    found = []
    for page in pages:
        for line in page.lines:
            for bank, form, branch in BANK_BRANCH.findall(values.normalise_name(line.text)):
                if "银行" in branch:  # a label run into the name: 开户银行中国银行深圳分行
                    cut = branch.rindex("银行") + 2
                    bank, form, branch = branch[:cut], "", branch[cut:]
                    if len(branch) < 4:
                        continue
                bank = BANK_LABEL.sub("", bank)
                if len(bank) < 4:
                    continue
                name = bank + (form or BANK_FORM) + branch
                if name not in found:
                    found.append(name)
    return found[:4]


def organisations_named(pages: list[Page], known: list[str]) -> list[str]:
    """Other organisations a document's own text names (the audit firm under its opinion, the tax
    bureau that issued a certificate): whose seal may sit on it, beyond the bundle's parties.
    A name inside a sentence (我们审计了深圳市…公司) starts at its place name."""
    found = []
    for page in pages:
        for line in page.lines:
            name = org_name(re.split(r"[:：,，。;；\d]", line.text)[-1])
            start = next((k for k in range(len(name or "")) if values.starts_with_place(name[k:])), 0)
            name = name[start:] if name else name
            if name and len(name) >= 6 and name not in known and name not in found:
                found.append(name)
    return found[:8]


def document_lexicon(pages: list[Page], firms: list[str]) -> list[str]:
    """The names a seal on a document (not a contract) may carry: the bundle's firms, and the
    organisations and bank branches its own text names. A name that is a short form of another
    (中国建设银行 of 中国建设银行股份有限公司…支行) is left out: its ink support ties with the full
    name's and would leave the seal unnamed."""
    extra = organisations_named(pages, firms) + [b for b in banks_named(pages) if b not in firms]
    names = firms + extra
    return firms + [n for n in extra if not any(n != m and _subsequence(n, m) for m in names)]


def registration_authorities(doc: DocumentReport) -> list[str]:
    """Whose seal a business licence carries: the market regulator (市场监督管理局) of the city,
    or of the district, its address lies in."""
    if doc.doc_type != DocType.business_licence or "address" not in doc.fields:
        return []
    place = ADDRESS_PLACE.match(values.normalise_name(str(doc.fields["address"].value)))
    if not place:
        return []
    city, district = place.group(1), place.group(2)
    return [city + REGULATOR] + ([city + district + REGULATOR] if district else [])


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def resolve_owner(reading: str, firms: list[str], applicant_side_only: set[str] = frozenset()) -> str | None:
    """The firm of `firms` a seal reading names, or None when it names none clearly.
    `applicant_side_only`: names that need the stronger evidence (the applicant, on the provider's side)."""
    scored = sorted(((values.seal_similarity(reading, f), f) for f in firms), reverse=True)
    if not scored:
        return None
    best, firm = scored[0]
    rest = max((s for s, f in scored[1:]), default=0.0)
    if any(firm == a or values.one_edit_apart(firm, a) for a in applicant_side_only):
        return firm if values.clearly_names(best, rest) else None
    return firm if any(best >= like and best - rest >= margin for like, margin in NAMES_FIRM) else None


def resolve_party_seal_owners(doc: DocumentReport, firms: list[str], applicant: set[str]) -> None:
    """Name the firm of each read party seal of a contract. `applicant`: the names the applicant
    goes by (licence holder, 甲方), which a seal on the right, where 乙方 signs, needs more to name."""
    for seal in doc.seals:
        if seal.kind in PARTY_SEAL_SKIP or not seal.owner or values.normalise_name(seal.owner) in firms:
            continue
        strict = applicant if doc.on_right_half(seal) else set()
        firm = resolve_owner(seal.owner, firms, strict)
        if firm and not values.look_alike_marks(seal.owner, firm):
            seal.owner = firm


def applicant_names(documents: list[DocumentReport], contract: DocumentReport) -> set[str]:
    """The names the applicant goes by on a contract: the licence holder's and 甲方's."""
    licensee = {_name(d, "company_name") for d in documents if d.doc_type == DocType.business_licence}
    return (licensee | {_name(contract, "party_a")}) - {""}


def name_party_seal_owners(documents: list[DocumentReport]) -> None:
    """Contract party seals read already (Settings.read_seals): the firm each arc reading names,
    among the firms the bundle names."""
    firms = bundle_firms(documents)
    for doc in documents:
        if doc.doc_type == DocType.contract:
            resolve_party_seal_owners(doc, firms, applicant_names(documents, doc))


def _name(doc: DocumentReport, field: str) -> str:
    got = doc.fields.get(field)
    return values.normalise_name(str(got.value)) if got is not None and got.value else ""
