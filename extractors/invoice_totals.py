"""An invoice's total: its figures checked against its 大写 words and its 合计 row (amount + tax)."""

from docintake.core.datamodel import ExtractedField

from . import values

UNSURE = 0.3  # confidence of a printed reading another reading contradicts (the 合计 row, a QR code)


def reconcile_invoice_total(fields: dict[str, ExtractedField]) -> None:
    """An invoice prints its total three ways: figures, 大写, and amount + tax (the 合计 row).
    OCR misreads the figures now and then, and one misread total makes false AMOUNT_MISMATCH
    errors against the contract, the payments and the usage statement. So:
    - figures that agree with another reading stay;
    - words and sum that agree with each other, not with the figures, are the total (a lost
      decimal point), as sure as the less sure of them;
    - figures whose first digit is a misread currency sign (¥4167.23 read 44167.23) are the rest
      of the figures when that agrees with another reading;
    - figures the sum contradicts while the words say nothing are unsure (the checks then ask a
      person), as printed figures a QR code contradicts are.
    Figures that disagree with the words alone stay as read: that is what the 大写 check reports."""
    total, upper = fields.get("total_amount"), fields.get("total_amount_upper")
    excl, tax = fields.get("amount_excl_tax"), fields.get("tax_amount")
    words = values.parse_upper_amount(str(upper.value)) if upper else None
    summed = round(float(excl.value) + float(tax.value), 2) if excl and tax else None
    agreed = _near(words, summed)
    if total is None:
        if agreed:
            sure = min(upper.confidence, excl.confidence, tax.confidence)
            fields["total_amount"] = upper.model_copy(update={"value": words, "confidence": sure})
        return
    figures = float(total.value)
    if _near(figures, words) or _near(figures, summed):
        return
    text = f"{figures:.2f}"
    rest = float(text[1:]) if len(text) > 4 and text[1] != "." else None  # 44167.23 -> 4167.23
    if agreed:
        sure = min(upper.confidence, excl.confidence, tax.confidence)
        fields["total_amount"] = total.model_copy(update={"value": words, "confidence": sure,
                                                          "read_as": text})
    elif rest is not None and (_near(rest, words) or _near(rest, summed)):
        fields["total_amount"] = total.model_copy(update={"value": rest, "read_as": text})
    elif summed is not None and words is None:
        total.confidence = min(total.confidence, UNSURE)


def _near(a: float | None, b: float | None) -> bool:
    """Two amounts the same to the fen (either missing: not the same)."""
    return a is not None and b is not None and abs(a - b) <= 0.01


def check_payment_amount(fields: dict[str, ExtractedField]) -> None:
    """A receipt prints its amount in figures and in words: figures the words contradict are
    unsure (one of the two was misread, as a photo's ¥1,349,309.80 read .28), so the checks ask a
    person rather than report a mismatch of sums."""
    amount, upper = fields.get("amount"), fields.get("amount_upper")
    words = values.parse_upper_amount(str(upper.value)) if upper else None
    if amount is not None and words is not None and not _near(words, float(amount.value)):
        fields["amount"] = amount.model_copy(update={"confidence": min(amount.confidence, UNSURE)})
