"""CJK font faces.

Born-digital PDFs embed TrueType faces (MuPDF can subset those, keeping files small);
pages that are only rasterised (scans, photos) may also use the big Noto CJK CFF faces,
which are loaded from the .ttc collections (face index 2 = Simplified Chinese).
"""

from __future__ import annotations

import functools
import struct

import pymupdf

NOTO = "/usr/share/fonts/opentype/noto/"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
TTC_FILES = {
    "noto_sans": NOTO + "NotoSansCJK-Regular.ttc",
    "noto_sans_bold": NOTO + "NotoSansCJK-Bold.ttc",
    "noto_serif": NOTO + "NotoSerifCJK-Regular.ttc",
    "noto_serif_bold": NOTO + "NotoSerifCJK-Bold.ttc",
}
SC_INDEX = 2


def extract_face(path: str, index: int) -> bytes:
    """Cut one face out of a TrueType/OpenType collection into a standalone font."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"ttcf":
        return data
    off = struct.unpack(">I", data[12 + 4 * index : 16 + 4 * index])[0]
    num = struct.unpack(">H", data[off + 4 : off + 6])[0]
    header, dirs, body = data[off : off + 12], bytearray(), bytearray()
    cur = 12 + 16 * num
    for i in range(num):
        tag, cs, toff, ln = struct.unpack(">4sIII", data[off + 12 + 16 * i : off + 28 + 16 * i])
        dirs += struct.pack(">4sIII", tag, cs, cur, ln)
        pad = (-ln) % 4
        body += data[toff : toff + ln] + b"\0" * pad
        cur += ln + pad
    return bytes(header + dirs + body)


@functools.cache
def face_buffer(face: str) -> bytes:
    if face == "droid":
        return pymupdf.Font("cjk").buffer
    if face == "wqy":
        return extract_face(WQY, 0)
    return extract_face(TTC_FILES[face], SC_INDEX)


@functools.cache
def measure_font(face: str) -> pymupdf.Font:
    return pymupdf.Font(fontbuffer=face_buffer(face))


_ADVANCE: dict[str, dict[str, float]] = {}


def text_width(face: str, s: str, size: float) -> float:
    """Advance width of s; per-character widths are cached (text_length is slow per call)."""
    adv = _ADVANCE.setdefault(face, {})
    total = 0.0
    for ch in s:
        w = adv.get(ch)
        if w is None:
            w = adv[ch] = measure_font(face).text_length(ch, fontsize=1.0)
        total += w
    return total * size


# Style = role -> (face, synthetic bold?).  Embeddable styles only use TrueType faces.
EMBED_STYLES = [
    {"body": "wqy", "title": "wqy", "hei": "wqy"},
    {"body": "droid", "title": "droid", "hei": "droid"},
    {"body": "droid", "title": "wqy", "hei": "wqy"},
    {"body": "wqy", "title": "droid", "hei": "droid"},
]
RASTER_STYLES = [
    {"body": "noto_serif", "title": "noto_sans_bold", "hei": "noto_sans"},
    {"body": "noto_serif", "title": "noto_serif_bold", "hei": "noto_sans"},
    {"body": "noto_sans", "title": "noto_sans_bold", "hei": "noto_sans"},
    {"body": "wqy", "title": "noto_sans_bold", "hei": "wqy"},
    {"body": "noto_serif", "title": "wqy", "hei": "noto_sans"},
    *EMBED_STYLES[:2],
]
BOLD_OF = {"noto_sans": "noto_sans_bold", "noto_serif": "noto_serif_bold"}


@functools.cache
def pil_font_path(face: str) -> tuple[str, int]:
    if face == "wqy":
        return WQY, 0
    return TTC_FILES[face], SC_INDEX
