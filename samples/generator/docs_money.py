"""Invoices (数电 and older paper/e-invoices), bank receipts and usage statements."""

from __future__ import annotations

import io

import qrcode

from .canvas import BLACK, BROWN, Doc, Flow
from .ids import amount_upper, cn_date, cn_date_short, money, normalise_name, qr_payload, r2

ITEMS = [
    "*信息技术服务*模型服务费",
    "*信息技术服务*技术服务费",
    "*现代服务*技术服务费",
    "*信息技术服务*API调用服务费",
    "*信息技术服务*大模型云服务费",
    "*软件服务*软件服务费",
]
INV_TITLE = {
    "sd_special": "电子发票（增值税专用发票）",
    "sd_normal": "电子发票（普通发票）",
    "paper_special": "{prov}增值税专用发票",
    "paper_normal": "{prov}增值税普通发票",
    "e_normal": "{prov}增值税电子普通发票",
}


def qr_png(data: str, box: int = 4) -> bytes:
    q = qrcode.QRCode(border=1, box_size=box, error_correction=qrcode.constants.ERROR_CORRECT_M)
    q.add_data(data)
    buf = io.BytesIO()
    q.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


def invoice(doc: Doc, f) -> None:
    rng, inv = doc.rng, f.invoices[doc.info["index"]]
    kind, sd = inv["kind"], inv["kind"].startswith("sd_")
    W, H = (595, 400) if rng.random() < 0.7 else (595, 842)
    c = doc.page((W, H))
    col = (
        BROWN
        if sd or kind == "e_normal"
        else (0.1, 0.35, 0.2)
        if kind == "paper_normal"
        else (0.15, 0.25, 0.5)
    )
    prov = f.provider.place.city.rstrip("市") if f.provider.place.city != "北京市" else "北京"
    title = INV_TITLE[kind].format(prov=prov)
    tx = W / 2 - 25
    c.text(tx, 42, title, 16 if len(title) < 12 else 14.5, "title", col, align="c", bold=True, spacing=1)
    c.line(tx - 115, 48, tx + 115, 48, 0.8, col)
    c.line(tx - 115, 51, tx + 115, 51, 0.8, col)
    check = inv["check"]
    c.image(
        (28, 14, 82, 68),
        qr_png(
            qr_payload(rng, kind, inv["code"], inv["number"], inv["excl"], inv["total"], inv["date"], check)
        ),
    )
    rx, y = W - 170, 22
    meta = [] if sd else [("发票代码", inv["code"])]
    meta += [("发票号码", inv["number"]), ("开票日期", cn_date(inv["date"]))]
    if check:
        meta.append(("校 验 码", " ".join(check[i : i + 5] for i in range(0, 20, 5))))
    for k, v in meta:
        c.text(rx, y, f"{k}：", 8.5, "hei", col)
        c.text(rx + 46, y, v, 8.5, "body", BLACK)
        y += 12
    x0, x1, top = 26, W - 26, 74
    buyer_name = inv["buyer_name"]
    blk = 62
    c.rect(x0, top, x1, top + blk, 0.8, col)
    mid = (x0 + x1) / 2
    c.line(mid, top, mid, top + blk, 0.8, col)
    for bx, lab, name, uscc in [
        (x0, "购买方信息", buyer_name, inv["buyer_uscc"]),
        (mid, "销售方信息", inv["seller_name"], inv["seller_uscc"]),
    ]:
        c.line(bx + 18, top, bx + 18, top + blk, 0.6, col)
        for k, ch in enumerate(lab):
            c.text(bx + 9, top + 13 + k * 10, ch, 8, "hei", col, align="c")
        c.text(bx + 24, top + 22, "名称：", 8.5, "hei", col)
        c.text(bx + 52, top + 22, name, 8.5 if len(name) < 20 else 7.5)
        c.text(bx + 24, top + 44, "统一社会信用代码/纳税人识别号：", 7.5, "hei", col)
        c.text(bx + 24 + 125, top + 44, uscc, 8.5)
    ty = top + blk
    widths = [130, 50, 34, 40, 62, 70, 46, 111]
    heads = ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额"]
    item = inv.get("item") or rng.choice(ITEMS)
    qty = rng.choice(["1", "", "1"])
    rows = [
        heads,
        [
            item,
            rng.choice(["", "API", "标准版"]),
            rng.choice(["项", "次", ""]),
            qty,
            money(inv["excl"]).replace(",", "") if qty else "",
            money(inv["excl"]).replace(",", ""),
            "6%",
            money(inv["tax"]).replace(",", ""),
        ],
    ]
    rows += [[""] * 8]
    rows += [
        [
            "合　　计",
            None,
            None,
            None,
            None,
            "¥" + money(inv["excl"]).replace(",", ""),
            None,
            "¥" + money(inv["tax"]).replace(",", ""),
        ]
    ]
    ty = c.table(x0, ty, widths, rows, 18, 8, "body", "lcccrrcr", 0.6, color=col, heights=[16, 22, 40, 18])
    upper = inv["upper"] or amount_upper(inv["total"], "圆", "")
    c.rect(x0, ty, x1, ty + 22, 0.6, col)
    c.text(x0 + 6, ty + 15, "价税合计（大写）", 8.5, "hei", col)
    c.text(x0 + 90, ty + 15, "⊗" + upper, 9.5, "body")
    c.text(x0 + 360, ty + 15, "（小写）", 8.5, "hei", col)
    c.text(x0 + 398, ty + 15, "¥" + money(inv["total"]).replace(",", ""), 9.5)
    ty += 22
    c.rect(x0, ty, x1, ty + 40, 0.6, col)
    c.text(x0 + 6, ty + 14, "备注", 8.5, "hei", col)
    c.text(x0 + 40, ty + 14, f"合同编号：{f.contract['number']}  {f.provider.model_name}服务费", 8)
    drawer = rng.choice(["张敏", "李娜", "王芳", "刘洋", "陈静"])
    c.text(x0 + 6, ty + 58, f"开票人：{drawer}", 8.5, "hei", col)
    if not sd:
        c.text(x0 + 200, ty + 58, "收款人：    复核：", 8.5, "hei", col)
        if "invoice_seal" not in doc.info.get("no_seal", ()):
            owner, tax_no = doc.info.get("seal_owner", (inv["seller_name"], inv["seller_uscc"]))
            img, text = f.seals.get("invoice_seal", owner, raster=doc.mode == "raster", tax_no=tax_no)
            c.stamp(
                x1 - 90 + rng.uniform(-20, 10),
                ty + 10 + rng.uniform(-10, 10),
                112,
                img,
                "invoice_seal",
                normalise_name(owner),
                normalise_name(text),
            )
    doc.fields.update(
        invoice_number=inv["number"],
        issue_date=inv["date"].isoformat(),
        buyer_name=normalise_name(buyer_name),
        buyer_uscc=inv["buyer_uscc"],
        seller_name=normalise_name(inv["seller_name"]),
        seller_uscc=inv["seller_uscc"],
        amount_excl_tax=inv["excl"],
        tax_amount=inv["tax"],
        total_amount=inv["total"],
        total_amount_upper=upper,
        invoice_kind=kind,
    )
    if not sd:
        doc.fields["invoice_code"] = inv["code"]
        if check:
            doc.fields["check_code"] = check


