"""Read who stamped the party seals of a contract.

Reading a seal's arc text costs about a second, so it is off for pages in general
(Settings.read_seals); a contract's party seals are the exception: whose seal sits where is
what shows a related party (the applicant's own seal stamped for the provider). Only the pages
of contracts that carry party seals are rendered again (extractors.page_frames).
"""

from pathlib import Path

from docintake.datamodel import Page

from .ocr import OcrEngine
from .page_frames import page_frame
from .seals import box_iou, find_seals

PARTY_SEAL_SKIP = {"paging_seal", "personal_seal"}


def read_party_seal_owners(pages: list[Page], paths: dict[str, Path], engine: OcrEngine,
                           long_side: int) -> None:
    for page in pages:
        unread = [s for s in page.seals if s.kind not in PARTY_SEAL_SKIP and not s.owner]
        image = page_frame(page, paths, long_side) if unread else None
        if image is None:
            continue
        scale = page.width / image.shape[1]
        hits = find_seals(image, engine)
        for seal in unread:
            if seal.bbox is None:
                continue
            best = max(hits, key=lambda h: box_iou(seal.bbox, [v * scale for v in h.bbox]), default=None)
            if best and best.owner and box_iou(seal.bbox, [v * scale for v in best.bbox]) > 0.3:
                seal.owner, seal.text, seal.kind = best.owner, best.text, best.kind
