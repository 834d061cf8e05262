"""Fictional companies, people, model providers and authorities."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .ids import make_id_number, make_uscc

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅文斌宇浩凯晨欣"
    "怡子涵博思雨轩佳琪梓睿嘉俊航志宏海波立新晓峰慧颖婷雪琳"
)
BRANDS = [
    "星云",
    "海拓",
    "智睿",
    "鼎瀚",
    "凌峰",
    "博远",
    "恒信",
    "锐视",
    "天启",
    "澜舟",
    "知微",
    "极光",
    "青藤",
    "云帆",
    "明德",
    "卓越",
    "汇通",
    "思源",
    "晨曦",
    "致远",
    "鸿图",
    "新航",
    "安途",
    "华彩",
    "众联",
    "深蓝",
    "曜石",
    "金桥",
    "蓝海",
    "数澜",
    "启明",
    "睿思",
    "领航",
    "万象",
    "盈科",
    "易达",
    "融智",
    "泰和",
    "嘉禾",
    "瑞联",
    "拓维",
    "云程",
]
INDUSTRY = [
    ("智能科技", "6513"),
    ("信息技术", "6531"),
    ("软件", "6511"),
    ("网络科技", "6432"),
    ("数据科技", "6550"),
    ("数字科技", "6519"),
    ("计算机系统", "6531"),
    ("互联网科技", "6490"),
]
NON_SOFTWARE = [
    ("精密制造", "3484", "精密零部件、五金制品的生产与销售；模具设计与制造"),
    ("食品", "1491", "预包装食品的生产与销售；农副产品收购"),
    ("服装", "1810", "服装、服饰的设计、生产与销售；纺织品批发"),
    ("建材", "3021", "水泥制品、建筑材料的生产与销售"),
]
SCOPES = {
    "6513": "人工智能应用软件开发；人工智能基础软件开发；软件开发；信息技术咨询服务；数据处理和存储支持服务",
    "6531": "信息系统集成服务；信息技术咨询服务；计算机软硬件及辅助设备零售；技术服务、技术开发、技术咨询",
    "6511": "软件开发；软件销售；网络与信息安全软件开发；技术服务、技术开发、技术咨询、技术交流、技术转让",
    "6432": "互联网信息服务；网络技术服务；软件开发；广告设计、代理；信息咨询服务（不含许可类信息咨询服务）",
    "6550": "数据处理服务；大数据服务；云计算装备技术服务；软件开发；人工智能行业应用系统集成服务",
    "6519": "数字技术服务；软件开发；人工智能应用软件开发；计算机系统服务；物联网技术服务",
    "6490": "互联网数据服务；信息技术咨询服务；软件开发；人工智能公共数据平台；网络技术服务",
}
SUFFIX = ["有限公司", "有限公司", "有限公司", "股份有限公司"]


@dataclass
class Place:
    city: str  # 深圳市
    district: str  # 南山区
    region: str  # GB/T 2260 code for the district
    province: str  # pinyin province for filings / 2-digit code for invoices
    prov_code: str
    region4: str
    tax_bureau: str
    registrar: str
    streets: list[str]


PLACES = {
    "nanshan": Place(
        "深圳市",
        "南山区",
        "440305",
        "Guangdong",
        "44",
        "4403",
        "国家税务总局深圳市南山区税务局",
        "深圳市市场监督管理局",
        [
            "粤海街道高新南七道",
            "粤海街道科技南十二路",
            "南头街道深南大道",
            "西丽街道留仙大道",
            "招商街道工业八路",
            "沙河街道华侨城创意园",
        ],
    ),
    "longgang": Place(
        "深圳市",
        "龙岗区",
        "440307",
        "Guangdong",
        "44",
        "4403",
        "国家税务总局深圳市龙岗区税务局",
        "深圳市市场监督管理局",
        ["坂田街道雪岗路", "龙城街道龙翔大道", "横岗街道信义路", "布吉街道吉华路", "园山街道大运软件小镇"],
    ),
    "futian": Place(
        "深圳市",
        "福田区",
        "440304",
        "Guangdong",
        "44",
        "4403",
        "国家税务总局深圳市福田区税务局",
        "深圳市市场监督管理局",
        ["福田街道福华三路", "沙头街道深南大道", "华富街道深南中路"],
    ),
    "etown": Place(
        "北京市",
        "北京经济技术开发区",
        "110115",
        "Beijing",
        "11",
        "1101",
        "国家税务总局北京经济技术开发区税务局",
        "北京市经济技术开发区市场监督管理局",
        ["荣华中路", "科创十三街", "地盛北街", "经海三路", "博兴六路", "永昌北路"],
    ),
}


@dataclass
class Company:
    name: str
    uscc: str
    legal_rep: str
    address: str
    established: date
    valid_until: date | None  # None = 长期
    capital_wan: int
    scope: str
    industry_code: str
    kind: str
    place: Place
    bank: str = ""
    bank_account: str = ""
    phone: str = ""
    contact: str = ""
    rep_id: str = ""
    rep_birth: date | None = None
    rep_male: bool = True
    model_name: str = ""
    model_pinyin: str = ""
    filing_number: str = ""
    filing_date: date | None = None
    extra: dict = field(default_factory=dict)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


BANKS = [
    "中国工商银行",
    "中国建设银行",
    "招商银行",
    "中国银行",
    "平安银行",
    "中国农业银行",
    "交通银行",
    "宁波银行",
    "北京银行",
    "中信银行",
]


def bank_account(rng: random.Random, bank: str) -> str:
    n = {"招商银行": 15, "平安银行": 14, "中国建设银行": 20, "中国工商银行": 19}.get(bank, 18)
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def make_company(rng: random.Random, place: Place, *, software: bool = True, app_date: date) -> Company:
    brand = rng.choice(BRANDS)
    if software:
        ind, code = rng.choice(INDUSTRY)
        scope = SCOPES.get(code, SCOPES["6513"])
    else:
        ind, code, scope = rng.choice(NON_SOFTWARE)
    city = place.city.rstrip("市")
    style = rng.random()
    if style < 0.6:
        name = f"{place.city}{brand}{ind}{rng.choice(SUFFIX)}"
    elif style < 0.85:
        name = f"{city}{brand}{ind}{rng.choice(SUFFIX)}"
    else:
        name = f"{brand}{ind}（{city}）有限公司"
    est = app_date - timedelta(days=rng.randint(900, 4500))
    valid = None if rng.random() < 0.5 else est.replace(year=est.year + rng.choice([20, 30, 50]))
    rep = person(rng)
    birth = date(rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28))
    male = rng.random() < 0.7
    bank = rng.choice(BANKS)
    street = rng.choice(place.streets)
    addr = (
        f"{place.city}{place.district}{street}{rng.randint(1, 399)}号"
        f"{rng.choice(['', 'A座', 'B栋', '科技大厦', '创新中心'])}"
        f"{rng.randint(2, 28)}{rng.choice(['层', '楼'])}"
        f"{rng.randint(1, 30):02d}{rng.choice(['室', '', '单元'])}"
    )
    return Company(
        name=name,
        uscc=make_uscc(rng, place.region),
        legal_rep=rep,
        address=addr,
        established=est,
        valid_until=valid,
        capital_wan=rng.choice([100, 200, 300, 500, 1000, 2000, 5000]),
        scope=scope,
        industry_code=code,
        kind=rng.choice(["有限责任公司", "有限责任公司（自然人投资或控股）", "有限责任公司（法人独资）"]),
        place=place,
        bank=bank,
        bank_account=bank_account(rng, bank),
        phone=f"{'0755' if place.city == '深圳市' else '010'}-{rng.randint(20000000, 89999999)}",
        contact=person(rng),
        rep_id=make_id_number(rng, place.region if place.city == "深圳市" else "110105", birth, male),
        rep_birth=birth,
        rep_male=male,
    )


# Fictional model providers: name, model, pinyin, province, place key, filing date, serial?
PROVIDERS = [
    ("云雀智算科技（北京）有限公司", "云雀大模型", "YunQue", "Beijing", "etown", date(2023, 8, 21), False),
    ("深圳市星衍智能科技有限公司", "星衍大模型", "XingYan", "Guangdong", "nanshan", date(2024, 12, 31), True),
    ("杭州青鸾人工智能有限公司", "青鸾大模型", "QingLuan", "Zhejiang", "futian", date(2024, 3, 15), False),
    (
        "上海玄穹智能科技有限公司",
        "玄穹多模态大模型",
        "XuanQiong",
        "Shanghai",
        "futian",
        date(2024, 6, 28),
        True,
    ),
    ("北京明理智源科技有限公司", "明理大模型", "MingLi", "Beijing", "etown", date(2023, 11, 8), False),
    ("广州知行云智能有限公司", "知行大模型", "ZhiXing", "Guangdong", "futian", date(2024, 1, 20), False),
    ("深圳市墨语智能有限公司", "墨语写作大模型", "MoYu", "Guangdong", "longgang", date(2025, 3, 15), True),
    ("北京天枢智能科技有限公司", "天枢大模型", "TianShu", "Beijing", "etown", date(2023, 12, 25), False),
    ("深圳市灵犀数智科技有限公司", "灵犀大模型", "LingXi", "Guangdong", "nanshan", date(2024, 9, 30), True),
]


def make_provider(rng: random.Random, idx: int | None = None) -> Company:
    """Provider companies are stable: the same provider has the same code in every bundle."""
    name, model, pinyin, prov, place_key, fdate, serial = PROVIDERS[
        rng.randrange(len(PROVIDERS)) if idx is None else idx
    ]
    prng = random.Random(int(hashlib.sha256(name.encode()).hexdigest()[:12], 16))
    place = PLACES[place_key]
    c = make_company(prng, place, app_date=date(2025, 6, 1))
    c.name, c.industry_code, c.scope = name, "6513", SCOPES["6513"] + "；互联网信息服务"
    c.model_name, c.model_pinyin, c.filing_date = model, pinyin, fdate
    c.filing_number = f"{prov}-{pinyin}-{fdate:%Y%m%d}" + (f"{prng.randint(1, 40):04d}" if serial else "")
    c.extra["algo_filing"] = "网信算备" + "".join(prng.choice("0123456789") for _ in range(21)) + "号"
    c.extra["province_cn"] = {
        "Beijing": "北京市",
        "Guangdong": "广东省",
        "Zhejiang": "浙江省",
        "Shanghai": "上海市",
    }[prov]
    return c


AUDIT_FIRMS = [
    "深圳正信会计师事务所（普通合伙）",
    "北京中和信会计师事务所（特殊普通合伙）",
    "深圳市鹏程会计师事务所有限公司",
    "广东明诚会计师事务所（普通合伙）",
    "北京华清会计师事务所有限公司",
]
TEST_LABS = ["深圳市网安测评技术有限公司", "北京信安等保测评中心有限公司", "广东省网络安全测评中心有限公司"]
