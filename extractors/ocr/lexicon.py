"""Lexicon-constrained reading: how well each of a few known texts explains a line image.

A CTC recogniser (PP-OCR's) gives, for each of T frames along the line, a probability over its
charset (index 0 = blank). Its own reading is the best path, one class per frame. When the text
can only be one of a few known names (the firms a bundle names, for the arc of a contract's
seal), each name's likelihood under the recogniser's output can be asked for directly: a name
whose characters the ink still supports where black print crossed them stays likely even when the
best path there is junk. The standard trick of lexicon-constrained text recognition, on the
recogniser's own output.

Each text is scored by its best alignment (Viterbi), not the sum over alignments: the text read
itself then scores exactly the best path, and wildcard frames at the ends (junk before or after
the text) are not counted twice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

FLOOR = 1e-6  # probabilities below this count as this: one frame costs at most ~14 nats


@dataclass(frozen=True)
class LinePosteriors:
    """A CTC recogniser's output for one line image: `probs` T x C, `charset` of C classes."""

    probs: np.ndarray
    charset: tuple[str, ...]

    def best_path(self) -> str:
        """The recogniser's own reading (greedy CTC decoding)."""
        best = self.probs.argmax(1)
        keep = (best != 0) & np.r_[True, best[1:] != best[:-1]]
        return "".join(self.charset[i] for i in best[keep])


def _variants(text: str) -> list[str]:
    """The spellings a printed name may take: seals and invoices print full-width brackets."""
    wide = text.replace("(", "（").replace(")", "）")
    return [text] if wide == text else [text, wide]


def _best_alignment(logp: np.ndarray, ext: np.ndarray) -> np.ndarray:
    """log P of the best CTC alignment of each row of `ext` (K x S extended labels over logp's
    classes) given logp (T x C). Rows start and end with the wildcard class (logp's last column),
    which may cover any number of frames, so each label may sit anywhere along the line."""
    k_rows, s_len = ext.shape
    emit = logp[:, ext]  # T x K x S
    skip = np.zeros((k_rows, s_len), dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != 0) & (ext[:, 2:] != ext[:, :-2])
    # The scores sit right of two columns of -inf, so a label's predecessors one and two back are
    # slices of the same array (no copies per frame).
    padded = np.full((k_rows, s_len + 2), -np.inf)
    a = padded[:, 2:]
    a[:, :3] = emit[0, :, :3]  # wildcard, blank or the first character
    for t in range(1, logp.shape[0]):
        moved = np.maximum(a, padded[:, 1:-1])
        moved = np.where(skip, np.maximum(moved, padded[:, :-2]), moved)
        np.add(moved, emit[t], out=a)
    return a[:, -3:].max(1)  # ended on the last character, blank or wildcard


@functools.lru_cache(maxsize=4)
def _class_index(charset: tuple[str, ...]) -> dict[str, int]:
    """Each character's class (0 is CTC's blank); built once per charset, not per line."""
    return {c: i for i, c in enumerate(charset) if i}


def text_gaps(post: LinePosteriors, texts: list[str], cyclic: bool = False) -> dict[str, float]:
    """For each text: (log P(its best alignment) - log P(best path)) per character of the text:
    0 for what the recogniser reads itself, more negative the less the ink supports the text.
    `cyclic`: the line is a ring cut open anywhere (a seal's arc): every rotation is tried."""
    logp = np.log(np.maximum(post.probs, FLOOR))
    wild = logp.max(1, keepdims=True)  # any class: the best path's own frame
    logp = np.hstack([logp, wild])
    w = logp.shape[1] - 1
    best = float(wild.sum())
    index = _class_index(post.charset)
    gaps: dict[str, float] = {}
    for text in texts:
        score = -np.inf
        for spelling in _variants(text):
            labels = [index[c] for c in spelling if c in index]
            if not labels:
                continue
            rows = [labels[i:] + labels[:i] for i in range(len(labels) if cyclic else 1)]
            ext = np.array([[w, 0] + [x for c in row for x in (c, 0)] + [w] for row in rows])
            score = max(score, float(_best_alignment(logp, ext).max()))
        gaps[text] = (score - best) / max(len(text), 1)
    return gaps
