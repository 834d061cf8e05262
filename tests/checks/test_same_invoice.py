"""merge_same_invoices over documents: which copies of an invoice are one document."""

from docintake.core.datamodel import DocumentReport, ExtractedField, PageRef
from docintake.extractors.same_invoice import merge_same_invoices


def _invoice(doc_id: str, source: str, confidence: float = 1.0, **fields) -> DocumentReport:
    return DocumentReport(
        id=doc_id, source=source, pages=[1], doc_type="invoice", text_source="text_layer",
        parts=[PageRef(source=source, page=1)], sources=[source],
        fields={k: ExtractedField(value=v, page=1, confidence=confidence, source=source) for k, v in fields.items()})


def test_pdf_and_ofd_of_one_invoice_fold_into_the_original():
    pdf = _invoice("d1", "scan.pdf", invoice_number="12345678", invoice_code="044031900111", total_amount=100.0)
    ofd = _invoice("d2", "fp.ofd", invoice_number="12345678", invoice_code="044031900111", total_amount=100.0,
                   seller_uscc="91330106MA2CFW8L4R")
    (doc,) = merge_same_invoices([pdf, ofd], {"fp.ofd"})
    assert doc.id == "d2" and doc.sources == ["fp.ofd", "scan.pdf"] and doc.conflicts == []
    assert [p.source for p in doc.parts] == ["fp.ofd", "scan.pdf"]


def test_a_surely_read_field_they_disagree_on_is_a_conflict_an_unsure_one_is_not():
    ofd = _invoice("d1", "fp.ofd", invoice_number="12345678", total_amount=100.0, seller_name="甲有限公司")
    pdf = _invoice("d2", "a.pdf", invoice_number="12345678", total_amount=190.0, seller_name="甲有限公司")
    (doc,) = merge_same_invoices([ofd, pdf], {"fp.ofd"})
    (conflict,) = doc.conflicts
    assert (conflict.field, conflict.value, conflict.other_value, conflict.other_source) == (
        "total_amount", 100.0, 190.0, "a.pdf")
    unsure = _invoice("d3", "b.jpg", 0.6, invoice_number="12345678", total_amount=190.0)
    (doc,) = merge_same_invoices([_invoice("d1", "fp.ofd", invoice_number="12345678", total_amount=100.0),
                                  unsure], {"fp.ofd"})
    assert doc.conflicts == [] and doc.fields["total_amount"].value == 100.0


def test_different_codes_two_scans_or_one_file_are_not_merged():
    a = _invoice("d1", "fp.ofd", invoice_number="12345678", invoice_code="044031900111")
    b = _invoice("d2", "a.pdf", invoice_number="12345678", invoice_code="011002680026")
    assert len(merge_same_invoices([a, b], {"fp.ofd"})) == 2
    scans = [_invoice("d1", "a.pdf", invoice_number="26442000000123456789"),
             _invoice("d2", "b.pdf", invoice_number="26442000000123456789")]
    assert len(merge_same_invoices(scans, set())) == 2  # no electronic original: a reviewer's duplicate
    same_file = [_invoice("d1", "fp.ofd", invoice_number="1"), _invoice("d2", "fp.ofd", invoice_number="1")]
    assert len(merge_same_invoices(same_file, {"fp.ofd"})) == 2


def test_an_invalid_signature_stays_an_error_whatever_the_type_reading():
    from docintake.core.datamodel import ElectronicSignature, PageInfo
    from docintake.validators.checklist import load_checklist
    from docintake.validators.run import validate_documents

    doc = _invoice("d1", "fp.ofd", invoice_number="12345678")
    doc.page_info = [PageInfo(source="fp.ofd", page=1, text_source="text_layer", width=595, height=400,
                              doc_type_score=0.2)]  # a titleless page the classifier was unsure of
    doc.signature = ElectronicSignature(status="invalid", signer="某税务局", note="摘要不符", source="fp.ofd")
    result = validate_documents([doc], [], load_checklist("etown-model-voucher-2026h1"))
    (bad,) = [f for f in result.findings if f.code == "SIGNATURE_INVALID"]
    assert bad.severity == "error" and "fp.ofd" in bad.message and "某税务局" in bad.message


def test_attached_data_the_page_does_not_print_is_an_amount_mismatch():
    from docintake.core.datamodel import FieldConflict
    from docintake.extractors.ofd.invoice_data import UNPRINTED
    from docintake.validators.checklist import load_checklist
    from docintake.validators.run import validate_documents

    doc = _invoice("d1", "fp.ofd", invoice_number="12345678", total_amount=100000.0)
    doc.conflicts = [FieldConflict(field="total_amount", value=UNPRINTED, source="fp.ofd", other_value=100000.0,
                                   other_source="fp.ofd（内嵌 XML）")]
    result = validate_documents([doc], [], load_checklist("etown-model-voucher-2026h1"))
    (bad,) = [f for f in result.findings if f.field == "total_amount" and "内嵌" in f.message]
    assert bad.code == "AMOUNT_MISMATCH" and bad.severity == "error" and "100,000.00 元" in bad.message
