"""EXIF orientation is applied once, at ingest: every later reader of the file sees it upright."""

import hashlib

import numpy as np
from PIL import Image

from docintake.core.settings import Limits
from docintake.extractors.ingest import open_bundle
from docintake.extractors.render import page_image
from tests.support.builders import INVOICE, make_pdf, render


def test_a_sideways_phone_photo_is_upright_for_every_reader(tmp_path):
    make_pdf(tmp_path / "src.pdf", [INVOICE])
    upright = render(tmp_path / "src.pdf", dpi=100)[:, :, ::-1]  # RGB, portrait
    stored = np.ascontiguousarray(np.rot90(upright))  # as the sensor stored it: landscape
    photo = tmp_path / "b" / "发票.jpg"
    photo.parent.mkdir()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.fromarray(stored).save(photo, "JPEG", quality=90, exif=exif)
    before = hashlib.sha256(photo.read_bytes()).hexdigest()
    file = open_bundle(tmp_path / "b", tmp_path / "work", Limits())[0]
    assert file.sha256 == before and file.path != photo  # named by the original's content
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
