"""Invoice XML files from the truth fields: the 数电 platform's download (`EInvoice`) and the older
e-invoice XML (`eInvoice`, as attached inside OFD invoices)."""

from xml.sax.saxutils import escape

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _money(x: float) -> str:
    return f"{x:.2f}"


def shudian_xml(fields: dict) -> bytes:
    e = {k: escape(str(v)) for k, v in fields.items()}
    return (f"{HEAD}<EInvoice><Header><EIid>{e['invoice_number']}</EIid><EInvoiceTag>SWEI3200</EInvoiceTag>"
            "<Version>0.1</Version><InherentLabel><GeneralOrSpecialVAT><LabelCode>02</LabelCode>"
            "<LabelName>普通发票</LabelName></GeneralOrSpecialVAT></InherentLabel></Header><EInvoiceData>"
            f"<SellerInformation><SellerIdNum>{e['seller_uscc']}</SellerIdNum><SellerName>{e['seller_name']}"
            f"</SellerName></SellerInformation><BuyerInformation><BuyerIdNum>{e['buyer_uscc']}</BuyerIdNum>"
            f"<BuyerName>{e['buyer_name']}</BuyerName></BuyerInformation><BasicInformation>"
            f"<TotalAmWithoutTax>{_money(fields['amount_excl_tax'])}</TotalAmWithoutTax>"
            f"<TotalTaxAm>{_money(fields['tax_amount'])}</TotalTaxAm>"
            f"<TotalTax-includedAmount>{_money(fields['total_amount'])}</TotalTax-includedAmount>"
            f"<TotalTax-includedAmountInChinese>{e['total_amount_upper']}</TotalTax-includedAmountInChinese>"
            "<Drawer>张敏</Drawer></BasicInformation><IssuItemInformation><ItemName>*信息技术服务*模型服务费"
            f"</ItemName><Amount>{_money(fields['amount_excl_tax'])}</Amount><TaxRate>0.06</TaxRate>"
            f"</IssuItemInformation></EInvoiceData><TaxSupervisionInfo><InvoiceNumber>{e['invoice_number']}"
            f"</InvoiceNumber><IssueTime>{e['issue_date']} 10:00:00</IssueTime></TaxSupervisionInfo>"
            "</EInvoice>").encode()


def einvoice_xml(fields: dict) -> bytes:
    e = {k: escape(str(v)) for k, v in fields.items()}
    y, m, d = fields["issue_date"].split("-")
    code = f"<fp:InvoiceCode>{e['invoice_code']}</fp:InvoiceCode>" if fields.get("invoice_code") else ""
    return (f'{HEAD}<eInvoice xmlns:fp="http://www.edrm.org.cn/schema/e-invoice/2019" Version="1.0">'
            f"{code}<fp:InvoiceNo>{e['invoice_number']}</fp:InvoiceNo><fp:IssueDate>{y}年{m}月{d}日"
            f"</fp:IssueDate><fp:Buyer><fp:BuyerName>{e['buyer_name']}</fp:BuyerName><fp:BuyerTaxID>"
            f"{e['buyer_uscc']}</fp:BuyerTaxID></fp:Buyer><fp:Seller><fp:SellerName>{e['seller_name']}"
            f"</fp:SellerName><fp:SellerTaxID>{e['seller_uscc']}</fp:SellerTaxID></fp:Seller>"
            f"<fp:TaxInclusiveTotalAmount>{_money(fields['total_amount'])}</fp:TaxInclusiveTotalAmount>"
            f"<fp:TaxTotalAmount>{_money(fields['tax_amount'])}</fp:TaxTotalAmount>"
            f"<fp:TaxExclusiveTotalAmount>{_money(fields['amount_excl_tax'])}</fp:TaxExclusiveTotalAmount>"
            "</eInvoice>").encode()
