"""An invoice's total in figures checked against its total in words and its 合计 row."""

import pytest

from docintake.core.datamodel import ExtractedField
from docintake.extractors.invoice_totals import reconcile_invoice_total


def _invoice(**fields) -> dict[str, ExtractedField]:
    return {k: ExtractedField(value=v, page=1, confidence=0.95) for k, v in fields.items()}


def _total(fields: dict[str, ExtractedField]) -> tuple:
    got = fields["total_amount"]
    return got.value, got.read_as, got.confidence


def test_a_currency_sign_read_as_a_digit_is_dropped_when_the_rest_agrees():
    # a photo read ¥4167.23 as 44167.23 (bench seed 20261133); the words, 参 for 叁, say 4167.23
    doc = _invoice(total_amount=44167.23, total_amount_upper="肆仟壹佰陆拾柒圆贰角参分")
    reconcile_invoice_total(doc)
    assert _total(doc) == (4167.23, "44167.23", 0.95)


def test_words_and_sum_that_agree_settle_a_misread_total():
    doc = _invoice(total_amount=351.1, total_amount_upper="伍仟叁佰伍拾壹圆壹角",
                   amount_excl_tax=5048.21, tax_amount=302.89)
    reconcile_invoice_total(doc)
    assert _total(doc) == (5351.1, "351.10", 0.95)


def test_a_total_the_sum_contradicts_with_no_words_read_is_unsure():
    doc = _invoice(total_amount=351.1, amount_excl_tax=5048.21, tax_amount=302.89)
    reconcile_invoice_total(doc)
    assert _total(doc) == (351.1, None, 0.3)


@pytest.mark.parametrize("fields", [
    # agrees with the sum: the words that differ are what the 大写 check reports (a real mismatch)
    {"total_amount": 142950.69, "total_amount_upper": "壹拾肆万叁仟零伍拾圆陆角玖分",
     "amount_excl_tax": 134859.14, "tax_amount": 8091.55},
    # agrees with the words
    {"total_amount": 300000.0, "total_amount_upper": "叁拾万元整"},
    # nothing to check it against
    {"total_amount": 44167.23},
])
def test_a_total_nothing_contradicts_or_one_the_checks_report_stays(fields):
    doc = _invoice(**fields)
    reconcile_invoice_total(doc)
    assert _total(doc) == (fields["total_amount"], None, 0.95)
