"""docintake.extractors.values: the small parsers every field goes through."""

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docintake.core.idnumbers import id_check_char
from docintake.extractors import values as v
from docintake.extractors.values.uscc import ALPHABET, check_char, org_check_char

D = date


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026年3月15日", D(2026, 3, 15)),
        ("2026年03月15日", D(2026, 3, 15)),
        ("2026-03-15", D(2026, 3, 15)),
        ("2026.03.15", D(2026, 3, 15)),
        ("2026/3/15", D(2026, 3, 15)),
        ("20260315", D(2026, 3, 15)),
        ("二〇二六年三月十五日", D(2026, 3, 15)),
        ("二零二六年十二月三十一日", D(2026, 12, 31)),
        ("二〇二六年一月二十日", D(2026, 1, 20)),
        ("二○二六年十月一日", D(2026, 10, 1)),  # ○ (white circle) for 〇, common in Word documents
        ("2026 年 3 月 15 日", D(2026, 3, 15)),  # OCR spaces
        ("20 26年3 月1 5日", D(2026, 3, 15)),
        ("开票日期:2026年03月15日", D(2026, 3, 15)),
        ("签订日期: 2026 - 03 - 15 10:20:30", D(2026, 3, 15)),
        ("日期：２０２６年３月１５日", D(2026, 3, 15)),  # full-width, in case NFKC was skipped
        ("2026年3月15号", D(2026, 3, 15)),
        ("2028年2月29日", D(2028, 2, 29)),
    ],
)
def test_parse_date_forms(text, expected):
    assert v.parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2026年2月29日", "2026-02-30", "2026-13-01", "二〇二六年十三月一日", "20261301", "", None, "无", "2026年3月",
     "发票号码 26442000000012345678", "1.5万元", "12,345.60"],
)
def test_parse_date_rejects(text):
    assert v.parse_date(text) is None


def test_parse_date_accepts_a_date():
    assert v.parse_date(D(2026, 1, 2)) == D(2026, 1, 2)


def test_find_dates_spans_and_order():
    text = "签订日期 2026年1月5日, 生效 2026-02-01, 届满二〇二六年十二月三十一日"
    found = v.find_dates(text)
    assert [d for d, _ in found] == [D(2026, 1, 5), D(2026, 2, 1), D(2026, 12, 31)]
    assert [text[s:e] for _, (s, e) in found] == ["2026年1月5日", "2026-02-01", "二〇二六年十二月三十一日"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年9月1日至2026年6月30日", (D(2025, 9, 1), D(2026, 6, 30))),
        ("服务期限:自2025年9月1日起至2026年6月30日止", (D(2025, 9, 1), D(2026, 6, 30))),
        ("2026-01-01 ~ 2026-03-31", (D(2026, 1, 1), D(2026, 3, 31))),
        ("2026.01.01-2026.03.31", (D(2026, 1, 1), D(2026, 3, 31))),
        ("20260101-20260331", (D(2026, 1, 1), D(2026, 3, 31))),
        ("2026年1月1日至3月31日", (D(2026, 1, 1), D(2026, 3, 31))),
        ("2026年1月-3月", (D(2026, 1, 1), D(2026, 3, 31))),
        ("统计周期: 2026年1月至2026年3月", (D(2026, 1, 1), D(2026, 3, 31))),
        ("2025年11月-2026年2月", (D(2025, 11, 1), D(2026, 2, 28))),
        ("2026-01 ~ 2026-03", (D(2026, 1, 1), D(2026, 3, 31))),
        ("2024年2月-2月", (D(2024, 2, 1), D(2024, 2, 29))),
    ],
)
def test_parse_period(text, expected):
    assert v.parse_period(text) == expected


@pytest.mark.parametrize("text", ["2026年3月-1月", "2026年6月30日至2025年9月1日", "2026年3月15日", "", None])
def test_parse_period_rejects(text):
    assert v.parse_period(text) is None


