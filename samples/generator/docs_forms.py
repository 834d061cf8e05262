"""Application form, commitment letter, plan, acceptance, filing proofs and fillers."""

from __future__ import annotations

import random
from datetime import timedelta

from PIL import Image

from .canvas import GREY, Doc, Flow
from .docs_contract import _scribble
from .docs_corp import _seal
from .entities import TEST_LABS, person
from .ids import cn_date, cn_date_short, money, normalise_name
from .seals import SealBook


def _sign_and_seal(doc: Doc, fl: Flow, f, label="申报单位（盖章）", sign=True, seal_kind="company_seal",
                   name_seal=False):
    """The signing block. `name_seal`: the legal representative's square name seal stamped at an
    angle against the company seal's left edge, as many applicants do."""
    a, rng = f.applicant, doc.rng
    fl.need(130)
    fl.gap(20)
    fl.line(f"{label}：{a.name}", x_off=150)
    fl.line("法定代表人（签字）：", x_off=150)
    if sign and not doc.info.get("no_signature"):
        _scribble(fl.c, fl.left + 270, fl.y - 8, rng)
    doc.fields["legal_rep_signed"] = bool(sign and not doc.info.get("no_signature"))
    fl.line("日期：" + cn_date_short(f.app_date), x_off=150)
    if seal_kind not in doc.info.get("no_seal", ()):
        cx, cy = fl.left + 250 + rng.uniform(-25, 25), fl.y - 55 + rng.uniform(-10, 10)
        _seal(doc, fl.c, f, seal_kind, doc.info.get("seal_owner", a.name), cx, cy)
        if name_seal:
            # its own stream: the bundle's seal book draws the seals of the documents that follow
            book = SealBook(random.Random(rng.random()))
            img, text = book.get("personal_seal", a.legal_rep, raster=doc.mode == "raster", rotate=False)
            img = img.rotate(rng.choice((-1, 1)) * rng.uniform(8, 18), resample=Image.BICUBIC, expand=True)
            d = 46 * img.width / img.height  # a 16 mm seal, turned
            fl.c.stamp(cx - 59.5 - d / 2 + 6, cy + rng.uniform(-8, 8), d, img, "personal_seal",
                       normalise_name(a.legal_rep), normalise_name(text))


def requested_amount(doc: Doc, f) -> float:
    """What the form asks for: a defect's figure, else the payable subsidy."""
    req = doc.info.get("requested_amount", f.extra.get("requested"))
    if req is None:
        from .scenario import expected_subsidy

        req = expected_subsidy(f)["payable"]
    return req


def application_form(doc: Doc, f) -> None:
    rng, a, p = doc.rng, f.applicant, f.provider
    req = requested_amount(doc, f)
    uscc = doc.info.get("uscc", a.uscc)
    title = f.prog["title"] + rng.choice(["申报表", "项目申请书", "申报书"])
    fl = Flow(doc, body=10.5)
    fl.gap(10)
    for ln in fl.c.wrap_lines(title, fl.width, 16):
        fl.line(ln, 16, "title", bold=True, align="c")
    fl.gap(8)
    rows = [
        ["申报单位名称", a.name],
        ["统一社会信用代码", uscc],
        ["注册地址", a.address],
        ["法定代表人", a.legal_rep],
        ["联系人", f"{a.contact}    电话：{a.phone}"],
        ["申报类型", f.deployment],
        ["模型服务提供方", p.name],
        ["模型名称", p.model_name],
        ["合同编号", f.contract["number"]],
        ["合同金额（元）", money(f.contract["amount"])],
        ["申请支持金额（元）", money(req)],
    ]
    rng.shuffle(rows[5:9])
    fl.table([130, fl.width - 130], rows, 26, 10, "cl", header=False)
    fl.line("项目简介：", bold=True)
    fl.para(
        f"本单位基于{p.model_name}，采用{f.deployment}方式开展“人工智能+”场景应用建设，"
        "覆盖智能客服、知识问答、文档审核等业务环节，显著提升了业务效率和服务质量。"
    )
    fl.line("申报单位声明：", bold=True)
    fl.para("本单位承诺所填报信息及提交的申报材料真实、准确、完整，如有虚假，愿承担相应法律责任。")
    _sign_and_seal(doc, fl, f)
    doc.fields.update(
        applicant_name=normalise_name(a.name),
        uscc=uscc,
        programme_title=title,
        requested_amount=req,
        title=title,
    )


