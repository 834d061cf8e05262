"""Credit report, audit report, statistics report, employment proof, bank account form."""

from __future__ import annotations

import random
from datetime import timedelta

from .canvas import GREY, Doc, Flow
from .docs_contract import _scribble
from .docs_corp import _seal
from .entities import AUDIT_FIRMS, person
from .ids import cn_date, cn_date_short, money, normalise_name


def credit_report(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    day = f.app_date - timedelta(days=rng.randint(1, 20))
    fl = Flow(doc, margin=(56, 60, 56, 60), body=10)
    fl.line("深圳信用网  www.szcredit.org.cn", 8.5, color=GREY)
    fl.title(rng.choice(["信用报告", "企业信用报告（完整版）", "深圳市法人和其他组织信用报告"]), 20)
    fl.line(f"报告编号：XY{day:%Y%m%d}{rng.randint(100000, 999999)}", 9)
    fl.line(f"查询时间：{day:%Y年%m月%d日} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}", 9)
    fl.gap(6)
    fl.line("一、登记注册信息", 12, "hei", bold=True)
    rows = [
        ["企业名称", a.name],
        ["统一社会信用代码", a.uscc],
        ["法定代表人", a.legal_rep],
        ["成立日期", cn_date(a.established)],
        ["企业类型", a.kind],
        ["登记机关", a.place.registrar],
        ["登记状态", "存续（在营、开业、在册）"],
        ["住所", a.address],
    ]
    fl.table([130, fl.width - 130], rows, 22, 9, "cl", header=False)
    for i, sec in enumerate(
        [
            "行政许可信息",
            "行政处罚信息",
            "严重失信主体名单信息",
            "经营异常名录信息",
            "欠税信息",
            "法院判决信息",
            "表彰荣誉信息",
            "社会保险缴纳信息",
        ],
        start=2,
    ):
        fl.line(f"{'一二三四五六七八九十'[i - 1]}、{sec}", 12, "hei", bold=True)
        if sec == "社会保险缴纳信息":
            fl.table(
                [150, 150, fl.width - 300],
                [
                    ["统计月份", "参保人数", "缴费状态"],
                    [f"{day:%Y年%m月}", str(rng.randint(12, 260)), "正常"],
                ],
                20,
                9,
                "ccc",
            )
        else:
            fl.para(rng.choice(["经查询，暂无相关记录。", "未查询到相关信息。", "无"]), 9.5)
    fl.gap(10)
    fl.para("说明：本报告信息来源于深圳市公共信用信息管理系统，仅供参考。报告内容以查询时点数据为准。", 8.5)
    for i, pc in enumerate(fl.pages):
        pc.footer_page_no(i + 1, len(fl.pages), "第{n}页 / 共{t}页", 8)
    doc.fields.update(company_name=normalise_name(a.name), uscc=a.uscc, report_date=day.isoformat())


def audit_report(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    firm = doc.info.get("firm") or rng.choice(AUDIT_FIRMS)
    year = doc.info.get("year", f.app_date.year - 1)
    day = year_end_report = f.app_date.replace(year=year + 1, month=rng.randint(3, 4), day=rng.randint(1, 28))
    fl = Flow(doc, body=10.5, leading=1.8)
    fl.gap(30)
    fl.title("审 计 报 告", 22)
    abbr = firm[:2]
    fl.line(f"{abbr}审字〔{year + 1}〕第{rng.randint(10, 999):04d}号", 10, align="c")
    fl.gap(8)
    fl.line(f"{a.name}全体股东：", bold=True)
    fl.line("一、审计意见", bold=True, role="hei")
    fl.para(
        f"我们审计了{a.name}（以下简称“贵公司”）财务报表，包括{year}年12月31日的资产负债表，{year}年度的利润表、"
        "现金流量表、所有者权益变动表以及相关财务报表附注。"
    )
    fl.para(
        f"我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了贵公司{year}年12月31日"
        f"的财务状况以及{year}年度的经营成果和现金流量。"
    )
    fl.line("二、形成审计意见的基础", bold=True, role="hei")
    fl.para(
        "我们按照中国注册会计师审计准则的规定执行了审计工作。审计报告的“注册会计师对财务报表审计的责任”部分"
        "进一步阐述了我们在这些准则下的责任。按照中国注册会计师职业道德守则，我们独立于贵公司，并履行了职业道德方面"
        "的其他责任。我们相信，我们获取的审计证据是充分、适当的，为发表审计意见提供了基础。"
    )
    fl.line("三、管理层和治理层对财务报表的责任", bold=True, role="hei")
    fl.para(
        "贵公司管理层负责按照企业会计准则的规定编制财务报表，使其实现公允反映，并设计、执行和维护必要的内部控制，"
        "以使财务报表不存在由于舞弊或错误导致的重大错报。"
    )
    fl.line("四、注册会计师对财务报表审计的责任", bold=True, role="hei")
    fl.para(
        "我们的目标是对财务报表整体是否不存在由于舞弊或错误导致的重大错报获取合理保证，并出具包含审计意见的审计"
        "报告。合理保证是高水平的保证，但并不能保证按照审计准则执行的审计在某一重大错报存在时总能发现。"
    )
    fl.need(170)
    c, y = fl.c, fl.y + 20
    c.text(fl.left, y, firm, 10.5)
    for k in range(2):
        name = person(rng)
        c.text(fl.left + 280, y + k * 40, f"中国注册会计师：{name}", 10.5)
        _scribble(c, fl.left + 390, y + k * 40 + 2, rng, 50)
        if rng.random() < 0.6:
            _seal(doc, c, f, "personal_seal", name, fl.left + 470, y + k * 40 - 6, 36)
    c.text(fl.left, y + 40, "中国·" + ("北京" if firm.startswith("北京") else "深圳"), 10.5)
    c.text(fl.left + 280, y + 100, cn_date(year_end_report), 10.5)
    _seal(doc, c, f, "company_seal", firm, fl.left + 80 + rng.uniform(-10, 20), y + 20, 119)
    fl.new_page()
    fl.title("资产负债表（简表）", 14)
    fl.line(f"编制单位：{a.name}        {year}年12月31日        单位：元", 9)
    total = round(rng.uniform(3e6, 8e7), 2)
    rows = [["项目", "期末余额", "上年年末余额"]]
    for item, share in [
        ("货币资金", 0.3),
        ("应收账款", 0.2),
        ("存货", 0.1),
        ("固定资产", 0.15),
        ("无形资产", 0.1),
        ("资产总计", 1.0),
        ("负债合计", 0.4),
        ("所有者权益合计", 0.6),
    ]:
        rows.append([item, money(total * share), money(total * share * rng.uniform(0.7, 1.1))])
    fl.table([180, 135, 135], rows, 22, 9.5, "lrr")
    rev = round(f.monthly_revenue * 12 * rng.uniform(0.8, 1.1), 2)
    fl.title("利润表（简表）", 14)
    rows = [
        ["项目", "本期金额"],
        ["一、营业收入", money(rev)],
        ["减：营业成本", money(rev * 0.62)],
        ["二、营业利润", money(rev * 0.12)],
        ["三、利润总额", money(rev * 0.115)],
        ["四、净利润", money(rev * 0.1)],
    ]
    fl.table([250, 200], rows, 22, 9.5, "lr")
    doc.fields.update(
        company_name=normalise_name(a.name),
        fiscal_year=year,
        audit_firm=normalise_name(firm),
        report_date=day.isoformat(),
        operating_revenue=rev,
    )


def statistics_report(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    industrial = rng.random() < 0.3
    fl = Flow(doc, margin=(50, 60, 50, 60), body=9.5)
    title = "工业产销总值及主要产品产量" if industrial else "财务状况"
    fl.title(title, 16)
    fl.line(
        f"表    号：{'B204-1表' if industrial else 'F103表'}          制定机关：国家统计局", 8.5, color=GREY
    )
    fl.line(f"统一社会信用代码：{a.uscc}", 9)
    fl.line(f"单位详细名称：{a.name}", 9)
    months = 3 if rng.random() < 0.5 else 2  # the 1-2月 form of the statistics system is common too
    fl.line(f"报告期：2026年1-{months}月", 9)
    rev3 = round(f.monthly_revenue * months / 1000, 1)
    rows = [["指标名称", "代码", "计量单位", "本年累计", "上年同期"]]
    if industrial:
        rows += [
            ["工业总产值（当年价格）", "01", "千元", f"{rev3 * 1.05:,.1f}", f"{rev3 * 0.92:,.1f}"],
            ["工业销售产值", "02", "千元", f"{rev3:,.1f}", f"{rev3 * 0.9:,.1f}"],
            ["其中：出口交货值", "03", "千元", f"{rev3 * 0.1:,.1f}", f"{rev3 * 0.08:,.1f}"],
        ]
    else:
        rows += [
            ["营业收入", "301", "千元", f"{rev3:,.1f}", f"{rev3 * rng.uniform(0.75, 0.95):,.1f}"],
            ["营业成本", "302", "千元", f"{rev3 * 0.6:,.1f}", f"{rev3 * 0.55:,.1f}"],
            ["税金及附加", "303", "千元", f"{rev3 * 0.01:,.1f}", f"{rev3 * 0.01:,.1f}"],
            ["应付职工薪酬", "304", "千元", f"{rev3 * 0.2:,.1f}", f"{rev3 * 0.18:,.1f}"],
            ["营业利润", "305", "千元", f"{rev3 * 0.1:,.1f}", f"{rev3 * 0.08:,.1f}"],
        ]
    fl.table([170, 50, 70, 100, 95], rows, 22, 9, "lccrr")
    fl.line(f"单位负责人：{a.legal_rep}    统计负责人：{person(rng)}    填表人：{a.contact}", 9)
    fl.line(f"报出日期：{f.app_date - timedelta(days=rng.randint(5, 25)):%Y年%m月%d日}", 9)
    if rng.random() < 0.7:
        _seal(doc, fl.c, f, "company_seal", a.name, 420, fl.y - 20)
    doc.fields.update(
        company_name=normalise_name(a.name),
        uscc=a.uscc,
        period=f"2026-01..2026-0{months}",
        operating_revenue=round(rev3 * 1000, 2),
        monthly_avg_revenue=round(rev3 * 1000 / months, 2),
        report_kind=title,
    )


def employment_proof(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    emp = doc.info.setdefault("employee", person(rng))
    if rng.random() < 0.5:
        fl = Flow(doc, body=10.5)
        fl.title("劳 动 合 同 书", 20)
        start = a.established + timedelta(days=rng.randint(30, 700))
        fl.line(f"甲方（用人单位）：{a.name}")
        fl.line(f"乙方（劳动者）：{emp}      身份证号码：4403{rng.randint(10**12, 10**13 - 1)}X")
        for i, t in enumerate(
            [
                "劳动合同期限：本合同为无固定期限劳动合同，自" + cn_date_short(start) + "起生效。",
                "工作内容：乙方同意担任人工智能应用研发岗位（项目负责人）工作。",
                "工作时间：甲方实行标准工时制度，每日工作8小时，每周工作40小时。",
                "劳动报酬：甲方每月15日前以货币形式支付乙方工资，具体标准见附件。",
                "社会保险：甲方依法为乙方缴纳养老、医疗、失业、工伤、生育保险及住房公积金。",
            ],
            1,
        ):
            fl.para(f"第{'一二三四五'[i - 1]}条  {t}")
        fl.gap(30)
        fl.line(f"甲方（盖章）：{a.name}")
        fl.line(f"乙方（签字）：{emp}")
        fl.line("签订日期：" + cn_date_short(start))
        _seal(doc, fl.c, f, "company_seal", a.name, 180, fl.y - 50)
        kind = "劳动合同"
    else:
        fl = Flow(doc, body=10)
        fl.title("深圳市社会保险参保缴费明细（个人）", 15)
        fl.line(f"姓名：{emp}    单位名称：{a.name}", 9.5)
        rows = [["缴费年月", "单位编号", "养老", "医疗", "失业", "工伤", "缴费状态"]]
        m = f.app_date.replace(day=1)
        for _ in range(3):
            m = (m - timedelta(days=1)).replace(day=1)
            rows.append(
                [
                    f"{m:%Y%m}",
                    str(rng.randint(1000000, 9999999)),
                    "2600.00",
                    "620.00",
                    "52.00",
                    "13.00",
                    "已到账",
                ]
            )
        fl.table([70, 80, 60, 60, 55, 55, 70], rows, 22, 9, "ccrrrrc")
        fl.line("打印日期：" + cn_date(f.app_date - timedelta(days=3)), 9)
        _seal(
            doc, fl.c, f, "company_seal", "深圳市社会保险基金管理局", 400, fl.y + 20, 110, bottom="业务专用章"
        )
        kind = "社保缴纳凭证"
    doc.fields.update(employer_name=normalise_name(a.name), employee_name=emp, kind=kind)


def bank_account_info(doc: Doc, f) -> None:
    rng, a = doc.rng, f.applicant
    fl = Flow(doc, body=11)
    fl.gap(30)
    fl.title(rng.choice(["银行账户信息表", "企业银行账户信息", "银行账户信息确认表"]), 18)
    rows = [
        ["单位名称", a.name],
        ["统一社会信用代码", a.uscc],
        ["开户银行", f"{a.bank}{a.place.city}{a.place.district[:2]}支行"],
        ["银行账号", a.bank_account],
        ["账户性质", "基本存款账户"],
        ["开户行联行号", "".join(rng.choice("0123456789") for _ in range(12))],
        ["联系人", a.contact],
        ["联系电话", a.phone],
    ]
    fl.table([140, fl.width - 140], rows, 30, 10.5, "cl", header=False)
    fl.para("本单位承诺以上账户信息真实、准确，如因账户信息错误导致资金无法拨付，责任由本单位承担。")
    fl.gap(40)
    fl.line(f"单位（盖章）：{a.name}", x_off=180)
    fl.line("日期：" + cn_date_short(f.app_date), x_off=180)
    _seal(doc, fl.c, f, "company_seal", a.name, fl.left + 280 + rng.uniform(-20, 20), fl.y - 30)
    if rng.random() < 0.5:  # 财务专用章 next to the company seal
        _seal(doc, fl.c, f, "finance_seal", a.name, fl.left + 130 + rng.uniform(-20, 20), fl.y - 20, 105)
    doc.fields.update(account_name=normalise_name(a.name), bank=a.bank, account_number=a.bank_account)
    _ = random
