"""Naming the firm of a contract's party seals from an arc reading that OCR got partly wrong."""

import zipfile
from pathlib import Path

import pymupdf
import pytest

from docintake.core.datamodel import (
    Bundle,
    DocType,
    DocumentReport,
    ExtractedField,
    PageInfo,
    Seal,
    TextSource,
)
from docintake.core.settings import Settings
from docintake.extractors.seal_owners import bundle_firms, name_by_ink, name_party_seal_owners, resolve_owner
from docintake.pipeline.run import process_bundle, run_steps
from docintake.pipeline.steps import STEPS, Context

APPLICANT, PROVIDER = "深圳市致远软件有限公司", "深圳市星衍智能科技有限公司"


def test_a_reading_a_few_characters_off_names_its_firm():
    # real arc readings off colour and grey scans (bench seed 20261126)
    assert resolve_owner("深圳市致件有限公司", [APPLICANT, PROVIDER]) == APPLICANT
    assert resolve_owner("深圳市星能科技公司", [APPLICANT, PROVIDER]) == PROVIDER
    assert resolve_owner("司深圳市星衍智能科技有限公", [APPLICANT, PROVIDER]) == PROVIDER  # started mid-arc
    # hardly alike (0.48), but like nothing else the bundle names (grey scan, seed 20261129)
    firms = ["万象数据科技(北京)有限公司", "杭州青鸾人工智能有限公司"]
    assert resolve_owner("万象教据科授组((批)有限送司", firms) == firms[0]


def test_a_reading_like_no_firm_or_like_two_names_none():
    # a stranger's seal keeps its own reading; so does one that cannot tell two firms apart
    assert resolve_owner("广州天河云图数据有限公司", [APPLICANT, PROVIDER]) is None
    assert resolve_owner("深圳市星衍科技有限公司", ["深圳市星衍智能科技有限公司", "深圳市星衍数据科技有限公司"]) is None
    assert resolve_owner("深圳市致件有限公司", []) is None


def test_the_applicant_named_on_the_providers_side_takes_more_evidence():
    reading = "深圳市致达有限公"  # 0.67 like the applicant, 0.43 like the provider
    assert resolve_owner(reading, [APPLICANT, PROVIDER]) == APPLICANT
    assert resolve_owner(reading, [APPLICANT, PROVIDER], applicant_side_only={APPLICANT}) is None
    assert resolve_owner("深圳市致远软件有限公", [APPLICANT, PROVIDER], applicant_side_only={APPLICANT}) == APPLICANT


def _field(value):
    return ExtractedField(value=value, page=1, confidence=0.99)


def _doc(doc_type, fields, seals=()):
    return DocumentReport(id="d1", source="a.pdf", pages=[1], doc_type=doc_type, text_source=TextSource.ocr,
                          fields={k: _field(v) for k, v in fields.items()}, seals=list(seals),
                          page_info=[PageInfo(source="a.pdf", page=1, text_source=TextSource.ocr,
                                              width=595, height=842)])


def test_a_name_one_character_off_in_one_field_is_folded_into_the_spelling_most_agree_on():
    docs = [_doc(DocType.contract, {"party_a": APPLICANT, "party_b": "深圳市星衍智能科枝有限公司"}),
            _doc(DocType.invoice, {"seller_name": PROVIDER, "buyer_name": APPLICANT}),
            _doc(DocType.usage_statement, {"provider_name": PROVIDER}),
            _doc(DocType.payment_proof, {"payer_name": "深圳致远软件有限公司"})]  # 市 dropped
    assert bundle_firms(docs) == [APPLICANT, PROVIDER]


def test_contract_seal_text_stays_as_read_and_the_owner_is_the_firm():
    left = Seal(page=1, kind="contract_seal", text="深圳市致件有限公司合同专用章", owner="深圳市致件有限公司",
                bbox=(60, 600, 180, 720))
    right = Seal(page=1, kind="contract_seal", text="深圳市致达有限公合同专用章", owner="深圳市致达有限公",
                 bbox=(380, 600, 500, 720))
    licence = _doc(DocType.business_licence, {"company_name": APPLICANT})
    contract = _doc(DocType.contract, {"party_a": APPLICANT, "party_b": PROVIDER}, [left, right])
    name_party_seal_owners([licence, contract])
    assert (left.owner, left.text) == (APPLICANT, "深圳市致件有限公司合同专用章")
    assert right.owner == "深圳市致达有限公"  # on 乙方's side: too weak a reading to call a related party


