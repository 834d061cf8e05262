"""Bundles with electronic originals, end to end on born-digital bundles we generate: an OFD
invoice alone passes, PDF + OFD + XML of one invoice are one document counted once, an OFD
edited after signing fails with SIGNATURE_INVALID, formats that disagree are a finding."""

import shutil
from pathlib import Path

import pytest

from docintake.pipeline.run import check_bundle
from docintake.report.html import render_report
from docintake.samples.generator import generate_bundle
from docintake.samples.generator.ofd_invoice import ofd_invoice
from docintake.samples.generator.sm2_sign import SigningKey
from docintake.samples.generator.xml_invoice import shudian_xml

PROGRAMME = "etown-model-voucher-2026h1"
SEED = 2  # a clean bundle whose one invoice is a 数电 invoice (no seal needed)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("originals")
    truth = generate_bundle(root, PROGRAMME, SEED, render="born_digital", as_zip=False)
    (invoice,) = [d for d in truth["documents"] if d["doc_type"] == "invoice"]
    assert invoice["fields"]["invoice_kind"].startswith("sd_")
    return root / PROGRAMME / truth["bundle"], invoice["pages"][0][0], invoice["fields"]


def _bundle(base, tmp_path: Path, keep_pdf: bool, files: dict[str, bytes]) -> Path:
    folder, pdf, _ = base
    out = tmp_path / "bundle"
    shutil.copytree(folder, out)
    if not keep_pdf:
        (out / pdf).unlink()
    for name, data in files.items():
        (out / name).write_bytes(data)
    return out


def _invoices(report):
    return [d for d in report.documents if d.doc_type == "invoice"]


def test_a_bundle_whose_only_invoice_is_a_signed_ofd_passes(base, tmp_path):
    fields = base[2]
    key = SigningKey.from_seed("seller", fields["seller_name"])
    bundle = _bundle(base, tmp_path, False, {"fp.ofd": ofd_invoice(fields, key=key)})
    report = check_bundle(bundle, PROGRAMME)
    (doc,) = _invoices(report)
    html = render_report(report, bundle)
    assert f"电子签名有效　签名人：{fields['seller_name']}" in html
    assert "「fp.ofd」第 1 页" in html and "页面图像无法生成" not in html  # the OFD page drawn
    assert report.verdict == "pass", [f.message for f in report.findings]
    assert doc.source == "fp.ofd" and doc.sources == ["fp.ofd"]
    assert doc.signature.status == "valid" and doc.signature.signer == fields["seller_name"]
    assert doc.fields["total_amount"].value == fields["total_amount"]
    assert doc.fields["total_amount"].confidence == 1.0


KEY_FIELDS = ("invoice_number", "issue_date", "buyer_name", "buyer_uscc", "seller_name", "seller_uscc",
              "amount_excl_tax", "tax_amount", "total_amount")


def test_an_xml_invoice_alone_gives_the_same_fields_as_its_pdf(base, tmp_path):
    fields = base[2]
    report = check_bundle(_bundle(base, tmp_path, False, {"fp.xml": shudian_xml(fields)}), PROGRAMME)
    (doc,) = _invoices(report)
    assert report.verdict == "pass", [f.message for f in report.findings]
    assert {k: doc.fields[k].value for k in KEY_FIELDS} == {k: fields[k] for k in KEY_FIELDS}
    pdf_only = check_bundle(base[0], PROGRAMME)
    (pdf_doc,) = _invoices(pdf_only)
    assert {k: pdf_doc.fields[k].value for k in KEY_FIELDS} == {k: doc.fields[k].value for k in KEY_FIELDS}


def test_pdf_ofd_and_xml_of_one_invoice_are_one_document_counted_once(base, tmp_path):
    fields = base[2]
    files = {"fp.ofd": ofd_invoice(fields, attachment=True), "fp.xml": shudian_xml(fields)}
    bundle = _bundle(base, tmp_path, True, files)
    report = check_bundle(bundle, PROGRAMME)
    (doc,) = _invoices(report)
    assert "同一张发票的 3 个文件（金额只计一次）" in render_report(report, bundle)
    assert sorted(doc.sources) == sorted(["fp.ofd", "fp.xml", base[1]])
    assert report.subsidy.basis == fields["total_amount"]
    assert report.verdict == "pass", [f.message for f in report.findings]
    for name in ("invoice_number", "issue_date", "seller_uscc", "amount_excl_tax", "tax_amount"):
        assert doc.fields[name].value == fields[name], name