# --- amounts in figures --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("¥300,000.00", 300000.0),
        ("人民币300000元", 300000.0),
        ("人民币 300000 元", 300000.0),
        ("30万元", 300000.0),
        ("1.5万", 15000.0),
        ("3,000.5 元", 3000.5),
        ("(小写)¥12,345.60", 12345.6),
        ("￥ 1 234.00", 1234.0),  # OCR space as thousands separator
        ("合计 ¥ 1 234 567.89 元", 1234567.89),
        ("¥12，345.60", 12345.6),
        ("RMB 1,000", 1000.0),
        ("¥1,234.567", 1234.57),
        ("金额: 12,345.60", 12345.6),  # unmarked but labelled
        ("300000", 300000.0),
        ("价税合计(大写)叁拾万元整 (小写)¥300,000.00", 300000.0),
        ("单价 0.0080元/千tokens 合计 ¥1,234.00", 1234.0),  # a unit price is not the amount
        ("CNY 1,018.000.00", 1018000.0),  # OCR of a photo: a thousands comma read as a period
        ("2025.07.22 ¥1,000.00", 1000.0),  # a date's periods are not separators
    ],
)
def test_parse_amount(text, expected):
    assert v.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["¥-300.00", "-300元", "garbage", "", None, "2026年3月15日", "税率 6.00%", "1.2.3元",
                                  "1,234,567 tokens", "消耗 2,000万 tokens", "调用 3万次"])
def test_parse_amount_rejects(text):
    assert v.parse_amount(text) is None


def test_find_amounts_spans_and_shaped_figures():
    text = "金额 ¥300,000.00 税额 ¥18,000.00"
    found = v.find_amounts(text)
    assert [a for a, _ in found] == [300000.0, 18000.0]
    assert [text[s:e] for _, (s, e) in found] == ["¥300,000.00", "¥18,000.00"]
    # Table cells carry no ¥: figures with two decimals are taken when nothing is marked.
    assert [a for a, _ in v.find_amounts("金额 300,000.00 税率 6% 税额 18,000.00")] == [300000.0, 18000.0]


# --- amounts in words ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("叁拾万元整", 300000.0),
        ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", 123456.78),
        ("壹万零伍元整", 10005.0),
        ("玖角伍分", 0.95),
        ("壹元零壹分", 1.01),
        ("拾元整", 10.0),
        ("壹拾万元整", 100000.0),
        ("拾万元整", 100000.0),
        ("壹亿零伍拾万元整", 100500000.0),
        ("伍佰元零角伍分", 500.05),
        ("壹佰元伍角", 100.5),  # ends at 角 without 整
        ("柒角整", 0.7),
        ("人民币叁拾万元整", 300000.0),
        ("⊗叁拾万圆整", 300000.0),
        ("ⓧ 叁 拾 万 圆 整", 300000.0),
        ("壹佰万元正", 1000000.0),
        ("价税合计(大写) ⊗壹拾万零伍圆整 (小写)¥100005.00", 100005.0),
        ("壹仟陆佰捌拾元零叁角贰分", 1680.32),
        ("壹仟陆佰捌拾元叁角贰分", 1680.32),
        ("贰亿叁仟万零肆拾元", 230000040.0),
        ("壹万伍佰元", 10500.0),  # missing 零, but unambiguous
        ("零元整", 0.0),
        ("叁拾萬圓整", 300000.0),  # traditional forms
        ("肆仟壹佰陆拾柒圆贰角参分", 4167.23),  # OCR of a photo: 参 for 叁 (bench seed 20261133)
    ],
)
def test_parse_upper_amount(text, expected):
    assert v.parse_upper_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    ["叁拾万", "万元", "壹贰元", "壹佰伍元", "壹万伍元", "负壹佰元整", "佰元", "壹佰拾仟元", "hello", "", None, "30万元"],
)
def test_parse_upper_amount_rejects(text):
    # 壹佰伍/壹万伍 are colloquial for 150/15000 but formally 105/10005: refused, not guessed.
    assert v.parse_upper_amount(text) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        (300000, "叁拾万元整"),
        (0.95, "玖角伍分"),
        (1.01, "壹元零壹分"),
        (100005, "壹拾万零伍元整"),
        (100000, "壹拾万元整"),
        (10, "壹拾元整"),
        (1.5, "壹元伍角整"),
        (0, "零元整"),
        (100500000, "壹亿零伍拾万元整"),
        (123456.78, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
        (10010, "壹万零壹拾元整"),
        (20000000.02, "贰仟万元零贰分"),
        (1000500, "壹佰万零伍佰元整"),
    ],
)
def test_upper_amount(value, expected):
    assert v.upper_amount(value) == expected


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "abc", None, 10**13])
def test_upper_amount_rejects(value):
    assert v.upper_amount(value) is None


