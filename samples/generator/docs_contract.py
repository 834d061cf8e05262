"""Contracts / agreements / purchase orders between applicant (甲方) and provider (乙方), or swapped."""

from __future__ import annotations

import math

from .canvas import BLACK, Canvas, Doc, Flow
from .ids import amount_upper, cn_date_short, money, normalise_name, r2
from .seals import slices

PARTY_LABELS = [
    ("甲方", "乙方"),
    ("甲方（需求方）", "乙方（服务方）"),
    ("需求方", "服务方"),
    ("甲方（委托方）", "乙方（受托方）"),
    ("甲方（采购方）", "乙方（供应商）"),
]
# second families (families.py): (applicant's label, provider's label)
ALT_LABELS = {
    "provider_first": [  # the provider drafts the contract and names itself 甲方
        ("乙方", "甲方"),
        ("乙方（委托方）", "甲方（受托方）"),
        ("乙方（用户方）", "甲方（服务方）"),
        ("乙方（采购方）", "甲方（供应方）"),
    ],
    "role_words": [("委托方", "受托方"), ("用户", "服务方")],  # no 甲方/乙方 at all
}
TITLES = {
    "tech": ["技术服务合同", "人工智能技术服务合同", "大模型技术服务合同"],
    "model": ["模型服务合同", "大模型服务合同", "{model}服务合同", "大模型应用服务协议"],
    "api": ["API调用服务协议", "大模型API接口调用服务协议", "模型API服务协议"],
    "po": ["采购订单", "模型服务采购订单"],
    "private": ["大模型私有化部署合同", "大模型私有化部署及技术服务合同"],
}


def _clauses(f, la: str, lb: str, rng) -> list[tuple[str, list[str]]]:
    c, p, a = f.contract, f.provider, f.applicant
    amt, up = c["amount"], amount_upper(c["amount"])
    dep = f.deployment
    how = {
        "API调用": f"{lb}通过API接口方式向{la}提供“{p.model_name}”调用服务，{la}按实际调用的token用量结算",
        "云化部署": f"{lb}在其云平台为{la}部署“{p.model_name}”专属实例（云化部署），提供推理、微调及运维服务",
        "私有化部署": f"{lb}将“{p.model_name}”私有化部署至{la}指定的服务器环境，"
        "并提供安装、调优、培训及运维服务",
    }[dep]
    price = rng.choice(["0.004", "0.008", "0.012"])
    s1 = [
        f"1.1 {how}。",
        f"1.2 模型调用方式：{dep}。模型名称：{p.model_name}。",
        f"1.3 服务内容包括但不限于：模型接入、应用场景适配、提示词工程、知识库构建与{la}业务系统集成等。",
    ]
    if dep == "API调用":
        s1.append(
            f"1.4 计费标准：输入 {price} 元/千tokens，输出按{lb}官网公布价格执行，"
            "月度结算，双方另有约定的除外。"
        )
    s2 = [
        f"本合同服务期限自{cn_date_short(c['start'])}起至{cn_date_short(c['end'])}止。"
        f"服务期满前三十日内，双方可协商续签。"
    ]
    s3 = [
        f"3.1 本合同总金额为人民币{money(amt)}元（大写：人民币{up}），含增值税（税率6%）。",
        f"3.2 付款方式：{la}在收到{lb}开具的合法有效增值税发票后十五个工作日内，"
        f"以银行转账方式支付至{lb}指定账户。",
        f"3.3 {lb}收款账户：开户行 {p.bank}；账号 {p.bank_account}。",
    ]
    if c["kind"] == "private":
        s3.insert(1, "3.1.1 费用明细见下表（人力、算力、数据、模型、其他软件、硬件分项列示）。")
    s4 = [
        f"4.1 {lb}应按约定完成模型部署与服务交付，{la}应在收到交付通知后十个工作日内组织验收。",
        "4.2 验收合格的，双方签署验收证明；验收不合格的，" + lb + "应在十个工作日内整改并重新提交验收。",
    ]
    s5 = [
        f"5.1 {la}应按约定支付费用，并对其输入数据的合法性负责。",
        f"5.2 {lb}应保证所提供的模型服务已依法完成生成式人工智能服务备案，并保障服务的稳定性与安全性，"
        "服务可用性不低于99.5%。",
        f"5.3 {lb}不得将{la}的业务数据用于模型训练或向任何第三方提供。",
    ]
    s6 = [
        "双方对在合作过程中知悉的对方商业秘密、技术信息及个人信息负有保密义务，保密期限自本合同签订之日起至"
        "相关信息公开之日止，不因本合同终止而失效。"
    ]
    s7 = [
        "任何一方违反本合同约定的，应承担违约责任，赔偿因此给对方造成的直接损失。",
        f"{la}逾期付款的，每逾期一日按应付未付金额的万分之三向{lb}支付违约金。",
    ]
    s8 = [
        f"因本合同引起的争议，双方应友好协商解决；协商不成的，任何一方均可向{a.place.city.rstrip('市')}"
        "有管辖权的人民法院提起诉讼。"
    ]
    s9 = [
        "本合同一式肆份，双方各执贰份，具有同等法律效力，自双方签字盖章之日起生效。",
        "本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。",
    ]
    heads = [
        "服务内容",
        "服务期限",
        "合同金额及支付方式",
        "交付与验收",
        "双方权利义务",
        "保密条款",
        "违约责任",
        "争议解决",
        "其他",
    ]
    out = list(zip(heads, [s1, s2, s3, s4, s5, s6, s7, s8, s9], strict=True))
    for head, paras in rng.sample(EXTRA, rng.randint(0, len(EXTRA))):  # longer contracts: 3-4 pages
        out.insert(len(out) - 3, (head, [p.format(la=la, lb=lb) for p in paras]))
    return out


