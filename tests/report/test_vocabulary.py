"""One Chinese vocabulary (docintake/core/vocab.yaml): it names every closed value, it is the only
table of those names, and no English enum value reaches what a user reads (the HTML report, the
OUTBOX index, the CLI, the Prefect artifact)."""

import ast
import re
import subprocess
import sys
import typing
from enum import Enum
from html.parser import HTMLParser

import pytest

from docintake.core import vocabulary as vocab
from docintake.core.datamodel import (
    Applicant,
    DocType,
    DocumentReport,
    ExtractedField,
    Finding,
    FindingCode,
    PageInfo,
    PageRef,
    Report,
    Seal,
    SealKind,
    Severity,
    SourceFileReport,
    TextSource,
    Verdict,
)
from docintake.core.files import report_json
from tests.support import ROOT
from tests.support.builders import INVOICE, make_pdf

ETOWN = "etown-model-voucher-2026h1"
VERDICT_WORDS = {"pass": "通过", "fail": "不通过", "needs_review": "需人工复核"}


def _statuses() -> set[str]:
    from docintake.pipeline.inbox import Outcome

    annotation = Outcome.model_fields["status"].annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return {m.value for m in annotation}
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    return {"done", "waiting", "failed"}  # a plain str: the values its comment lists


TABLES = [(DocType, vocab.DOC_TYPE_ZH), (FindingCode, vocab.CODE_ZH), (SealKind, vocab.SEAL_ZH),
          (Severity, vocab.SEVERITY_ZH), (Verdict, vocab.VERDICT_ZH), (TextSource, vocab.SOURCE_ZH)]


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=[e.__name__ for e, _ in TABLES])
def test_the_vocabulary_names_every_member_and_nothing_else(enum, table):
    assert set(table) == {m.value for m in enum}
    assert all(re.search(r"[\u4e00-\u9fff]", table[m]) for m in enum)  # keyed by member or value alike


def test_outcome_statuses_and_verdicts_have_their_words():
    assert set(vocab.STATUS_ZH) == _statuses()
    assert vocab.VERDICT_ZH == VERDICT_WORDS
    assert [vocab.verdict_zh(v) for v in Verdict] == [VERDICT_WORDS[v.value] for v in Verdict]
    assert vocab.status_zh("failed") == "失败" and vocab.status_zh("waiting") == "等待"


def test_every_extracted_field_and_required_seal_has_a_name():
    from docintake.extractors.fields import load_field_rules
    from docintake.validators.checklist import available_programmes, load_checklist

    names = {rule.name for rules in load_field_rules().values() for rule in rules}
    assert names <= set(vocab.FIELD_ZH), names - set(vocab.FIELD_ZH)
    assert set(vocab.FIELD_ZH) == set(vocab.FIELD_IN_MESSAGES)
    asked = {seal.kind for p in available_programmes() for m in load_checklist(p).materials for seal in m.seals}
    assert asked <= set(vocab.REQUIRED_SEAL_ZH) <= {k.value for k in SealKind}


def test_one_field_one_name_except_where_the_data_says_so():
    """合计金额 names one field (the invoice's 合计 row), and report and messages agree on it."""
    assert [k for k, v in vocab.FIELD_ZH.items() if v == "合计金额"] == ["amount_excl_tax"]
    assert vocab.FIELD_ZH["total_amount"] == vocab.field_in_messages("total_amount") == "价税合计"
    differ = {k for k in vocab.FIELD_ZH if vocab.FIELD_ZH[k] != vocab.FIELD_IN_MESSAGES[k]}
    assert differ == {"valid_until"}
    assert vocab.field_zh("valid_until") == "营业期限至" and vocab.field_in_messages("valid_until") == "营业期限"
    assert vocab.SEAL_ZH["company_seal"] == "公章" and vocab.REQUIRED_SEAL_ZH["company_seal"] == "申报单位公章"


def test_no_other_module_defines_a_table_of_the_vocabulary():
    names = {"DOC_TYPE_ZH", "FIELD_ZH", "SEAL_ZH", "CODE_ZH", "SEVERITY_ZH", "VERDICT_ZH", "SOURCE_ZH",
             "STATUS_ZH", "REQUIRED_SEAL_ZH", "FIELD_IN_MESSAGES", "FILING_OUTCOME_ZH"}
    own = ROOT / "docintake" / "core" / "vocabulary.py"
    defined = []
    for top in ("docintake", "extractors", "validators", "flows"):
        for path in (ROOT / top).rglob("*.py"):
            if path == own:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AnnAssign) else []
                defined += [f"{path.relative_to(ROOT)}:{t.id}" for t in targets
                            if isinstance(t, ast.Name) and t.id in names]
    assert defined == []


def test_every_seal_kind_the_reader_gives_is_in_the_vocabulary():
    from docintake.extractors.seals.read import classify

    cases = [("slice", "", ""), ("square", "陆辉艳", ""), ("round", "某公司", "合同专用章"),
             ("round", "某公司财务专用章", ""), ("round", "某公司", "发票专用章"), ("round", "某银行", "回单"),
             ("oval", "某公司", ""), ("round", "国家税务总局某税务局", ""), ("round", "某市市场监督管理局", ""),
             ("round", "某银行某支行", ""), ("round", "某公司", ""), ("round", "", "")]
    kinds = {classify(*case)[0] for case in cases}
    assert kinds <= set(vocab.SEAL_ZH)
    assert {"personal_seal", "registration_authority_seal", "unknown_seal"} <= kinds


# --- what users read -----------------------------------------------------------------------------

ENGLISH = sorted({m.value for e, _ in TABLES for m in e} | set(vocab.FIELD_ZH) | _statuses(), key=len,
                 reverse=True)
