"""The defect registry: each named defect registers how it alters the facts or the document plan,
what it touches and when it applies (the catalogue is defect_kinds.py)."""

from __future__ import annotations

SAFE_MISSING = [
    "commitment_letter",
    "bank_account_info",
    "audit_report",
    "credit_report",
    "implementation_plan",
    "legal_rep_id",
    "tax_certificate",
    "statistics_report",
    "employment_proof",
    "usage_statement",
    "acceptance_report",
    "payment_proof",
    "invoice",
]
FILING_PROGS = {"etown-model-voucher-2026h1", "shenzhen-model-voucher-2025", "longgang-model-app-2025"}
DEFECTS: dict = {}
# Defects that are only ever forced (generate_bundle(defects=...)): never drawn at random, so
# adding one leaves every seed's random draw, and every corpus, as it was.
FORCED_ONLY: set[str] = set()


def F(code: str, doc_type: str | None, field: str | None, **kw) -> dict:
    return {"code": code, "doc_type": doc_type, "field": field, **kw}


def defect(name: str, touches: set[str], when=lambda f, specs: True, drawn: bool = True):
    def deco(fn):
        DEFECTS[name] = (fn, touches, when)
        if not drawn:
            FORCED_ONLY.add(name)
        return fn

    return deco


def _of(specs, t):
    return [s for s in specs if s.doc_type == t]


def required_types(f, specs) -> set[str]:
    req = set(f.prog["required"])
    if f.programme == "etown-model-voucher-2026h1":
        # The etown guide lists no payment proof (五、1-11): it is supporting, not required.
        req.discard("payment_proof")
        req.add("usage_statement" if f.deployment != "私有化部署" else "acceptance_report")
    if f.programme == "longgang-model-app-2025" and _of(specs, "security_assessment"):
        req.discard("cac_filing")
    return req


