"""Page images as OpenCV wants them: the fast conversions give exactly what the plain ones did."""

import cv2
import numpy as np
import pymupdf

from docintake.extractors.render import rgb_to_bgr, to_bgr
from docintake.extractors.seals.ink import white_balance
from tests.support.builders import INVOICE, make_pdf


def test_rgb_to_bgr_is_the_channels_reversed_for_whole_and_cut_images():
    rgb = np.random.default_rng(3).integers(0, 256, (61, 47, 3), dtype=np.uint8)
    for image in (rgb, rgb[5:40:2, 3:30], rgb[::-1]):
        out = rgb_to_bgr(image)
        assert out.flags.c_contiguous and np.array_equal(out, image[:, :, ::-1])


def test_a_rendered_page_is_its_pixmap_in_bgr(tmp_path):
    make_pdf(tmp_path / "a.pdf", [INVOICE])
    with pymupdf.open(tmp_path / "a.pdf") as doc:
        pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(1.5, 1.5), colorspace=pymupdf.csRGB, alpha=False)
        rgb = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, 3)
        assert np.array_equal(to_bgr(pix), rgb[:, :, ::-1])
        grey = doc[0].get_pixmap(colorspace=pymupdf.csGRAY, alpha=False)
        assert to_bgr(grey).shape == (grey.h, grey.w)


def test_white_balance_puts_each_channel_through_its_own_table():
    rng = np.random.default_rng(4)
    image = np.clip(rng.normal([150, 190, 230], 30, (80, 90, 3)), 0, 255).astype(np.uint8)  # a yellowed page
    level = np.percentile(image[::4, ::4].reshape(-1, 3), 90, axis=0)
    lut = np.clip(np.arange(256)[:, None] * (255.0 / np.maximum(level, 60.0))[None, :], 0, 255).astype(np.uint8)
    expected = cv2.merge([cv2.LUT(image[..., i], lut[:, i]) for i in range(3)])
    assert np.array_equal(white_balance(image), expected)
    assert not np.array_equal(expected[..., 0], cv2.LUT(image[..., 0], lut[:, 2]))  # the tables differ
