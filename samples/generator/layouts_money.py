"""Second layout families of bank receipts (families.py): party blocks labelled down the side, and
plain label lines. Same facts and truth fields as docs_money.payment_proof."""

from __future__ import annotations

from .canvas import BLACK, GREY, Canvas, Doc
from .docs_money import BANK_TITLES, payment_truth
from .ids import amount_upper, cn_date, cn_date_short, money

PURPOSES = ["技术服务费", "模型服务费", "支付合同款", "API调用费", "服务费"]


def _head(doc: Doc, f, pay) -> tuple[Canvas, float, str]:
    rng, bank = doc.rng, pay["payer_bank"]
    c = doc.page()
    top = rng.choice([50, 70, 100])
    c.text(c.w / 2, top, rng.choice(BANK_TITLES).format(bank=bank), 15, "title", BLACK, align="c", bold=True)
    serial = "".join(rng.choice("0123456789") for _ in range(rng.choice([16, 20])))
    c.text(60, top + 26, f"{rng.choice(['电子回单号码', '回单编号', '凭证号'])}：{serial}", 8.5)
    c.text(c.w - 60, top + 26, "打印日期：" + cn_date_short(pay["date"]), 8.5, align="r")
    return c, top + 36, bank


def _finish(doc: Doc, f, c: Canvas, pay, payer: str, payee: str, y: float) -> None:
    rng, bank = doc.rng, pay["payer_bank"]
    c.text(
        60,
        y + 18,
        rng.choice(["本回单可通过网上银行验证真伪。", "重复打印无效，请注意核对。"]),
        7.5,
        "body",
        GREY,
    )
    owner = f"{bank}股份有限公司{f.applicant.place.city.rstrip('市')}分行"
    img, text = f.seals.get("bank_seal", owner, raster=doc.mode == "raster")
    c.stamp(
        c.w - 150 + rng.uniform(-20, 20), y - 30 + rng.uniform(-15, 10), 100, img, "bank_seal", owner, text
    )
    payment_truth(doc, pay, payer, payee)


def _side_block(
    c: Canvas, x: float, y: float, word: str, rows: list[tuple[str, str]], aligned: bool
) -> float:
    """One party block: 付/款/人 one character a line in a narrow column spanning the three rows."""
    side, lab, val, rh = 22, 62, c.w - 120 - 84, 22
    h = rh * len(rows)
    c.rect(x, y, x + side + lab + val, y + h, 0.6)
    c.line(x + side, y, x + side, y + h, 0.6)
    c.line(x + side + lab, y, x + side + lab, y + h, 0.6)
    # one character per row, or packed around the middle of the span (another bank's template)
    step = rh if aligned else 13
    first = y + h / 2 - step * (len(word) - 1) / 2
    for k, ch in enumerate(word):
        c.text(x + side / 2, first + k * step + 3.5, ch, 10, "hei", align="c")
    for r, (k, v) in enumerate(rows):
        if r:
            c.line(x + side, y + r * rh, x + side + lab + val, y + r * rh, 0.6)
        c.text(x + side + lab / 2, y + r * rh + 15, k, 9, "hei", align="c")
        c.text(x + side + lab + 5, y + r * rh + 15, v, 9 if len(v) < 24 else 8)
    return y + h


def side_labelled_receipt(doc: Doc, f) -> None:
    rng, pay = doc.rng, f.payments[doc.info["index"]]
    payer, payee = pay["payer"], doc.info.get("payee_name", pay["payee"])
    c, y, bank = _head(doc, f, pay)
    aligned = rng.random() < 0.5
    bank_label = rng.choice(["开户银行", "开户行"])
    y = _side_block(
        c,
        60,
        y,
        "付款人",
        [
            ("户名", payer),
            ("账号", pay["payer_account"]),
            (bank_label, f"{bank}{f.applicant.place.city}分行"),
        ],
        aligned,
    )
    y = _side_block(
        c,
        60,
        y,
        "收款人",
        [("户名", payee), ("账号", pay["payee_account"]), (bank_label, pay["payee_bank"])],
        aligned,
    )
    amt = pay["amount"]
    rows = [
        ["金额", f"人民币（大写）{amount_upper(amt)}    ¥{money(amt)}"],
        ["交易日期", cn_date(pay["date"]) + f"  {rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}"],
        [rng.choice(["用途", "摘要"]), rng.choice(PURPOSES)],
        ["交易流水号", "".join(rng.choice("0123456789") for _ in range(20))],
    ]
    y = c.table(60, y, [84, c.w - 120 - 84], rows, 22, 9, "body", "cl")
    _finish(doc, f, c, pay, payer, payee, y)


def plain_line_receipt(doc: Doc, f) -> None:
    rng, pay = doc.rng, f.payments[doc.info["index"]]
    payer, payee = pay["payer"], doc.info.get("payee_name", pay["payee"])
    c, y, bank = _head(doc, f, pay)
    c.line(60, y, c.w - 60, y, 0.8)
    amt = pay["amount"]
    lines = [
        f"付款人名称：{payer}  付款人账号：{pay['payer_account']}",
        f"付款人开户行：{bank}{f.applicant.place.city}分行",
        f"收款人名称：{payee}  收款人账号：{pay['payee_account']}",
        f"收款人开户行：{pay['payee_bank']}",
        f"交易金额：¥{money(amt)}  金额大写：人民币{amount_upper(amt)}",
        f"交易日期：{pay['date']:%Y-%m-%d}  交易时间：{rng.randint(9, 17):02d}:{rng.randint(0, 59):02d}:"
        f"{rng.randint(0, 59):02d}",
        f"用途：{rng.choice(PURPOSES)}  币种：人民币",
    ]
    y += 24
    for ln in lines:
        c.text(60, y, ln, 9.5 if len(ln) < 44 else 8.5)
        y += 24
    c.line(60, y - 10, c.w - 60, y - 10, 0.8)
    _finish(doc, f, c, pay, payer, payee, y)
