"""Field value parsers: a candidate text read as a field's type (date, amount, name, ...), or None."""

import re

from . import values

ORG = re.compile(r"^(.{2,40}?(有限责任公司|股份有限公司|有限公司|公司|\(普通合伙\)|\(特殊普通合伙\)|"
                 r"合伙企业|研究院|研究所|事务所|中心|银行|分行|支行|税务局|管理局))")
# A word that ends many names but begins the last part of others, whose company form follows
# (某某会计师事务所有限公司). A partnership's (特殊普通合伙) is left off: its seal may or may not
# carry it, and the name without it is the one both can be told by.
WORD_BEFORE_FORM = {"研究院", "研究所", "事务所", "中心"}
LEGAL_TAIL = re.compile(r"有限责任公司|股份有限公司|有限公司")
# A label or a number swallowed by a name; a row of labels (账号 开户银行) is no name at all.
NOT_IN_NAME = re.compile(r"\d{5,}|名称|识别号|代码|:|盖章|账号|户名|开户")
# A licence's 类型 (有限责任公司(自然人投资或控股), 个体工商户) is a legal form, not a name.
LEGAL_FORM_ONLY = re.compile(r"^(有限|股份|个体|合伙|自然人|外商|国有|私营|集体)")
# Sole traders, branches and other small forms end in a shorter word (…餐饮店, …经营部, …厂):
# only where the name ends there, not where 店 or 厂 is inside it (…店铺管理有限公司).
SMALL_ORG = re.compile(r"^(.{2,30}?(经营部|门市部|营业部|商行|商店|店|厂|部|合作社|工作室|个体工商户|馆))"
                       r"(?![\u4e00-\u9fff])")
BRANCH = re.compile(r"^(?:\([\u4e00-\u9fff]{2,6}\))?[\u4e00-\u9fff]{0,10}?"
                    r"(分公司|分店|分行|支行|营业部|办事处)(?![\u4e00-\u9fff])")
PERSON = re.compile(r"^([\u4e00-\u9fff·]{2,4})")
# 大写 amounts, with the variants values.parse_upper_amount reads (貳, 參, OCR's 参 for 叁, ...)
UPPER = re.compile(r"[⊗人民币]*[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正貳參参陸萬億圓]{2,}")
MODES = [("私有化部署", "私有化部署"), ("本地化部署", "私有化部署"), ("本地部署", "私有化部署"),
         ("一体机", "大模型一体机"), ("云化部署", "云化部署"), ("云端部署", "云化部署"),
         ("云上部署", "云化部署"), ("公有云部署", "云化部署"), ("API", "API调用"), ("接口调用", "API调用")]
QUOTED = re.compile(r"[“\"]([^”\"]{2,30})[”\"]")
THOUSANDS = re.compile(r"千元\s*([0-9][0-9,]*(?:\.[0-9]+)?)")
MONTH_SPAN = re.compile(r"(?:20\d\d年)?(1[0-2]|[1-9])\s*[-—~至]\s*(1[0-2]|[1-9])月")

ABOUT_MODEL = re.compile(r"关于(.{2,30}?模型)(?:已?完成|通过|的)")


# Where the next "label:" of a line begins (名称:X 账号:Y, or OCR's 名称:X账号:Y with no gap).
NEXT_PAIR = re.compile(r"\s+(?=[\u4e00-\u9fff]{2,8}[:：])"
                       r"|(?<=[^\s:：])(?=(?:付款|收款|汇款)[人方]|账号|开户|纳税人|统一社会|地址|电话)"
                       r"(?=[\u4e00-\u9fff]{2,8}[:：])")


def org_name(text: str) -> str | None:
    """An organisation's name (…有限公司, …研究院, …支行, …分公司, …经营部) at the start of the text,
    up to the next "label:" pair of the line."""
    head = NEXT_PAIR.split(text, maxsplit=1)[0]
    text = values.normalise_name(head if head.strip() else text)
    m = ORG.match(text)
    if m:
        name, end = m.group(1), m.end()
        form = LEGAL_TAIL.match(text[end:]) if m.group(2) in WORD_BEFORE_FORM else None
        if form:
            name, end = name + form.group(), end + form.end()
        branch = BRANCH.match(text[end:])  # 某某有限公司深圳分公司: the branch is the party
        name += branch.group() if branch else ""
    else:
        m = SMALL_ORG.match(text)
        name = m.group(1) if m else None
    return name if name and not NOT_IN_NAME.search(name) and not LEGAL_FORM_ONLY.match(name) else None


