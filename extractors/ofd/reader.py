"""OFD files into pages: text objects become the page's text-layer lines (the same model as a
PDF's text layer, so classification, grouping and fields run unchanged), a drawn copy of each
page goes through the born-digital passes (e-seals, signed labels), and structured invoice data
(CustomTag, the attached original_invoice.xml) gives exact fields with confidence 1.0."""

import posixpath
import re
import time
from collections.abc import Callable, Iterator

from docintake.core.datamodel import (
    ExtractedField,
    FieldConflict,
    Page,
    Seal,
    SourceFile,
    TextLine,
    TextSource,
)
from docintake.core.settings import Settings

from ..normalise import normalise_text
from ..ocr import OcrEngine
from ..page_ocr import Deadline
from ..seals.read import classify as seal_kind
from ..text_layer import TextLayerWork, read_text_layer
from . import invoice_data
from .content import OfdDocument, OfdText, read_document
from .drawn import sheets, with_red_images
from .package import OfdError, OfdPackage
from .signature import Stamp, check_signatures

JOIN_GAP = 0.6  # of the font size: runs closer than this on one baseline are one line


def lines_of(texts: list[OfdText]) -> list[TextLine]:
    """Text runs on one baseline that touch become one line, as a PDF's text layer gives them."""
    rows: list[list[OfdText]] = []  # runs whose baselines agree within a quarter of their size
    for run in sorted(texts, key=lambda t: t.baseline):
        if rows and run.baseline - rows[-1][0].baseline < 0.25 * max(rows[-1][0].size, run.size):
            rows[-1].append(run)
        else:
            rows.append([run])
    lines: list[list[OfdText]] = []
    for row in rows:
        for run in sorted(row, key=lambda t: t.bbox[0]):
            last = lines[-1][-1] if lines and lines[-1][0] in row else None
            if last and -0.2 * run.size < run.bbox[0] - last.bbox[2] < JOIN_GAP * max(last.size, run.size):
                lines[-1].append(run)
            else:
                lines.append([run])
    out = []
    for group in lines:
        text = normalise_text("".join(r.text for r in group))
        if text:
            box = (min(r.bbox[0] for r in group), min(r.bbox[1] for r in group),
                   max(r.bbox[2] for r in group), max(r.bbox[3] for r in group))
            out.append(TextLine(text=text, bbox=box, size=max(r.size for r in group)))
    return out


def _tagged(pkg: OfdPackage, doc: OfdDocument, source: str) -> dict[str, ExtractedField]:
    """CustomTag fields: the text objects each field names, read as the field's value."""
    if not doc.custom_tags or not pkg.has(doc.custom_tags):
        return {}
    objects = {t.id: (page, t) for page in doc.pages for t in page.texts}
    out = {}
    folder = posixpath.dirname(doc.custom_tags)
    for tag in pkg.xml(doc.custom_tags).iter("CustomTag"):
        loc = tag.findtext("FileLoc")
        if not loc or not pkg.has(pkg.resolve(folder, loc.strip())):
            continue
        for name, refs in invoice_data.tag_refs(pkg.xml(pkg.resolve(folder, loc.strip()))).items():
            hits = [objects[r] for r in refs if r in objects]
            value = invoice_data.normalise(name, "".join(t.text for _, t in hits))
            if value is None or name in out:
                continue
            boxes = [t.bbox for _, t in hits]
            bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                    max(b[3] for b in boxes))
            out[name] = ExtractedField(value=value, page=hits[0][0].index + 1, bbox=bbox,
                                       confidence=1.0, source=source)
    return out


def _attached(pkg: OfdPackage, doc: OfdDocument, source: str) -> dict[str, ExtractedField]:
    """The attached invoice XML (original_invoice.xml): exact fields, no position on the page."""
    if not doc.attachments or not pkg.has(doc.attachments):
        return {}
    folder = posixpath.dirname(doc.attachments)
    for att in pkg.xml(doc.attachments).iter("Attachment"):
        loc = (att.findtext("FileLoc") or "").strip()
        name = pkg.resolve(folder, loc) if loc else ""
        if name.lower().endswith(".xml") and pkg.has(name):
            root = pkg.xml(name)
            if invoice_data.kind_of(root):
                return {k: ExtractedField(value=v, page=1, confidence=1.0, source=source)
                        for k, v in invoice_data.invoice_fields(root).items()}
    return {}


