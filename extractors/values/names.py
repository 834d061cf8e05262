"""Organisation names: the contract's form (no spaces, half-width brackets) and strict matching."""

import re

# Labels that precede a name on invoices, contracts, receipts and forms. Only these are
# stripped: a name may itself contain 方 or 名, so nothing is guessed.
_LABELS = (
    "购买方名称", "销售方名称", "购方名称", "销方名称", "纳税人名称", "单位名称", "企业名称", "公司名称",
    "客户名称", "付款人名称", "收款人名称", "付款方名称", "收款方名称", "申请单位", "申报单位", "申请人",
    "服务提供方", "服务商", "供应商", "委托方", "受托方", "采购方", "需求方", "提供方", "购买方", "销售方",
    "付款人", "收款人", "付款方", "收款方", "开户名", "户名", "名称", "甲方", "乙方", "丙方",
)
_LABEL = re.compile(r"^(?:" + "|".join(_LABELS) + r")(?:\((?:盖章|公章|签章|全称)\))?[:：]?")
_SUFFIX = re.compile(r"\((?:盖章|公章|签章|章|盖公章|签字|签字/盖章|签字盖章)\)$")
_PUNCT = " .,;:!?。，、；：！？·\"'“”‘’「」"
# A seal's arc read may lose the last character of the legal form (…股份有限公): still the form.
_LEGAL_FORM = re.compile(r"(股份有限公司?|有限责任公司|有限公司?|公司)$")
# Provinces, major cities and national prefixes a registered name opens with.
PLACES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
    "四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏",
    "新疆", "香港", "澳门", "深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉",
    "西安", "合肥", "厦门", "青岛", "宁波", "长沙", "郑州", "济南", "无锡", "东莞",
    "佛山", "珠海", "大连", "沈阳", "福州", "昆明", "南昌", "贵阳", "南宁", "石家庄",
    "太原", "哈尔滨", "长春", "兰州", "海口", "呼和浩特", "乌鲁木齐", "拉萨", "银川", "西宁",
    "中国", "国家",
)


def starts_with_place(name: str) -> bool:
    """Whether a name opens with its place, as a registered name does; the tail of a bracketed
    place (北京)有限公司, of 云雀智算科技(北京)有限公司) does not."""
    return name.startswith(PLACES) and name.count(")") <= name.count("(")
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "﹙": "(", "﹚": ")"})


def normalise_name(text: str | None) -> str:
    """'购买方名称: 北京 某某科技（北京）有限公司。' → '北京某某科技(北京)有限公司'."""
    if not isinstance(text, str):
        return ""
    name = _SPACES.sub("", text).translate(_BRACKETS).strip(_PUNCT)
    for _ in range(3):  # 购买方 名称: …
        stripped = _LABEL.sub("", name).strip(_PUNCT)
        stripped = _SUFFIX.sub("", stripped).strip(_PUNCT)
        if stripped == name:
            break
        name = stripped
    name = name.lstrip(")")  # the end of a label OCR split from it (承诺单位(盖章 | )深圳市…)
    if name.startswith("("):
        # a misread label's tail before the name ((盖北京…, (孟章)深圳市…): a registered name
        # opens with its place, not a bracket
        cut = next((k for k in range(1, 5) if starts_with_place(name[k:].lstrip(")"))), None)
        name = name[cut:].lstrip(")") if cut else name
    return name


def name_similarity(a: str | None, b: str | None) -> float:
    """0..1: how alike two names are once normalised and stripped of their legal form; OCR of a
    photo is often a character off, so a list row is matched to a party by likeness."""
    from difflib import SequenceMatcher

    core = [_LEGAL_FORM.sub("", normalise_name(x)) for x in (a, b)]
    return SequenceMatcher(None, *core).ratio() if all(core) else 0.0


def seal_similarity(reading: str | None, name: str | None) -> float:
    """name_similarity for a seal's arc text: an arc has no first character, so a reading may start
    mid-name (司深圳市…有限公) and every rotation of it is tried."""
    seal = normalise_name(reading or "")
    return max((name_similarity(seal[i:] + seal[:i], name) for i in range(len(seal))), default=0.0)


# A seal reading names a firm for sure (what makes a finding) when alike enough outright, or alike
# and clearly more alike it than the other names.
SAME_OWNER = 0.75  # names this alike are the same firm, arc-reading errors allowed for
LIKELY_OWNER, CLEAR_MARGIN = 0.6, 0.35


def clearly_names(this: float, other: float) -> bool:
    """Whether a reading `this` alike a firm and `other` alike the next names the firm for sure."""
    return this >= SAME_OWNER or (this >= LIKELY_OWNER and this - other >= CLEAR_MARGIN)


def one_char_off(a: str, b: str) -> bool:
    """Same length, one character different: the shape of an OCR misreading, not of a renamed firm."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def one_edit_apart(a: str, b: str) -> bool:
    """One character substituted, dropped or added: what OCR of one field does to a name."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return one_char_off(a, b)
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


# What makes another legal entity of a name otherwise alike: a bracketed place (a subsidiary,
# 云岫智能科技(上海)有限公司), the joint-stock form (股份有限公司 against 有限公司), a branch.
_ENTITY_MARKS = re.compile(r"\([\u4e00-\u9fff]{2,6}\)|股份(?=有限公司$)|分公司$")
_WHOLE_NAME = re.compile(r"(有限公司|有限责任公司|分公司)$")


def look_alike_marks(reading: str | None, name: str | None) -> list[str]:
    """The marks of another legal entity that a seal's whole reading carries and `name` lacks
    (its subsidiary's (深圳), 股份, 分公司): a seal of a look-alike company, not a misreading, since
    OCR drops characters but does not make up a bracketed place or a legal form. Empty when
    the reading is not a whole name (an arc read garbled says nothing)."""
    seal, firm = normalise_name(reading), normalise_name(name)
    if not seal or not firm or seal == firm or not _WHOLE_NAME.search(seal):
        return []
    return [mark for mark in _ENTITY_MARKS.findall(seal) if mark.strip("()") not in firm]


def names_match(a: str | None, b: str | None) -> bool:
    """Equal after normalisation. Strict on purpose: 有限公司 vs 有限责任公司, or (北京) present
    or not, are different registered names and must be flagged for a person to judge."""
    na, nb = normalise_name(a), normalise_name(b)
    return bool(na) and na == nb


MODEL_NOISE = re.compile(r"[\s\"“”'‘’《》<>()（）]|(?:v|V)?\d+(?:\.\d+)*$")


def model_key(name: str | None) -> str:
    """云雀大模型 V2.0 → 云雀大模型: spacing, quotes and a trailing version do not make another model."""
    return MODEL_NOISE.sub("", name or "")