def commitment_letter(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    fl = Flow(doc, body=12, leading=2.0)
    fl.gap(30)
    title = rng.choice(["承诺书", "承 诺 书", "申报材料真实性承诺书", "诚信承诺书"])
    fl.title(title, 20)
    fl.line(f"{f.prog['office']}：", bold=True)
    fl.para(f"本单位自愿申报{f.prog['title']}，现郑重承诺如下：")
    for i, t in enumerate(
        [
            "所提交的申报材料及相关数据真实、准确、完整，不存在弄虚作假、虚报瞒报等情形；",
            "本单位与模型服务提供方不存在关联关系，相关模型服务未转租、转售；",
            "本单位近三年无重大行政处罚记录和刑事犯罪记录，未被列入严重违法失信主体名单；",
            "同一项目未重复申报或多头申报财政资金支持；",
            "如有违反，自愿承担相应法律责任，并退回已获得的财政资金。",
        ],
        1,
    ):
        fl.para(f"{i}. {t}")
    fl.para("特此承诺。")
    _sign_and_seal(doc, fl, f, "承诺单位（盖章）")
    doc.fields.update(company_name=normalise_name(a.name), sign_date=f.app_date.isoformat(), title=title)


def implementation_plan(doc: Doc, f) -> None:
    rng, a, p = doc.rng, f.applicant, f.provider
    fl = Flow(doc, body=10.5)
    scene = rng.choice(["智能客服", "智能文档审核", "企业知识助手", "营销内容生成"])
    name = f"基于{p.model_name}的{scene}应用项目"
    fl.gap(20)
    fl.title(rng.choice(["项目实施方案", "项目建设方案", "项目实施方案（建设方案）"]), 20)
    fl.line(name, 12, align="c")
    fl.line(f"申报单位：{a.name}", 10.5, align="c")
    secs = [
        (
            "项目背景与意义",
            "随着大模型技术的快速发展，企业在客户服务、知识管理和内容生产方面面临降本增效的迫切需求。"
            f"本项目依托{p.name}提供的{p.model_name}，推动“人工智能+”业务转型。",
        ),
        (
            "建设内容",
            f"项目采用{f.deployment}方式接入{p.model_name}，建设统一的大模型应用平台，包括知识库管理、"
            "智能问答、流程编排、效果评估四个子系统，并与现有业务系统完成集成。",
        ),
        (
            "技术方案",
            "平台采用微服务架构，前端基于Web与移动端，后端通过API网关统一管理模型调用，"
            "引入检索增强生成（RAG）技术提升回答准确率，建立敏感信息过滤与审计日志机制。",
        ),
        ("项目团队", f"项目负责人{person(rng)}，团队成员{rng.randint(6, 30)}人，其中研发人员占比超过70%。"),
    ]
    for i, (h, t) in enumerate(secs):
        fl.line(f"{'一二三四五六'[i]}、{h}", 12, "hei", bold=True)
        fl.para(t)
        fl.para(t[: len(t) // 2] + "项目组将按阶段推进，确保建设质量与进度。")
    fl.line("五、实施进度", 12, "hei", bold=True)
    s, e = f.contract["start"], f.contract["end"]
    mid = s + (e - s) / 2
    fl.table(
        [150, 200, 100],
        [
            ["阶段", "时间", "里程碑"],
            ["需求调研与方案设计", f"{s:%Y.%m}-{s:%Y.%m}", "方案评审"],
            ["开发与集成", f"{s:%Y.%m}-{mid:%Y.%m}", "系统上线"],
            ["试运行与验收", f"{mid:%Y.%m}-{e:%Y.%m}", "项目验收"],
        ],
        22,
        9.5,
        "ccc",
    )
    fl.line("六、预期成效", 12, "hei", bold=True)
    fl.para(
        f"项目实施后，预计客服响应效率提升{rng.randint(30, 70)}%，人工成本降低{rng.randint(15, 40)}%，"
        f"年新增营收约{rng.randint(100, 900)}万元。"
    )
    if rng.random() < 0.6:
        _sign_and_seal(doc, fl, f, "编制单位（盖章）", sign=False)
    doc.fields.update(company_name=normalise_name(a.name), project_name=name)


def acceptance_report(doc: Doc, f) -> None:
    rng, a, p = doc.rng, f.applicant, f.provider
    day = doc.info.get("acceptance_date") or f.acceptance_date or f.contract["end"]
    fl = Flow(doc, body=10.5)
    fl.gap(20)
    title = rng.choice(["项目终验报告", "项目验收证明", "交付验收单", "终验报告"])
    fl.title(title, 20)
    rows = [
        ["项目名称", f"{p.model_name}{f.deployment}项目"],
        ["合同编号", f.contract["number"]],
        ["甲方（需求方）", a.name],
        ["乙方（服务方）", p.name],
        ["交付内容", f"{p.model_name}模型服务（{f.deployment}）、应用适配及运维服务"],
        ["交付/部署地点", a.address],
        ["验收日期", cn_date(day)],
        ["验收结论", "经双方共同测试，系统功能、性能及安全指标均满足合同约定，验收合格。"],
    ]
    fl.table([120, fl.width - 120], rows, 30, 10, "cl", header=False)
    fl.gap(20)
    c, y = fl.c, fl.y + 10
    for i, (lab, comp) in enumerate([("甲方（盖章）", a), ("乙方（盖章）", p)]):
        x = fl.left + i * 240
        c.text(x, y, f"{lab}：", 10.5)
        c.text(x, y + 20, comp.name, 9.5)
        c.text(x, y + 60, "日期：" + cn_date_short(day), 10.5)
        _seal(doc, c, f, "company_seal", comp.name, x + 90 + rng.uniform(-15, 15), y + 30)
    doc.fields.update(
        customer_name=normalise_name(a.name),
        provider_name=normalise_name(p.name),
        acceptance_date=day.isoformat(),
        title=title,
    )


def cac_filing(doc: Doc, f) -> None:
    rng, p, info = doc.rng, f.provider, doc.info
    model = info.get("model_name", p.model_name)
    number = info.get("filing_number", p.filing_number)
    style = info.get("style") or rng.choice(["list", "list", "letter", "algo"])
    fl = Flow(doc, margin=(40, 50, 40, 50), body=9)
    if style == "letter":
        fl.gap(40)
        fl.title(f"关于{model}完成生成式人工智能服务备案的说明", 15)
        fl.line(f"致：{f.applicant.name}", 11)
        fl.para(
            f"我公司{p.name}研发的“{model}”已按照《生成式人工智能服务管理暂行办法》完成生成式人工智能服务备案，"
            f"备案编号：{number}，备案时间：{cn_date(p.filing_date)}。",
            11,
        )
        fl.para("特此说明。", 11)
        fl.gap(40)
        fl.line(p.name, 11, x_off=260)
        fl.line(cn_date(f.contract["sign_date"]), 11, x_off=260)
        _seal(doc, fl.c, f, "company_seal", p.name, fl.left + 320, fl.y - 30)
    else:
        when = f.app_date - timedelta(days=rng.randint(1, 30))
        fl.line(
            f"{when:%Y/%m/%d} {rng.randint(9, 17)}:{rng.randint(10, 59)}    "
            f"{'生成式人工智能服务已备案信息' if style == 'list' else '境内互联网信息服务算法备案清单'}"
            "_中共中央网络安全和信息化委员会办公室",
            7.5,
            color=GREY,
        )
        fl.gap(10)
        fl.title("中国网信网", 16, bold=True)
        title = "生成式人工智能服务已备案信息" if style == "list" else "境内深度合成服务算法备案清单"
        fl.title(title, 14)
        rows = [["序号", "属地", "模型名称" if style == "list" else "算法名称", "备案单位", "备案编号"]]
        others = [
            ("北京市", "灵枢大模型", "北京灵枢科技有限公司", "Beijing-LingShu"),
            ("上海市", "海纳大模型", "上海海纳智能科技有限公司", "Shanghai-HaiNa"),
            ("广东省", "南风大模型", "广州南风信息技术有限公司", "Guangdong-NanFeng"),
            ("浙江省", "钱塘大模型", "杭州钱塘数智有限公司", "Zhejiang-QianTang"),
            ("江苏省", "紫金大模型", "南京紫金智能科技有限公司", "Jiangsu-ZiJin"),
            ("四川省", "蜀锦大模型", "成都蜀锦科技有限公司", "Sichuan-ShuJin"),
        ]
        entries = []
        for pr, m, n, pre in rng.sample(others, 5):
            d = f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            no = f"{pre}-{d}" + (f"{rng.randint(1, 60):04d}" if rng.random() < 0.5 else "")
            entries.append(
                (
                    pr,
                    m,
                    n,
                    no if style == "list" else "网信算备" + str(rng.randint(10**20, 10**21 - 1)) + "号",
                )
            )
        mine_no = number if style == "list" else p.extra["algo_filing"]
        entries.insert(rng.randint(0, 5), (p.extra["province_cn"], model, p.name, mine_no))
        for i, (pr, m, n, no) in enumerate(entries, 1):
            rows.append([str(i), pr, m, n, no if style == "list" else no[:26]])
        fl.table([30, 60, 110, 175, 140], rows, 30, 8, "cccll")
        fl.line(
            f"https://www.cac.gov.cn/{when:%Y-%m/%d}/c_17{rng.randint(10**9, 10**10 - 1)}.htm",
            7.5,
            color=GREY,
        )
        number = mine_no
    doc.fields.update(
        provider_name=normalise_name(p.name),
        model_name=model,
        filing_number=number,
        filing_kind="algorithm" if style == "algo" else "generative_ai",
    )


def security_assessment(doc: Doc, f) -> None:
    rng, p = doc.rng, f.provider
    lab = rng.choice(TEST_LABS)
    no = f"{rng.randint(44030000000, 44039999999)}-{rng.randint(20001, 25999)}-{rng.randint(1, 99):02d}-0001"
    fl = Flow(doc, body=11)
    fl.line(f"报告编号：{no}", 9.5, align="r")
    fl.gap(80)
    fl.title("网络安全等级保护", 24)
    fl.title(f"{p.model_name}服务平台等级测评报告", 18)
    fl.gap(120)
    for k, v in [
        ("被测单位", p.name),
        ("测评单位", lab),
        ("安全保护等级", "第三级"),
        ("报告时间", cn_date(f.contract["sign_date"] - timedelta(days=rng.randint(30, 300)))),
    ]:
        fl.line(f"{k}：{v}", 12, x_off=90)
    _seal(doc, fl.c, f, "company_seal", lab, fl.left + 330, fl.y - 40)
    fl.new_page()
    fl.title("等级测评结论", 16)
    score = round(rng.uniform(76, 94), 2)
    fl.table(
        [140, fl.width - 140],
        [
            ["被测对象", f"{p.model_name}服务平台"],
            ["安全保护等级", "第三级（S3A3）"],
            ["综合得分", str(score)],
            ["测评结论", "良" if score < 90 else "优"],
        ],
        28,
        10,
        "cl",
        header=False,
    )
    fl.para("依据GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》，本次测评未发现高风险问题。")
    doc.fields.update(
        provider_name=normalise_name(p.name),
        model_name=p.model_name,
        level="第三级",
        report_number=no,
        lab=normalise_name(lab),
    )


def other(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    fl = Flow(doc, body=11)
    if doc.info.get("style", rng.choice(["toc", "brochure"])) == "toc":
        fl.gap(30)
        fl.title(rng.choice(["申报材料目录", "目  录", "材料清单"]), 18)
        items = doc.info.get("toc") or ["申报表", "营业执照", "承诺书", "合同", "发票", "付款凭证"]
        rows = [["序号", "材料名称", "页码"]] + [[str(i), t, str(i * 2 - 1)] for i, t in enumerate(items, 1)]
        fl.table([60, 300, 90], rows, 26, 10.5, "clc")
        kind = "toc"
    else:
        fl.title(f"{a.name}", 16)
        fl.title("公司简介", 14)
        fl.c.rect(fl.left, fl.y, fl.left + fl.width, fl.y + 120, 0, None, (0.85, 0.9, 0.97))
        fl.gap(135)
        fl.para(
            f"{a.name}成立于{a.established.year}年，注册资本{a.capital_wan}万元，是一家专注于人工智能应用研发的"
            "高新技术企业。公司拥有多项软件著作权与发明专利，服务客户覆盖金融、制造、教育、医疗等行业。"
        )
        fl.para("公司秉承“技术驱动、客户至上”的理念，致力于以大模型技术赋能千行百业。")
        kind = "brochure"
    doc.fields.update(kind=kind, company_name=normalise_name(a.name))
