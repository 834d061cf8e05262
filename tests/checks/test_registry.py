"""The CAC filing registry: the shipped snapshot, lists read as published, numbers normalised, and
the filing checks against it (validators/filing_registry.py) over built documents."""

import re
from datetime import date

import pytest

from docintake.core.datamodel import DocType, FilingRow, Severity
from docintake.extractors.registry_lists import RegistryFileError, read_filing_list
from docintake.extractors.values import filing_date, filing_key, filing_kind, find_filing_numbers
from docintake.validators.checklist import load_checklist
from docintake.validators.registry import (
    DATA,
    build_registry,
    rules,
    same_firm,
    same_model,
    snapshot_as_of,
    snapshot_rows,
)
from docintake.validators.run import validate_documents
from tests.checks.test_validators import ETOWN, LONGGANG, MODEL, PROVIDER, Q1, clean, none_of, one, says
from tests.support.registry_files import write_docx, write_xlsx

NUMBER = "Beijing-MingLi-20231108"  # the number clean() bundles' filing proof carries
OURS = FilingRow(kind="备案", list="2025-01", seq="7", region="北京市", name=MODEL, filer=PROVIDER,
                 number=NUMBER, filed="2023/11/20")
REGISTRY = build_registry([OURS])
AS_OF = snapshot_as_of().isoformat()


def run(b, registry=REGISTRY, programme=None):
    return validate_documents(b.docs, b.files, load_checklist(programme or b.programme), registry)


def filing_errors(v):
    return [f for f in v.findings if f.code == "FILING_MISSING" and f.severity == Severity.error]


# --- the snapshot ------------------------------------------------------------------------------

def test_snapshot_counts_match_its_readme_per_list_and_kind():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    table = {m[1]: (int(m[2]), int(m[3]), int(m[4]))
             for m in re.finditer(r"^\| (\d{4}-\d{2}) \| (\d+) \| (\d+) \| (\d+) \|$", readme, re.M)}
    assert len(table) == 13
    rows = snapshot_rows()
    for name, (total, filed, registered) in table.items():
        mine = [r for r in rows if r.list == name]
        assert (len(mine), sum(r.kind == "备案" for r in mine), sum(r.kind == "登记" for r in mine)) == \
            (total, filed, registered), name
    assert len(rows) == 1842 == sum(t[0] for t in table.values())
    assert snapshot_as_of() == date(2026, 8, 31)


def test_snapshot_rows_are_kept_as_published_and_found_by_number_in_any_spelling():
    registry = build_registry()
    [row] = registry.find("Beijing-WenXinYiYan-20230821")
    assert (row.name, row.filer, row.filed) == ("文心一言", "北京百度网讯科技有限公司", "2023/8/31")
    for spelling in ("beijing - WenXinYiYan - 20230821", "BEIJING-WENXINYIYAN-20230821", "Beijing WenXinYiYan 20230821"):
        assert registry.find(spelling) == [row]
    assert registry.find("Beijing-WenXinYiYan-20230822") == []  # one digit changed: another number
    # published errors stay: a misspelled region is found as printed, never "corrected"
    odd = [r for r in snapshot_rows() if r.number.startswith("Shinghai-")]
    assert odd and registry.find(odd[0].number) == [odd[0]]
    assert registry.find(odd[0].number.replace("Shinghai", "Shanghai")) == []


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "number", "kind", "day"), [
    ("备案编号：Beijing-YunQue-20230821", "Beijing-YunQue-20230821", "备案", date(2023, 8, 21)),
    ("备案号 Hunan - PinCaiMao - 202412310003", "Hunan-PinCaiMao-202412310003", "备案", date(2024, 12, 31)),
    ("ZheJiang-BaiYe LingXi-202401160001", "ZheJiang-BaiYeLingXi-202401160001", "备案", date(2024, 1, 16)),
    ("Beijing-BMW-AI-202604150205", "Beijing-BMW-AI-202604150205", "备案", date(2026, 4, 15)),
    ("上线编号：Shanghai-JunHongLingXi-20240521S0001", "Shanghai-JunHongLingXi-20240521S0001", "登记",
     date(2024, 5, 21)),
    ("上线编号 Shanghai-JunHongLingXi-20240521s0001。", "Shanghai-JunHongLingXi-20240521S0001", "登记",
     date(2024, 5, 21)),
])
def test_numbers_read_from_text_with_their_kind_and_date(text, number, kind, day):
    assert find_filing_numbers(text) == [number]
    assert (filing_kind(number), filing_date(number)) == (kind, day)


