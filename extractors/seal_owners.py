"""Read who stamped the party seals of a contract, and name the firm each seal belongs to.

Reading a seal's arc text costs about a second, so it is off for pages in general
(Settings.read_seals); a contract's party seals are the exception: whose seal sits where is
what shows a related party (the applicant's own seal stamped for the provider). Only the pages
of contracts that carry party seals are rendered again (extractors.page_frames).

An arc read off a scan is often a character or two off (深圳市致件有限公司), so the owner is
resolved against the firms the bundle names (a lexicon, as in lexicon-constrained text
recognition): a reading clearly closer to one of them than to any other names it. The seal's
`text` keeps what was read; `owner` is the firm. A reading like none of them (a stranger's
seal, or a garbled arc) keeps its own text as owner.
"""

from collections import Counter
from pathlib import Path

from docintake.datamodel import DocType, DocumentReport, Page

from . import values
from .ocr import OcrEngine
from .page_frames import page_frame
from .seals import box_iou, find_seals

PARTY_SEAL_SKIP = {"paging_seal", "personal_seal"}
# Fields that name a firm, by doc type's key-field table; the lexicon an arc reading is matched to.
FIRM_FIELDS = ("party_a", "party_b", "company_name", "applicant_name", "taxpayer_name", "seller_name",
               "buyer_name", "payer_name", "payee_name", "customer_name", "provider_name")
# A reading names a firm when it is at least this like the firm's name (values.seal_similarity)
# and this much more like it than like any other firm of the bundle: (likeness, margin) pairs.
NAMES_FIRM = ((0.5, 0.15), (0.4, 0.3))
# ... except the applicant named on the provider's side, a related party: that takes the evidence
# RELATED_PARTY asks of a raw reading (values.clearly_names).


def read_party_seal_owners(pages: list[Page], paths: dict[str, Path], engine: OcrEngine,
                           long_side: int) -> None:
    for page in pages:
        unread = [s for s in page.seals if s.kind not in PARTY_SEAL_SKIP and not s.owner]
        image = page_frame(page, paths, long_side) if unread else None
        if image is None:
            continue
        scale = page.width / image.shape[1]
        hits = find_seals(image, engine)
        for seal in unread:
            if seal.bbox is None:
                continue
            best = max(hits, key=lambda h: box_iou(seal.bbox, [v * scale for v in h.bbox]), default=None)
            if best and best.owner and box_iou(seal.bbox, [v * scale for v in best.bbox]) > 0.3:
                seal.owner, seal.text, seal.kind = best.owner, best.text, best.kind


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
        if firm:
            seal.owner = firm


def name_party_seal_owners(documents: list[DocumentReport]) -> None:
    """Contract party seals: the firm each arc reading names, among the firms the bundle names."""
    firms = bundle_firms(documents)
    licensee = {_name(d, "company_name") for d in documents if d.doc_type == DocType.business_licence}
    for doc in documents:
        if doc.doc_type == DocType.contract:
            resolve_party_seal_owners(doc, firms, (licensee | {_name(doc, "party_a")}) - {""})


def _name(doc: DocumentReport, field: str) -> str:
    got = doc.fields.get(field)
    return values.normalise_name(str(got.value)) if got is not None and got.value else ""
