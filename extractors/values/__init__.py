"""Small pure parsers: text in, a normalised value (or None) out; they never raise on bad input.

Normalised forms follow the report contract: dates as datetime.date (reported YYYY-MM-DD),
amounts as yuan floats rounded to 2 decimals, names without spaces and with half-width
brackets, credit codes upper case.
"""

from docintake.core.idnumbers import id_number_valid, mask_id_number, mask_ids_in_text

from .amounts import find_amounts, parse_amount
from .dates import day_may_be_cut, find_dates, parse_date, parse_period
from .filings import filing_date, filing_key, filing_kind, find_filing_numbers
from .invoices import parse_invoice_number, parse_invoice_qr
from .names import (
    PLACES,
    SAME_OWNER,
    clearly_names,
    look_alike_marks,
    model_key,
    name_similarity,
    names_match,
    normalise_name,
    one_char_off,
    one_edit_apart,
    seal_similarity,
    starts_with_place,
)
from .upper import parse_upper_amount, upper_amount, upper_matches
from .uscc import find_usccs, first_uscc, repair_uscc, uscc_inner_valid, uscc_valid

__all__ = [
    "PLACES",
    "SAME_OWNER",
    "clearly_names",
    "day_may_be_cut",
    "filing_date",
    "filing_key",
    "filing_kind",
    "find_amounts",
    "find_dates",
    "find_filing_numbers",
    "find_usccs",
    "first_uscc",
    "id_number_valid",
    "look_alike_marks",
    "mask_id_number",
    "mask_ids_in_text",
    "model_key",
    "name_similarity",
    "names_match",
    "normalise_name",
    "one_char_off",
    "one_edit_apart",
    "parse_amount",
    "parse_date",
    "parse_invoice_number",
    "parse_invoice_qr",
    "parse_period",
    "parse_upper_amount",
    "repair_uscc",
    "seal_similarity",
    "starts_with_place",
    "upper_amount",
    "upper_matches",
    "uscc_inner_valid",
    "uscc_valid",
]