def test_a_key_folds_case_spaces_and_hyphen_glyphs_and_nothing_else():
    assert filing_key("ZheJiang-X-202401160001") == filing_key("Zhejiang – x – 2024 0116 0001")
    assert filing_key("Beijing-X-20230821") != filing_key("Beijing-X-20230827")
    assert filing_kind("网信算备110108823483902230017号") == "算法备案"


def test_names_match_tolerantly():
    assert same_firm("北京明理智源科技 有限公司", PROVIDER)
    assert same_firm("深圳市某某科技（集团）有限公司", "深圳市某某科技(集团)有限公司")
    assert not same_firm("北京百度网讯科技有限公司", PROVIDER)
    assert same_model("智谱清言（ChatGLM）", "ChatGLM-4")
    assert same_model("明理大模型 V2.0", "明理大模型")
    assert same_model("明理大模型-72B", "“明理”大模型")
    assert same_model("星火认知大模型", "讯飞星火 V3.5")  # a brand both names hold
    assert not same_model("文心一言", MODEL)
    assert not same_model("云雀大模型", "云图行业大模型")  # one character in common is no brand


# --- the checks ---------------------------------------------------------------------------------

def test_a_published_number_of_the_contracts_provider_passes_with_its_evidence():
    v = run(clean(ETOWN))
    none_of(v, "FILING_MISSING")
    [check] = v.filing_checks
    assert (check.outcome, check.number, check.filer, check.model, check.filed, check.list) == \
        ("found", NUMBER, PROVIDER, MODEL, "2023/11/20", "2025-01")
    assert check.filer_matches and check.model_matches and check.registry_as_of == AS_OF


@pytest.mark.parametrize("read", ["beijing - MingLi - 20231108", "BEIJING-MINGLI-20231108"])
def test_a_number_spaced_or_recased_by_ocr_is_the_published_one(read):
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", read)
    v = run(b)
    none_of(v, "FILING_MISSING")
    assert v.filing_checks[0].outcome == "found"


def test_one_digit_changed_is_not_in_the_registry_an_error_naming_the_date_and_the_providers_row():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231109")
    v = run(b)
    f = one(v, "FILING_MISSING", field="filing_number")
    assert f.severity == Severity.error and v.verdict == "fail"
    says(f, f"备案号 Beijing-MingLi-20231109 不在国家网信办已公布的生成式人工智能服务备案信息中（截至 {AS_OF}）",
         NUMBER)  # the provider's published row, for the clerk
    assert v.filing_checks[0].outcome == "not_found"


def test_another_companys_number_is_a_warning_naming_both_firms():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "Beijing-WenXinYiYan-20230821")  # a real row, another firm
    v = run(b)
    assert not filing_errors(v)
    f = one(v, "FILING_MISSING", field="provider_name")
    assert f.severity == Severity.warning
    says(f, "北京百度网讯科技有限公司", PROVIDER, "关联方")
    model = one(v, "FILING_MISSING", field="model_name")  # its model is not the contract's either
    says(model, "文心一言", MODEL)
    assert v.filing_checks[0].filer_matches is False and v.verdict == "needs_review"


def test_a_related_filer_is_for_review_never_an_error():
    related = OURS.model_copy(update={"filer": "北京明理控股集团有限公司"})
    v = run(clean(ETOWN), build_registry([related]))
    assert not filing_errors(v)
    says(one(v, "FILING_MISSING", field="provider_name"), "北京明理控股集团有限公司", PROVIDER)


def test_a_registry_model_of_another_name_is_a_warning():
    other = OURS.model_copy(update={"name": "天衡推理引擎"})
    v = run(clean(ETOWN), build_registry([other]))
    assert not filing_errors(v)
    says(one(v, "FILING_MISSING", field="model_name"), "天衡推理引擎", MODEL)


