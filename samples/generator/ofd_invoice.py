"""OFD invoices (GB/T 33190) as tax platforms issue them: pages of text objects, optionally a
CustomTag file naming the objects of each field, the invoice XML attached, and an SES signature
over every part made with a test SM2 key; `edit` changes a printed value after signing (what a
forger does). XML invoices of both shapes from the same fields. Deterministic bytes."""

import base64
import hashlib
import io
import zipfile
from xml.sax.saxutils import escape

from .sm2_sign import SigningKey, ses_signature
from .xml_invoice import einvoice_xml

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
MM = 25.4 / 72  # millimetres per point
STAMP = "1970-01-01"
TAGS = [("InvoiceNo", "invoice_number"), ("InvoiceCode", "invoice_code"), ("IssueDate", "issue_date"),
        ("Buyer/BuyerName", "buyer_name"), ("Buyer/BuyerTaxID", "buyer_uscc"),
        ("Seller/SellerName", "seller_name"), ("Seller/SellerTaxID", "seller_uscc"),
        ("TaxExclusiveTotalAmount", "amount_excl_tax"), ("TaxTotalAmount", "tax_amount"),
        ("TaxInclusiveTotalAmount", "total_amount")]


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{m}月{d}日"


def _money(x: float) -> str:
    return f"{x:.2f}"


def _items(fields: dict) -> list[tuple[str | None, str, float, float, float]]:
    """(field or None, text, x, baseline, size) in points on a 595 x 400 page (the PDF's layout)."""
    sd = not fields.get("invoice_code")
    title = "电子发票（普通发票）" if sd else "增值税电子普通发票"
    out: list = [(None, title, 200, 42, 16)]
    y = 22.0
    meta = [] if sd else [("发票代码：", "invoice_code", fields.get("invoice_code", ""))]
    meta += [("发票号码：", "invoice_number", fields["invoice_number"]),
             ("开票日期：", "issue_date", _cn_date(fields["issue_date"]))]
    for label, name, value in meta:
        out += [(None, label, 425, y, 8.5), (name, value, 425 + 8.5 * len(label), y, 8.5)]
        y += 12
    for bx, side in ((26, "buyer"), (297, "seller")):
        out += [(None, "名称：", bx + 24, 96, 8.5),
                (f"{side}_name", fields[f"{side}_name"], bx + 49.5, 96, 8.5),
                (None, "统一社会信用代码/纳税人识别号：", bx + 24, 118, 7.5),
                (f"{side}_uscc", fields[f"{side}_uscc"], bx + 24 + 7.5 * 16, 118, 8.5)]
    excl, tax, total = (_money(fields[k]) for k in ("amount_excl_tax", "tax_amount", "total_amount"))
    out += [(None, "项目名称", 40, 148, 8), (None, "金额", 360, 148, 8), (None, "税额", 500, 148, 8),
            (None, "*信息技术服务*模型服务费", 30, 168, 8), (None, excl, 360, 168, 8),
            (None, "6%", 440, 168, 8), (None, tax, 500, 168, 8),
            (None, "合计", 40, 222, 8), ("amount_excl_tax", "¥" + excl, 360, 222, 8),
            ("tax_amount", "¥" + tax, 500, 222, 8),
            (None, "价税合计（大写）", 32, 248, 8.5),
            (None, "⊗" + fields["total_amount_upper"], 116, 248, 9.5),
            (None, "（小写）", 386, 248, 8.5), ("total_amount", "¥" + total, 420, 248, 9.5),
            (None, "开票人：张敏", 32, 330, 8.5)]
    return out


def _text_object(oid: int, text: str, x: float, y: float, size: float) -> str:
    mm_size = size * MM
    width = sum(mm_size * (0.5 if ord(c) < 0x2E80 else 1.0) for c in text)
    steps = " ".join(f"{mm_size * (0.5 if ord(c) < 0x2E80 else 1.0):.4f}" for c in text[:-1])
    box = f"{x * MM:.3f} {(y - size) * MM:.3f} {width + 1:.3f} {size * 1.3 * MM:.3f}"
    delta = f' DeltaX="{steps}"' if steps else ""
    return (f'<ofd:TextObject ID="{oid}" Boundary="{box}" Font="2" Size="{mm_size:.4f}">'
            f'<ofd:TextCode X="0" Y="{size * MM:.4f}"{delta}>{escape(text)}</ofd:TextCode></ofd:TextObject>')


SEAL_BOX = (430, 262, 100, 66)  # points: x, y, width, height of a seal printed as an image


