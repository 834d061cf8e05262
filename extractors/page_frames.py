"""Page images rendered again, in the frame a page was read in.

Page images are not kept after OCR (memory), so a later step that needs to look at a page again
(the arc text of a contract's party seals, text a seal is stamped over) renders it once more and
brings it into the frame the page's lines and seals were found in: scans go through the same,
deterministic straightening and turns; born-digital pages are a plain render.
"""

from pathlib import Path

import numpy as np

from docintake.core.datamodel import Page, TextSource

from .render import page_image
from .straighten import rotate_quarter, straighten


def page_frame(page: Page, paths: dict[str, Path], long_side: int) -> np.ndarray | None:
    """The page as a BGR image in its reading frame (page.width points wide), or None."""
    if page.source not in paths:
        return None
    image = page_image(paths[page.source], page.page, long_side)
    if page.text_source != TextSource.text_layer:
        image, how = straighten(image)
        extra = (page.rotation // 90 - how.quarter_turns) % 4
        image = rotate_quarter(image, extra) if extra else image
    return image