def test_a_number_newer_than_the_registry_asks_to_look_online_never_an_error():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-202607200003")
    v = run(b)
    assert not filing_errors(v)
    f = one(v, "FILING_MISSING", field="filing_number")
    assert f.severity == Severity.warning
    says(f, "2026-07-20", "可能尚未公布", "中央网信办官网", AS_OF)
    assert v.filing_checks[0].outcome == "too_new"
    # the same number once the registry holds a list newer than it by the publication delay
    later = OURS.model_copy(update={"number": "Beijing-Other-202607010001", "filer": "别的公司", "filed": "2027/12/1"})
    v = run(b, build_registry([later]))
    says(one(v, "FILING_MISSING", field="filing_number", severity=Severity.error), "截至 2027-12-01")


def test_the_publication_delay_covers_what_the_published_lists_show():
    """A number is published at most this long after its date (to its list's month end)."""
    longest = 0
    for row in snapshot_rows():
        day = filing_date(row.number)
        year, month = map(int, row.list.split("-"))
        if day:
            longest = max(longest, (date(year + month // 12, month % 12 + 1, 1) - day).days - 1)
    assert longest <= rules()["publication_lag_days"]


def test_a_registration_passed_off_as_a_filing_asks_for_the_models_filing():
    app = FilingRow(kind="登记", list="2025-06", seq="3", region="北京市", name="明理写作助手",
                    filer=PROVIDER, number="Beijing-MingLiXieZuo-20250417S0002", filed="2025/4/17")
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", app.number)
    registry = build_registry([OURS, app])
    v = run(b, registry)
    f = one(v, "FILING_MISSING", field="filing_number")
    assert f.severity == Severity.warning
    says(f, app.number, "登记", "底层模型", "备案证明")
    # what a 登记 proves is the checklist's to say
    strict = load_checklist(ETOWN).model_copy(deep=True)
    strict.eligibility.registration = "reject"
    v = validate_documents(b.docs, b.files, strict, registry)
    assert one(v, "FILING_MISSING", field="filing_number").severity == Severity.error
    lenient = load_checklist(ETOWN).model_copy(deep=True)
    lenient.eligibility.registration = "accept"
    none_of(validate_documents(b.docs, b.files, lenient, registry), "FILING_MISSING")


def test_no_proof_the_finding_stays_and_names_the_registry_row():
    v = run(clean(ETOWN).drop(DocType.cac_filing))
    f = one(v, "FILING_MISSING")
    assert f.severity == Severity.error and f.found == "无"
    says(f, NUMBER, PROVIDER, "2023/11/20")
    assert [c.outcome for c in v.filing_checks] == ["registry_only"]
    # without a row of the contract's model, the message is today's
    v = run(clean(ETOWN).drop(DocType.cac_filing), build_registry())
    assert NUMBER not in one(v, "FILING_MISSING").message and v.filing_checks == []


def test_algorithm_filings_and_programmes_without_filing_are_not_checked_against_the_lists():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "网信算备110108823483902230017号")
    v = run(b)
    none_of(v, "FILING_MISSING")
    assert v.filing_checks[0].outcome == "not_covered"
    b = clean(Q1)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231109")
    v = run(b)
    none_of(v, "FILING_MISSING")
    assert v.filing_checks == []


def test_longgangs_assessment_alternative_is_unchanged():
    b = clean(LONGGANG).drop(DocType.cac_filing)
    b.add(DocType.security_assessment, {})
    none_of(run(b), "FILING_MISSING")
    # a filing proof beside the assessment is not needed, so its number is not held against it
    b = clean(LONGGANG)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231213")
    assert filing_errors(run(b))
    b.add(DocType.security_assessment, {})
    none_of(run(b), "FILING_MISSING")


def test_an_unsure_number_is_not_looked_up():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231109", confidence=0.5)
    v = run(b)
    assert not filing_errors(v) and v.filing_checks == []


def test_without_a_registry_nothing_changes():
    b = clean(ETOWN)
    b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231109")
    v = run(b, None)
    none_of(v, "FILING_MISSING")
    assert v.filing_checks == []


# --- lists as published -------------------------------------------------------------------------

FILED_HEADER = ["序号", "属地", "大模型名称", "备案单位", "备案编号", "备案时间"]
REGISTERED_HEADER = ["序号", "属地", "应用/功能名称", "登记单位", "上线编号", "登记时间"]


def test_a_docx_list_with_both_kinds_and_repeated_headers(tmp_path):
    filed = [FILED_HEADER,
             ["1", "北京市", MODEL, PROVIDER, "Beijing-MingLi-20231108", "2023/11/20"],
             FILED_HEADER,  # the header again, at the top of the table's next page
             ["2", "上海市", "海纳大模型", "上海海纳智能科技有限公司", "Shanghai-HaiNa-202405060012 ", "2024/6/1（补登）"]]
    registered = [REGISTERED_HEADER,
                  ["1", "北京市", "明理写作助手", PROVIDER, "Beijing-MingLiXieZuo-20250417S0002", "2025/4/17"]]
    rows = read_filing_list(write_docx(tmp_path / "2025年第3批.docx", [filed, registered]))
    assert [(r.kind, r.number, r.filed) for r in rows] == [
        ("备案", "Beijing-MingLi-20231108", "2023/11/20"),
        ("备案", "Shanghai-HaiNa-202405060012", "2024/6/1（补登）"),
        ("登记", "Beijing-MingLiXieZuo-20250417S0002", "2025/4/17")]
    assert rows[0] == OURS.model_copy(update={"list": "2025年第3批", "seq": "1"})


def test_an_xlsx_list_with_the_other_header_wording_and_a_date_cell(tmp_path):
    header = ["序号", "属地", "模型名称", "备案单位", "备案号", "备案时间"]
    path = write_xlsx(tmp_path / "list.xlsx", [
        ["生成式人工智能服务已备案信息"], header,
        [1, "北京市", MODEL, PROVIDER, "Beijing-MingLi-20231108", 45250],  # 2023-11-20 as Excel stores it
        header,
        [2, "广东省", "南风大模型", "广州南风信息技术有限公司", "Guangdong-NanFeng-202403050007", "2024/3/5"]])
    rows = read_filing_list(path, "2024-05")
    assert [(r.seq, r.name, r.number, r.filed, r.list) for r in rows] == [
        ("1", MODEL, "Beijing-MingLi-20231108", "2023/11/20", "2024-05"),
        ("2", "南风大模型", "Guangdong-NanFeng-202403050007", "2024/3/5", "2024-05")]


@pytest.mark.parametrize(("name", "content", "says_"), [
    ("list.docx", b"PK\x03\x04 not really a zip", "已损坏"),
    ("list.xlsx", b"", "已损坏"),
    ("list.xls", b"\xd0\xcf\x11\xe0", ".docx 或 .xlsx"),
    ("list.pdf", b"%PDF-1.7", "无法识别"),
    ("list.csv", "序号,名称\n1,x\n".encode(), "表头"),
    ("list.csv", "kind,list,seq,region,name,filer,number,filed\n备忘,x,1,,a,b,c,\n".encode(), "第 2 行"),
])
def test_a_damaged_or_foreign_file_is_refused_in_chinese(tmp_path, name, content, says_):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegistryFileError, match=re.escape(says_)):
        read_filing_list(path)


def test_a_docx_without_the_lists_table_is_refused(tmp_path):
    path = write_docx(tmp_path / "letter.docx", [[["甲方", "乙方"], ["某公司", "另一公司"]]])
    with pytest.raises(RegistryFileError, match="没有找到备案或登记记录"):
        read_filing_list(path)


def test_one_character_off_the_providers_number_on_an_ocred_page_may_be_a_misreading():
    b = clean(ETOWN)
    doc = b.set(DocType.cac_filing, "filing_number", "Beijing-MingLi-20231103")
    doc.text_source = "ocr"
    v = run(b)
    assert not filing_errors(v)
    f = one(v, "FILING_MISSING", field="filing_number")
    says(f, "Beijing-MingLi-20231103", NUMBER, "识别误差")
    assert (f.expected, f.found) == (NUMBER, "Beijing-MingLi-20231103")
    # further off, or printed in a born-digital proof, it is not a misreading
    doc.fields["filing_number"] = doc.fields["filing_number"].model_copy(update={"value": "Beijing-MingLi-20231213"})
    assert filing_errors(run(b))
