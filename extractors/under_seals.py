"""Reading under seals: text a seal is stamped over (a date, a 签字 label, a signed name) is lost
to OCR in red ink, so the seal's neighbourhood is OCRed again with its ink whitened.

Two places do it. On a scanned page (extractors/scan.py) while its image is at hand: for every
seal when Settings.read_seals is on, else only where a signing block shows and its 签字 labels
do not (none, or fewer than its signers or its parties' seals), or a label has no hand beside
it; the slower look at the page's scale only where what was read still asks for a label
(label_unread). For a document (the `reread_under_seals` step) whose key fields were not all
found and that carries a round or oval seal on a scanned page: reading every seal's
neighbourhood costs ~30% of a scanned page, so by default it is done only there.
"""

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from docintake.core.datamodel import DocumentReport, Page, TextLine, TextSource

from .fields import KEY_FIELDS
from .ocr import OcrEngine
from .page_frames import page_frame
from .page_ocr import Deadline, ocr_image, optional
from .seals import remove_seal_ink
from .signatures import find_labels

UNSURE = 0.8  # a field read less surely than this is worth the second look too
# Words of a page that is signed (申报单位（盖章）, 法定代表人（签字）, 承诺单位, an ID card copy the
# holder signs): a seal on such a page may hide the 签字 label, and the seal itself may hide 盖章.
SIGNER = re.compile(r"法定代表人|授权代表")  # who signs beside a party's seal
SIGNING_WORDS = re.compile(r"盖章|签字|签名|签章|承诺|法定代表人|授权代表|身份证|复印件")
SEAL_ASKED = re.compile(r"盖章")  # asks for the seal that is there, not for a signature


def read_under_seals(image: np.ndarray, page: Page, engine: OcrEngine, points_per_px: float,
                     pad_y: float = 0.05, fine: bool = False) -> list[TextLine]:
    """Text a seal is stamped over (a date, a signature line) is lost to OCR in red ink: OCR the
    seal's neighbourhood again with the seal's ink whitened (red, or its grey on a grey scan).
    `fine`: detect text at the scale a whole page gets (slower) rather than the crop's own."""
    found = []
    h, w = image.shape[:2]
    for seal in page.seals:
        if seal.shape == "slice" or not seal.bbox:
            continue
        x0, y0, x1, y1 = (v / points_per_px for v in seal.bbox)
        pad_x, pad_y = 0.6 * (x1 - x0), pad_y * (y1 - y0)  # wide: lines under a seal run past it
        box = (max(0, int(x0 - pad_x)), max(0, int(y0 - pad_y)),
               min(w, int(x1 + pad_x)), min(h, int(y1 + pad_y)))
        seal_px = (int(x0) - box[0], int(y0) - box[1], int(x1) - box[0], int(y1) - box[1])
        crop = remove_seal_ink(image[box[1]:box[3], box[0]:box[2]], seal_px)
        lines, _ = ocr_image(crop, engine, points_per_px, (box[0] * points_per_px, box[1] * points_per_px),
                             crop=not fine)
        # Seal-text fragments read unsurely are dropped; a signing label (（签字）：) is what the
        # reread is often for, and its bracket next to the seal's ink lowers the engine's score.
        found += [ln for ln in lines if ln.confidence >= 0.8
                  or (ln.confidence >= 0.6 and SIGNING_WORDS.search(ln.text))]
    return found


def merge_readings(lines: list[TextLine], second: list[TextLine]) -> list[TextLine]:
    """Add a second reading's lines; one that covers shorter fragments of the first replaces them."""
    merged = list(lines)
    for line in second:
        covered = [k for k in merged if _overlaps(line, k)]
        if covered and len(line.text) <= max(len(k.text) for k in covered):
            continue
        merged = [k for k in merged if k not in covered] + [line]
    return merged