def test_an_ofd_edited_after_signing_fails_an_unsigned_one_does_not(base, tmp_path):
    fields = base[2]
    key = SigningKey.from_seed("seller", fields["seller_name"])
    total = f"¥{fields['total_amount']:.2f}"
    edited = ofd_invoice(fields, key=key, edit={total: f"¥{fields['total_amount'] - 1000:.2f}"})
    report = check_bundle(_bundle(base, tmp_path, False, {"fp.ofd": edited}), PROGRAMME)
    assert "电子签名无效" in render_report(report)
    (bad,) = [f for f in report.findings if f.code == "SIGNATURE_INVALID"]
    assert bad.severity == "error" and "fp.ofd" in bad.message and bad.document == _invoices(report)[0].id
    assert report.verdict == "fail"


def test_formats_that_disagree_are_a_finding_naming_both_files(base, tmp_path):
    fields = base[2]
    other = {**fields, "total_amount": fields["total_amount"] + 100, "tax_amount": fields["tax_amount"] + 100}
    report = check_bundle(_bundle(base, tmp_path, True, {"fp.xml": shudian_xml(other)}), PROGRAMME)
    (doc,) = _invoices(report)
    both = [f for f in report.findings if "fp.xml" in f.message and base[1] in f.message]
    assert {(f.code, f.field) for f in both} == {("AMOUNT_MISMATCH", "total_amount"),
                                                 ("AMOUNT_MISMATCH", "tax_amount")}
    assert report.verdict == "fail"
    assert len(doc.sources) == 2


def test_a_signed_pdf_invoice_edited_after_signing_fails(base, tmp_path):
    from docintake.samples.generator.signed_pdf import sign_pdf

    folder, pdf, _ = base
    signed = sign_pdf((folder / pdf).read_bytes(), SigningKey.from_seed("platform", "税务局测试签章"))
    edited = signed + b"9999 0 obj\n<< /Type /Annot >>\nendobj\n%%EOF\n"
    report = check_bundle(_bundle(base, tmp_path, False, {"fp.pdf": signed, "fp2.pdf": edited}), PROGRAMME)
    docs = {d.source: d for d in _invoices(report)}
    assert docs["fp.pdf"].signature.status == "valid"
    assert docs["fp2.pdf"].signature.status == "invalid"
    (bad,) = [f for f in report.findings if f.code == "SIGNATURE_INVALID"]
    assert bad.document == docs["fp2.pdf"].id and "fp2.pdf" in bad.message


def test_older_e_invoices_as_ofd_with_their_seal_printed_pass_like_their_pdfs(tmp_path):
    """增值税电子普通发票 (with a code) need the seller's 发票专用章: printed as an image on the OFD
    page, it is found and named like the PDF's."""
    import io
    import random

    from docintake.samples.generator.seals import SealBook

    truth = generate_bundle(tmp_path / "gen", PROGRAMME, 3, render="born_digital", as_zip=False)
    folder = tmp_path / "gen" / PROGRAMME / truth["bundle"]
    invoices = [d for d in truth["documents"] if d["doc_type"] == "invoice"]
    assert all(d["fields"].get("invoice_code") for d in invoices)
    for inv in invoices:
        fields = inv["fields"]
        seal, _ = SealBook(random.Random(1)).get("invoice_seal", fields["seller_name"], raster=False,
                                                 tax_no=fields["seller_uscc"], rotate=False)
        png = io.BytesIO()
        seal.save(png, format="PNG")
        (folder / inv["pages"][0][0]).unlink()
        (folder / f"{fields['invoice_number']}.ofd").write_bytes(ofd_invoice(fields, page_seal=png.getvalue()))
    report = check_bundle(folder, PROGRAMME)
    assert report.verdict == "pass", [f.message for f in report.findings]
    assert report.subsidy.basis == truth["expected_subsidy"]["basis"]
    for doc in _invoices(report):
        assert doc.source.endswith(".ofd")
        assert [(s.kind, s.owner) for s in doc.seals] == [("invoice_seal", doc.fields["seller_name"].value)]
