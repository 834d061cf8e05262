"""Tests for extractors.straighten on synthetic Chinese pages (no OCR model except @ocr)."""

import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docintake.extractors.straighten import (
    Straightening,
    map_points_back,
    rotate_quarter,
    shadow_levels,
    straighten,
)

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TITLE = "增值税专用发票核对报告"
BODY = "根据合同约定本公司于本年度第三季度完成货物交付并开具发票金额合计人民币壹拾贰万元整请财务部门审核确认后办理付款手续如有疑问请及时联系经办人员"

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="Noto CJK font missing")


def make_page(dpi: int = 150) -> np.ndarray:
    """White A4 page (BGR): a title, 25 lines of Chinese text and a ruled table."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    u = dpi / 150
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    title = ImageFont.truetype(str(FONT), round(40 * u), index=2)  # face 2 = Simplified Chinese
    body = ImageFont.truetype(str(FONT), round(24 * u), index=2)
    m, lh = round(110 * u), round(40 * u)
    per = int((w - 2 * m) / (24 * u))  # characters per line
    d.text((w / 2, m), TITLE, font=title, fill=0, anchor="mt")
    y = m + round(90 * u)
    text = BODY * 8
    for i in range(25):
        if i == 16:  # ruled table, 7 rows x 4 columns
            top, rh = y + lh // 2, round(44 * u)
            xs = np.linspace(m, w - m, 5).astype(int)
            for r in range(8):
                d.line([(m, top + r * rh), (w - m, top + r * rh)], fill=0, width=round(2 * u))
            for x in xs:
                d.line([(x, top), (x, top + 7 * rh)], fill=0, width=round(2 * u))
            cells = ["项目", "数量", "单价", "金额"] + ["办公用品", "十二", "三百元", "三千六百元"] * 6
            for r in range(7):
                for c in range(4):
                    d.text((xs[c] + 10 * u, top + r * rh + 8 * u), cells[r * 4 + c], font=body, fill=0)
            y = top + 7 * rh + lh
        d.text((m, y), text[i * 7 :][: per - (6 if i % 5 == 4 else 0)], font=body, fill=0)
        y += lh
    return cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2BGR)


def skew(img: np.ndarray, deg: float) -> np.ndarray:
    """Rotate the content by ``deg`` counter-clockwise (same canvas, white fill)."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), deg, 1)
    return cv2.warpAffine(img, m, (w, h), borderValue=(255, 255, 255))


def photo(page: np.ndarray, rx=22.0, ry=-12.0, rz=4.0, size=(1500, 2000), f=1500.0, seed=0, shadow=0.0):
    """The page as a tilted 3-D plane seen by a pinhole camera, on a dark striped noisy
    table with a brightness gradient; ``shadow``: that much light taken off below a soft diagonal
    (a phone's shadow across the page). Returns the photo and the true corners (TL TR BR BL)."""
    rng = np.random.default_rng(seed)
    (W, H), (ph, pw) = size, page.shape[:2]
    rot = cv2.Rodrigues(np.radians([rx, ry, rz]))[0]
    pts = (
        np.array([[-pw / 2, -ph / 2, 0], [pw / 2, -ph / 2, 0], [pw / 2, ph / 2, 0], [-pw / 2, ph / 2, 0]])
        @ rot.T
    )
    pts[:, 2] += f * ph / (H * 0.67)  # distance so the page covers roughly half the frame
    quad = np.float32(np.c_[f * pts[:, 0] / pts[:, 2] + W / 2, f * pts[:, 1] / pts[:, 2] + H / 2])
    src = np.float32([[0, 0], [pw - 1, 0], [pw - 1, ph - 1], [0, ph - 1]])
    m = cv2.getPerspectiveTransform(src, quad)
    table = rng.normal(70, 25, (H, W, 1)) + 20 * np.sin(np.arange(W) / 7.0)[None, :, None]
    table = table * np.float32([0.7, 0.9, 1.1])  # brownish
    warped = cv2.warpPerspective(page, m, (W, H)).astype(np.float32)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (W, H))[..., None]
    yy, xx = np.mgrid[0:H, 0:W]
    light = 1.0 - 0.45 * (xx / W + yy / H) / 2  # uneven light: darker towards bottom right
    light *= 1 - shadow / (1 + np.exp(-(yy - 0.55 * H - 0.3 * xx) / 25))
    img = (warped * mask + table * (1 - mask)) * light[..., None] + rng.normal(0, 6, (H, W, 3))
    return cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (3, 3), 0), quad


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return make_page(150)