@pytest.mark.ocr
def test_party_seals_on_a_blurred_scan_name_both_parties(tmp_path):
    """A 150-dpi scan whose arcs OCR reads as 深圳市致件有限公司 and 深圳市星能科技公司."""
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(tmp_path / "gen", "longgang-model-app-2025", 202611260017, auto_defects=True,
                           only={"contract"})
    contract = next(d for d in truth["documents"] if d["doc_type"] == "contract")
    folder = tmp_path / "contract"
    folder.mkdir()
    name = contract["seals"][0]["file"]
    generated = tmp_path / "gen" / truth["programme"] / truth["bundle"] / name
    _first_and_sealed_pages(generated.read_bytes(), contract, folder / name)
    ctx = Context(Settings.from_env(), tmp_path / "work", lambda *_: None)
    at = [step.name for step in STEPS].index("read_party_seals")
    bundle = run_steps(Bundle(name=folder.name, path=folder, programme=truth["programme"]), ctx, STEPS[:at])
    # A reading served by the page cache has no seal pixels: its seals are read from the page
    # rendered again, and must come out the same.
    cached = Bundle.model_validate_json(bundle.model_dump_json())
    assert any(s.pixels for p in bundle.pages for s in p.seals)
    assert not any(s.pixels for p in cached.pages for s in p.seals)
    run_steps(bundle, ctx, STEPS[at:])
    doc = next(d for d in bundle.documents if d.doc_type == DocType.contract)
    owners = sorted(s.owner for s in doc.seals if s.shape == "round")
    assert owners == sorted([truth["applicant"]["name"], truth["provider"]["name"]])
    run_steps(cached, ctx, STEPS[at:at + 1])
    assert _seal_readings(cached) == _seal_readings(bundle)


def _first_and_sealed_pages(data: bytes, contract: dict, out: Path) -> None:
    """The contract's first page (the parties' names, which its seals are read against) and the
    pages its party seals are on, alone of its PDF file (`data`), written to `out`."""
    pages = [page for file, page in contract["pages"] if file == out.name]
    sealed = {s["page"] for s in contract["seals"] if s["file"] == out.name and s["kind"] != "paging_seal"}
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        pdf.select([page - 1 for page in sorted({min(pages)} | sealed)])
        pdf.save(out)


def _seal_readings(bundle):
    return [(s.kind, s.text, s.owner) for p in bundle.pages for s in p.seals]


@pytest.mark.ocr
def test_party_seals_on_a_black_and_white_scan_are_named_by_their_ink(tmp_path):
    """A greyscale scan where the contract's print runs through both seals' arcs: OCR reads them as
    深圳市公星数告科共有限公益 and 深训恒信格股份有展公司, like no firm by their text (the text rule
    named neither), but the recogniser's output still supports each party's name far better than
    the other's (bench seed 20261131)."""
    from docintake.samples.generator import generate_bundle

    truth = generate_bundle(tmp_path / "gen", "longgang-model-app-2025", 202611310027, auto_defects=True,
                           only={"contract"})
    contract = next(d for d in truth["documents"] if d["doc_type"] == "contract")
    folder = tmp_path / "contract"
    folder.mkdir()
    name = contract["seals"][0]["file"]
    with zipfile.ZipFile(tmp_path / "gen" / truth["programme"] / truth["bundle"]) as packed:
        data = packed.read(name)
    _first_and_sealed_pages(data, contract, folder / name)
    bundle = process_bundle(folder, truth["programme"], Settings.from_env())
    doc = next(d for d in bundle.documents if d.doc_type == DocType.contract)
    seals = [s for s in doc.seals if s.shape == "round"]
    assert all(info.grey for info in doc.page_info if info.page in {s.page for s in seals})
    assert sorted(s.owner for s in seals) == sorted([truth["applicant"]["name"], truth["provider"]["name"]])
    assert not any(s.text.startswith(s.owner) for s in seals)  # the text stays as read


def test_the_ink_names_the_firm_it_supports_clearly_best():
    # text_gaps of real arcs (grey scans, bench seed 20261131)
    assert name_by_ink({"深圳恒信信息技术股份有限公司": -1.84, "深圳市灵犀数智科技有限公司": -7.25}) \
        == "深圳恒信信息技术股份有限公司"
    assert name_by_ink({"深圳恒信信息技术股份有限公司": -3.1, "深圳市灵犀数智科技有限公司": -7.25}) is None
    assert name_by_ink({"深圳市星衍智能科技有限公司": -1.0, "深圳市星云智能科技有限公司": -1.5}) is None
    # the applicant where the provider stamps takes more: a related party
    gaps = {APPLICANT: -2.2, PROVIDER: -6.0}
    assert name_by_ink(gaps) == APPLICANT
    assert name_by_ink(gaps, applicant_side_only={APPLICANT}) is None
    assert name_by_ink({APPLICANT: -0.5, PROVIDER: -6.0}, applicant_side_only={APPLICANT}) == APPLICANT


