"""Which documents a bundle holds, and how each is rendered."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import (
    docs_contract,
    docs_corp,
    docs_forms,
    docs_money,
    docs_reports,
    families,
    layouts_corp,
    layouts_forms,
    layouts_money,
)
from .canvas import Doc
from .scenario import Facts, expected_subsidy

BUILDERS = {
    "application_form": docs_forms.application_form,
    "business_licence": docs_corp.business_licence,
    "legal_rep_id": docs_corp.legal_rep_id,
    "tax_certificate": docs_corp.tax_certificate,
    "contract": docs_contract.contract,
    "invoice": docs_money.invoice,
    "payment_proof": docs_money.payment_proof,
    "usage_statement": docs_money.usage_statement,
    "cac_filing": docs_forms.cac_filing,
    "security_assessment": docs_forms.security_assessment,
    "audit_report": docs_reports.audit_report,
    "credit_report": docs_reports.credit_report,
    "commitment_letter": docs_forms.commitment_letter,
    "bank_account_info": docs_reports.bank_account_info,
    "implementation_plan": docs_forms.implementation_plan,
    "acceptance_report": docs_forms.acceptance_report,
    "statistics_report": docs_reports.statistics_report,
    "employment_proof": docs_reports.employment_proof,
    "other": docs_forms.other,
}
# second layout families (families.py); a family not listed here is drawn by the builder above
LAYOUT_BUILDERS = {
    ("payment_proof", "side_labels"): layouts_money.side_labelled_receipt,
    ("payment_proof", "plain_lines"): layouts_money.plain_line_receipt,
    ("application_form", "cover"): layouts_forms.cover_form,
    ("business_licence", "portrait"): layouts_corp.portrait_licence,
    ("business_licence", "sole_trader"): layouts_corp.portrait_licence,
}
# how likely a document arrives born-digital (downloaded e-document) rather than scanned
DIGITAL = {
    "business_licence": 0.6,
    "invoice": 0.75,
    "payment_proof": 0.6,
    "tax_certificate": 0.6,
    "credit_report": 0.7,
    "cac_filing": 0.6,
    "usage_statement": 0.4,
    "statistics_report": 0.5,
    "application_form": 0.25,
    "audit_report": 0.15,
    "implementation_plan": 0.4,
    "other": 0.6,
    "security_assessment": 0.3,
}


@dataclass
class Spec:
    doc_type: str
    info: dict = field(default_factory=dict)
    id: str = ""
    render: str = "born_digital"


def plan_documents(f: Facts, rng: random.Random) -> list[Spec]:
    prog = f.programme
    specs: list[Spec] = []
    for t in f.prog["required"]:
        if t == "invoice":
            specs += [
                Spec("invoice", {"index": i, "paper": inv["kind"].startswith("paper")})
                for i, inv in enumerate(f.invoices)
            ]
        elif t == "payment_proof":
            specs += [Spec("payment_proof", {"index": i}) for i in range(len(f.payments))]
        elif t == "tax_certificate":
            kinds = {
                "nanshan-ai-plus-2026": ["完税证明", "无欠税证明"],
                "longgang-model-app-2025": ["纳税证明"],
            }
            for k in kinds.get(prog, [rng.choice(["完税证明", "无欠税证明"])]):
                specs.append(Spec(t, {"kind": k}))
        elif t == "audit_report":
            specs.append(Spec(t, {"year": f.app_date.year - 1}))
            if prog != "nanshan-ai-plus-2026" and rng.random() < 0.3:
                specs.append(Spec(t, {"year": f.app_date.year - 2}))
        elif t == "cac_filing" and prog == "longgang-model-app-2025" and rng.random() < 0.35:
            specs.append(Spec("security_assessment"))
        else:
            specs.append(Spec(t))
    if prog == "etown-model-voucher-2026h1":
        specs.append(Spec("usage_statement" if f.deployment != "私有化部署" else "acceptance_report"))
    if prog == "shenzhen-model-voucher-2025" and rng.random() < 0.6:
        specs += [
            Spec("invoice", {"index": i, "paper": inv["kind"].startswith("paper")})
            for i, inv in enumerate(f.invoices)
        ]
        specs += [Spec("payment_proof", {"index": i}) for i in range(len(f.payments))]
    if prog == "nanshan-ai-plus-2026" and rng.random() < 0.4:
        specs.append(Spec("cac_filing"))
    if rng.random() < 0.3:
        specs.append(Spec("other", {"style": rng.choice(["toc", "brochure"])}))
    for s in specs:
        if s.doc_type == "contract":
            s.info["paging_seal"] = prog == "shenzhen-model-voucher-2025" or rng.random() < 0.4
            s.info["page_numbers"] = rng.random() < 0.5
            s.info["seal_kind"] = rng.choice(["contract_seal", "contract_seal", "company_seal"])
    toc = [s for s in specs if s.doc_type == "other" and s.info.get("style") == "toc"]
    if toc:
        names = {
            "application_form": "申报表",
            "business_licence": "营业执照",
            "contract": "合同",
            "invoice": "发票",
            "payment_proof": "付款凭证",
            "commitment_letter": "承诺书",
        }
        toc[0].info["toc"] = list(
            dict.fromkeys(names.get(s.doc_type, s.doc_type) for s in specs if s.doc_type in names)
        )
    f.extra["requested"] = expected_subsidy(f)["payable"]
    return specs


def choose_renders(specs: list[Spec], style: str, rng: random.Random) -> None:
    for s in specs:
        p_dig = DIGITAL.get(s.doc_type, 0.1)
        if s.doc_type == "invoice" and s.info.get("paper"):
            p_dig = 0.0
        if style == "phone":
            s.render = "photo" if rng.random() < 0.7 else "born_digital" if rng.random() < p_dig else "scan"
        elif style == "merged":
            s.render = "scan" if rng.random() < 0.85 else "born_digital"
        else:
            r = rng.random()
            s.render = "photo" if r < 0.1 else "born_digital" if rng.random() < p_dig else "scan"


def build(spec: Spec, f: Facts, rng: random.Random, layouts: families.Choice | None = None) -> Doc:
    seed = rng.randrange(1 << 30)
    info = dict(spec.info)
    if spec.doc_type in families.BUNDLE_LEVEL:
        layout = f.extra.get("layouts", {}).get(spec.doc_type)
    else:  # keyed by the document's own seed: one draw per document, nothing else moves
        layout = families.pick(spec.doc_type, str(seed), layouts or families.Choice())
    if spec.doc_type == "contract":
        layout = families.contract_family(layout, info)
    if layout:
        info["layout"] = layout
    doc = Doc(
        spec.id,
        spec.doc_type,
        "embed" if spec.render == "born_digital" else "raster",
        random.Random(seed),
        info=info,
    )
    LAYOUT_BUILDERS.get((spec.doc_type, layout), BUILDERS[spec.doc_type])(doc, f)
    doc.info["render"] = spec.render
    return doc