@pytest.fixture(scope="module")
def photo_case(page):
    img, quad = photo(page)
    out, s = straighten(img)
    return img, quad, out, s


def test_flat_upright_page_untouched(page):
    out, s = straighten(page)
    assert (s.quarter_turns, s.perspective, s.page_quad) == (0, False, None)
    assert abs(s.skew_degrees) < 0.3
    assert out.shape == page.shape


def test_flat_scan_with_grey_border_is_not_warped(page):
    scan = page.copy()
    scan[:15], scan[-15:], scan[:, :12], scan[:, -12:] = 150, 150, 170, 170
    out, s = straighten(scan)
    assert not s.perspective and s.quarter_turns == 0 and out.shape == scan.shape


@pytest.mark.parametrize("k", [1, 3])
def test_sideways_page_is_turned(page, k):
    sideways = np.ascontiguousarray(np.rot90(page, k))
    out, s = straighten(sideways)
    assert s.quarter_turns in (1, 3) and not s.perspective
    assert out.shape == page.shape  # portrait again
    # Lines are horizontal: either the page itself or the page turned by 180°.
    assert np.array_equal(out, page) or np.array_equal(out, np.rot90(page, 2))


@pytest.mark.parametrize("deg", [3.0, -5.0])
def test_skew_is_estimated(page, deg):
    out, s = straighten(skew(page, deg))
    assert s.quarter_turns == 0 and not s.perspective
    # skew_degrees is the correction applied (+ = counter-clockwise), i.e. minus the skew.
    assert abs(s.skew_degrees + deg) < 0.5
    _, s2 = straighten(out)
    assert abs(s2.skew_degrees) < 0.3


def test_sideways_and_skewed(page):
    out, s = straighten(np.ascontiguousarray(np.rot90(skew(page, 7.0))))
    assert s.quarter_turns in (1, 3) and abs(s.skew_degrees + 7.0) < 0.5
    assert out.shape[0] > out.shape[1]


def test_photo_corners_and_aspect(page, photo_case):
    img, quad, out, s = photo_case
    assert s.perspective
    diag = math.hypot(*img.shape[:2])
    assert np.linalg.norm(np.array(s.page_quad) - quad, axis=1).max() < 0.02 * diag
    aspect = out.shape[0] / out.shape[1]
    assert abs(aspect / (page.shape[0] / page.shape[1]) - 1) < 0.05
    assert s.quarter_turns == 0 and abs(s.skew_degrees) < 1.0


@pytest.mark.parametrize(
    "kw", [dict(rx=30, ry=0, rz=0), dict(rx=-10, ry=20, rz=-6), dict(rx=15, ry=5, rz=88)]
)
def test_other_photos(page, kw):
    img, quad = photo(page, seed=1, **kw)
    out, s = straighten(img)
    assert s.perspective
    # Corners are reported by position in the image; compare as sets.
    found = np.array(s.page_quad)
    assert max(np.linalg.norm(quad - p, axis=1).min() for p in found) < 0.02 * math.hypot(*img.shape[:2])
    assert abs(out.shape[0] / out.shape[1] / (page.shape[0] / page.shape[1]) - 1) < 0.05