EXTRA = [
    (
        "知识产权",
        [
            "{lb}提供的模型及相关软件的知识产权归{lb}所有；{la}基于本合同服务生成的内容，其权利归{la}所有。",
            "任何一方不得对对方的技术资料进行反向工程、反编译或反汇编。",
        ],
    ),
    (
        "数据安全与个人信息保护",
        [
            "双方应遵守《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》等法律法规，"
            "采取必要的技术和管理措施保障数据安全。",
            "{lb}仅可为履行本合同之目的处理{la}提供的数据，合同终止后三十日内删除或返还相关数据。",
        ],
    ),
    (
        "不可抗力",
        [
            "因地震、台风、战争、政府行为等不能预见、不能避免且不能克服的客观情况导致不能履行合同的，"
            "受影响一方应及时通知对方，并在合理期限内提供证明，双方可据此部分或全部免除责任。"
        ],
    ),
    (
        "通知与送达",
        [
            "本合同项下的通知应以书面形式送达对方首页所列地址或电子邮箱，送达之日视为通知到达之日。",
            "一方联系方式变更的，应在变更后三个工作日内书面通知对方。",
        ],
    ),
    (
        "服务等级",
        [
            "{lb}承诺模型服务月可用性不低于99.5%，接口平均响应时间不超过3秒；"
            "未达到服务等级的，按当月服务费的5%至20%向{la}提供服务抵扣。"
        ],
    ),
]


def _breakdown(amount: float, rng) -> list[tuple[str, float]]:
    names = ["人力", "算力", "数据", "模型", "其他软件", "硬件"]
    w = [rng.uniform(0.5, 1.5) for _ in names]
    w[-1] = 0 if rng.random() < 0.5 else w[-1]
    parts = [r2(amount * x / sum(w)) for x in w[:-1]]
    return list(zip(names, [*parts, r2(amount - sum(parts))], strict=True))


