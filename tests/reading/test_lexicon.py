"""Lexicon-constrained reading: scoring known texts against a CTC recogniser's output."""

import numpy as np
import pytest

from docintake.extractors.ocr.lexicon import LinePosteriors, text_gaps

CHARSET = ("", "甲", "乙", "丙", "丁", "（", "）", "(", ")")


def _posteriors(frames: list[dict[str, float]]) -> LinePosteriors:
    """One frame per dict of char -> probability; the rest of each frame's mass is blank."""
    probs = np.full((len(frames), len(CHARSET)), 1e-4)
    for t, frame in enumerate(frames):
        for char, p in frame.items():
            probs[t, CHARSET.index(char)] = p
        probs[t, 0] = max(0.0, 1 - sum(frame.values()))
    return LinePosteriors(probs=probs / probs.sum(1, keepdims=True), charset=CHARSET)


def _line(text: str) -> list[dict[str, float]]:
    """Frames of a clean read of `text`: each character, then a blank."""
    return [f for c in text for f in ({c: 0.98}, {})]


def test_the_best_path_is_the_recognisers_own_reading():
    post = _posteriors([{"甲": 0.9}, {"甲": 0.9}, {}, {"乙": 0.9}, {"乙": 0.6}, {}, {"乙": 0.9}])
    assert post.best_path() == "甲乙乙"


def test_the_text_read_scores_about_nothing_and_another_text_far_below():
    gaps = text_gaps(_posteriors(_line("甲乙丙")), ["甲乙丙", "甲乙丁", "丁丁丁"])
    assert gaps["甲乙丙"] == pytest.approx(0, abs=0.1)
    assert gaps["甲乙丁"] < -2.5  # one confident character against it
    assert gaps["丁丁丁"] < gaps["甲乙丁"]


def test_a_character_the_ink_still_supports_costs_little():
    # the middle character is read as 丁 but 乙 keeps a third of the frame (print crossed it)
    frames = [{"甲": 0.98}, {}, {"丁": 0.5, "乙": 0.3}, {}, {"丙": 0.98}, {}]
    gaps = text_gaps(_posteriors(frames), ["甲乙丙", "甲丁丙", "甲丙丙"])
    assert gaps["甲丁丙"] == pytest.approx(0, abs=0.1)
    assert -0.5 < gaps["甲乙丙"] < 0
    assert gaps["甲丙丙"] < -2.5


def test_junk_before_and_after_the_text_costs_nothing():
    frames = [{"丁": 0.9}, {}, *_line("甲乙丙"), {"丁": 0.9}]
    assert text_gaps(_posteriors(frames), ["甲乙丙"])["甲乙丙"] == pytest.approx(0, abs=0.1)


def test_a_ring_cut_open_mid_text_matches_only_when_cyclic():
    post = _posteriors(_line("丙甲乙"))  # a seal arc whose gap was found in the wrong place
    assert text_gaps(post, ["甲乙丙"], cyclic=True)["甲乙丙"] == pytest.approx(0, abs=0.1)
    assert text_gaps(post, ["甲乙丙"])["甲乙丙"] < -2


def test_half_width_brackets_match_the_full_width_ones_a_seal_prints():
    post = _posteriors(_line("甲（乙）"))
    assert text_gaps(post, ["甲(乙)"])["甲(乙)"] == pytest.approx(0, abs=0.1)


@pytest.mark.ocr
def test_rapidocr_posteriors_read_as_its_recogniser_does():
    import cv2

    from docintake.extractors.ocr import get_engine
    from tests.support.builders import text_line_image

    engine = get_engine()
    image = cv2.cvtColor(text_line_image("深圳市星衍智能科技有限公司"), cv2.COLOR_GRAY2BGR)
    (post,) = engine.posteriors([image])
    assert post.best_path() == engine.recognise([image])[0][0] == "深圳市星衍智能科技有限公司"
    gaps = text_gaps(post, ["深圳市星衍智能科技有限公司", "深圳市致远软件有限公司"])
    assert gaps["深圳市星衍智能科技有限公司"] > -0.2
    assert gaps["深圳市致远软件有限公司"] < -3
