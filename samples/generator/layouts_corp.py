"""Second layout families of the business licence (families.py): the older portrait 副本 with one
column of letter-spaced labels and 营业期限 "…至长期", and a 个体工商户 licence on that layout
(经营者 and 组成形式 instead of 法定代表人 and 注册资本)."""

from __future__ import annotations

from datetime import timedelta

from .canvas import BLACK, GREY, Doc
from .docs_corp import RED, _seal
from .docs_money import qr_png
from .ids import cn_date, normalise_name


def _term(valid, start) -> str:
    return f"{cn_date(start)}至长期" if valid is None else f"{cn_date(start)}至{cn_date(valid)}"


def portrait_licence(doc: Doc, f) -> None:
    rng, a, info = doc.rng, f.applicant, doc.info
    sole = bool(a.extra.get("sole_trader"))
    valid = info.get("valid_until", a.valid_until)
    scope = info.get("scope", a.scope)
    c = doc.page()
    W, H = c.w, c.h
    c.rect(22, 22, W - 22, H - 22, 2.5, (0.7, 0.45, 0.2))
    c.page.draw_circle((W / 2, 78), 22, color=RED, fill=RED)
    c.text(W / 2, 86, "★", 18, "hei", (1, 0.85, 0.2), align="c")
    c.text(W / 2, 150, "营 业 执 照", 34, "title", BLACK, align="c", bold=True)
    c.text(W / 2, 178, "（副　本）", 13, "body", align="c")
    uscc = info.get("uscc", a.uscc)
    c.text(60, 215, f"统一社会信用代码  {uscc}", 11)
    c.image((W - 120, 190, W - 60, 250), qr_png("http://www.gsxt.gov.cn/" + uscc, 3))
    registered = a.established
    if sole:  # 个体工商户: no legal representative, no capital; 经营者 and 组成形式 instead
        rows = [
            ("名　　称", a.name),
            ("类　　型", a.kind),
            ("经　营　者", a.legal_rep),
            ("组成形式", "个人经营"),
            ("注册日期", cn_date(registered)),
            (rng.choice(["经营期限", "营业期限"]), _term(valid, registered)),
            ("经营场所", a.address),
        ]
    else:
        rows = [
            ("名　　称", a.name),
            ("类　　型", a.kind),
            ("住　　所", a.address),
            ("法定代表人", a.legal_rep),
            ("注册资本", f"人民币{a.capital_wan}万元整"),
            ("成立日期", cn_date(registered)),
            ("营业期限", _term(valid, registered)),
        ]
    y = 280
    for k, v in rows:
        c.text(80, y, k, 12, "hei")
        for ln in c.wrap_lines(v, 330, 12):
            c.text(180, y, ln, 12)
            y += 18
        y += 12
    c.text(80, y, "经营范围", 12, "hei")
    scope_text = scope + "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
    for ln in c.wrap_lines(scope_text, 330, 10.5)[:8]:
        c.text(180, y, ln, 10.5)
        y += 17
    reg_date = min(a.established + timedelta(days=rng.randint(0, 1500)), f.app_date - timedelta(days=30))
    c.text(380, 720, "登记机关", 12, "hei")
    c.text(420, 765, cn_date(reg_date), 12, align="c")
    _seal(
        doc,
        c,
        f,
        "registration_authority_seal",
        a.place.registrar,
        420 + rng.uniform(-10, 10),
        735,
        110,
        bottom="",
    )
    c.text(W / 2, H - 36, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 8, "body", GREY, align="c")
    doc.fields.update(
        company_name=normalise_name(a.name),
        uscc=uscc,
        legal_rep=a.legal_rep,
        established_date=registered.isoformat(),
        valid_until="长期" if valid is None else valid.isoformat(),
        valid_until_text=_term(valid, registered),
        address=a.address,
        business_scope=scope,
        registered_capital=None if sole else a.capital_wan * 10000.0,
        industry_code=a.industry_code,
    )