BANK_TITLES = [
    "{bank}网上银行电子回单",
    "{bank}业务回单（付款）",
    "{bank}电子回单",
    "{bank}单位客户专用回单",
    "{bank}转账凭证（回单）",
]


def payment_proof(doc: Doc, f) -> None:
    rng, pay = doc.rng, f.payments[doc.info["index"]]
    bank = pay["payer_bank"]
    c = doc.page()
    W = c.w
    title = rng.choice(BANK_TITLES).format(bank=bank)
    top = rng.choice([40, 60, 90])
    c.text(W / 2, top + 20, title, 15, "title", BLACK, align="c", bold=True)
    serial = "".join(rng.choice("0123456789") for _ in range(rng.choice([16, 20, 22])))
    c.text(60, top + 44, f"回单编号：{serial}", 8.5)
    c.text(W - 60, top + 44, "打印日期：" + cn_date_short(pay["date"]), 8.5, align="r")
    payer, payee = pay["payer"], doc.info.get("payee_name", pay["payee"])
    amt = pay["amount"]
    rows = [
        ["付款人", "户名", payer, "收款人", "户名", payee],
        [None, "账号", pay["payer_account"], None, "账号", pay["payee_account"]],
        [None, "开户行", f"{bank}{f.applicant.place.city}分行", None, "开户行", pay["payee_bank"]],
        ["金额（小写）", None, "CNY " + money(amt), None, None, None],
        ["金额（大写）", None, "人民币" + amount_upper(amt), None, None, None],
        [
            "交易时间",
            None,
            f"{pay['date']:%Y-%m-%d} {rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}:"
            f"{rng.randint(0, 59):02d}",
            None,
            None,
            None,
        ],
        [
            "用途",
            None,
            rng.choice(["技术服务费", "模型服务费", "支付合同款", "API调用费", "货款"]),
            None,
            None,
            None,
        ],
        ["交易流水号", None, "".join(rng.choice("0123456789ABCDEF") for _ in range(18)), None, None, None],
    ]
    # the merged-cell helper merges into the left cell; rebuild the left-label merges explicitly
    y = top + 52
    widths = [40, 50, 170, 40, 50, 125]
    for r, row in enumerate(rows):
        if r < 3:
            cells = [row[0] if r == 0 else "", row[1], row[2], row[3] if r == 0 else "", row[4], row[5]]
            y = c.table(60, y, widths, [cells], 24, 8.5, "body", "cclccl")
        else:
            y = c.table(60, y, [90, 385], [[row[0], row[2]]], 22, 9, "body", "cl")
    c.text(60, y + 18, "本回单仅作为付款凭证，不作为收款方发货依据，请勿重复记账。", 7.5)
    owner = f"{bank}股份有限公司{f.applicant.place.city.rstrip('市')}分行"
    img, text = f.seals.get("bank_seal", owner, raster=doc.mode == "raster")
    c.stamp(W - 140 + rng.uniform(-20, 20), y - 40 + rng.uniform(-20, 10), 100, img, "bank_seal", owner, text)
    payment_truth(doc, pay, payer, payee)


