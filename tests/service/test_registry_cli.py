"""`docintake registry import` / `registry show` on a real store (SQLite, and PostgreSQL where it can
be started), and the registry reaching `check` on a generated born-digital bundle."""

import json
import sqlite3
from pathlib import Path

from docintake.app.cli import main
from docintake.core.settings import Settings
from docintake.pipeline.history import History
from docintake.pipeline.registry_store import import_rows, load_registry, stored_rows
from docintake.pipeline.run import process_bundle
from docintake.pipeline.steps import file_reports
from docintake.samples.generator import generate_bundle, registry_rows, write_registry
from docintake.validators.checklist import load_checklist
from docintake.validators.run import validate_documents
from tests.support.registry_files import write_docx

ETOWN = "etown-model-voucher-2026h1"
HEADER = ["序号", "属地", "模型名称", "备案单位", "备案号", "备案时间"]
ROWS = [HEADER,
        ["1", "北京市", "衡石大模型", "北京衡石智算科技有限公司", "Beijing-HengShi-202509010007", "2025/10/20"],
        HEADER,
        ["2", "浙江省", "钱塘大模型", "杭州钱塘数智有限公司", "Zhejiang-QianTang-202510150031", "2025/11/30（补登）"]]


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_show_finds_a_snapshot_row_by_number_name_or_filer(capsys):
    code, out, err = _run(capsys, "registry", "show", "Beijing-WenXinYiYan-20230821")
    assert code == 0
    line = out.strip().splitlines()
    assert len(line) == 1 and all(s in line[0] for s in ("文心一言", "北京百度网讯科技有限公司", "2023/8/31"))
    assert "找到 1 条" in err and "2026-08-31" in err
    assert "Beijing-WenXinYiYan-20230821" in _run(capsys, "registry", "show", "文心一言")[1]
    assert "Beijing-WenXinYiYan-20230821" in _run(capsys, "registry", "show", "北京百度网讯")[1]
    code, out, err = _run(capsys, "registry", "show", "Nowhere-NoSuchModel-20990101")
    assert code == 1 and out == "" and "找到 0 条" in err


def test_import_adds_a_list_once_and_every_later_check_sees_it(tmp_path, capsys):
    listed = write_docx(tmp_path / "2025-12.docx", [ROWS])
    code, out, _ = _run(capsys, "registry", "import", str(listed))
    assert code == 0
    assert "新增 2 条" in out and "Beijing-HengShi-202509010007" in out and "名录截至 2026-08-31" in out
    code, out, _ = _run(capsys, "registry", "import", str(listed))  # the same list again: nothing added
    assert code == 0 and "新增 0 条" in out and "2 条已在名录中" in out
    store = Path(Settings().home) / "history.sqlite"
    assert sqlite3.connect(store).execute("SELECT count(*) FROM filings").fetchone()[0] == 2
    code, out, _ = _run(capsys, "registry", "show", "钱塘")
    assert code == 0 and "2025/11/30（补登）" in out and "2025-12 名单" in out
    # the snapshot itself, as a CSV in its columns, adds nothing either
    snapshot = Path(__file__).resolve().parents[2] / "validators" / "data" / "cac-genai-filings.csv"
    code, out, _ = _run(capsys, "registry", "import", str(snapshot))
    assert code == 0 and "读取 1842 条" in out and "新增 0 条" in out


def test_a_damaged_file_changes_nothing_and_says_why(tmp_path, capsys):
    history = tmp_path / "h.sqlite"
    good = write_docx(tmp_path / "good.docx", [ROWS])
    assert _run(capsys, "registry", "import", str(good), "--history", str(history))[0] == 0
    before = history.read_bytes()
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:300])  # cut off mid-way, as a failed download is
    code, out, err = _run(capsys, "registry", "import", str(bad), "--history", str(history))
    assert code == 2 and out == "" and "已损坏" in err and "Traceback" not in err
    assert history.read_bytes() == before
    code, _, err = _run(capsys, "registry", "import", str(tmp_path / "absent.xlsx"), "--history",
                        str(tmp_path / "other.sqlite"))
    assert code == 2 and "文件不存在" in err and not (tmp_path / "other.sqlite").exists()


def test_a_configured_registry_csv_that_cannot_be_read_stops_check_with_the_reason(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "list.csv"
    bad.write_text("序号,名称\n", encoding="utf-8")
    monkeypatch.setenv("DOCINTAKE_REGISTRY_CSV", str(bad))
    bundle = tmp_path / "b"
    bundle.mkdir()
    (bundle / "a.txt").write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "check", str(bundle), "--programme", ETOWN, "--json", str(tmp_path / "r.json"))
    assert code == 2 and "CSV 表头应为" in err and "Traceback" not in err
    assert not (tmp_path / "r.json").exists()


