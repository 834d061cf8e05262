"""EXIF orientation is applied once, at ingest: every later reader of the file sees it upright."""

import hashlib

import numpy as np
import pytest
from PIL import Image

import docintake.extractors.pages  # noqa: F401  (registers the HEIF plugin)
from docintake.core.settings import Limits
from docintake.extractors.ingest import open_bundle
from docintake.extractors.render import page_image
from tests.support.builders import INVOICE, make_pdf, render


@pytest.mark.parametrize(("name", "fmt"), [("发票.jpg", "JPEG"), ("IMG_0001.HEIC", "HEIF")])
def test_a_sideways_phone_photo_is_upright_for_every_reader(tmp_path, name, fmt):
    make_pdf(tmp_path / "src.pdf", [INVOICE])
    upright = render(tmp_path / "src.pdf", dpi=100)[:, :, ::-1]  # RGB, portrait
    stored = np.ascontiguousarray(np.rot90(upright))  # as the sensor stored it: landscape
    photo = tmp_path / "b" / name
    photo.parent.mkdir()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.fromarray(stored).save(photo, fmt, quality=90, exif=exif.tobytes())
    before = hashlib.sha256(photo.read_bytes()).hexdigest()
    file = open_bundle(tmp_path / "b", tmp_path / "work", Limits())[0]
    assert file.sha256 == before  # named by the original's content
    if fmt == "JPEG":  # (pillow-heif turns a HEIC upright as it opens it: no copy needed)
        assert file.path != photo
        with Image.open(file.path) as img:
            assert img.height > img.width and img.getexif().get(0x0112, 1) == 1
    thumb = page_image(file.path, 1, 800)  # what the report's page images and re-reads use
    assert thumb.shape[0] > thumb.shape[1]
    assert np.abs(thumb.astype(int).mean() - upright.mean()) < 10
    assert hashlib.sha256(photo.read_bytes()).hexdigest() == before  # the original untouched


def test_an_upright_image_is_not_copied(tmp_path):
    make_pdf(tmp_path / "src.pdf", [INVOICE])
    photo = tmp_path / "b" / "发票.png"
    photo.parent.mkdir()
    Image.fromarray(render(tmp_path / "src.pdf", dpi=60)[:, :, ::-1]).save(photo)
    assert open_bundle(tmp_path / "b", tmp_path / "work", Limits())[0].path == photo