def test_upper_matches():
    assert v.upper_matches("⊗叁拾万圆整", 300000.0) is True
    assert v.upper_matches("人民币 壹拾万零伍元正", 100005) is True
    assert v.upper_matches("壹仟陆佰捌拾元零叁角贰分", 1680.32) is True
    assert v.upper_matches("叁拾万元整", 300000.01) is False
    assert v.upper_matches("看不清", 300000.0) is None


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_upper_amount_round_trip(cents):
    x = cents / 100
    assert v.parse_upper_amount(v.upper_amount(x)) == x
    assert v.upper_matches(v.upper_amount(x).replace("元", "圆"), x) is True


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_parse_amount_round_trip(cents):
    x = cents / 100
    assert v.parse_amount(f"¥{x:,.2f}") == x
    assert v.parse_amount(f"人民币{x:.2f}元") == x


# --- credit codes --------------------------------------------------------------------------------

# Published codes (北京百度网讯科技, 深圳市腾讯计算机系统, 阿里巴巴(中国), 华为技术); their check
# characters agree with our implementation and with python-stdnum.
REAL_USCCS = ["91110000802100433B", "91440300708461136T", "91330100716105852F", "914403001922038216"]


def make_uscc(rng: random.Random, inner_ok: bool = True) -> str:
    org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    org_check = org_check_char(org8)
    if not inner_ok:
        org_check = "0" if org_check != "0" else "1"
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + org8 + org_check
    return body + check_char(body)


def generated_usccs(n: int = 200) -> list[str]:
    rng = random.Random(32100)
    return [make_uscc(rng) for _ in range(n)]


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_usccs_valid(code):
    assert v.uscc_valid(code)
    assert v.uscc_inner_valid(code)
    assert v.repair_uscc(code) == (code, False)


def test_check_char_agrees_with_stdnum():
    stdnum = pytest.importorskip("stdnum.cn.uscc")
    for code in [*REAL_USCCS, *generated_usccs()]:
        assert stdnum.is_valid(code) and v.uscc_valid(code)
        broken = code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
        assert not stdnum.is_valid(broken) and not v.uscc_valid(broken)


def test_generated_usccs_valid_and_never_altered():
    for code in generated_usccs():
        assert v.uscc_valid(code) and v.uscc_inner_valid(code)
        assert v.repair_uscc(code) == (code, False)
        assert v.repair_uscc(f"统一社会信用代码: {code.lower()}") == (code, False)


def test_wrong_check_char_stays_invalid():
    code, repaired = v.repair_uscc("91110000802100433A")
    assert (code, repaired) == ("91110000802100433A", False)
    assert not v.uscc_valid(code)
    # An O that repairs to a still-invalid code: the raw reading comes back, upper-cased.
    assert v.repair_uscc("9111OOOO802100433a") == ("9111OOOO802100433A", False)
    assert v.repair_uscc("91110000802100433V") == ("91110000802100433V", False)  # V never occurs


def test_inner_check_failure_is_separate():
    code = make_uscc(random.Random(7), inner_ok=False)
    assert v.uscc_valid(code)
    assert not v.uscc_inner_valid(code)


@pytest.mark.parametrize(
    "text",
    [
        "9111OOOO8O21OO433B",  # O for 0
        "统一社会信用代码:9I44O3OO7O846II36T",  # I for 1
        "9144O3OOI9ZZO38ZI6",  # Z for 2
        "91440300708461136t",  # lower case
        "914403001922038Z16",
        "9133010071610S8S2F",  # S for 5
    ],
)
def test_uscc_ocr_repair(text):
    code, repaired = v.repair_uscc(text)
    assert code in REAL_USCCS
    assert repaired == (text.split(":")[-1].upper() != code)


def test_uscc_repair_expected_codes():
    assert v.repair_uscc("9111OOOO8O21OO433B") == ("91110000802100433B", True)
    assert v.repair_uscc("9144O3OOI9ZZO38ZI6") == ("914403001922038216", True)
    # B for 8 only in the region code, which holds digits alone.
    body = "91310108" + "MA1FL0L0"
    code = body + org_check_char(body[8:]) + check_char(body + org_check_char(body[8:]))
    assert v.repair_uscc(code[:7] + "B" + code[8:]) == (code, True)
    assert not v.uscc_valid(code[:7] + "B" + code[8:])


