"""Text normalisation applied to every line, from the text layer or from OCR.

NFKC folds full-width ASCII and punctuation (（）：，￥) to half-width and Kangxi radicals that
some PDF fonts emit (⼀ U+2F00) to ordinary characters. It is safe here because no downstream
check depends on the full-width form; CJK punctuation such as 。、《》 is left alone by NFKC.
"""

import re
import unicodedata

# Characters NFKC leaves alone (or maps to other odd forms) that mean a plain hyphen or space.
_TRANSLATE = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\ufe63": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ", "\u200b": "", "\ufeff": "",
    "\u00ad": "",
})
_SPACES = re.compile(r"[ \t]+")


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """Text with all whitespace removed: CJK labels are often letter-spaced (名  称)."""
    return re.sub(r"\s+", "", text)
