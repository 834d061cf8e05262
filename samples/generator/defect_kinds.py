"""The defect catalogue: each defect alters facts or the document plan and returns its findings."""

from __future__ import annotations

from datetime import date, timedelta

from .defect_registry import FILING_PROGS, SAFE_MISSING, F, _of, defect, required_types
from .entities import NON_SOFTWARE
from .ids import amount_upper, corrupt_uscc, other_valid_uscc, paper_invoice_code, r2
from .scenario import _money


def _missing(t: str):
    def fn(f, specs, rng):
        specs[:] = [s for s in specs if s.doc_type != t]
        return [F("MATERIAL_MISSING", t, None)]

    return fn


for _t in SAFE_MISSING:
    defect(
        f"missing_{_t}", {_t}, lambda f, specs, t=_t: t in required_types(f, specs) and bool(_of(specs, t))
    )(_missing(_t))


@defect("missing_company_seal", {"commitment_letter", "application_form"})
def _no_company_seal(f, specs, rng):
    s = (_of(specs, "commitment_letter") or _of(specs, "application_form"))[0]
    s.info.setdefault("no_seal", set()).add("company_seal")
    return [F("SEAL_MISSING", s.doc_type, "company_seal")]


@defect("missing_invoice_seal", {"invoice"}, lambda f, specs: bool(_of(specs, "invoice")))
def _no_invoice_seal(f, specs, rng):
    _paper_invoices(f, specs, rng)
    _of(specs, "invoice")[0].info.setdefault("no_seal", set()).add("invoice_seal")
    return [F("SEAL_MISSING", "invoice", "invoice_seal")]


@defect("invoice_sealed_by_buyer", {"invoice"}, lambda f, specs: bool(_of(specs, "invoice")), drawn=False)
def _buyers_invoice_seal(f, specs, rng):
    """A paper invoice stamped with the buyer's (the applicant's) 发票专用章, not the seller's."""
    _paper_invoices(f, specs, rng)
    _of(specs, "invoice")[0].info["seal_owner"] = (f.applicant.name, f.applicant.uscc)
    return [F("SEAL_MISSING", "invoice", "invoice_seal", found=f.applicant.name)]


@defect("letter_sealed_by_provider", {"commitment_letter"},
        lambda f, specs: bool(_of(specs, "commitment_letter")), drawn=False)
def _providers_letter_seal(f, specs, rng):
    _of(specs, "commitment_letter")[0].info["seal_owner"] = f.provider.name
    return [F("SEAL_MISSING", "commitment_letter", "company_seal", found=f.provider.name)]


@defect("contract_sealed_by_one_party", {"contract"}, lambda f, specs: bool(_of(specs, "contract")),
        drawn=False)
def _one_party_contract(f, specs, rng):
    _of(specs, "contract")[0].info["no_seal_provider"] = True
    return [F("SEAL_MISSING", "contract", "provider_seal")]


def _paper_invoices(f, specs, rng) -> None:
    """The bundle's invoices made paper ones (a 数电 invoice carries no seal to get wrong)."""
    kind = rng.choice(["paper_special", "paper_normal"])
    for inv, s in zip(f.invoices, _of(specs, "invoice"), strict=True):
        inv.update(
            kind=kind,
            code=paper_invoice_code(rng, inv["date"], f.provider.place.region4, kind),
            number="".join(rng.choice("0123456789") for _ in range(8)),
            check="" if kind == "paper_special" else "".join(rng.choice("0123456789") for _ in range(20)),
        )
        s.info["paper"] = True


@defect("missing_provider_seal", {"usage_statement"}, lambda f, specs: bool(_of(specs, "usage_statement")))
def _no_provider_seal(f, specs, rng):
    _of(specs, "usage_statement")[0].info.setdefault("no_seal", set()).add("provider_seal")
    return [F("SEAL_MISSING", "usage_statement", "provider_seal")]


@defect("missing_tax_seal", {"tax_certificate"}, lambda f, specs: bool(_of(specs, "tax_certificate")))
def _no_tax_seal(f, specs, rng):
    rng.choice(_of(specs, "tax_certificate")).info.setdefault("no_seal", set()).add("tax_authority_seal")
    return [F("SEAL_MISSING", "tax_certificate", "tax_authority_seal")]


@defect("missing_paging_seal", {"contract"}, lambda f, specs: f.programme == "shenzhen-model-voucher-2025")
def _no_paging_seal(f, specs, rng):
    s = _of(specs, "contract")[0]
    s.info["paging_seal"] = True
    s.info.setdefault("no_seal", set()).add("paging_seal")
    return [F("SEAL_MISSING", "contract", "paging_seal")]


SIGNED = {
    "etown-model-voucher-2026h1": "commitment_letter",
    "nanshan-model-voucher-2026q1": "application_form",
    "nanshan-ai-plus-2026": "application_form",
    "longgang-model-app-2025": "legal_rep_id",
}


@defect(
    "missing_signature",
    {"commitment_letter", "application_form", "legal_rep_id"},
    lambda f, specs: f.programme in SIGNED and bool(_of(specs, SIGNED[f.programme])),
)
def _no_signature(f, specs, rng):
    t = SIGNED[f.programme]
    _of(specs, t)[0].info["no_signature"] = True
    return [F("SIGNATURE_MISSING", t, "legal_rep_signature")]