@pytest.mark.parametrize(
    "text",
    ["9 1 1 1 0 0 0 0 8 0 2 1 0 0 4 3 3 B", "9111 0000 8021 0043 3B", "USCC91110000802100433B",
     "USCC 9111 0000 8021 0043 3B", "税号:91110000802100433B 地址:北京"],
)
def test_uscc_extraction_from_noisy_text(text):
    assert v.repair_uscc(text) == ("91110000802100433B", False)


def test_repair_uscc_nothing_there():
    assert v.repair_uscc("无") == (None, False)
    assert v.repair_uscc(None) == (None, False)


def test_find_usccs_skips_accounts_and_invoice_numbers():
    text = ("购买方 91110000802100433B 销售方 9144O3OOI9ZZO38ZI6 账号 110123456789012345 "
            "发票号码 26442000000012345678 身份证 44030519900101123X")
    found = v.find_usccs(text)
    assert [c for c, _ in found] == ["91110000802100433B", "914403001922038216"]
    s, e = found[0][1]
    assert text[s:e] == "91110000802100433B"


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), st.data())
def test_uscc_confusions_always_repair(rng, data):
    code = make_uscc(rng)
    swap = {"0": "O", "1": "I", "2": "Z", "5": "S"}
    positions = [i for i, c in enumerate(code) if c in swap]
    chosen = data.draw(st.sets(st.sampled_from(positions), min_size=1)) if positions else set()
    misread = "".join(swap[c] if i in chosen else c for i, c in enumerate(code))
    assert v.repair_uscc(misread) == (code, bool(chosen))


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("购买方名称: 北京 某某科技（北京）有限公司。", "北京某某科技(北京)有限公司"),
        ("甲方(盖章):深圳市某某科技有限公司", "深圳市某某科技有限公司"),
        ("名  称 :\t深圳某某有限公司", "深圳某某有限公司"),
        ("名\u00a0称\u3000深圳某某有限公司", "深圳某某有限公司"),
        ("深圳市腾讯计算机系统有限公司(盖章)", "深圳市腾讯计算机系统有限公司"),
        ("乙方：  上海某某有限公司；", "上海某某有限公司"),
        ("方正科技集团股份有限公司", "方正科技集团股份有限公司"),  # 方 inside a name is kept
        ("名称北京某某科技有限公司", "北京某某科技有限公司"),
        (None, ""),
    ],
)
def test_normalise_name(text, expected):
    assert v.normalise_name(text) == expected


def test_a_misread_labels_tail_before_a_name_is_cut():
    # 承诺单位（盖章）： read as …(盖 / (孟章) on photos (bench seed 20261130)
    assert v.normalise_name("(盖北京启明互联网科技有限公司") == "北京启明互联网科技有限公司"
    assert v.normalise_name(")深圳市凌峰数字科技有限公司") == "深圳市凌峰数字科技有限公司"  # seed 20261134
    assert v.normalise_name("(孟章)深圳市领航网络科技有限公司") == "深圳市领航网络科技有限公司"
    assert v.normalise_name("(香港)某某有限公司") == "(香港)某某有限公司"  # a bracketed place is the name's


def test_names_match_is_strict():
    assert v.names_match("北京某某科技（北京）有限公司", "名称: 北京某某科技(北京)有限公司")
    assert not v.names_match("北京某某科技有限公司", "北京某某科技有限责任公司")
    assert not v.names_match("北京某某科技(北京)有限公司", "北京某某科技有限公司")
    assert not v.names_match("", "")
    assert not v.names_match(None, "北京某某")


# --- invoices ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("26442000000012345678", {"number": "26442000000012345678", "kind": "digital"}),
        ("发票号码: 26442000000012345678", {"number": "26442000000012345678", "kind": "digital"}),
        ("发票号码:26442000000012345678 开票日期:2026年03月15日",
         {"number": "26442000000012345678", "kind": "digital"}),
        ("2644 2000 0000 1234 5678", {"number": "26442000000012345678", "kind": "digital"}),
        ("发票代码: 044031900111 发票号码: 12345678",
         {"code": "044031900111", "number": "12345678", "kind": "paper"}),
        ("发票代码:4403191130\n发票号码:12345678 开票日期:2026年",
         {"code": "4403191130", "number": "12345678", "kind": "paper"}),
        ("044031900111 12345678", {"code": "044031900111", "number": "12345678", "kind": "paper"}),
        ("4403191130 12345678", {"code": "4403191130", "number": "12345678", "kind": "paper"}),
        ("发票号码: No 12345678", {"code": None, "number": "12345678", "kind": "paper"}),
    ],
)
def test_parse_invoice_number(text, expected):
    assert v.parse_invoice_number(text) == expected