def _overlaps(a: TextLine, b: TextLine) -> bool:
    """Two readings of one line: over half the taller box's height shared. (A tilted line's box
    is tall and reaches into the lines above and below: it covers neither.)"""
    ix = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
    iy = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return ix > 0 and iy > 0.5 * max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def signing_under_seal(page: Page) -> bool:
    """A sealed page with a signing block (盖章/签字 words) on which a 签字 label was not read: none
    at all, or fewer than the signers named beside a seal or the parties' seals (甲方's and 乙方's
    法定代表人, one's （签字）, or its whole line, under its party's seal)."""
    rounds = sum(s.shape == "round" for s in page.seals)
    if not (rounds and any(SIGNING_WORDS.search(ln.text) for ln in page.lines)):
        return False
    labels = find_labels(page)
    signers = [ln for ln in page.lines if SIGNER.search(ln.text) and _seal_beside(page, ln.bbox)]
    return not labels or len(labels) < max(len(signers), rounds)


def _seal_beside(page: Page, box) -> bool:
    """A round seal within reach of a label's box: over it, or up to 200 pt right of it."""
    return any(s.shape == "round" and s.bbox and s.bbox[0] < box[2] + 200 and s.bbox[2] > box[0]
               and s.bbox[1] < box[3] + 60 and s.bbox[3] > box[1] - 60 for s in page.seals)


def label_unread(page: Page) -> bool:
    """What was read still asks for a 签字 label that no label read answers: fewer labels than the
    parties' round seals, or signing words other than 盖章 (the seal there answers it) on a line
    that is not a label. A signer's title counts only beside a seal: on a licence 法定代表人 is a
    field, far from the registration seal, and asks for no signature (a licence's second look at
    the page's scale never found one)."""
    labels = find_labels(page)
    if labels and len(labels) < sum(s.shape == "round" for s in page.seals):
        return True
    read = {label.line.text for label in labels}
    return any(ln.text not in read and (SIGNING_WORDS.search(SIGNER.sub("", SEAL_ASKED.sub("", ln.text)))
                                        or (SIGNER.search(ln.text) and _seal_beside(page, ln.bbox)))
               for ln in page.lines)


def unsigned_by_a_seal(page: Page) -> bool:
    """A 签字 label with no signature found, a round seal within reach of it."""
    signed = {s.label for s in page.signatures}
    return any(label.label not in signed and label.bbox and _seal_beside(page, label.bbox)
               for label in page.signature_labels)


def lines_under_seals(image: np.ndarray, page: Page, engine: OcrEngine, points_per_px: float,
                      deadline: Deadline) -> list[TextLine]:
    """The page's lines with what its seals' neighbourhoods read with the red ink whitened."""
    lines = merge_readings(page.lines, read_under_seals(image, page, engine, points_per_px))
    page.under_seals_read = True
    read = page.model_copy(update={"lines": lines})
    if signing_under_seal(read) and label_unread(read) and not deadline.expired():
        # Text detection on a small crop is fickle: a taller crop of the same seal reads anew, its
        # text detected at the page's scale (a scribble beside 法定代表人（签字）： once merged
        # with it into one tall box that read as ":()").
        lines = merge_readings(lines, read_under_seals(image, page, engine, points_per_px, pad_y=0.2,
                                                       fine=True))
    return lines


def missing_key_fields(doc: DocumentReport) -> set[str]:
    """Key fields not found, or found unsurely (OCR of characters half under red ink)."""
    return {name for name in KEY_FIELDS.get(doc.doc_type.value, ())
            if name not in doc.fields or (doc.fields[name].confidence or 0) < UNSURE}


def reread_document_under_seals(pages: list[Page], paths: dict[str, Path], engine: Callable[[], OcrEngine],
                                long_side: int) -> bool:
    """Merge what the red-ink-free seal neighbourhoods read into the pages' lines; True if any
    page gained a line."""
    gained = False
    for page in pages:
        if (page.text_source != TextSource.ocr or page.under_seals_read
                or not any(s.shape in ("round", "oval") for s in page.seals)):
            continue  # born-digital, read under its seals already, or nothing to look under
        image = page_frame(page, paths, long_side)
        if image is None:
            continue
        second = optional(read_under_seals, (image, page, engine(), page.width / image.shape[1]), [], page)
        merged = merge_readings(page.lines, second)
        gained |= merged != page.lines
        page.lines, page.under_seals_read = merged, True
    return gained