def test_of_two_branches_of_a_bank_the_one_the_ink_could_be_is_named():
    # text_gaps as real arcs of seals stamped over a receipt's red table give them: the branches
    # share most characters, so the runner-up is close per character, yet not a name the ink could be
    ccb, boc = "中国建设银行股份有限公司深圳福田支行", "中国银行股份有限公司杭州西湖支行"
    firms = {"深圳市青木数联科技有限公司": -6.19, "上海云杉计算机系统有限公司": -6.27}
    assert name_by_ink({ccb: -1.81, boc: -3.14, **firms}) == ccb
    assert name_by_ink({ccb: -2.36, boc: -4.84, **firms}) == ccb
    assert name_by_ink({ccb: -2.36, boc: -2.9, **firms}) is None  # hardly apart
    assert name_by_ink({ccb: -1.81, boc: -2.6, **firms}) is None  # both names the ink could be
    # not on the provider's side of a contract, where the applicant needs the stronger evidence
    assert name_by_ink({APPLICANT: -1.8, PROVIDER: -3.1}, applicant_side_only={APPLICANT}) is None


def _page(*texts):
    from docintake.core.datamodel import Page, TextLine

    return Page(source="a.pdf", page=1, width=595, height=842,
                lines=[TextLine(text=t, bbox=(0, 20 * i, 300, 20 * i + 12)) for i, t in enumerate(texts)])


def test_a_bank_branch_is_looked_for_as_its_seal_spells_it():
    """Receipts print a branch's short name; its 电子回单专用章 carries the bank's registered name,
    legal form included. A label run into the name is left off."""
    from docintake.extractors.seal_owners import banks_named

    page = _page("开户银行：招商银行深圳南湾支行", "收款行 中国银行股份有限公司广州天河支行",
                 "开户银行中国建设银行深圳福田支行", "招商银行 业务回单（付款）")
    assert banks_named([page]) == ["招商银行股份有限公司深圳南湾支行", "中国银行股份有限公司广州天河支行",
                                   "中国建设银行股份有限公司深圳福田支行"]


def test_a_documents_lexicon_leaves_out_short_forms_and_sentences():
    """The names a document's seals are matched to: the bundle's firms, the organisations its text
    names from their place name on, and no short form of another name (a tie would name nothing)."""
    from docintake.extractors.seal_owners import document_lexicon

    page = _page("我们审计了深圳市致远软件有限公司", "开户银行：中国工商银行深圳蛇口支行", "付款银行：中国工商银行",
                 "审计机构：深圳明信会计师事务所（特殊普通合伙）")
    lexicon = document_lexicon([page], [APPLICANT, PROVIDER])
    assert lexicon[:2] == [APPLICANT, PROVIDER]
    assert "中国工商银行股份有限公司深圳蛇口支行" in lexicon
    assert not [n for n in lexicon if n in ("中国工商银行", "中国工商银行深圳蛇口支行") or "审计" in n]


def test_a_licences_seal_is_looked_for_as_its_market_regulators():
    from docintake.extractors.seal_owners import registration_authorities

    def licence(address):
        return DocumentReport(id="d1", source="a.pdf", pages=[1], doc_type=DocType.business_licence, text_source=TextSource.ocr,
                              fields={"address": ExtractedField(value=address, page=1, confidence=1.0)})

    assert registration_authorities(licence("广东省深圳市南山区粤海街道科技路1号")) == [
        "深圳市市场监督管理局", "深圳市南山区市场监督管理局"]
    assert registration_authorities(licence("北京市海淀区中关村大街27号")) == [
        "北京市市场监督管理局", "北京市海淀区市场监督管理局"]
    assert registration_authorities(licence("某地某路")) == []


@pytest.mark.ocr
def test_a_look_alike_companys_seal_is_not_named_the_firm(engine):
    """The provider's subsidiary or branch stamped its seal: read with the bundle's firms as the
    lexicon, the seal keeps its own reading (another firm), while the provider's own is named."""
    import random

    import cv2
    import numpy as np
    from PIL import Image

    from docintake.extractors.seal_owners import firm_of
    from docintake.extractors.seals import find_seals
    from docintake.samples.generator.seals import _colourise, round_mask

    provider = "杭州云岫智能科技股份有限公司"
    owners = {}
    for owner in ("杭州云岫智能科技（深圳）有限公司", "杭州云岫智能科技有限公司上海分公司", provider):
        page = Image.new("RGB", (1240, 1754), "white")
        seal = _colourise(round_mask(owner, "合同专用章"), random.Random(1), 0.3, 0.9).resize((250, 250))
        page.paste(seal, (800, 1200), seal)
        hits = find_seals(cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR), engine, lexicon=[provider, APPLICANT])
        assert len(hits) == 1
        owners[owner] = firm_of(hits[0], [provider, APPLICANT]) or hits[0].owner
    assert owners == {"杭州云岫智能科技（深圳）有限公司": "杭州云岫智能科技(深圳)有限公司",
                      "杭州云岫智能科技有限公司上海分公司": "杭州云岫智能科技有限公司上海分公司", provider: provider}