@pytest.mark.parametrize("text", ["校验码: 12345 67890 12345 67890", "机器编号: 499099999999", "12345", "", None,
                                  "发票号码: 1234567890"])
def test_parse_invoice_number_rejects(text):
    assert v.parse_invoice_number(text) is None


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("01,01,4403191130,12345678,1000.00,20260315, ,A1B2",
         {"type": "01", "code": "4403191130", "number": "12345678", "amount": 1000.0,
          "amount_includes_tax": False, "date": D(2026, 3, 15), "check": None}),
        ("01,04,044031900111,12345678,1000.00,20260315,12345678901234567890,ABCD",
         {"type": "04", "code": "044031900111", "number": "12345678", "amount": 1000.0,
          "amount_includes_tax": False, "date": D(2026, 3, 15), "check": "12345678901234567890"}),
        ("01,10,044031900111,12345678,88.50,20260315,98765432109876543210,",
         {"type": "10", "code": "044031900111", "number": "12345678", "amount": 88.5,
          "amount_includes_tax": False, "date": D(2026, 3, 15), "check": "98765432109876543210"}),
        ("01,31, ,26442000000012345678,1060.00,20260315, , ",
         {"type": "31", "code": None, "number": "26442000000012345678", "amount": 1060.0,
          "amount_includes_tax": True, "date": D(2026, 3, 15), "check": None}),
        ("01,32,,26442000000012345678,1060.00,20260315,,C0FF",
         {"type": "32", "code": None, "number": "26442000000012345678", "amount": 1060.0,
          "amount_includes_tax": True, "date": D(2026, 3, 15), "check": None}),
    ],
)
def test_parse_invoice_qr(payload, expected):
    assert v.parse_invoice_qr(payload) == expected


@pytest.mark.parametrize("payload", ["https://example.com", "01,31,,123,1,20260315", "02,32,,26442000000012345678,1,20260315",
                                     "01,32", "", None])
def test_parse_invoice_qr_rejects(payload):
    assert v.parse_invoice_qr(payload) is None


def test_parse_invoice_qr_bad_fields_become_none():
    parsed = v.parse_invoice_qr("01,32,,26442000000012345678, ,20261399,,")
    assert parsed["amount"] is None and parsed["date"] is None


# --- CAC filings ---------------------------------------------------------------------------------

def test_find_filing_numbers():
    text = ("备案编号:Beijing-YunQue-20230821;另 Hunan - PinCaiMao - 202412310003,"
            "算法备案 网信算备110108823483901230011号, 又 网信算备 1101 0882 3483 9012 3001 1 号")
    assert v.find_filing_numbers(text) == [
        "Beijing-YunQue-20230821", "Hunan-PinCaiMao-202412310003", "网信算备110108823483901230011号",
    ]


@pytest.mark.parametrize(("text", "number"), [
    ("Zhejiang QianTang·202406230059", "Zhejiang-QianTang-202406230059"),  # a photo's hyphens (seed 20261138)
    ("Guangdong Zhing 20240120", "Guangdong-Zhing-20240120"),
    ("Jangsu ZiJin 20240922", "Jangsu-ZiJin-20240922"),  # a letter of the province lost
])
def test_filing_numbers_whose_hyphens_ocr_read_as_dots_or_spaces(text, number):
    assert v.find_filing_numbers(text) == [number]


@pytest.mark.parametrize("text", ["Beijing-YunQue-20231399", "Beijing-YunQue-2023082", "网信算备12345号",
                                  "Beijing-YunQue-19990101", "", None,
                                  "联系人 Zhang San 20240101"])  # spaced: a province must come first
def test_find_filing_numbers_rejects(text):
    assert v.find_filing_numbers(text) == []


# --- ID numbers ----------------------------------------------------------------------------------

def make_id(body17: str) -> str:
    return body17 + id_check_char(body17)