def _person(text: str) -> str | None:
    m = PERSON.match(text)
    return m.group(1) if m else None


def _upper(text: str) -> str | None:
    m = UPPER.search(text)
    if m and values.parse_upper_amount(m.group()) is not None:
        return m.group()
    return None


YUAN_MISREAD = re.compile(r"(?<![A-Za-z0-9])[VYy半](?=\d)")  # OCR reads ¥ as V, Y or 半


def _amount(text: str, nth: int = 1) -> float | None:
    found = values.find_amounts(YUAN_MISREAD.sub("¥", text))
    if len(found) >= nth:
        value = found[nth - 1]
        return value[0] if isinstance(value, tuple) else value
    return None


# 互联网批发(5191), I6513, 65: the 国民经济行业分类 code (GB/T 4754), a division of two digits
# or a class of four, after an optional section letter.
INDUSTRY = re.compile(r"(?<![0-9A-Za-z])[A-T]?(\d{4}|\d{2})(?![0-9年月日])")
NO_END = re.compile(r"长期|永久|无固定期限|不约定期限|无期限")
UNTIL = re.compile(r"(?:至|到|~|〜|—|–)\s*(.+)$")


def _term_end(text: str) -> str | None:
    """A licence's 营业期限: 长期 (or 永久, 无固定期限) as 长期, else the end of the range, else the
    date after 至 alone (a start date misread must not lose a readable end)."""
    if NO_END.search(text):
        return "长期"
    end = _period(text, 1)
    if end:
        return end
    m = UNTIL.search(text)
    day = values.parse_date(m.group(1)) if m else None
    return day.isoformat() if day else None


def _period(text: str, index: int) -> str | None:
    period = values.parse_period(text)
    if period:
        return period[index].isoformat() if period[index] else None
    return None


def _model(text: str) -> str | None:
    m = QUOTED.search(text)
    if m:
        return m.group(1)
    m = ABOUT_MODEL.search(text)  # a letter's title: 关于星衍大模型完成生成式人工智能服务备案的说明
    if m:
        return m.group(1)
    m = re.match(r"^([^,;。，、(]{2,30})", text)
    return m.group(1) if m and "模型" in m.group(1) else None


ADDRESS_PART = re.compile(r"路|街|道|号|楼|室|村|镇|大厦|园|栋|巷|座")


def looks_like_address(text: str) -> bool:
    """An unlabelled line that is an address: opens with a place, names a street or a number, and
    is not an organisation (深圳市市场监督管理局, a company name)."""
    return (len(text) >= 8 and values.starts_with_place(text) and bool(ADDRESS_PART.search(text))
            and org_name(text) is None and not text.endswith(("局", "委员会")))


def parse_value(kind: str, text: str, nth: int = 1):
    if not text:
        return None
    if kind == "date":
        d = values.parse_date(text)
        return d.isoformat() if d else None
    if kind == "amount":
        return _amount(text, nth)
    if kind == "name":
        return org_name(text)
    if kind == "person":
        return _person(text)
    if kind == "uscc":
        code = values.first_uscc(text)
        return code if code and len(code) == 18 else None
    if kind == "upper":
        return _upper(text)
    if kind == "invoice_number":
        parsed = values.parse_invoice_number(text)
        return parsed["number"] if parsed else None
    if kind == "invoice_code":
        m = re.search(r"(?<!\d)(\d{12}|\d{10})(?!\d)", text)
        return m.group(1) if m else None
    if kind == "industry_code":
        m = INDUSTRY.search(text)
        return m.group(1) if m else None
    if kind == "term_end":
        return _term_end(text)
    if kind in ("period_start", "period_end"):
        return _period(text, 0 if kind == "period_start" else 1)
    if kind == "filing_number":
        found = values.find_filing_numbers(text)
        return found[0] if found else None
    if kind == "model":
        return _model(text)
    if kind in ("text", "paragraph", "address"):
        return text.strip(" :") or None
    if kind == "mode":
        return next((mode for keyword, mode in MODES if keyword in text), None)
    if kind == "thousand_yuan":  # statistics tables: 代码 | 千元 | 本年累计 | 上年同期
        m = THOUSANDS.search(text)
        return round(float(m.group(1).replace(",", "")) * 1000, 2) if m else None
    if kind == "month_span":  # 报告期：2026年1-3月 -> 3
        m = MONTH_SPAN.search(text)
        return int(m.group(2)) - int(m.group(1)) + 1 if m and int(m.group(2)) >= int(m.group(1)) else None
    raise ValueError(f"unknown field type {kind!r}")