@defect(
    "invoice_date_out_of_window",
    {"invoice"},
    lambda f, specs: bool(_of(specs, "invoice")) and "invoice" in f.prog["date_checks"],
)
def _inv_date(f, specs, rng):
    w0, w1 = f.prog["window"]
    inv = f.invoices[0]
    inv["date"] = (
        w0 - timedelta(days=rng.randint(5, 60))
        if rng.random() < 0.6 or w1 > f.app_date
        else w1 + timedelta(days=rng.randint(1, 10))
    )
    return [F("DATE_OUT_OF_WINDOW", "invoice", "issue_date", found=inv["date"].isoformat())]


@defect(
    "usage_out_of_window",
    {"usage_statement"},
    lambda f, specs: bool(_of(specs, "usage_statement")) and "usage_statement" in f.prog["date_checks"],
)
def _usage_date(f, specs, rng):
    rows = f.usage["rows"]
    if f.programme == "nanshan-model-voucher-2026q1":
        months = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
        ends = [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28)]
        rows = [(m, e, a) for m, e, (_, _, a) in zip(months, ends, rows, strict=True)]
    else:
        _a, b, amt = rows[0]
        rows = [(f.prog["window"][0] - timedelta(days=rng.randint(10, 25)), b, amt), *rows[1:]]
    f.usage.update(rows=rows, period_start=rows[0][0], period_end=rows[-1][1])
    return [F("DATE_OUT_OF_WINDOW", "usage_statement", "period_start", found=rows[0][0].isoformat())]


@defect(
    "acceptance_out_of_window",
    {"acceptance_report"},
    lambda f, specs: f.programme == "nanshan-ai-plus-2026" and bool(_of(specs, "acceptance_report")),
)
def _acc_date(f, specs, rng):
    f.acceptance_date = f.prog["window"][0] - timedelta(days=rng.randint(5, 90))
    return [
        F("DATE_OUT_OF_WINDOW", "acceptance_report", "acceptance_date", found=f.acceptance_date.isoformat())
    ]


@defect("contract_date_out_of_window", {"contract"}, lambda f, specs: "contract" in f.prog["date_checks"])
def _contract_date(f, specs, rng):
    field = f.prog["date_checks"]["contract"]
    if field == "service_start":
        f.contract["start"] = f.prog["window"][0] - timedelta(days=rng.randint(5, 40))
        f.contract["sign_date"] = min(f.contract["sign_date"], f.contract["start"] - timedelta(days=3))
    else:
        f.contract["end"] = f.prog["window"][1] + timedelta(days=rng.randint(20, 120))
    return [F("DATE_OUT_OF_WINDOW", "contract", field)]


@defect("invoice_upper_mismatch", {"invoice"}, lambda f, specs: bool(_of(specs, "invoice")))
def _upper(f, specs, rng):
    inv = f.invoices[0]
    inv["upper"] = amount_upper(
        r2(inv["total"] + rng.choice([-1, 1]) * rng.choice([10, 100, 1000, 9, 0.9])), "圆", ""
    )
    return [F("AMOUNT_MISMATCH", "invoice", "total_amount_upper")]


@defect(
    "invoices_exceed_contract",
    {"contract", "invoice"},
    lambda f, specs: (
        bool(_of(specs, "invoice"))
        and (f.programme != "nanshan-ai-plus-2026" or f.invoice_total * 0.8 >= 200_000)
    ),
)
def _exceed(f, specs, rng):
    f.contract["amount"] = r2(round(f.invoice_total * rng.uniform(0.6, 0.9), -3))
    return [F("AMOUNT_MISMATCH", "invoice", "total_amount", against="contract.contract_amount")]


@defect("payment_mismatch", {"payment_proof"}, lambda f, specs: bool(_of(specs, "payment_proof")))
def _pay(f, specs, rng):
    p = f.payments[0]
    p["amount"] = r2(max(100.0, p["amount"] - rng.choice([1000, 5000, 0.5, 10000, 200])))
    return [F("AMOUNT_MISMATCH", "payment_proof", "amount", against="invoice.total_amount")]


@defect("usage_mismatch", {"usage_statement"}, lambda f, specs: bool(_of(specs, "usage_statement")))
def _usage_amt(f, specs, rng):
    a, b, amt = f.usage["rows"][-1]
    f.usage["rows"][-1] = (a, b, r2(amt + max(100.0, round(f.usage["total"] * rng.uniform(0.03, 0.2), 2))))
    return [F("AMOUNT_MISMATCH", "usage_statement", "total_amount", against="invoice.total_amount")]


def _reprice(f, specs, amount: float, rng):
    f.contract["amount"] = amount
    f.invoices, f.payments = [], []
    _money(f)
    specs[:] = (
        [s for s in specs if s.doc_type not in ("invoice", "payment_proof")]
        + [
            type(specs[0])("invoice", {"index": i, "paper": v["kind"].startswith("paper")})
            for i, v in enumerate(f.invoices)
        ]
        + [type(specs[0])("payment_proof", {"index": i}) for i in range(len(f.payments))]
    )
    f.extra["requested"] = 0.0


