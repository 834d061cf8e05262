"""A seal stamped over a table's ruled lines (a bank receipt's grid, printed red like the seal)."""

import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docintake.extractors.seal_owners import name_by_ink
from docintake.extractors.seals import find_seals
from docintake.samples.generator.fonts import pil_font_path
from docintake.samples.generator.seals import _colourise, round_mask

BANK = "中国建设银行股份有限公司深圳福田支行"
# another branch of a bank: most of its characters are the same as BANK's
OTHER_BRANCH = "中国银行股份有限公司杭州西湖支行"
FIRMS = ["深圳市青木数联科技有限公司", "上海云杉计算机系统有限公司"]
RULE_COLOURS = {"red": (205, 40, 40), "orange": (230, 110, 40)}  # RGB


def _receipt(rule: tuple[int, int, int], seed: int) -> np.ndarray:
    """A receipt page: a table ruled every 33 px with text in its cells, its right end under the
    seal, the bank's round 电子回单专用章 stamped over it, slightly turned."""
    page = Image.new("RGB", (1415, 2000), "white")
    draw = ImageDraw.Draw(page)
    path, index = pil_font_path("noto_sans")
    font = ImageFont.truetype(path, 24, index=index)
    top, left, right = 300, 120, 1180
    for row in range(12):
        y = top + row * 33
        draw.line((left, y, right, y), fill=rule, width=3)
        draw.text((left + 20, y + 6), "户名" if row % 3 == 0 else "开户银行", fill=(20, 20, 20), font=font)
        draw.text((left + 240, y + 6), "深圳市青木数联科技有限公司 3220038301350708"[:20 + row % 5], fill=(20, 20, 20),
                  font=font)
    for x in (left, left + 200, right):
        draw.line((x, top, x, top + 11 * 33), fill=rule, width=3)
    rng = random.Random(seed)
    seal = _colourise(round_mask(BANK, "电子回单专用章"), rng, 0.45, 0.85).rotate(rng.uniform(-15, 15),
                                                                            resample=Image.BICUBIC)
    seal = seal.resize((262, 262), Image.LANCZOS)
    page.paste(seal, (1000, 380), seal)
    # scanned: a little blur, and JPEG
    bgr = cv2.GaussianBlur(cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR), (0, 0), 1.0)
    return cv2.imdecode(cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 60])[1], cv2.IMREAD_COLOR)


def _named(engine, page) -> str | None:
    hits = [h for h in find_seals(page, engine, lexicon=[*FIRMS, BANK, OTHER_BRANCH]) if h.shape == "round"]
    return name_by_ink(hits[0].lexicon_gaps) if len(hits) == 1 else None


@pytest.mark.ocr
@pytest.mark.parametrize("colour", ["red", "orange"])
def test_a_bank_seal_over_a_coloured_ruled_table_names_its_branch(engine, colour):
    """Rules in the seal's own colour cross it. Detection takes them out of the ink mask without
    cutting the seal in two along a rule (else: two slices, no seal, on 2 of these 6 red
    stampings), and reading paints them out of the arc (else: 2 more red ones unnamed)."""
    named = [_named(engine, _receipt(RULE_COLOURS[colour], seed)) for seed in range(1, 7)]
    assert named == [BANK] * 6


@pytest.mark.ocr
def test_a_bank_seal_over_a_ruled_table_on_a_black_and_white_scan_names_its_branch(engine):
    named = [_named(engine, cv2.cvtColor(cv2.cvtColor(_receipt(RULE_COLOURS["red"], seed), cv2.COLOR_BGR2GRAY),
                                         cv2.COLOR_GRAY2BGR)) for seed in (1, 2, 3)]
    assert named == [BANK] * 3
