"""Page images for the reviewer's report: each page of a bundle rendered once, as a JPEG data URI.

The report's boxes are in points of the page as it was read (a scan straightened by quarter turns),
so each image is turned the same way before it is encoded; the HTML stretches it to the page size.
"""

import base64
import tempfile
from pathlib import Path

import cv2
import numpy as np

from docintake.core.datamodel import Report
from docintake.core.settings import Settings
from docintake.extractors.ingest import BundleError, open_bundle
from docintake.extractors.render import page_image
from docintake.extractors.straighten import rotate_quarter

LONG_SIDE = 1100  # px: legible on screen and in print, ~150-250 KB a page as JPEG
JPEG_QUALITY = 70

PageKey = tuple[str, int]  # (file name in the bundle, 1-based page)


def encode_jpeg(image: np.ndarray, quality: int = JPEG_QUALITY) -> str:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality,
                                            cv2.IMWRITE_JPEG_PROGRESSIVE, 1])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return "data:image/jpeg;base64," + base64.b64encode(data.tobytes()).decode("ascii")


def pages_of(report: Report) -> dict[PageKey, int]:
    """Every page the report shows, with the clockwise rotation it was read at; blank pages only
    up to BLANK_SHOWN (a reviewer checks that a few are truly empty; a scan of 2,000 stays cheap)."""
    infos = [info for doc in report.documents for info in doc.page_info]
    blank = [info for info in infos if info.blank][:BLANK_SHOWN]
    return {(info.source, info.page): info.rotation for info in infos if not info.blank or info in blank}


BLANK_SHOWN = 20


def render_pages(bundle: Path, wanted: dict[PageKey, int], settings: Settings | None = None,
                 long_side: int = LONG_SIDE) -> tuple[dict[PageKey, str], dict[PageKey, str]]:
    """Render `wanted` pages of the bundle (folder or zip). Returns (data URIs, errors by page):
    a page that cannot be rendered is said so in the report, never a reason to fail it."""
    settings = settings or Settings.from_env()
    images: dict[PageKey, str] = {}
    errors: dict[PageKey, str] = {}
    with tempfile.TemporaryDirectory(prefix="docintake-html-") as tmp:
        try:
            files = {f.name: f for f in open_bundle(Path(bundle), Path(tmp), settings.limits)}
        except BundleError as exc:
            return images, dict.fromkeys(wanted, str(exc))
        for key, rotation in wanted.items():
            file = files.get(key[0])
            if file is None or file.error:
                errors[key] = file.error if file else "材料包中找不到该文件"
                continue
            try:
                image = rotate_quarter(page_image(file.path, key[1], long_side), rotation // 90)
                images[key] = encode_jpeg(image)
            except Exception as exc:  # a page a library cannot draw must not cost the report
                errors[key] = f"页面图像无法生成（{type(exc).__name__}）"
    return images, errors