def _either(read, pkg: OfdPackage, doc: OfdDocument, source: str) -> dict[str, ExtractedField]:
    """One source of exact fields: a damaged one leaves the other (and the page text) to speak."""
    try:
        return read(pkg, doc, source)
    except OfdError:
        return {}


# fields whose value a page prints verbatim (amounts with two decimals): checked against it
PRINTED = ("invoice_number", "invoice_code", "buyer_uscc", "seller_uscc", "amount_excl_tax", "tax_amount",
           "total_amount")


def _shown(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def exact_fields(pkg: OfdPackage, doc: OfdDocument, source: str
                 ) -> tuple[dict[str, ExtractedField], list[FieldConflict]]:
    """Printed (CustomTag) fields first, the attachment's where the page tags none. A field the
    two give differently, or an attached value the pages never print, is a conflict the checks
    report: the data and the page no longer tell the same invoice."""
    tagged, attached = _either(_tagged, pkg, doc, source), _either(_attached, pkg, doc, source)
    data = f"{source}（内嵌 XML）"
    conflicts = [FieldConflict(field=k, value=f.value, source=source, other_value=attached[k].value,
                               other_source=data)
                 for k, f in tagged.items() if k in attached and attached[k].value != f.value]
    page_text = re.sub(r"[\s,，¥￥]", "", "".join(t.text for p in doc.pages for t in p.texts))
    conflicts += [FieldConflict(field=k, value=invoice_data.UNPRINTED, source=source, other_value=f.value,
                                other_source=data) for k, f in attached.items()
                  if k in PRINTED and k not in tagged and _shown(f.value) not in page_text]
    return {**attached, **tagged}, conflicts


def _centre_in(box, outer) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def stamp_seals(page: Page, stamps: list[Stamp], page_id: str) -> None:
    """An e-seal's stamp is a seal whose name the signature carries: no need to read its arc.
    What the seal search found in its box (its drawn picture) gives way to it."""
    mine = [s for s in stamps if s.page_id == page_id and s.name]
    for stamp in mine:
        kind, text, owner = seal_kind("round", stamp.name, "")
        page.seals = [s for s in page.seals if not (s.bbox and _centre_in(s.bbox, stamp.bbox))]
        page.seals.append(Seal(page=page.page, kind=kind, text=text, bbox=stamp.bbox, source=page.source,
                               owner=owner, confidence=1.0))


def read_ofd(file: SourceFile, settings: Settings, engine: Callable[[], OcrEngine],
             notes: list[str]) -> Iterator[Page]:
    """The pages of an OFD file; raises OfdError (a Chinese message) when it cannot be read."""
    limits = settings.limits
    with OfdPackage(file.path, limits) as pkg:
        doc = read_document(pkg, limits.max_pages_per_file)
        try:
            fields, conflicts = exact_fields(pkg, doc, file.name)
        except OfdError as exc:  # damaged tags or attachment: the page text is still read
            fields, conflicts = {}, []
            notes.append(f"OFD 内的结构化发票数据无法读取（{exc}），已按版面文字读取")
        check = check_signatures(pkg, doc, file.name)
        drawn = sheets(pkg, doc, check)
        red = with_red_images(pkg, doc)
    started = time.monotonic()
    with drawn:
        for ofd_page in doc.pages:
            if time.monotonic() - started > limits.max_seconds_per_file:
                notes.append(f"文件处理时间超过上限 {limits.max_seconds_per_file:g} 秒，"
                             f"第 {ofd_page.index + 1} 页起未检查")
                return
            page = Page(source=file.name, page=ofd_page.index + 1, width=ofd_page.width,
                        height=ofd_page.height, text_source=TextSource.text_layer)
            page.lines = lines_of(ofd_page.texts)
            if ofd_page.index == 0:
                page.exact_fields, page.field_conflicts = fields, conflicts
                page.e_signature = check.result if check else None
            pdf_page = drawn[ofd_page.index]
            infos = pdf_page.get_image_info()  # sizes from the image headers, nothing decoded
            if max((int(i["width"]) * int(i["height"]) for i in infos), default=0) > limits.max_image_pixels:
                page.error = f"页面内嵌图片过大（上限 {limits.max_image_pixels} 像素），图片部分未识别"
                yield page
                continue
            images = infos if ofd_page.index in red else []  # the e-seal search, where red ink is
            work = TextLayerWork(pdf_page, page, page.lines, images, engine,
                                 settings.read_seals, Deadline(limits.max_seconds_per_page),
                                 settings.ocr_long_side)
            page = read_text_layer(work)
            stamp_seals(page, check.stamps if check else [], ofd_page.id)
            yield page
