"""Layout families: a second (third) way a document type is laid out, from another issuer's template.

The first family of each type is the original look. A family is forced per type (`layouts`), or
drawn per document from its own seeded stream (never from the bundle's or the document's rng), so
a document that keeps the original family is drawn exactly as before and the rest of the bundle
does not move.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .entities import BRANDS
from .ids import make_uscc

# doc type -> {family: weight}; the first family is the original layout
FAMILIES: dict[str, dict[str, float]] = {
    "payment_proof": {"grid": 0.7, "side_labels": 0.15, "plain_lines": 0.15},
    "application_form": {"table": 0.75, "cover": 0.25},
    "business_licence": {"landscape": 0.8, "portrait": 0.12, "sole_trader": 0.08},
    "contract": {"applicant_first": 0.75, "provider_first": 0.125, "role_words": 0.125},
}
# the licence family decides who the applicant is (a sole trader), so it is drawn per bundle
BUNDLE_LEVEL = {"business_licence"}
# Whether a type not forced draws its family when `layouts` is None. Off for now: seeded tests
# across the suite are built on the original looks, and the reader does not read every second
# family yet (tests/generator/test_layout_families.py); "draw" asks for the mix explicitly.
DRAW_BY_DEFAULT = False


@dataclass(frozen=True)
class Choice:
    forced: dict[str, str] = field(default_factory=dict)
    draw: bool = DRAW_BY_DEFAULT


def check(layouts: dict[str, str] | str | None) -> Choice:
    """generate_bundle's `layouts`: None (the default), "draw", "original", or {doc_type: family}
    forcing those types (the others as with None)."""
    if layouts is None or layouts in ("draw", "original"):
        return Choice({}, DRAW_BY_DEFAULT if layouts is None else layouts == "draw")
    if not isinstance(layouts, dict):
        raise ValueError(f"layouts: None, 'draw', 'original' or {{doc_type: family}}, not {layouts!r}")
    for doc_type, family in layouts.items():
        if family not in FAMILIES.get(doc_type, {}):
            known = {t: sorted(fs) for t, fs in FAMILIES.items()}
            raise ValueError(f"unknown layout {doc_type}={family!r}; known: {known}")
    return Choice(dict(layouts))


def pick(doc_type: str, key: str, choice: Choice) -> str | None:
    """The family of one document (None for a type with one layout); key seeds the draw."""
    if doc_type not in FAMILIES:
        return None
    if doc_type in choice.forced:
        return choice.forced[doc_type]
    fams = FAMILIES[doc_type]
    if not choice.draw:
        return next(iter(fams))
    return random.Random(f"layout:{doc_type}:{key}").choices(list(fams), list(fams.values()))[0]


def contract_family(family: str, info: dict) -> str:
    """A defect that renames or re-seals 乙方 expects the provider there: keep the original order."""
    if family == "provider_first" and ("party_b_name" in info or "seal_owner_b" in info):
        return "applicant_first"
    return family


SOLE_TRADES = [
    ("软件开发", "经营部"),
    ("电脑科技", "商行"),
    ("网络科技", "经营部"),
    ("餐饮", "店"),
    ("电子产品", "厂"),
    ("数码", "店"),
]


def make_sole_trader(f, key: str) -> None:
    """Turn the applicant into a 个体工商户 (own stream): 店/经营部/商行/厂 name, code 92…, 经营者.

    Runs on fresh facts, before defects and documents: invoices and payments already carry the
    applicant's name and code, so they are renamed too."""
    rng = random.Random(f"sole_trader:{key}")
    a, old = f.applicant, (f.applicant.name, f.applicant.uscc)
    place = a.place
    where = (
        place.district if place.district.startswith(place.city.rstrip("市")) else place.city + place.district
    )
    trade, suffix = rng.choice(SOLE_TRADES)
    a.name = f"{where}{rng.choice(BRANDS)}{trade}{suffix}"
    a.uscc = make_uscc(rng, place.region, "2")
    a.kind = "个体工商户"
    a.extra["sole_trader"] = True
    for inv in f.invoices:
        if (inv["buyer_name"], inv["buyer_uscc"]) == old:
            inv.update(buyer_name=a.name, buyer_uscc=a.uscc)
    for p in f.payments:
        if p["payer"] == old[0]:
            p["payer"] = a.name