def test_the_registry_lives_in_the_history_store_on_postgresql_too(postgres):
    postgres.create_db("history")
    url = postgres.url("history", "psycopg")
    rows = _rows_of_docx()
    store = History(url)
    try:
        assert len(import_rows(store, rows)) == 2 and import_rows(store, rows) == []
        assert [r.number for r in stored_rows(store)] == [r.number for r in rows]
    finally:
        store.close()
    assert load_registry(url).find("zhejiang-qiantang-202510150031")[0].filed == "2025/11/30（补登）"


def _rows_of_docx():
    from docintake.core.datamodel import FilingRow

    return [FilingRow(kind="备案", list="2025-12", seq=r[0], region=r[1], name=r[2], filer=r[3], number=r[4].strip(),
                      filed=r[5]) for r in ROWS if r is not HEADER]


def test_generated_registry_holds_every_fictional_providers_number(tmp_path):
    from docintake.extractors.registry_lists import read_filing_list
    from docintake.samples.generator.entities import PROVIDERS, make_provider

    rows = read_filing_list(write_registry(tmp_path))
    assert [r.number for r in rows] == [make_provider(None, i).filing_number for i in range(len(PROVIDERS))]
    assert [r.model_dump() for r in rows] == [dict(r) for r in registry_rows()]


def test_a_generated_bundle_against_the_registry_real_number_one_digit_changed_another_firm(tmp_path, monkeypatch):
    """The registry reaches `check` from the store (`--history`); the bundle is read once and its
    filing proof's number changed as a forger would."""
    monkeypatch.delenv("DOCINTAKE_REGISTRY_CSV")  # this test imports the generator's list itself
    truth = generate_bundle(tmp_path / "in", ETOWN, 3, defects=[], render="born_digital")
    [proof] = [d for d in truth["documents"] if d["doc_type"] == "cac_filing"]
    number = proof["fields"]["filing_number"]
    assert not number.startswith("网信算备")  # this seed's proof is a service filing
    path = tmp_path / "in" / ETOWN / truth["bundle"]

    store = str(tmp_path / "h.sqlite")
    bundle = process_bundle(path, ETOWN, Settings(), history=store)  # nothing imported: not filed
    assert [f.code for f in bundle.findings if f.severity == "error"] == ["FILING_MISSING"]
    assert "不在国家网信办已公布的生成式人工智能服务备案信息中（截至 2026-08-31）" in bundle.findings[0].message

    listed = write_registry(tmp_path / "reg")
    assert main(["registry", "import", str(listed), "--history", store]) == 0
    bundle = process_bundle(path, ETOWN, Settings(), history=store)
    assert bundle.findings == [] and [c.outcome for c in bundle.filing_checks] == ["found"]
    check = bundle.filing_checks[0]
    assert check.number == number and check.filer_matches and check.model_matches

    registry = load_registry(store)
    doc = next(d for d in bundle.documents if d.doc_type == "cac_filing")

    def findings_with(value: str):
        doc.fields["filing_number"] = doc.fields["filing_number"].model_copy(update={"value": value})
        return validate_documents(bundle.documents, file_reports(bundle), load_checklist(ETOWN), registry).findings

    changed = number[:-1] + str((int(number[-1]) + 1) % 10)
    [f] = findings_with(changed)
    assert (f.code, f.severity, f.field) == ("FILING_MISSING", "error", "filing_number") and changed in f.message
    other = findings_with("Beijing-WenXinYiYan-20230821")
    assert {(f.code, f.severity, f.field) for f in other} == {
        ("FILING_MISSING", "warning", "provider_name"), ("FILING_MISSING", "warning", "model_name")}


def test_the_report_shows_each_filing_checks_evidence(tmp_path):
    truth = generate_bundle(tmp_path / "in", ETOWN, 3, defects=[], render="born_digital")
    out = tmp_path / "r.json"
    html = tmp_path / "r.html"
    assert main(["check", str(tmp_path / "in" / ETOWN / truth["bundle"]), "--programme", ETOWN, "--json", str(out),
                 "--html", str(html), "-q"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    [check] = report["filing_checks"]
    assert check["outcome"] == "found" and check["registry_as_of"] == "2026-08-31" and check["list"] == "generator"
    page = html.read_text(encoding="utf-8")
    assert "备案核验" in page and check["number"] in page and check["filer"] in page and "已在名录中" in page


def test_bench_imports_its_corpus_filings_into_its_own_store(tmp_path):
    from docintake.app.bench import _import_registry

    (tmp_path / "bundles").mkdir()
    store = _import_registry(tmp_path)  # a corpus from before the generator wrote its registry: written now
    assert store == str(tmp_path / "history.sqlite") and (tmp_path / "bundles" / "filings.csv").is_file()
    numbers = {r["number"] for r in registry_rows()}
    assert {r.number for r in stored_rows(History(store))} == numbers
    _import_registry(tmp_path)  # --keep: imported again, nothing added
    assert len(stored_rows(History(store))) == len(numbers)
