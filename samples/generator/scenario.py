"""Programme rules and the coherent facts of one synthetic application."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .entities import PLACES, Company, make_company, make_provider
from .ids import paper_invoice_code, r2, sd_invoice_number
from .seals import SealBook

D = date
PROGRAMMES = {
    "etown-model-voucher-2026h1": dict(
        place="etown",
        title="2026年上半年人工智能“模型券”",
        office="北京经济技术开发区信息技术产业局",
        window=(D(2025, 8, 9), D(2026, 6, 30)),
        app=(D(2026, 6, 26), D(2026, 7, 10)),
        rate=0.5,
        cap=5_000_000,
        sign=(D(2025, 7, 20), D(2025, 10, 31)),
        rounding="wan1",
        minimum=10_000,
        required=[
            "application_form",
            "business_licence",
            "commitment_letter",
            "bank_account_info",
            "audit_report",
            "contract",
            "invoice",
            "cac_filing",
            "payment_proof",
        ],
        date_checks={"invoice": "issue_date", "usage_statement": "period_start"},
    ),
    "shenzhen-model-voucher-2025": dict(
        place="nanshan",
        title="2025年打造人工智能先锋城市项目扶持计划模型券（申领）",
        office="深圳市工业和信息化局",
        window=(D(2024, 12, 1), D(2026, 8, 31)),
        app=(D(2025, 10, 13), D(2025, 10, 27)),
        rate=0.3,
        cap=2_000_000,
        sign=(D(2024, 11, 10), D(2025, 5, 31)),
        required=[
            "application_form",
            "business_licence",
            "audit_report",
            "credit_report",
            "commitment_letter",
            "contract",
            "implementation_plan",
            "cac_filing",
        ],
        date_checks={"invoice": "issue_date", "contract": "service_start"},
    ),
    "nanshan-model-voucher-2026q1": dict(
        place="nanshan",
        title="2026年一季度“模型券”项目",
        office="南山区工业和信息化局",
        window=(D(2026, 1, 1), D(2026, 3, 31)),
        app=(D(2026, 4, 10), D(2026, 4, 28)),
        rate=0.5,
        cap=1_000_000,
        cap_small=500_000,
        sign=(D(2025, 9, 1), D(2025, 12, 20)),
        required=[
            "application_form",
            "business_licence",
            "legal_rep_id",
            "tax_certificate",
            "contract",
            "payment_proof",
            "invoice",
            "usage_statement",
            "statistics_report",
        ],
        date_checks={"usage_statement": "period_start"},
    ),
    "nanshan-ai-plus-2026": dict(
        place="nanshan",
        title="“AI+百业”产业融合支持计划",
        office="南山区科技创新局",
        window=(D(2025, 6, 4), D(2026, 6, 4)),
        app=(D(2026, 6, 8), D(2026, 6, 30)),
        rate=0.3,
        cap=1_000_000,
        sign=(D(2024, 10, 8), D(2025, 5, 20)),
        contract_min=200_000,
        required=[
            "application_form",
            "business_licence",
            "legal_rep_id",
            "tax_certificate",
            "contract",
            "invoice",
            "payment_proof",
            "implementation_plan",
            "audit_report",
            "acceptance_report",
        ],
        date_checks={"acceptance_report": "acceptance_date"},
    ),
    "longgang-model-app-2025": dict(
        place="longgang",
        title="2025年龙岗区调用模型开发应用扶持项目",
        office="深圳市龙岗区人工智能（机器人）署",
        window=(D(2024, 12, 1), D(2025, 11, 30)),
        app=(D(2025, 12, 8), D(2025, 12, 12)),
        rate=0.3,
        cap=2_000_000,
        sign=(D(2024, 11, 1), D(2025, 3, 31)),
        required=[
            "application_form",
            "business_licence",
            "legal_rep_id",
            "employment_proof",
            "credit_report",
            "audit_report",
            "tax_certificate",
            "contract",
            "invoice",
            "payment_proof",
            "usage_statement",
            "cac_filing",
        ],
        date_checks={"invoice": "issue_date", "contract": "service_end"},
    ),
}
DEPLOY = ["API调用", "云化部署", "私有化部署"]


def rand_date(rng: random.Random, a: date, b: date) -> date:
    return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


@dataclass
class Facts:
    programme: str
    prog: dict
    rng: random.Random
    applicant: Company
    provider: Company
    app_date: date
    deployment: str
    contract: dict
    invoices: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    usage: dict = field(default_factory=dict)
    acceptance_date: date | None = None
    monthly_revenue: float = 0.0
    seals: SealBook | None = None
    extra: dict = field(default_factory=dict)

    @property
    def invoice_total(self) -> float:
        return r2(sum(i["total"] for i in self.invoices))


def _split(rng: random.Random, total: float, n: int) -> list[float]:
    if n == 1:
        return [total]
    w = [rng.uniform(0.6, 1.4) for _ in range(n)]
    parts = [r2(total * x / sum(w)) for x in w[:-1]]
    return [*parts, r2(total - sum(parts))]


def _nice_amount(rng: random.Random, lo: float, hi: float) -> float:
    v = rng.uniform(lo, hi)
    step = rng.choice([1000, 5000, 10000, 100, 0.01])
    return r2(round(v / step) * step) if step >= 1 else r2(v)


def make_facts(programme: str, rng: random.Random) -> Facts:
    p = PROGRAMMES[programme]
    place = PLACES[p["place"]]
    app_date = rand_date(rng, *p["app"])
    applicant = make_company(rng, place, app_date=app_date)
    provider = make_provider(rng)
    deployment = rng.choice(DEPLOY if programme != "nanshan-model-voucher-2026q1" else DEPLOY[:2])
    if programme == "longgang-model-app-2025":
        deployment = rng.choice(DEPLOY[:2])
    w0, _w1 = p["window"]
    sign = rand_date(rng, *p["sign"])
    if programme == "nanshan-model-voucher-2026q1":
        start = D(2026, 1, 1)
    elif programme == "nanshan-ai-plus-2026":
        start = sign + timedelta(days=rng.randint(1, 20))
    else:
        start = max(sign + timedelta(days=rng.randint(1, 20)), w0 + timedelta(days=rng.randint(0, 10)))
    if programme == "nanshan-model-voucher-2026q1":
        end = D(2026, 12, 31)
    elif programme == "etown-model-voucher-2026h1":
        end = rand_date(rng, start + timedelta(days=150), D(2026, 6, 30))
    elif programme == "longgang-model-app-2025":
        end = rand_date(rng, start + timedelta(days=120), D(2025, 11, 15))
    elif programme == "nanshan-ai-plus-2026":
        end = rand_date(rng, max(start + timedelta(days=150), D(2025, 7, 1)), D(2026, 3, 31))
    else:
        end = start + timedelta(days=rng.choice([180, 364, 365]))
    lo, hi = (200_000, 2_500_000) if programme == "nanshan-ai-plus-2026" else (40_000, 1_800_000)
    if programme == "nanshan-model-voucher-2026q1":
        lo, hi = 30_000, 900_000
    amount = _nice_amount(rng, lo, hi)
    kind = rng.choice(
        ["tech", "model", "api", "po"] if deployment != "私有化部署" else ["tech", "model", "private"]
    )
    contract = dict(
        number=_contract_no(rng, provider, sign),
        amount=amount,
        sign_date=sign,
        start=start,
        end=end,
        kind=kind,
    )
    f = Facts(programme, p, rng, applicant, provider, app_date, deployment, contract, seals=SealBook(rng))
    f.monthly_revenue = _nice_amount(rng, 3_000_000, 25_000_000)
    _money(f)
    return f


def _contract_no(rng: random.Random, provider: Company, d: date) -> str:
    pre = provider.model_pinyin[:2].upper()
    return rng.choice(
        [
            f"{pre}-{d:%Y%m%d}-{rng.randint(1, 999):03d}",
            f"HT{d:%Y}{rng.randint(10000, 99999)}",
            f"{pre}FW{d:%y}{rng.randint(100, 9999):04d}",
            f"{d:%Y}-{pre}-JS-{rng.randint(1, 300):03d}",
        ]
    )


def _money(f: Facts) -> None:
    """Invoices, payments and usage consistent with the contract (clean bundle)."""
    rng, c = f.rng, f.contract
    prog = f.programme
    if prog == "nanshan-model-voucher-2026q1":
        months = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
        total = r2(min(c["amount"], _nice_amount(rng, 30_000, 600_000)))
    else:
        last = min(c["end"], f.app_date - timedelta(days=20), f.prog["window"][1])
        m, months = month_start(c["start"]), []
        while m <= last and len(months) < 12:
            months.append(m)
            m = month_start(m + timedelta(days=32))
        full = prog == "longgang-model-app-2025" or rng.random() < 0.75
        total = c["amount"] if full else r2(c["amount"] * rng.uniform(0.5, 0.95))
    month_amounts = _split(rng, total, len(months))
    last_day = month_end(months[-1]) if prog == "nanshan-model-voucher-2026q1" else last
    rows = [
        (max(ms, c["start"]), min(month_end(ms), last_day), a)
        for ms, a in zip(months, month_amounts, strict=True)
    ]
    f.usage = dict(rows=rows, total=total, period_start=rows[0][0], period_end=rows[-1][1])
    if prog == "nanshan-model-voucher-2026q1" and rng.random() < 0.6:
        inv_amounts, inv_dates = (
            month_amounts,
            [month_end(ms) + timedelta(days=rng.randint(2, 10)) for ms in months],
        )
    else:
        n = rng.choice([1, 1, 2, 3])
        inv_amounts = _split(rng, total, n)
        lo = max(c["start"], f.usage["period_start"])
        hi = min(
            f.usage["period_end"] + timedelta(days=10), f.prog["window"][1], f.app_date - timedelta(days=5)
        )
        if prog == "nanshan-model-voucher-2026q1":
            lo, hi = D(2026, 3, 25), f.app_date - timedelta(days=3)
        inv_dates = sorted(rand_date(rng, lo, hi) for _ in range(n))
    kinds = ["sd_special", "sd_normal", "paper_special", "paper_normal", "e_normal"]
    kind = rng.choices(kinds, [5, 3, 2, 1, 1])[0]
    seller = f.provider
    for amt, d in zip(inv_amounts, inv_dates, strict=True):
        excl = r2(amt / 1.06)
        inv = dict(
            kind=kind,
            date=d,
            total=amt,
            excl=excl,
            tax=r2(amt - excl),
            buyer_name=f.applicant.name,
            buyer_uscc=f.applicant.uscc,
            seller_name=seller.name,
            seller_uscc=seller.uscc,
            upper=None,
            rate=0.06,
        )
        if kind.startswith("sd_"):
            inv.update(code="", number=sd_invoice_number(rng, d, seller.place.prov_code), check="")
        else:
            inv.update(
                code=paper_invoice_code(rng, d, seller.place.region4, kind),
                number="".join(rng.choice("0123456789") for _ in range(8)),
                check="" if kind == "paper_special" else "".join(rng.choice("0123456789") for _ in range(20)),
            )
        f.invoices.append(inv)
    combine = len(f.invoices) > 1 and rng.random() < 0.3
    groups = [f.invoices] if combine else [[i] for i in f.invoices]
    for g in groups:
        d = max(i["date"] for i in g) + timedelta(days=rng.randint(0, 12))
        d = min(d, f.app_date - timedelta(days=1))
        if prog != "nanshan-model-voucher-2026q1":
            d = min(d, f.prog["window"][1])
        f.payments.append(
            dict(
                date=d,
                amount=r2(sum(i["total"] for i in g)),
                payer=f.applicant.name,
                payee=seller.name,
                payer_bank=f.applicant.bank,
                payee_bank=seller.bank,
                payer_account=f.applicant.bank_account,
                payee_account=seller.bank_account,
            )
        )
    if prog == "nanshan-ai-plus-2026":
        f.acceptance_date = min(c["end"] + timedelta(days=rng.randint(3, 40)), D(2026, 5, 30))
    else:
        f.acceptance_date = (
            min(c["end"], f.app_date - timedelta(days=10)) if f.deployment == "私有化部署" else None
        )


def expected_subsidy(f: Facts) -> dict:
    p = f.prog
    basis = f.invoice_total if f.programme != "longgang-model-app-2025" else f.contract["amount"]
    if f.programme == "nanshan-model-voucher-2026q1":
        basis = f.usage["total"]
    cap = p["cap"]
    if f.programme == "nanshan-model-voucher-2026q1" and f.monthly_revenue < 10_000_000:
        cap = p["cap_small"]
    amount = min(r2(basis * p["rate"]), cap)
    payable = amount
    if p.get("rounding") == "wan1":
        payable = float((Decimal(str(amount)) / 1000).quantize(Decimal(1), ROUND_HALF_UP) * 1000)
        if payable < p["minimum"]:
            payable = 0.0
    return {"basis": basis, "rate": p["rate"], "cap": cap, "amount": amount, "payable": payable}