@pytest.mark.parametrize("kw", [dict(rx=12, ry=-6, rz=2), dict(rx=30, ry=0, rz=0)])
def test_a_shadow_across_the_page_does_not_cut_the_page_there(page, kw):
    # The shaded paper stays brighter than the table: the page's outline is its real edge, not
    # the shadow's, which would crop away the page's signing block and seal.
    img, quad = photo(page, shadow=0.4, **kw)
    _, s = straighten(img)
    assert s.perspective
    assert np.linalg.norm(np.array(s.page_quad) - quad, axis=1).max() < 0.02 * math.hypot(*img.shape[:2])


def test_otsus_own_threshold_is_always_tried_first():
    assert shadow_levels(155, 119) == [155, 145, 135]  # down towards the table's split, a step above it
    assert shadow_levels(100, 95) == [100]  # the table's split just below: Otsu's level alone


def test_page_cut_off_by_the_frame_is_not_warped(page):
    img, _ = photo(page, rx=10, ry=5, rz=3)
    crop = np.ascontiguousarray(cv2.resize(img, None, fx=1.6, fy=1.6)[400:2400, 300:1800])
    _, s = straighten(crop)
    assert not s.perspective and s.quarter_turns == 0


def test_map_points_back(page):
    # A red dot survives every transform; its position in the output must map back.
    src = np.ascontiguousarray(np.rot90(skew(page, -4.0)))
    x0, y0 = 700, 300
    cv2.circle(src, (x0, y0), 4, (0, 0, 255), -1)
    for img in (src, photo(src, rx=-15, ry=10, rz=3, size=(2000, 1500))[0]):
        x0, y0 = np.unravel_index(np.argmax(_redness(img)), img.shape[:2])[::-1]
        out, s = straighten(img)
        assert s.quarter_turns in (1, 3)
        yx = np.unravel_index(np.argmax(_redness(out)), out.shape[:2])
        back = map_points_back(np.array([[yx[1], yx[0]]], float), s, img.shape, out.shape)
        assert np.linalg.norm(back[0] - (x0, y0)) < 4
    with pytest.raises(ValueError):
        map_points_back(np.zeros((1, 2)), s, img.shape, (1, 1))


def _redness(img: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(img[:, :, 2].astype(np.float32) - img[:, :, 1], (9, 9), 0)


def test_degenerate_inputs_do_not_crash(page):
    rng = np.random.default_rng(0)
    blank = np.full((1754, 1240, 3), 248, np.uint8)
    blank[rng.integers(0, 1754, 200), rng.integers(0, 1240, 200)] = 0  # dust
    out, s = straighten(blank)
    assert s == Straightening() and out.shape == blank.shape
    tiny = np.zeros((20, 20, 3), np.uint8)
    assert straighten(tiny)[0].shape == (20, 20, 3)
    gray = cv2.cvtColor(skew(page, 2.0), cv2.COLOR_BGR2GRAY)
    out, s = straighten(gray)
    assert out.ndim == 2 and abs(s.skew_degrees + 2.0) < 0.5
    out = straighten(np.ascontiguousarray(np.rot90(gray)))[0]
    assert out.ndim == 2 and out.shape[0] > out.shape[1]
    assert straighten(cv2.cvtColor(page, cv2.COLOR_BGR2BGRA))[0].shape[2] == 4


def test_rotate_quarter_matches_rot90():
    a = np.arange(5 * 7 * 3, dtype=np.uint8).reshape(5, 7, 3)
    for k in range(-1, 6):
        for x in (a, a[:, :, 0], a[:, :, :1]):
            assert np.array_equal(rotate_quarter(x, k), np.rot90(x, -k))


@pytest.mark.ocr
def test_ocr_reads_title_of_straightened_photo(photo_case):
    rapidocr = pytest.importorskip("rapidocr")
    _, _, out, _ = photo_case
    txts = rapidocr.RapidOCR()(out).txts or ()
    assert any(TITLE in t for t in txts), txts