ENGLISH_RE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![A-Za-z0-9_])")


class _Visible(HTMLParser):
    """Text a reader sees (and tooltips, labels, placeholders); finding codes apart, each with the
    text shown just before it."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.codes: list[tuple[str, str]] = []
        self._skip = 0
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self._in_code = tag == "code"
        self.text += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")
        self._in_code = self._in_code and tag != "code"

    def handle_data(self, data):
        if self._skip or not data.strip():
            return
        if self._in_code:
            self.codes.append((self.text[-1] if self.text else "", data.strip()))
        else:
            self.text.append(data)


def _visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


def _english_in(text: str) -> list[str]:
    return sorted(set(ENGLISH_RE.findall(text)))


def _everything_report(verdict: Verdict) -> Report:
    """A report holding every doc type, text source, seal kind, field, finding code and severity."""
    sources = list(TextSource)
    documents = []
    for n, doc_type in enumerate(DocType, start=1):
        source = f"材料{n}.pdf"
        documents.append(DocumentReport(
            id=f"D{n:02d}", source=source, pages=[1], doc_type=doc_type, text_source=sources[n % len(sources)],
            parts=[PageRef(source=source, page=1)],
            page_info=[PageInfo(source=source, page=1, text_source=sources[n % len(sources)], width=595, height=842)]))
    first = documents[0]
    first.fields = {name: ExtractedField(value="示例", page=1, bbox=(50, 50 + i, 200, 60 + i), confidence=0.9)
                    for i, name in enumerate([*vocab.FIELD_ZH, "qr_invoice_number"])}
    first.seals = [Seal(page=1, kind=kind.value, text="北京某某科技有限公司", bbox=(300, 600, 400, 700), owner="某公司")
                   for kind in SealKind]
    severities = list(Severity)
    fields = {FindingCode.SEAL_MISSING: "company_seal", FindingCode.RELATED_PARTY: "party_b_seal",
              FindingCode.SIGNATURE_MISSING: "legal_rep_signature", FindingCode.MATERIAL_MISSING: "audit_report",
              FindingCode.FIELD_UNREADABLE: "valid_until", FindingCode.AMOUNT_BELOW_MINIMUM: "payable"}
    findings = [Finding(code=code, severity=severities[i % 3], message=f"第 {i} 条问题", document=first.id,
                        doc_type=first.doc_type, page=1, field=fields.get(code, "personal_seal"),
                        expected="申报单位公章", found="无")
                for i, code in enumerate(FindingCode)]
    return Report(programme=ETOWN, bundle="材料包一", bundle_sha256="0" * 64, verdict=verdict,
                  applicant=Applicant(name="北京某某科技有限公司", uscc="91110115MA8EHN5A3N"),
                  documents=documents, findings=findings, generated_at="2026-07-01T02:00:00+00:00",
                  files=[SourceFileReport(name=d.source, sha256="0" * 64, size=1024, format="pdf", pages=1)
                         for d in documents])


@pytest.mark.parametrize("verdict", list(Verdict), ids=lambda v: v.value)
def test_no_english_enum_value_in_the_html_report(verdict):
    from docintake.report.html import render_report

    seen = _visible(render_report(_everything_report(verdict)))
    text = "\n".join(seen.text)
    assert _english_in(text) == []
    assert VERDICT_WORDS[verdict.value] in text
    assert "个人印章/签名章" in text and "登记机关印章" in text and "乙方盖章处印章" in text
    assert "需：申报单位公章" in text  # the checklist asks for whose seal, as the findings say it
    # finding codes stay visible for reviewers, each right after its Chinese name
    assert sorted(code for _, code in seen.codes) == sorted(c.value for c in FindingCode)
    assert all(label.strip() == vocab.CODE_ZH[code] for label, code in seen.codes), seen.codes


def test_no_english_enum_value_in_the_outbox_index(tmp_path):
    from docintake.report.index import render_index

    for n, verdict in enumerate(Verdict, start=1):
        target = tmp_path / ETOWN / f"材料包{n}"
        target.mkdir(parents=True)
        (target / "report.json").write_text(report_json(_everything_report(verdict)), encoding="utf-8")
    text = "\n".join(_visible(render_index(tmp_path)).text)
    assert _english_in(text) == []
    assert all(word in text for word in VERDICT_WORDS.values())


@pytest.mark.parametrize("verdict", list(Verdict), ids=lambda v: v.value)
def test_the_cli_summary_and_the_prefect_artifact_say_the_verdict_in_chinese(verdict):
    from docintake.app.console import check_summary
    from docintake.flows.bundle import verdict_texts

    report = _everything_report(verdict)
    line = check_summary(report)
    assert f"结论 [bold]{VERDICT_WORDS[verdict.value]}[/bold]" in line and _english_in(line) == []
    markdown, description, name = verdict_texts(report)
    assert description == f"结论 {VERDICT_WORDS[verdict.value]}"
    assert name == f"{ETOWN}/材料包一 → {VERDICT_WORDS[verdict.value]}"
    # codes only inside `code` spans, each after its Chinese name
    assert _english_in(re.sub(r"（`[A-Z_]+`）", "", markdown)) == []
    assert all(f"{vocab.CODE_ZH[c]}（`{c}`）" in markdown for c in FindingCode)


def test_check_on_the_command_line_ends_with_the_chinese_verdict(tmp_path):
    bundle = tmp_path / "材料"
    make_pdf(bundle / "a.pdf", [INVOICE])
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "docintake.app.cli", "check", str(bundle), "--programme", ETOWN,
                           "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stderr.splitlines() if "结论" in ln)
    assert "结论 不通过" in line  # materials are missing
    assert _english_in(line.split("→")[0]) == []
