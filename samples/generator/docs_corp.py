"""Company documents: licence, ID card copy, tax certificates, credit and audit reports, ..."""

from __future__ import annotations

from datetime import timedelta

from .canvas import BLACK, GREY, Doc, Flow
from .docs_money import qr_png
from .ids import amount_upper, cn_date, cn_date_short, money, normalise_name

RED = (0.75, 0.1, 0.1)


def _seal(doc: Doc, c, f, kind: str, owner: str, cx: float, cy: float, d: float = 119, **kw):
    img, text = f.seals.get(kind, owner, raster=doc.mode == "raster", **kw)
    return c.stamp(cx, cy, d, img, kind, normalise_name(owner), normalise_name(text))


def business_licence(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    info = doc.info
    valid = info.get("valid_until", a.valid_until)
    scope = info.get("scope", a.scope)
    W, H = 842, 595
    c = doc.page((W, H))
    c.rect(18, 18, W - 18, H - 18, 3, (0.7, 0.45, 0.2))
    c.rect(26, 26, W - 26, H - 26, 0.8, (0.7, 0.45, 0.2))
    c.page.draw_circle((W / 2, 70), 24, color=RED, fill=RED)
    c.text(W / 2, 78, "★", 20, "hei", (1, 0.85, 0.2), align="c")
    copy = rng.choice(["（副本）", "", "（副本）"])
    c.text(W / 2, 140, "营 业 执 照", 40, "title", BLACK, align="c", bold=True)
    if copy:
        c.text(W / 2 + 140, 140, copy, 14, "body", align="l")
    c.text(60, 110, "统一社会信用代码", 11, "hei")
    c.text(60, 128, a.uscc, 13, "body")
    if rng.random() < 0.7:
        c.text(60, 146, f"副本编号：{rng.randint(1, 9)}-{rng.randint(1, 9)}", 9, "body", GREY)
    c.image((W - 130, 80, W - 60, 150), qr_png("http://www.gsxt.gov.cn/" + a.uscc, 3))
    c.text(W - 95, 162, "扫描二维码登录“国家企业", 6.5, "body", GREY, align="c")
    c.text(W - 95, 171, "信用信息公示系统”了解更多", 6.5, "body", GREY, align="c")
    valid_txt = "长期" if valid is None else f"{cn_date(a.established)}至{cn_date(valid)}"
    left = [("名　　称", a.name), ("类　　型", a.kind), ("法定代表人", a.legal_rep)]
    right = [
        ("注 册 资 本", f"人民币{a.capital_wan}万元"),
        ("成 立 日 期", cn_date(a.established)),
        ("营 业 期 限", valid_txt),
        ("住　　所", a.address),
    ]
    y = 205
    for k, v in left:
        c.text(90, y, k, 11.5, "hei")
        c.text(170, y, v, 11.5)
        y += 30
    c.text(90, y, "经 营 范 围", 11.5, "hei")
    lines = c.wrap_lines(scope + "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）", 250, 10)
    for ln in lines[:9]:
        c.text(170, y, ln, 10)
        y += 17
    y = 205
    for k, v in right:
        c.text(450, y, k, 11.5, "hei")
        for ln in c.wrap_lines(v, 250, 11):
            c.text(530, y, ln, 11)
            y += 18
        y += 12
    reg_date = a.established + timedelta(days=rng.randint(0, 1500))
    reg_date = min(reg_date, f.app_date - timedelta(days=30))
    c.text(560, 470, "登 记 机 关", 12, "hei")
    c.text(600, 515, cn_date(reg_date), 12, align="c")
    _seal(
        doc,
        c,
        f,
        "registration_authority_seal",
        a.place.registrar,
        600 + rng.uniform(-10, 10),
        485,
        110,
        bottom="",
    )
    c.text(W / 2, H - 40, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 8, "body", GREY, align="c")
    c.text(W - 60, H - 40, "国家市场监督管理总局监制", 8, "body", GREY, align="r")
    doc.fields.update(
        company_name=normalise_name(a.name),
        uscc=info.get("uscc", a.uscc),
        legal_rep=a.legal_rep,
        established_date=a.established.isoformat(),
        valid_until="长期" if valid is None else valid.isoformat(),
        valid_until_text=valid_txt,
        address=a.address,
        business_scope=scope,
        registered_capital=a.capital_wan * 10000.0,
        industry_code=a.industry_code,
    )


def legal_rep_id(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    c = doc.page()
    c.text(
        c.w / 2,
        70,
        rng.choice(["法定代表人身份证复印件", "身份证复印件", ""]),
        14,
        "title",
        align="c",
        bold=True,
    )
    x0, w, h = 150, 300, 190
    for k, y0 in enumerate([110, 340]):
        c.page.draw_rect(
            (x0, y0, x0 + w, y0 + h), color=(0.6, 0.65, 0.7), fill=(0.93, 0.95, 0.97), radius=0.05
        )
        if k == 0:
            c.rect(x0 + 200, y0 + 30, x0 + 285, y0 + 135, 0, None, (0.82, 0.84, 0.87))
            c.page.draw_circle((x0 + 242, y0 + 70), 22, color=None, fill=(0.55, 0.58, 0.62))
            c.page.draw_oval((x0 + 212, y0 + 95, x0 + 272, y0 + 150), color=None, fill=(0.55, 0.58, 0.62))
            b = a.rep_birth
            rows = [
                ("姓名", a.legal_rep),
                ("性别", "男" if a.rep_male else "女"),
                ("民族", "汉"),
                ("出生", f"{b.year}  年 {b.month} 月 {b.day} 日"),
            ]
            y = y0 + 32
            for lab, v in rows:
                c.text(x0 + 18, y, lab, 8.5, "hei", BLUE_G)
                c.text(x0 + 50, y, v, 10)
                y += 22
            c.text(x0 + 18, y, "住址", 8.5, "hei", BLUE_G)
            for ln in c.wrap_lines(a.address[:22], 130, 9.5):
                c.text(x0 + 50, y, ln, 9.5)
                y += 14
            c.text(x0 + 18, y0 + 170, "公民身份号码", 8.5, "hei", BLUE_G)
            c.text(x0 + 90, y0 + 170, a.rep_id, 12, "body", spacing=1.5)
        else:
            c.page.draw_circle((x0 + 40, y0 + 45), 22, color=RED, fill=RED)
            c.text(x0 + 170, y0 + 50, "中华人民共和国", 15, "title", align="c", bold=True, spacing=2)
            c.text(x0 + 170, y0 + 90, "居 民 身 份 证", 20, "title", align="c", bold=True)
            issued = a.rep_birth.replace(year=max(a.rep_birth.year + 30, 2016))
            c.text(x0 + 40, y0 + 140, "签发机关", 8.5, "hei", BLUE_G)
            c.text(x0 + 95, y0 + 140, f"{a.place.city}公安局{a.place.district[:3]}分局", 9.5)
            c.text(x0 + 40, y0 + 162, "有效期限", 8.5, "hei", BLUE_G)
            c.text(x0 + 95, y0 + 162, f"{issued:%Y.%m.%d}-{issued.year + 20}.{issued:%m.%d}", 9.5)
    c.text(
        c.w / 2,
        590,
        rng.choice(["仅供申报使用，他用无效", "此复印件仅用于项目申报", "与原件一致"]),
        13,
        "body",
        (0.3, 0.3, 0.6),
        align="c",
    )
    c.text(360, 640, "本人签字：", 10.5)
    if not doc.info.get("no_signature"):
        c.text(420, 640, a.legal_rep, 16, "body", (0.08, 0.08, 0.3))
    doc.fields["legal_rep_signed"] = not doc.info.get("no_signature")
    if rng.random() < 0.5:
        _seal(doc, c, f, "company_seal", a.name, 440 + rng.uniform(-20, 20), 620)
    doc.fields.update(name=a.legal_rep, id_number=a.rep_id, company_name=normalise_name(a.name))


BLUE_G = (0.25, 0.4, 0.6)
TAXES = [
    ("增值税", "信息技术服务"),
    ("企业所得税", "应纳税所得额"),
    ("城市维护建设税", "增值税附征"),
    ("教育费附加", "增值税教育费附加"),
    ("地方教育附加", "增值税地方教育附加"),
    ("印花税", "买卖合同"),
]


def tax_certificate(doc: Doc, f) -> None:
    rng, a, info = doc.rng, f.applicant, doc.info
    kind = info.get("kind", "完税证明")
    bureau = a.place.tax_bureau
    issue = f.app_date - timedelta(days=rng.randint(3, 40))
    c = doc.page()
    y0 = rng.choice([60, 80])
    if kind == "完税证明":
        c.text(c.w / 2, y0, "中华人民共和国", 14, "title", align="c", bold=True, spacing=4)
        c.text(c.w / 2, y0 + 30, "税 收 完 税 证 明", 20, "title", align="c", bold=True)
        no = "".join(rng.choice("0123456789") for _ in range(18))
        c.text(460, y0 + 54, f"No.{no}", 9, "body", RED)
        c.text(60, y0 + 74, f"填发日期：{cn_date(issue)}", 9.5)
        c.text(320, y0 + 74, f"税务机关：{bureau}", 9.5)
        rows = [["纳税人识别号", a.uscc, None, "纳税人名称", a.name, None]]
        y = c.table(50, y0 + 84, [70, 95, 75, 70, 105, 80], rows, 26, 8.5, "body", "cl")
        rows = [["原凭证号", "税种", "品目名称", "税款所属时期", "入（退）库日期", "实缴（退）金额"]]
        total, year = 0.0, issue.year - 1
        for tax, item in rng.sample(TAXES, rng.randint(3, 5)):
            v = round(rng.uniform(2000, 180000), 2)
            total += v
            m = rng.randint(1, 12)
            rows.append(
                [
                    "".join(rng.choice("0123456789") for _ in range(15)),
                    tax,
                    item,
                    f"{year}-{m:02d}-01至{year}-{m:02d}-28",
                    f"{year + (m == 12)}-{m % 12 + 1:02d}-15",
                    money(v),
                ]
            )
        y = c.table(50, y, [105, 70, 90, 105, 70, 55], rows, 26, 7.5, "body", "cccccr", header=True)
        total = round(total, 2)
        y = c.table(
            50,
            y,
            [105, 290, 100],
            [["金额合计", "（大写）" + amount_upper(total), "¥" + money(total)]],
            26,
            8.5,
            "body",
            "clr",
        )
        y = c.table(50, y, [105, 390], [["备注", "本凭证不作纳税人记账、抵扣凭证。"]], 40, 8.5, "body", "cl")
        c.text(60, y + 24, "税务机关（盖章）", 9.5)
        c.text(330, y + 24, f"填票人：{rng.choice(['电子税务局', '系统自动'])}", 9.5)
        sy = y + 20
    else:
        title = "无欠税证明" if kind == "无欠税证明" else rng.choice(["纳税证明", "纳税情况证明"])
        c.text(c.w / 2, y0 + 40, title, 22, "title", align="c", bold=True, spacing=4)
        c.text(
            c.w - 70,
            y0 + 70,
            f"{a.place.district[:2]}税证〔{issue.year}〕{rng.randint(100, 9999)}号",
            9.5,
            align="r",
        )
        fl = Flow(doc, body=11.5, leading=2.0, canvas=c, y=y0 + 100)
        fl.line(f"{a.name}：", bold=True)
        if kind == "无欠税证明":
            fl.para(
                f"经查询税收征管信息系统，截至{cn_date_short(issue - timedelta(days=1))}，未发现你单位"
                f"（纳税人识别号：{a.uscc}）有欠税情形。"
            )
            fl.para(
                "本证明仅证明纳税人在税收征管信息系统截止日期内是否存在欠税情形，不作为纳税人是否存在其他"
                "涉税违法行为的证明。"
            )
        else:
            yr = issue.year - 1
            fl.para(f"兹证明{a.name}（纳税人识别号：{a.uscc}）{yr}年度在我局依法申报缴纳各项税款，具体如下：")
            rows = [["税种", "所属期间", "实缴金额（元）"]]
            for tax, _ in TAXES[:4]:
                rows.append([tax, f"{yr}-01-01至{yr}-12-31", money(round(rng.uniform(10000, 400000), 2))])
            fl.table([140, 180, 130], rows, 24, 9.5, "ccr")
            fl.para("特此证明。")
        sy = fl.y + 30
        c.text(c.w - 90, sy + 10, bureau, 11, align="r")
        c.text(c.w - 130, sy + 34, cn_date(issue), 11, align="r")
    if "tax_authority_seal" not in info.get("no_seal", ()):
        _seal(
            doc,
            c,
            f,
            "tax_authority_seal",
            bureau,
            c.w - 170 + rng.uniform(-20, 20),
            sy + 10,
            125,
            bottom=rng.choice(["", "征税专用章"]),
        )
    doc.fields.update(
        taxpayer_name=normalise_name(a.name),
        uscc=a.uscc,
        issue_date=issue.isoformat(),
        certificate_kind=kind,
        tax_authority=bureau,
    )
    _ = BLACK