@defect(
    "contract_below_minimum",
    {"contract", "invoice", "payment_proof", "acceptance_report", "usage_statement"},
    lambda f, specs: f.programme == "nanshan-ai-plus-2026",
)
def _below(f, specs, rng):
    _reprice(f, specs, float(rng.randrange(60, 196) * 1000), rng)
    return [F("AMOUNT_BELOW_MINIMUM", "contract", "contract_amount", expected=">=200000")]


@defect(
    "payable_below_minimum",
    {"contract", "invoice", "payment_proof", "usage_statement", "acceptance_report"},
    lambda f, specs: f.programme == "etown-model-voucher-2026h1",
)
def _below_payable(f, specs, rng):
    _reprice(f, specs, float(rng.randrange(40, 180) * 100), rng)
    return [F("AMOUNT_BELOW_MINIMUM", None, "payable", expected=">=10000")]


def name_variant(name: str) -> str:
    for city in ("深圳市", "北京市"):
        if name.startswith(city):
            return city[:-1] + name[len(city) :]
    if "股份有限公司" in name:
        return name.replace("股份有限公司", "有限公司")
    return name.replace("有限公司", "有限责任公司")


@defect("name_mismatch", {"invoice"}, lambda f, specs: bool(_of(specs, "invoice")))
def _name(f, specs, rng):
    f.invoices[0]["buyer_name"] = name_variant(f.applicant.name)
    return [F("NAME_MISMATCH", "invoice", "buyer_name", found=f.invoices[0]["buyer_name"])]


@defect("uscc_invalid", {"business_licence"})
def _uscc_invalid(f, specs, rng):
    f.applicant.uscc = corrupt_uscc(f.applicant.uscc)
    for inv in f.invoices:
        inv["buyer_uscc"] = f.applicant.uscc
    return [F("USCC_INVALID", "business_licence", "uscc", found=f.applicant.uscc)]


@defect("uscc_mismatch", {"application_form"})
def _uscc_mismatch(f, specs, rng):
    code = other_valid_uscc(rng, f.applicant.uscc)
    _of(specs, "application_form")[0].info["uscc"] = code
    return [F("USCC_MISMATCH", "application_form", "uscc", found=code)]


@defect("related_party_seal", {"contract"})
def _rel_seal(f, specs, rng):
    _of(specs, "contract")[0].info["seal_owner_b"] = f.applicant.name
    return [F("RELATED_PARTY", "contract", "party_b_seal")]


@defect("related_party_same", {"contract", "invoice", "payment_proof", "usage_statement", "cac_filing"})
def _rel_same(f, specs, rng):
    _of(specs, "contract")[0].info["party_b_name"] = f.applicant.name
    for inv in f.invoices:
        inv.update(seller_name=f.applicant.name, seller_uscc=f.applicant.uscc)
    for p in f.payments:
        p["payee"] = f.applicant.name
    return [F("RELATED_PARTY", "contract", "party_b")]


@defect(
    "filing_wrong_model",
    {"cac_filing"},
    lambda f, specs: f.programme in FILING_PROGS and bool(_of(specs, "cac_filing")),
)
def _filing_model(f, specs, rng):
    s = _of(specs, "cac_filing")[0]
    s.info["model_name"] = f.provider.model_name.replace("大模型", "") + rng.choice(
        ["代码大模型", "视觉大模型", "语音模型"]
    )
    s.info["style"] = rng.choice(["list", "letter"])
    return [F("FILING_MISSING", "cac_filing", "model_name", found=s.info["model_name"])]


@defect("filing_missing", {"cac_filing", "security_assessment"}, lambda f, specs: f.programme in FILING_PROGS)
def _filing_missing(f, specs, rng):
    specs[:] = [s for s in specs if s.doc_type not in ("cac_filing", "security_assessment")]
    return [F("FILING_MISSING", "cac_filing", None), F("MATERIAL_MISSING", "cac_filing", None)]


@defect(
    "industry_ineligible", {"business_licence"}, lambda f, specs: f.programme == "longgang-model-app-2025"
)
def _industry(f, specs, rng):
    _, code, scope = rng.choice(NON_SOFTWARE)
    f.applicant.scope, f.applicant.industry_code = scope, code
    return [F("INDUSTRY_INELIGIBLE", "business_licence", "business_scope", found=code)]


@defect("licence_expired", {"business_licence"})
def _expired(f, specs, rng):
    a = f.applicant
    a.valid_until = f.app_date - timedelta(days=rng.randint(10, 300))
    a.established = min(a.established, a.valid_until.replace(year=a.valid_until.year - 10))
    return [F("LICENCE_EXPIRED", "business_licence", "valid_until", found=a.valid_until.isoformat())]


@defect("unreadable_file", set())
def _unreadable(f, specs, rng):
    f.extra["unreadable"] = rng.choice(["truncated_pdf", "black_image", "blank_image", "garbage_pdf"])
    return [F("DOCUMENT_UNREADABLE", None, None)]
