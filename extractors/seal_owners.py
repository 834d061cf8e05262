"""Read who stamped the party seals of a contract.

Reading a seal's arc text costs about a second, so it is off for pages in general
(Settings.read_seals); a contract's party seals are the exception: whose seal sits where is
what shows a related party (the applicant's own seal stamped for the provider). Only the pages
of contracts that carry party seals are rendered again; the image is brought into the frame the
seals were detected in (scans: the same straightening and turns; born-digital: a plain render).
"""

from pathlib import Path

from docintake.datamodel import Page, TextSource

from .ocr import OcrEngine
from .pages import page_image
from .seals import box_iou, find_seals
from .straighten import rotate_quarter, straighten

PARTY_SEAL_SKIP = {"paging_seal", "personal_seal"}


def read_party_seal_owners(pages: list[Page], paths: dict[str, Path], engine: OcrEngine,
                           long_side: int) -> None:
    for page in pages:
        unread = [s for s in page.seals if s.kind not in PARTY_SEAL_SKIP and not s.owner]
        if not unread or page.source not in paths:
            continue
        image = page_image(paths[page.source], page.page, long_side)
        if page.text_source != TextSource.text_layer:
            image, how = straighten(image)  # deterministic: the frame read_scan detected seals in
            extra = (page.rotation // 90 - how.quarter_turns) % 4
            image = rotate_quarter(image, extra) if extra else image
        scale = page.width / image.shape[1]
        hits = find_seals(image, engine)
        for seal in unread:
            if seal.bbox is None:
                continue
            best = max(hits, key=lambda h: box_iou(seal.bbox, [v * scale for v in h.bbox]), default=None)
            if best and best.owner and box_iou(seal.bbox, [v * scale for v in best.bbox]) > 0.3:
                seal.owner, seal.text, seal.kind = best.owner, best.text, best.kind