def _scribble(c: Canvas, x: float, y: float, rng, w: float = 70):
    """A hand signature: a wavy polyline in dark ink."""
    pts, n = [], 24
    for i in range(n):
        t = i / (n - 1)
        pts.append(
            (
                x + t * w + rng.uniform(-2, 2),
                y - 8 * math.sin(t * math.pi * rng.uniform(2.5, 4.5)) - rng.uniform(0, 5),
            )
        )
    c.page.draw_polyline(pts, color=(0.08, 0.08, 0.25), width=rng.uniform(0.9, 1.5))


def sign_block(
    doc: Doc, fl: Flow, f, la: str, lb: str, a_name: str, b_name: str, when, rng, swap: bool = False
):
    """Signature/seal area for both parties; seals overlap the name lines as stamped by hand.
    la/a_name are the applicant's, lb/b_name the provider's; swap puts the provider first (left)."""
    info = doc.info
    fl.need(190)
    c, y0 = fl.c, fl.y + 10
    sides = [(la, a_name, f.applicant), (lb, b_name, f.provider)]
    for i, (lab, name, comp) in enumerate(sides[::-1] if swap else sides):
        x = fl.left if i == 0 else fl.left + fl.width / 2 + 10
        applicant = comp is f.applicant
        c.text(x, y0 + 14, f"{lab}（盖章）：", 10.5)
        for k, ln in enumerate(c.wrap_lines(name, fl.width / 2 - 20, 10.5)):
            c.text(x, y0 + 34 + k * 16, ln, 10.5)
        c.text(x, y0 + 80, "法定代表人或授权代表（签字）：", 10)
        if not (info.get("no_signature") and applicant):
            _scribble(c, x + 40, y0 + 108, rng)
        # party_a/party_b are the first/second party as printed
        doc.fields["party_a_signed" if i == 0 else "party_b_signed"] = not (
            info.get("no_signature") and applicant
        )
        c.text(x, y0 + 134, "日期：" + cn_date_short(when), 10.5)
        c.text(x, y0 + 154, f"地址：{comp.place.city}{comp.place.district}", 9)
        owner = comp.name if applicant else info.get("seal_owner_b", comp.name)
        kind = info.get("seal_kind", "contract_seal")
        if kind not in info.get("no_seal", ()) and (applicant or not info.get("no_seal_provider")):
            img, text = f.seals.get(kind, owner, raster=doc.mode == "raster")
            c.stamp(
                x + 70 + rng.uniform(-15, 15),
                y0 + 60 + rng.uniform(-15, 15),
                119,
                img,
                kind,
                normalise_name(owner),
                normalise_name(text),
            )
    fl.y = y0 + 170


