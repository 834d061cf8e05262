"""Second layout family of the application form (families.py): a two-page 申请书 with a cover page
(large title over two or three lines, applicant lines, issuing office) and a numbered body page."""

from __future__ import annotations

import re

from .canvas import GREY, Doc, Flow
from .docs_forms import _sign_and_seal, requested_amount
from .ids import cn_date, money, normalise_name

FORM_WORDS = ["申报书", "项目申请书", "申请书", "申报表"]
SCENES = ["智能客服", "知识问答", "文档审核", "营销内容生成", "代码辅助"]
TRADES = {
    "64": "互联网和相关服务",
    "65": "软件和信息技术服务业",
    "34": "通用设备制造业",
    "14": "食品制造业",
    "18": "纺织服装、服饰业",
    "30": "非金属矿物制品业",
}


# a title breaks between these, never inside a quoted or bracketed phrase or a year
TITLE_TOKENS = re.compile(r"“[^”]*”|（[^）]*）|\d+年|——|.")


def _title_lines(c, title: str, word: str, size: float, width: float) -> list[str]:
    """Break a long title as a typesetter would: at the dash, never inside a phrase, and the form
    word kept whole on the last line rather than a lone 书 left over."""
    head, dash, tail = title.partition("——")
    lines = []
    for part in [head, dash + tail] if dash else [title]:
        body, rows = part.removesuffix(word), [[]]
        for tok in TITLE_TOKENS.findall(body):
            if rows[-1] and c.width("".join(rows[-1]) + tok, size, "title") > width:
                rows.append([])
            rows[-1].append(tok)
        while len(rows) > 1 and len("".join(rows[-1])) < 3 and len(rows[-2]) > 1:  # no lone 划
            rows[-1].insert(0, rows[-2].pop())
        wrapped = ["".join(r) for r in rows if r]
        if body != part:  # the part ends in the form word
            if wrapped and c.width(wrapped[-1] + word, size, "title") <= width:
                wrapped[-1] += word
            else:
                wrapped.append(word)
        lines += wrapped
    return lines


def cover_form(doc: Doc, f) -> None:
    rng, a, p = doc.rng, f.applicant, f.provider
    req = requested_amount(doc, f)
    uscc = doc.info.get("uscc", a.uscc)
    scene = rng.choice(SCENES)
    word = rng.choice(FORM_WORDS)
    if f.prog["title"].endswith("项目"):  # …“模型券”项目 + 项目申请书: one 项目
        word = word.removeprefix("项目")
    if rng.random() < 0.4:  # 专项资金——<project>项目申请书
        word = word if "项目" in word else "项目" + word
        title = f"{f.prog['title']}——{p.model_name}{scene}应用{word}"
    else:
        title = f.prog["title"] + word
    project = f"基于{p.model_name}的{scene}应用项目"
    # page 1: the cover
    c = doc.page()
    if rng.random() < 0.5:
        c.text(60, 60, rng.choice(["附件1", "附件2", "编号：__________"]), 10.5)
    size, width, y = rng.choice([22, 24, 26]), rng.choice([280, 320, 360]), rng.choice([180, 200, 230])
    lines = _title_lines(c, title, word, size, width)
    while len(lines) > 3:  # a cover title takes two or three lines
        size, width = size - 2, width + 40
        lines = _title_lines(c, title, word, size, width)
    for ln in lines:
        c.text(c.w / 2, y, ln, size, "title", align="c", bold=True)
        y += size * 1.6
    x, y = rng.choice([110, 130]), max(y + 120, 470)
    for k, v in [
        ("申报单位（盖章）", a.name),
        ("统一社会信用代码", uscc),
        ("法定代表人", a.legal_rep),
        ("申报日期", cn_date(f.app_date)),
    ]:
        r = c.text(x, y, f"{k}：", 13, "body")
        c.text(r.x1 + 4, y, v, 13 if len(v) < 20 else 11.5)
        c.line(r.x1, y + 4, c.w - x, y + 4, 0.5)
        y += 40
    c.text(c.w / 2, 730, f"{f.prog['office']}　制", 14, "body", align="c")
    c.text(c.w / 2, c.h - 40, "- 1 -", 10, "body", GREY, align="c")
    # page 2: numbered sections, a label | value table, the undertaking and the signatures
    fl = Flow(doc, body=10.5)
    fl.line("一、申报单位基本情况", 14, "hei", bold=True)
    fl.gap(4)
    trade = TRADES.get(a.industry_code[:2], "信息传输、软件和信息技术服务业")
    rows = [
        ["单位名称", a.name],
        ["统一社会信用代码", uscc],
        ["注册地址", a.address],
        ["法定代表人", a.legal_rep],
        ["所属行业(国民经济行业代码)", f"{trade}（{a.industry_code}）"],
        ["开户银行", f"{a.bank}{a.place.city}分行"],
        ["银行账号", a.bank_account],
        ["项目名称", project],
        ["模型服务机构", p.name],
        ["模型调用方式", f.deployment],
        ["合同金额（元）", money(f.contract["amount"])],
        ["申请资助金额（元）", money(req)],
    ]
    fl.table([150, fl.width - 150], rows, 28, 10, "cl", header=False)
    fl.gap(8)
    fl.line("二、申报单位承诺", 14, "hei", bold=True)
    fl.para(
        "本单位承诺所提交的申报材料真实、准确、完整，申报项目不存在重复申报财政资金支持的情形，"
        "如有不实，愿意承担相应的法律责任。"
    )
    _sign_and_seal(doc, fl, f, name_seal=True)
    for i, pc in enumerate(fl.pages, 2):
        pc.text(pc.w / 2, pc.h - 40, f"- {i} -", 10, "body", GREY, align="c")
    doc.fields.update(
        applicant_name=normalise_name(a.name),
        uscc=uscc,
        programme_title=title,
        requested_amount=req,
        title=title,
    )
