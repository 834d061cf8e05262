"""Names OCR read one character off a name the bundle knows, checked against the ink.

A photo's 深圳市青藤… read as 深埔市青藤…, or a filing's 玄穹多模态大模型 read as 玄守…, is one
character off the applicant's (or the contract's model's) name: the shape of an OCR slip, but
also of a different firm or model, so the checks cannot tell and ask a person (FIELD_UNREADABLE).
The page can tell: the line the value was read from is cut out again and the recogniser's own
per-frame output (extractors.ocr.lexicon) asked how much less it supports the known spelling than
the one read. Where the known spelling costs next to nothing the field takes it, and keeps the
reading in `read_as`; a clearly printed different character costs far more, and the field stays
as read.
"""

from pathlib import Path

from docintake.datamodel import DocType, DocumentReport, ExtractedField, Page, TextSource

from . import values
from .line_images import line_image
from .ocr import OcrEngine
from .ocr.base import line_posteriors
from .ocr.lexicon import text_gaps
from .page_frames import page_frame
from .seal_owners import FIRM_FIELDS, bundle_firms

# How many nats less the known spelling may be supported than the spelling read, over the whole
# name. Six one-character misreadings of bench runs cost -1.4 to +13.8 (most lines read right
# when cut out alone); swapping one character of 149 names read right on scans and photos for the
# look-alike the recogniser liked next cost less than this on 1 (深埔 for 深圳), the median -8.5.
LOOKALIKE_NATS = 2.0


def confirm_known_names(documents: list[DocumentReport], pages: dict[tuple[str, int], Page],
                        paths: dict[str, Path], engine: OcrEngine, long_side: int) -> None:
    """Set each OCR-read name field that is one character off a known name to that name, where the
    ink supports the known spelling about as well as the one read."""
    todo: dict[tuple[str, int], list[tuple[ExtractedField, str, str]]] = {}
    for doc, field, read, known in _one_char_off(documents):
        page = pages.get((field.source or doc.source, field.page))
        if page is not None and page.text_source != TextSource.text_layer:
            todo.setdefault((page.source, page.page), []).append((field, read, known))
    for key, fields in todo.items():
        image = page_frame(pages[key], paths, long_side)
        if image is None:
            continue
        points_per_px = pages[key].width / image.shape[1]
        picked = [(f, read, known, _line_of(pages[key], f, read)) for f, read, known in fields]
        picked = [p for p in picked if p[3] is not None]
        crops = [line_image(image, line.bbox, points_per_px) for *_, line in picked]
        posteriors = line_posteriors(engine, crops) if crops else None
        if posteriors is None:  # nothing to look at, or an engine that does not say
            continue
        for (field, read, known, _), post in zip(picked, posteriors, strict=True):
            gaps = text_gaps(post, [read, known])
            if gaps[known] * len(known) >= gaps[read] * len(read) - LOOKALIKE_NATS:
                field.read_as, field.value = str(field.value), known


def _one_char_off(documents: list[DocumentReport]):
    """(doc, field, value read, known name) for each name field one character off a known name:
    the firms the bundle names (their majority spellings), the models its contracts name."""
    firms = bundle_firms(documents)
    models = {values.model_key(str(d.fields["model_name"].value)): str(d.fields["model_name"].value)
              for d in documents if d.doc_type == DocType.contract and "model_name" in d.fields}
    for doc in documents:
        for key, field in doc.fields.items():
            if field.value is None:
                continue
            if key in FIRM_FIELDS:
                read = values.normalise_name(str(field.value))
                known = next((f for f in firms if values.one_char_off(read, f)), None)
            elif key == "model_name" and doc.doc_type != DocType.contract:
                read = str(field.value)
                known = next((m for k, m in models.items() if values.one_char_off(values.model_key(read), k)),
                             None)
            else:
                continue
            if known:
                yield doc, field, read, known


def _line_of(page: Page, field: ExtractedField, read: str):
    """The page's line the value was read from: the one its text is in (spaces aside), else the
    one whose box holds the value's box."""
    squeezed = read.replace(" ", "")
    for line in page.lines:
        if squeezed in values.normalise_name(line.text) or squeezed in line.text.replace(" ", ""):
            return line
    if field.bbox is None:
        return None
    cx, cy = (field.bbox[0] + field.bbox[2]) / 2, (field.bbox[1] + field.bbox[3]) / 2
    holds = (ln for ln in page.lines if ln.bbox[0] <= cx <= ln.bbox[2] and ln.bbox[1] <= cy <= ln.bbox[3])
    return next(holds, None)