def contract(doc: Doc, f) -> None:
    rng, c, info = doc.rng, f.contract, doc.info
    layout = info.get("layout", "applicant_first")
    # la is the applicant's (customer's) label, lb the provider's, whichever is printed first
    la, lb = rng.choice(PARTY_LABELS if layout == "applicant_first" else ALT_LABELS[layout])
    swap = layout == "provider_first"
    title = rng.choice(TITLES[c["kind"]]).format(model=f.provider.model_name)
    a_name = f.applicant.name
    b_name = info.get("party_b_name", f.provider.name)
    fl = Flow(doc, body=rng.choice([10.5, 10.5, 11]), leading=rng.choice([1.7, 1.8, 1.9]))
    if rng.random() < 0.7:
        fl.line(f"合同编号：{c['number']}", 9.5, align="r")
    fl.gap(rng.choice([6, 30, 60]))
    fl.title(title, rng.choice([18, 20, 22]), spacing=rng.choice([0, 2, 6]))
    parties = [(la, f.applicant, a_name), (lb, f.provider, b_name)]
    printed = parties[::-1] if swap else parties
    for lab, comp, name in printed:
        fl.line(f"{lab}：{name}", bold=True)
        fl.line(f"统一社会信用代码：{comp.uscc}", x_off=24)
        fl.line(f"住所：{comp.address}", x_off=24)
        fl.line(f"法定代表人：{comp.legal_rep}    联系电话：{comp.phone}", x_off=24)
        fl.gap(4)
    fl.para(
        f"{printed[0][0]}、{printed[1][0]}双方本着平等自愿、诚实信用、互惠互利的原则，根据《中华人民共和国民法典》及相关法律法规的规定，"
        f"经友好协商，就{la}使用{lb}“{f.provider.model_name}”模型服务事宜，达成如下协议，以资共同遵守："
    )
    cn_num = [*"一二三四五六七八九十", *("十" + d for d in "一二三四五六七八九")]
    for i, (head, paras) in enumerate(_clauses(f, la, lb, rng)):
        fl.gap(4)
        fl.line(f"第{cn_num[i]}条  {head}", bold=True, role="hei")
        for ptxt in paras:
            fl.para(ptxt)
        if head.startswith("服务内容") and c["kind"] == "po":
            qty = rng.choice([1, 12, 100])
            rows = [
                ["序号", "产品/服务名称", "规格", "数量", "单价（元）", "金额（元）"],
                [
                    "1",
                    f"{f.provider.model_name}{f.deployment}服务",
                    rng.choice(["标准版", "企业版", "专业版"]),
                    str(qty),
                    money(c["amount"] / qty),
                    money(c["amount"]),
                ],
                ["", "合计（含税）", None, None, None, money(c["amount"])],
            ]
            fl.table([36, 150, 60, 40, 80, 85], rows, 22, 9, "clccrr")
        if head.startswith("合同金额") and c["kind"] == "private":
            rows = [["序号", "费用项目", "金额（元）"]] + [
                [str(k + 1), n, money(v)] for k, (n, v) in enumerate(_breakdown(c["amount"], rng))
            ]
            rows.append(["", "合计", money(c["amount"])])
            fl.table([50, 200, 160], rows, 20, 9.5, "ccr")
    fl.para("（以下无正文，为签署页）", indent=False)
    sign_block(doc, fl, f, la, lb, a_name, b_name, c["sign_date"], rng, swap)
    _finish(doc, f, fl)
    doc.fields.update(
        party_a=normalise_name(printed[0][2]),
        party_b=normalise_name(printed[1][2]),
        contract_amount=c["amount"],
        sign_date=c["sign_date"].isoformat(),
        service_start=c["start"].isoformat(),
        service_end=c["end"].isoformat(),
        model_name=f.provider.model_name,
        deployment_mode=f.deployment,
        contract_number=c["number"],
        title=title,
        amount_upper=amount_upper(c["amount"]),
    )
    if layout != "applicant_first":
        doc.fields["applicant_party"] = "party_b" if swap else "party_a"


def _finish(doc: Doc, f, fl: Flow) -> None:
    info, rng = doc.info, doc.rng
    n = len(fl.pages)
    if info.get("page_numbers"):
        fmt = rng.choice(["第 {n} 页 共 {t} 页", "第{n}页/共{t}页", "- {n} -"])
        for i, pc in enumerate(fl.pages):
            pc.footer_page_no(i + 1, n, fmt)
    if info.get("paging_seal") and "paging_seal" not in info.get("no_seal", ()) and n > 1:
        owner = f.applicant.name
        img, text = f.seals.get("contract_seal", owner, raster=doc.mode == "raster")
        size = 119.0
        cy = rng.uniform(320, 560)
        for i, (pc, sl) in enumerate(zip(fl.pages, slices(img, n), strict=True)):
            w = size * sl.width / img.width
            rect = (pc.w - w, cy - size / 2, pc.w, cy + size / 2)
            pc.pil_image(rect, sl)
            doc.seals.append(
                {
                    "page": i,
                    "kind": "paging_seal",
                    "owner": normalise_name(owner),
                    "text": normalise_name(text),
                    "bbox": [round(v, 1) for v in rect],
                }
            )
    doc.info["n_pages"] = n
    _ = BLACK
