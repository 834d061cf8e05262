"""Tests of the synthetic bundle generator (samples/generator)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from docintake.samples.generator import DEFECTS, PROGRAMMES, generate_bundle
from docintake.samples.generator.defects import applicable, touches
from docintake.samples.generator.ids import (
    amount_upper,
    corrupt_uscc,
    make_uscc,
    org_valid,
    other_valid_uscc,
    uscc_valid,
)
from docintake.samples.generator.verify import check, load

SEAL_KIND = {
    "company_seal": {"company_seal", "contract_seal"},
    "invoice_seal": {"invoice_seal"},
    "provider_seal": {"company_seal"},
    "tax_authority_seal": {"tax_authority_seal"},
    "paging_seal": {"paging_seal"},
}


def truth_path(out: Path, t: dict) -> Path:
    return out / t["programme"] / (t["bundle"].removesuffix(".zip") + ".truth.json")


def hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("clean")
    # scans/photos for three programmes, born-digital only for two (keeps the test fast)
    truths = [
        generate_bundle(out, p, 11 + i, as_zip=(i == 1), render=None if i % 2 == 0 else "born_digital")
        for i, p in enumerate(sorted(PROGRAMMES))
    ]
    return out, truths


# ---------------------------------------------------------------- identifiers
def test_uscc_check_digits():
    import random

    rng = random.Random(0)
    for _ in range(200):
        code = make_uscc(rng, "440305")
        assert uscc_valid(code) and org_valid(code)
        assert not uscc_valid(corrupt_uscc(code))
        other = other_valid_uscc(rng, code)
        assert other != code and uscc_valid(other)
    assert uscc_valid("91350100M000100Y43")  # a published example code


def test_amount_upper():
    assert amount_upper(300000) == "叁拾万元整"
    assert amount_upper(1000.05) == "壹仟元零伍分"
    assert amount_upper(100005) == "壹拾万零伍元整"
    assert amount_upper(1000500) == "壹佰万零伍佰元整"
    assert amount_upper(246913.58, "圆", "") == "贰拾肆万陆仟玖佰壹拾叁圆伍角捌分"
    assert amount_upper(0.5) == "伍角整"


# ---------------------------------------------------------------- bundles
def test_clean_bundles_agree_with_truth(clean):
    out, truths = clean
    assert {t["programme"] for t in truths} == set(PROGRAMMES)
    assert any(t["bundle"].endswith(".zip") for t in truths)
    for t in truths:
        assert t["defects"] == [] and t["expected_findings"] == []
        assert check(truth_path(out, t)) == [], t["bundle"]
        n_pages = sum(len(f["pages"]) for f in t["files"])
        assert 6 <= n_pages <= 30
        assert t["expected_subsidy"]["payable"] > 0


def test_every_page_belongs_to_a_document_and_files_open(clean):
    out, truths = clean
    for t in truths:
        _, blobs = load(truth_path(out, t))
        ids = {d["id"] for d in t["documents"]}
        for f in t["files"]:
            assert f["pages"], f["name"]
            assert all(p["doc"] in ids for p in f["pages"])
            data = blobs[f["name"]]
            if f["format"] == "pdf":
                assert pymupdf.open(stream=data, filetype="pdf").page_count == len(f["pages"])
            else:
                Image.open(io.BytesIO(data)).load()


def test_truth_field_names(clean):
    keys = {
        "business_licence": {
            "company_name",
            "uscc",
            "legal_rep",
            "established_date",
            "valid_until",
            "address",
        },
        "invoice": {
            "invoice_number",
            "issue_date",
            "buyer_name",
            "buyer_uscc",
            "seller_name",
            "seller_uscc",
            "amount_excl_tax",
            "tax_amount",
            "total_amount",
            "total_amount_upper",
        },
        "contract": {
            "party_a",
            "party_b",
            "contract_amount",
            "sign_date",
            "service_start",
            "service_end",
            "model_name",
            "deployment_mode",
        },
        "payment_proof": {"payer_name", "payee_name", "amount", "payment_date"},
        "tax_certificate": {"taxpayer_name", "uscc", "issue_date", "certificate_kind"},
        "application_form": {"applicant_name", "uscc", "programme_title", "requested_amount"},
    }
    _, truths = clean
    for t in truths:
        for d in t["documents"]:
            assert keys.get(d["doc_type"], set()) <= set(d["fields"]), d["doc_type"]
            if d["doc_type"] == "invoice" and not d["fields"]["invoice_kind"].startswith("sd_"):
                assert "invoice_code" in d["fields"]
                assert any(s["kind"] == "invoice_seal" for s in d["seals"])
            if d["doc_type"] == "contract" and t["programme"] == "shenzhen-model-voucher-2025":
                assert sum(s["kind"] == "paging_seal" for s in d["seals"]) == len(d["pages"]) >= 2


def test_deterministic(clean, tmp_path):
    out, truths = clean
    t = truths[0]
    again = generate_bundle(tmp_path, t["programme"], t["seed"], as_zip=t["bundle"].endswith(".zip"))
    assert again == t
    a = out / t["programme"]
    b = tmp_path / t["programme"]
    if t["bundle"].endswith(".zip"):
        assert (a / t["bundle"]).read_bytes() == (b / t["bundle"]).read_bytes()
    else:
        assert hashes(a / t["bundle"]) == hashes(b / t["bundle"])
    assert truth_path(out, t).read_bytes() == truth_path(tmp_path, t).read_bytes()


def test_a_bundle_written_in_part_holds_the_whole_bundles_files_byte_for_byte(clean, tmp_path):
    """only=doc types: just the files holding them are made, each as in the whole bundle (its
    scans and photos planned with every random choice drawn), and the truth lists just those."""
    out, truths = clean
    t = next(t for t in truths if not t["bundle"].endswith(".zip") and any(
        page["render"] == "scan" for f in t["files"] for page in f["pages"]))
    scanned = {d["doc_type"] for d in t["documents"] if d["render"] == "scan"}
    wanted = {sorted(scanned)[0], "commitment_letter"}
    part = generate_bundle(tmp_path, t["programme"], t["seed"], as_zip=False, only=wanted)
    holding = {name for d in t["documents"] if d["doc_type"] in wanted for name, _ in d["pages"]}
    holding |= {f["name"] for f in t["files"] if any(p.get("pasted") for p in f["pages"])}  # always made
    assert {f["name"] for f in part["files"]} == holding
    assert part["files"] == [f for f in t["files"] if f["name"] in holding]
    assert part["documents"] == t["documents"]
    whole = hashes(out / t["programme"] / t["bundle"])
    assert hashes(tmp_path / t["programme"] / t["bundle"]) == {name: whole[name] for name in holding}


def test_photo_render_bboxes(tmp_path):
    t = generate_bundle(tmp_path, "nanshan-model-voucher-2026q1", 5, render="photo", as_zip=False)
    assert check(truth_path(tmp_path, t)) == []
    pages = [p for f in t["files"] for p in f["pages"]]
    assert {p["render"] for p in pages} == {"photo"}
    assert sum(d["seals"] != [] for d in t["documents"]) >= 3


# ---------------------------------------------------------------- defects
def _manifest(t: dict, finding: dict) -> bool:
    """Does the truth actually show what the finding claims?"""
    by: dict[str, list[dict]] = {}
    for d in t["documents"]:
        by.setdefault(d["doc_type"], []).append(d)
    code, dt, field = finding["code"], finding["doc_type"], finding["field"]
    inv = round(sum(d["fields"]["total_amount"] for d in by.get("invoice", [])), 2)
    w0, w1 = t["window"]
    if code == "MATERIAL_MISSING":
        return dt not in by
    if code == "SEAL_MISSING":
        sealing = {"company_seal": t["applicant"]["name"], "invoice_seal": t["provider"]["name"],
                   "provider_seal": t["provider"]["name"]}.get(field)
        kinds = SEAL_KIND[field] | ({"contract_seal"} if field == "provider_seal" else set())
        return any(not any(s["kind"] in kinds and (sealing is None or s["owner"] == sealing) for s in d["seals"])
                   for d in by[dt])
    if code == "SIGNATURE_MISSING":
        return any(d["fields"].get("legal_rep_signed") is False for d in by[dt])
    if code == "DATE_OUT_OF_WINDOW":
        return any(not w0 <= d["fields"][field] <= w1 for d in by[dt])
    if code == "AMOUNT_MISMATCH":
        if field == "total_amount_upper":
            return any(
                d["fields"][field] != amount_upper(d["fields"]["total_amount"], "圆", "") for d in by[dt]
            )
        if dt == "invoice":
            return inv > by["contract"][0]["fields"]["contract_amount"]
        if dt == "payment_proof":
            return round(sum(d["fields"]["amount"] for d in by[dt]), 2) != inv
        return any(round(d["fields"]["total_amount"], 2) != inv for d in by[dt])
    if code == "AMOUNT_BELOW_MINIMUM":
        if field == "payable":
            return t["expected_subsidy"]["payable"] == 0
        return by["contract"][0]["fields"]["contract_amount"] < 200_000
    if code == "NAME_MISMATCH":
        return any(d["fields"][field] != t["applicant"]["name"] for d in by[dt])
    if code == "USCC_INVALID":
        return not all(uscc_valid(d["fields"]["uscc"]) for d in by[dt])
    if code == "USCC_MISMATCH":
        return by[dt][0]["fields"][field] != by["business_licence"][0]["fields"]["uscc"]
    if code == "RELATED_PARTY":
        c = by["contract"][0]
        if field == "party_b":
            return c["fields"]["party_b"] == c["fields"]["party_a"]
        return (
            sum(s["owner"] == t["applicant"]["name"] for s in c["seals"] if s["kind"] != "paging_seal") == 2
        )
    if code == "FILING_MISSING":
        if field is None:
            return "cac_filing" not in by and "security_assessment" not in by
        return by["cac_filing"][0]["fields"]["model_name"] != by["contract"][0]["fields"]["model_name"]
    if code == "INDUSTRY_INELIGIBLE":
        return by[dt][0]["fields"]["industry_code"][:2] not in ("64", "65")
    if code == "LICENCE_EXPIRED":
        return by[dt][0]["fields"]["valid_until"] < t["application_date"]
    if code == "DOCUMENT_UNREADABLE":
        return any(f.get("unreadable") and f["name"] == finding["file"] for f in t["files"])
    raise AssertionError(code)


def _groups() -> list[tuple[str, list[str]]]:
    """Pack every defect into a few bundles (greedy set cover; disjoint documents per bundle)."""
    app = {p: applicable(p, 1) for p in sorted(PROGRAMMES)}
    todo, groups = set(DEFECTS), []
    while todo:
        best: tuple[str, list[str]] = ("", [])
        for prog, names in app.items():
            cand = sorted(
                (n for n in names if n in todo), key=lambda n: (sum(n in v for v in app.values()), n)
            )
            group, used = [], set()
            for n in cand:
                if not touches(n) & used:
                    group.append(n)
                    used |= touches(n)
            if len(group) > len(best[1]):
                best = (prog, group)
        assert best[1], f"defects no programme can take: {todo}"
        groups.append(best)
        todo -= set(best[1])
    return groups


@pytest.mark.parametrize("prog,names", _groups(), ids=lambda v: v if isinstance(v, str) else "+".join(v))
def test_forced_defects_yield_findings(tmp_path, prog, names):
    t = generate_bundle(tmp_path, prog, 1, defects=names, render="born_digital", as_zip=False)
    assert t["defects"] == names
    assert check(truth_path(tmp_path, t)) == []
    for n in names:
        mine = [x for x in t["expected_findings"] if x["defect"] == n]
        assert mine, n
        for x in mine:
            assert _manifest(t, x), (n, x)
    json.dumps(t)  # serialisable


def test_auto_defects_never_remove_what_another_is_measured_against():
    """payment_mismatch is AMOUNT_MISMATCH against the invoice: with the invoice removed as well
    (missing_invoice) the truth would expect a finding the bundle cannot show."""
    import random

    from docintake.samples.generator.defects import NEEDS, pick_auto
    from docintake.samples.generator.plan import plan_documents
    from docintake.samples.generator.scenario import make_facts

    pairs = 0
    for seed in range(400):
        rng = random.Random(f"nanshan-model-voucher-2026q1:{seed}")
        f = make_facts("nanshan-model-voucher-2026q1", rng)
        specs = plan_documents(f, rng)
        picked = pick_auto(f, specs, rng)
        removed = {n[8:] for n in picked if n.startswith("missing_")}
        assert not any(NEEDS.get(n) in removed for n in picked), picked
        pairs += len(picked) == 2
    assert pairs > 20  # two-defect bundles were drawn, so the rule was put to the test