def test_id_numbers():
    good = make_id("44030519900101123")
    assert good == "44030519900101123X"
    assert v.id_number_valid(good)
    assert v.id_number_valid(good.lower())
    assert not v.id_number_valid(good[:17] + "0")
    assert not v.id_number_valid(make_id("44030519901301123"))  # month 13
    assert not v.id_number_valid("4403051990010112")
    assert not v.id_number_valid(None)
    assert v.mask_id_number("440305199001011234") == "440305********1234"
    assert v.mask_id_number(good) == "440305********123X"


def test_mask_ids_in_text():
    good = make_id("11010519491231002")
    text = f"法定代表人 张三 身份证号:{good}, 另一份 440305199001011230(校验位错也遮)"
    masked = v.mask_ids_in_text(text)
    assert good not in masked and "440305199001011230" not in masked
    assert "110105********" in masked and "440305********1230" in masked
    # A credit code and a 20-digit invoice number are left alone.
    other = "91110000802100433B 26442000000012345678"
    assert v.mask_ids_in_text(other) == other


# --- robustness ----------------------------------------------------------------------------------

FUNCTIONS = [
    v.parse_date, v.find_dates, v.parse_period, v.parse_amount, v.find_amounts, v.parse_upper_amount,
    v.upper_amount, v.repair_uscc, v.find_usccs, v.uscc_valid, v.uscc_inner_valid, v.normalise_name,
    v.parse_invoice_number, v.parse_invoice_qr, v.find_filing_numbers, v.id_number_valid,
    v.mask_id_number, v.mask_ids_in_text,
]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789年月日-./ ,¥元万零壹贰叁拾佰仟角分整OISZB:", max_size=40),
                 st.text(max_size=40), st.none(), st.integers(), st.floats()))
def test_never_raises(value):
    for fn in FUNCTIONS:
        fn(value)
    v.upper_matches(value, 1.0)
    v.names_match(value, value)


@pytest.mark.parametrize(("text", "cut"), [
    ("开具日期:2025年11月2", True),  # what a seal left of 21日
    ("日期：2025年3月5", True),
    ("开具日期:2025年11月2日", False),
    ("2025年11月21", False),  # two digits: complete, 日 lost at the line end
    ("2025年3月5日至2025年4月1日", False),
    ("2025-11-2", False),
])
def test_a_one_digit_day_without_ri_at_a_line_end_may_be_cut(text, cut):
    from docintake.extractors.values import day_may_be_cut

    assert day_may_be_cut(text) is cut


def test_name_likeness_leaves_out_the_legal_form_even_cut_short():
    # a seal's arc read that lost 司 (…股份有限公) compares like the whole form
    full = "深圳市汇通计算机系统股份有限公司"
    assert v.name_similarity("中圳市汇联统股份有限公", full) == v.name_similarity("中圳市汇联统股份有限公司", full)
    assert v.name_similarity("深圳市致远有限公", "深圳市致远软件有限公司") == pytest.approx(2 * 5 / (5 + 7))
    # a rotation of the arc (read from mid-name) is tried
    assert v.seal_similarity("司深圳市致远软件有限公", "深圳市致远软件有限公司") == 1.0
    assert v.one_edit_apart("深圳海拓互联网科技有限公司", "深圳市海拓互联网科技有限公司")
    assert not v.one_edit_apart("深圳海拓互联科技有限公司", "深圳市海拓互联网科技有限公司")


def test_a_seal_read_whole_as_a_look_alike_company_carries_the_marks_the_firm_lacks():
    firm = "杭州云岫智能科技股份有限公司"
    assert v.look_alike_marks("杭州云岫智能科技（深圳）有限公司", firm) == ["(深圳)"]  # a subsidiary
    assert v.look_alike_marks("杭州云岫智能科技有限公司上海分公司", firm) == ["分公司"]  # a branch
    assert v.look_alike_marks("杭州云岫智能科技股份有限公司", "杭州云岫智能科技有限公司") == ["股份"]
    # what OCR does to the firm's own seal is no mark: characters dropped or misread, brackets lost
    assert v.look_alike_marks("杭州云岫智能科技有限公司", firm) == []
    assert v.look_alike_marks("杭州云岫智能料技股份有限公司", firm) == []
    assert v.look_alike_marks("万象数据科技北京有限公司", "万象数据科技(北京)有限公司") == []
    assert v.look_alike_marks("万象数据科技（北京）有限公司", "万象数据科技(北京)有限公司") == []
    # an arc read garbled is not a whole name, whatever it holds
    assert v.look_alike_marks("杭州云岫智(深圳)有集公", firm) == []
