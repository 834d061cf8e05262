"""An XML invoice file (数电 platform download or older eInvoice) as one page: exact fields, and
lines written from them so classification and the report treat it like any invoice page."""

from pathlib import Path

from docintake.core.datamodel import (
    ElectronicSignature,
    ExtractedField,
    Page,
    SignatureStatus,
    SourceFile,
    TextLine,
    TextSource,
)
from docintake.core.settings import Limits
from docintake.core.vocabulary import field_zh

from . import invoice_data
from .package import MAX_XML_BYTES, OfdError, parse_xml
from .rendition import Sheet

WIDTH, HEIGHT = 595.0, 420.0  # an invoice's landscape half-A4, in points
ORDER = ["invoice_code", "invoice_number", "issue_date", "buyer_name", "buyer_uscc", "seller_name",
         "seller_uscc", "amount_excl_tax", "tax_amount", "total_amount", "total_amount_upper"]
SIZE, TITLE_SIZE, STEP = 10.0, 16.0, 22.0


def load(path: Path, limits: Limits):
    size = path.stat().st_size
    if size > min(limits.max_file_bytes, MAX_XML_BYTES):
        raise OfdError(f"XML 文件过大（{size} 字节）")
    root = parse_xml(path.read_bytes(), "XML 文件")
    if not invoice_data.kind_of(root):
        raise OfdError(f"XML 文件不是电子发票（根元素 {root.tag}），未读取；"
                       "请提交发票的 PDF、OFD 或 XML 原件")
    return root


def _value(v) -> str:
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def layout(root) -> tuple[list[TextLine], dict[str, tuple[float, float, float, float]]]:
    """The lines of the page: the title, then one "名称：值" line per field, and each value's box."""
    fields = invoice_data.invoice_fields(root)
    title = invoice_data.title_of(root)
    top = (60, 40, 60 + TITLE_SIZE * len(title), 40 + TITLE_SIZE)
    lines = [TextLine(text=title, bbox=top, size=TITLE_SIZE)]
    boxes = {}
    y = 90.0
    for name in ORDER:
        if name not in fields:
            continue
        label, value = f"{field_zh(name)}：", _value(fields[name])
        x_value = 60 + SIZE * len(label)
        text = label + value
        box = (60, y, x_value + SIZE * len(value), y + SIZE)
        lines.append(TextLine(text=text, bbox=box, size=SIZE))
        boxes[name] = (x_value, y, box[2], box[3])
        y += STEP
    return lines, boxes


def sheet(lines: list[TextLine]) -> Sheet:
    texts = [(ln.text, [ln.bbox[0]], ln.bbox[3] - ln.size * 0.12, ln.size) for ln in lines]
    return Sheet(WIDTH, HEIGHT, texts)


def read_xml(file: SourceFile, limits: Limits) -> Page:
    """The single page of an XML invoice; raises OfdError (Chinese) for anything else."""
    root = load(file.path, limits)
    lines, boxes = layout(root)
    page = Page(source=file.name, page=1, width=WIDTH, height=HEIGHT, text_source=TextSource.text_layer,
                lines=lines)
    if any(el.tag in ("Signature", "SignatureValue") for el in root.iter()):
        page.e_signature = ElectronicSignature(status=SignatureStatus.unchecked, source=file.name,
                                               note="XML 发票内的签名未验证（只验证 OFD 和 PDF 的签名）")
    page.exact_fields = {
        k: ExtractedField(value=v, page=1, bbox=boxes.get(k), confidence=1.0, source=file.name)
        for k, v in invoice_data.invoice_fields(root).items()}
    return page