def payment_truth(doc: Doc, pay: dict, payer: str, payee: str) -> None:
    """A receipt's key fields as printed, whatever its layout."""
    doc.fields.update(
        payer_name=normalise_name(payer),
        payee_name=normalise_name(payee),
        amount=pay["amount"],
        payment_date=pay["date"].isoformat(),
        amount_upper=amount_upper(pay["amount"]),
    )


USAGE_TITLES = [
    "模型服务用量结算单",
    "Token用量明细",
    "大模型API调用量结算单",
    "模型服务费用结算单",
    "用量明细及结算单",
]


def usage_statement(doc: Doc, f) -> None:
    rng, u, info = doc.rng, f.usage, doc.info
    report = f.programme == "longgang-model-app-2025" or rng.random() < 0.15
    title = "模型使用报告" if report else rng.choice(USAGE_TITLES)
    fl = Flow(doc, margin=(60, 60, 60, 60), body=10)
    fl.gap(10)
    fl.title(title, 18)
    rows = info.get("rows") or u["rows"]
    p0, p1 = rows[0][0], rows[-1][1]
    for k, v in [
        ("客户名称", f.applicant.name),
        ("服务提供方", f.provider.name),
        ("模型名称", f.provider.model_name),
        ("结算周期", f"{p0:%Y-%m-%d} 至 {p1:%Y-%m-%d}"),
        ("合同编号", f.contract["number"]),
    ]:
        fl.line(f"{k}：{v}")
    if report:
        fl.para(
            f"{f.applicant.name}于{cn_date_short(f.contract['start'])}起调用{f.provider.model_name}开展应用开发，"
            f"主要用于智能客服、文档理解与代码生成等场景。报告期内调用情况如下："
        )
    table = [["序号", "计费月份", "模型", "输入tokens", "输出tokens", "金额（元）"]]
    total = 0.0
    for i, (a, b, amt) in enumerate(rows):
        tin = int(amt * 0.35 / 0.004 * 1000 / 1000) * 1000
        tout = int(amt * 0.65 / 0.016 * 1000 / 1000) * 1000
        period = f"{a:%Y-%m}" if a.day == 1 else f"{a:%m.%d}-{b:%m.%d}"
        table.append([str(i + 1), period, f.provider.model_name, f"{tin:,}", f"{tout:,}", money(amt)])
        total = r2(total + amt)
    total = info.get("total_override", total)
    table.append(["", "合计", None, None, None, money(total)])
    fl.table([36, 80, 110, 85, 85, 79], table, 20, 8.5, "cccrrr")
    fl.line(f"合计金额（大写）：人民币{amount_upper(total)}")
    fl.gap(20)
    fl.need(150)
    fl.line(f"服务提供方（盖章）：{f.provider.name}", x_off=200)
    issued = min(p1, f.app_date) if p1 < f.app_date else f.app_date
    fl.line("日期：" + cn_date_short(issued), x_off=200)
    if "provider_seal" not in info.get("no_seal", ()):
        img, text = f.seals.get("company_seal", f.provider.name, raster=doc.mode == "raster")
        fl.c.stamp(
            fl.left + 300,
            fl.y - 30,
            119,
            img,
            "company_seal",
            normalise_name(f.provider.name),
            normalise_name(text),
        )
    doc.fields.update(
        customer_name=normalise_name(f.applicant.name),
        provider_name=normalise_name(f.provider.name),
        period_start=p0.isoformat(),
        period_end=p1.isoformat(),
        total_amount=total,
        model_name=f.provider.model_name,
        title=title,
    )