def _parts(fields: dict, tags: bool, attachment: bool, page_seal: bytes | None) -> dict[str, bytes]:
    objects, refs = [], {}
    for n, (name, text, x, y, size) in enumerate(_items(fields)):
        oid = 100 + n
        objects.append(_text_object(oid, text, x, y, size))
        if name:
            refs[name] = oid
    res = ""
    if page_seal:  # the seller's seal printed on the page as an image (older e-invoices)
        x, y, w, h = (v * MM for v in SEAL_BOX)
        objects.append(f'<ofd:ImageObject ID="98" CTM="{w:.3f} 0 0 {h:.3f} 0 0" '
                       f'Boundary="{x:.3f} {y:.3f} {w:.3f} {h:.3f}" ResourceID="97"/>')
        res = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
    page = (f'{HEAD}<ofd:Page {NS}><ofd:Area><ofd:PhysicalBox>0 0 {595 * MM:.2f} {400 * MM:.2f}'
            f'</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="99">{"".join(objects)}'
            '</ofd:Layer></ofd:Content></ofd:Page>')
    extra = ""
    parts = {"Doc_0/Pages/Page_0/Content.xml": page.encode(),
             "Doc_0/PublicRes.xml": f'{HEAD}<ofd:Res {NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" '
                                    'FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'.encode()}
    if page_seal:
        parts["Doc_0/Res/seal.png"] = page_seal
        parts["Doc_0/DocumentRes.xml"] = (f'{HEAD}<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias>'
                                          '<ofd:MultiMedia ID="97" Type="Image" Format="PNG"><ofd:MediaFile>'
                                          'seal.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>'
                                          '</ofd:Res>').encode()
    if tags:
        body = ""
        for path, name in TAGS:
            if name in refs:
                inner = f'<ofd:ObjectRef PageRef="1">{refs[name]}</ofd:ObjectRef>'
                for el in reversed(path.split("/")):
                    inner = f"<ofd:{el}>{inner}</ofd:{el}>"
                body += inner
        parts["Doc_0/Tags/CustomTag.xml"] = f"{HEAD}<ofd:eInvoice {NS}>{body}</ofd:eInvoice>".encode()
        parts["Doc_0/Tags/CustomTags.xml"] = (f'{HEAD}<ofd:CustomTags {NS}><ofd:CustomTag '
                                              'NameSpace="e-invoice"><ofd:FileLoc>CustomTag.xml</ofd:FileLoc>'
                                              '</ofd:CustomTag></ofd:CustomTags>').encode()
        extra += "<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>"
    if attachment:
        parts["Doc_0/Attachs/original_invoice.xml"] = einvoice_xml(fields)
        parts["Doc_0/Attachs/Attachments.xml"] = (f'{HEAD}<ofd:Attachments {NS}><ofd:Attachment ID="1" '
                                                  'Name="original_invoice" Format="xml"><ofd:FileLoc>'
                                                  'original_invoice.xml</ofd:FileLoc></ofd:Attachment>'
                                                  '</ofd:Attachments>').encode()
        extra += "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>"
    parts["Doc_0/Document.xml"] = (f'{HEAD}<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>999'
                                   f'</ofd:MaxUnitID><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{res}'
                                   '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" '
                                   f'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>{extra}</ofd:Document>').encode()
    return parts


def _sign(parts: dict[str, bytes], key: SigningKey, seal_png: bytes | None, seal_name: str) -> None:
    def digest(data: bytes) -> str:
        return base64.b64encode(hashlib.new("sm3", data).digest()).decode()

    refs = "".join(f'<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{digest(data)}</ofd:CheckValue>'
                   '</ofd:Reference>' for name, data in sorted(parts.items()) if name != "OFD.xml")
    sig = (f'{HEAD}<ofd:Signature {NS}><ofd:SignedInfo><ofd:Provider ProviderName="docintake-test"/>'
           '<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>'
           f'<ofd:References CheckMethod="1.2.156.10197.1.401">{refs}</ofd:References>'
           '<ofd:StampAnnot ID="1" PageRef="1" Boundary="150 95 40 27"/></ofd:SignedInfo>'
           '<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>').encode()
    parts["Doc_0/Signs/Sign_0/Signature.xml"] = sig
    value = ses_signature(key, sig, seal_png, seal_name, "20260101000000Z")
    parts["Doc_0/Signs/Sign_0/SignedValue.dat"] = value
    parts["Doc_0/Signs/Signatures.xml"] = (f'{HEAD}<ofd:Signatures {NS}><ofd:Signature ID="1" Type="Seal" '
                                           'BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>').encode()


def ofd_invoice(fields: dict, *, tags: bool = True, attachment: bool = False, key: SigningKey | None = None,
                seal_png: bytes | None = None, seal_name: str | None = None,
                edit: dict[str, str] | None = None, page_seal: bytes | None = None) -> bytes:
    """An OFD invoice of the truth `fields`, signed with `key` if given (its e-seal named
    `seal_name`, else the key's name); `edit` = {old text: new text} applied to the page after
    signing. `page_seal` (PNG) prints a seal as an image on the page."""
    parts = _parts(fields, tags, attachment, page_seal)
    signs = "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>" if key else ""
    parts["OFD.xml"] = (f'{HEAD}<ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
                        f'<ofd:DocID>{fields["invoice_number"]}</ofd:DocID><ofd:CreationDate>{STAMP}'
                        '</ofd:CreationDate></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                        f'{signs}</ofd:DocBody></ofd:OFD>').encode()
    if key:
        _sign(parts, key, seal_png, seal_name or key.name)
    for old, new in (edit or {}).items():
        name = "Doc_0/Pages/Page_0/Content.xml"
        parts[name] = parts[name].replace(escape(old).encode(), escape(new).encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["OFD.xml", *sorted(n for n in parts if n != "OFD.xml")]:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), parts[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()
