"""Seal detection's ink masks, computed the fast way, are exactly what the plain formulas give."""

import cv2
import numpy as np
import pytest

from docintake.extractors.seals.ink import ink_box, red_ink, rule_length, without_rules


@pytest.mark.parametrize(("min_red", "max_orange"), [(28, 0.18), (12, 0.25)])
def test_red_ink_is_the_formula_for_every_colour(min_red, max_orange):
    """red_ink tests its hue only where red leads by min_red: every one of the 2^24 colours gets
    what the formula over all pixels gives."""
    code = np.arange(1 << 24, dtype=np.uint32)
    image = np.stack([code & 255, (code >> 8) & 255, code >> 16], axis=-1).astype(np.uint8).reshape(4096, 4096, 3)
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    chroma = r - np.minimum(g, b)
    expected = (r - np.maximum(g, b) >= min_red) & ((g - b) <= max_orange * chroma) & ((b - g) <= 0.6 * chroma)
    got = red_ink(image, min_red, max_orange)
    assert got.dtype == bool and np.array_equal(got, expected)
    assert 0 < expected.mean() < 0.2  # the test holds red and other colours alike


def _random_mask(rng: np.random.Generator) -> np.ndarray:
    """Rings, table rules and specks at random places, edges and odd offsets included."""
    h, w = (int(v) for v in rng.integers(120, 700, 2))
    mask = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(0, 4))):
        centre = (int(rng.integers(-30, w + 30)), int(rng.integers(-30, h + 30)))
        cv2.circle(mask, centre, int(rng.integers(15, 90)), 255, int(rng.integers(1, 5)))
    for _ in range(int(rng.integers(0, 3))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        end = (x + int(rng.integers(5, w // 2)), y) if rng.random() < 0.5 else (x, y + int(rng.integers(5, h // 2)))
        cv2.line(mask, (x, y), end, 255, int(rng.integers(1, 3)))
    x, y = int(rng.integers(0, w - 40)), int(rng.integers(0, h - 40))  # specks in one corner of it
    window = mask[y:y + int(rng.integers(20, 120)), x:x + int(rng.integers(20, 120))]
    window[rng.random(window.shape) < rng.random() * 0.05] = 255
    return mask


def test_rules_are_taken_out_in_the_inks_box_as_over_the_whole_image():
    """Filtering only the ink's box (with its margin of paper) gives the whole image's mask, and its
    connected components in the same order."""
    rng = np.random.default_rng(11)
    boxed = 0
    for _ in range(150):
        mask = _random_mask(rng)
        h, w = mask.shape
        k = rule_length(mask)
        box = ink_box(mask)
        if box is None:
            assert not mask.any()
            continue
        whole = without_rules(mask, 0, 0, w, h, k)
        fast = without_rules(mask, *box, k)
        assert np.array_equal(fast, whole)
        x0, y0, x1, y1 = box
        boxed += (x1 - x0) * (y1 - y0) < h * w
        stats = cv2.connectedComponentsWithStats(fast[y0:y1, x0:x1], connectivity=8)[2][1:]
        expected = cv2.connectedComponentsWithStats(whole, connectivity=8)[2][1:]
        assert np.array_equal(stats + np.array([x0, y0, 0, 0, 0]), expected)
    assert boxed > 50  # most masks were filtered in a box smaller than the image
