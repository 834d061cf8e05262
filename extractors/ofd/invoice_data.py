"""Structured invoice data: exact fields from XML, not from reading a page.

Three shapes carry them: the 数电 platform's XML download (`EInvoice`), the older e-invoice XML
(`eInvoice`, also attached inside OFD invoices as original_invoice.xml), and an OFD's
CustomTag file, whose elements name the page's text objects holding each field.
"""

import re
import xml.etree.ElementTree as ET

from docintake.extractors import values

# element name (namespace dropped) -> field; the same names serve eInvoice and CustomTag
E_INVOICE = {
    "InvoiceNo": "invoice_number", "InvoiceCode": "invoice_code", "IssueDate": "issue_date",
    "BuyerName": "buyer_name", "BuyerTaxID": "buyer_uscc", "SellerName": "seller_name",
    "SellerTaxID": "seller_uscc", "TaxExclusiveTotalAmount": "amount_excl_tax",
    "TaxTotalAmount": "tax_amount", "TaxInclusiveTotalAmount": "total_amount",
}
# 数电 XML: paths under the root
SHUDIAN = {
    "TaxSupervisionInfo/InvoiceNumber": "invoice_number", "TaxSupervisionInfo/IssueTime": "issue_date",
    "EInvoiceData/BuyerInformation/BuyerName": "buyer_name",
    "EInvoiceData/BuyerInformation/BuyerIdNum": "buyer_uscc",
    "EInvoiceData/SellerInformation/SellerName": "seller_name",
    "EInvoiceData/SellerInformation/SellerIdNum": "seller_uscc",
    "EInvoiceData/BasicInformation/TotalAmWithoutTax": "amount_excl_tax",
    "EInvoiceData/BasicInformation/TotalTaxAm": "tax_amount",
    "EInvoiceData/BasicInformation/TotalTax-includedAmount": "total_amount",
    "EInvoiceData/BasicInformation/TotalTax-includedAmountInChinese": "total_amount_upper",
}
# where the fields sit in an eInvoice: at the top or under Buyer/Seller (never the goods lines)
_TOP = ("", "Buyer/", "Seller/")
AMOUNTS = {"amount_excl_tax", "tax_amount", "total_amount"}
UNPRINTED = "（页面上未印出此值）"  # a FieldConflict's value: the data gives a value no page prints


def normalise(name: str, text: str | None):
    """An exact value in the report's normal form (None when empty or not of its type)."""
    text = re.sub(r"\s+", "", text or "").lstrip("¥￥")
    if not text:
        return None
    if name in AMOUNTS:
        return values.parse_amount(text)
    if name == "issue_date":
        day = values.parse_date(text[:10] if re.match(r"\d{4}-\d\d-\d\d", text) else text)
        return day.isoformat() if day else None
    if name in ("buyer_name", "seller_name"):
        return values.normalise_name(text)
    if name.endswith("uscc"):
        return text.upper()
    return text


def kind_of(root: ET.Element) -> str | None:
    """'shudian' (数电 XML), 'einvoice' (older e-invoice XML) or None (not an invoice)."""
    if root.tag == "EInvoice" and root.find("EInvoiceData") is not None:
        return "shudian"
    if root.tag == "eInvoice" and root.find("InvoiceNo") is not None:
        return "einvoice"
    return None


def invoice_fields(root: ET.Element) -> dict[str, object]:
    """The invoice fields of an XML invoice of either shape (namespaces already dropped)."""
    kind = kind_of(root)
    out: dict[str, object] = {}
    if kind == "shudian":
        pairs = [(field, root.findtext(path)) for path, field in SHUDIAN.items()]
    elif kind == "einvoice":
        pairs = [(field, root.findtext(prefix + tag)) for tag, field in E_INVOICE.items()
                 for prefix in _TOP if root.find(prefix + tag) is not None]
    else:
        return out
    for field, text in pairs:
        value = normalise(field, text)
        if value is not None:
            out[field] = value
    return out


def title_of(root: ET.Element) -> str:
    """The invoice's printed title, for the page made from an XML file."""
    label = (root.findtext(".//GeneralOrSpecialVAT/LabelName") or "").strip()
    if root.tag == "EInvoice":
        return f"电子发票（{label or '普通发票'}）"
    return "增值税电子普通发票"


def tag_refs(root: ET.Element) -> dict[str, list[str]]:
    """CustomTag: field -> the IDs of the text objects that print it (in order)."""
    out: dict[str, list[str]] = {}
    for prefix in _TOP:
        for tag, field in E_INVOICE.items():
            el = root.find(prefix + tag)
            if el is not None and field not in out:
                refs = [(r.text or "").strip() for r in el.iter("ObjectRef")]
                if any(refs):
                    out[field] = [r for r in refs if r]
    return out
