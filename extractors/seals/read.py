"""Reading a detected seal: the seal is cut out and scaled to a fixed radius (whatever the render
size), its arc text unwarped into a strip that starts at the bottom gap, the strip and the upright
bottom text read by the recogniser alone (one call), and the kind / owner derived from that."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import yaml

from docintake.extractors.ocr.base import line_posteriors, recognise_crops
from docintake.extractors.ocr.lexicon import text_gaps
from docintake.extractors.values import starts_with_place

from .detect import Blob
from .ink import is_grey, white_balance

R_WORK = 160  # seal radius in px after scaling, whatever the render size: arc characters ~40 px tall
# A straight run of ink at least this long (share of R_WORK) is a ruled line the seal was stamped
# over (a receipt's table): the ring border stays within its own width over ~0.8 R at most, and
# a row of characters (a 监制章's middle lines, whose strokes may touch) spans ~1.1 R.
RULE_RUN = 1.3
# The seal's box (its paper balanced to white) and the crop around it, as shares of its radius:
# room for RING_SEARCH.
CROP_MARGIN = (1.08, 1.2)
RING_SEARCH = (0.85, 1.15)  # radii (share of the fit) searched for the ring's outer edge
RING_RAYS = 90
RING_EDGE = 1.0  # the ring's outer edge, as a share of detection's fit on clean seals (0.995)
REFIT_NOISE = 0.02  # a refit moving the centre or size by less than this share is noise: kept as fitted
REFIT_SHIFT = 0.15  # a refit moving the centre by more than this share found other ink: kept as fitted
BAND = (0.66, 0.8)  # share of the radius that only the arc text reaches (bottom text and serial stay out)
ROWS = (0.9, 0.54)  # radii of the arc-text strip, outer edge on top

SUFFIXES = [  # (pattern that identifies the kind, canonical suffix, kind)
    ("合同", "合同专用章", "contract_seal"),
    ("财务", "财务专用章", "finance_seal"),
    ("发票", "发票专用章", "invoice_seal"),
    ("回单", "电子回单专用章", "bank_seal"),
]
# how organisation names end / begin: a read that has one of these in the middle was started mid-text
NAME_ENDS = ("有限公司", "公司", "合伙)", "分行", "支行", "银行", "税务局", "管理局", "局", "事务所", "中心")
# a bank's or firm's name with a branch after it, its 支行 / 分行 misread (…股份有限公司深圳福田置行)
BRANCH_END = re.compile(r"(?:银行|公司).{2,12}行$")
SUPERVISION_ARC = "全国统一发票监制章"
TAX_BUREAUS = Path(__file__).parents[1] / "rules" / "tax_bureaus.yaml"
PLACE_KIND = r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$"
JUNK_HEAD = 5  # characters of bottom text or border noise an arc read may start with


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s·•.,，。'\"`]", "", text)


def ink_image(image_bgr: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """Grey image with the red ink black and everything else (incl. black print) white. `paper`:
    the part of the image whose paper is balanced to white (white_balance)."""
    if is_grey(image_bgr):
        return image_bgr if image_bgr.ndim == 2 else image_bgr[..., 1].copy()
    wb = white_balance(image_bgr, paper).astype(np.int16)
    red = wb[..., 2] - np.maximum(wb[..., 1], wb[..., 0])
    return np.clip(255 - red * 2.2, 0, 255).astype(np.uint8)


def _stretch(grey: np.ndarray) -> np.ndarray:
    """Faint ink (scans, photos) made full black: the recogniser reads contrast, not colour."""
    lo = float(np.percentile(grey, 1))
    if lo > 200:
        return grey
    return np.clip((grey.astype(np.float32) - lo) * 255 / (255 - lo), 0, 255).astype(np.uint8)


def _bordered(grey: np.ndarray) -> np.ndarray:
    """A single-line grey image as the recogniser takes it: BGR, with a margin of paper."""
    return cv2.cvtColor(cv2.copyMakeBorder(grey, 4, 4, 12, 12, cv2.BORDER_CONSTANT, value=255),
                        cv2.COLOR_GRAY2BGR)


def recognise(engine, images: list[np.ndarray]) -> list[str]:
    """Text of each single-line image, by the recogniser alone: detection on a seal strip splits
    or drops the curved characters."""
    return [normalise(text) for text, _ in recognise_crops(engine, [_bordered(im) for im in images])]


class _Seal:
    """A round / oval seal normalised to radius R_WORK: sampled in unit-circle coordinates of its
    fitted ellipse (an oval reads like a circle), turned so that `gap` (param angle) is down."""

    def __init__(self, image_bgr: np.ndarray, ell):
        (cx, cy), (a1, a2), ang = ell
        r = max(a1, a2) / 2 * CROP_MARGIN[1]
        x0, y0 = int(max(0, cx - r)), int(max(0, cy - r))
        crop = image_bgr[y0:int(cy + r) + 1, x0:int(cx + r) + 1]
        p = max(a1, a2) / 2 * CROP_MARGIN[0]
        paper = image_bgr[int(max(0, cy - p)):int(cy + p) + 1, int(max(0, cx - p)):int(cx + p) + 1]
        f = R_WORK / ((a1 + a2) / 4)
        how = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
        ink = ink_image(crop, paper if paper.size else None)
        self.ink = _drop_ruled_lines(cv2.resize(ink, None, fx=f, fy=f, interpolation=how))
        self.gap = np.pi / 2
        self._frame(((cx - x0) * f, (cy - y0) * f), (a1 * f, a2 * f), ang)
        if is_grey(crop):
            self._drop_black_print()  # a grey seal's ring is what found it (detect_grey): no refit
        else:
            self._refit_ring()

    def _frame(self, centre, axes, angle: float) -> None:
        """The ellipse (in pixels of self.ink) that unit-circle coordinates refer to."""
        t = np.radians(angle)
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        self.m = rot @ np.diag([axes[0] / 2, axes[1] / 2])  # unit circle -> pixels of self.ink
        self.c = np.array(centre, dtype=float)

    def _refit_ring(self) -> None:
        """Fit the ellipse again to the ring's own outer edge. Detection fits the ink mask of the
        working copy, where a photo's faint stretch of border or a rule's leftover pulls the fit
        off by a few per cent: enough for the arc text to leave the strip. The outermost ink along
        rays from the centre, within RING_SEARCH of the fit, is the ring's edge; rays that meet
        none (a gap in a faint ring) do not count."""
        level = _ink_level(self.ink)
        if not level:
            return
        ks = np.linspace(RING_SEARCH[1], RING_SEARCH[0], 61)[:, None]  # outermost first
        phi = np.linspace(0, 2 * np.pi, RING_RAYS, endpoint=False)[None, :]
        inked = self.sample(ks * np.cos(phi), ks * np.sin(phi)) < level
        met = inked.any(0)
        if met.sum() < RING_RAYS // 2:
            return
        k, p = ks[inked.argmax(0)[met], 0], phi[0, met]
        pts = (self.c[:, None] + self.m @ np.vstack([k * np.cos(p), k * np.sin(p)])).T.astype(np.float32)
        (cx, cy), axes, angle = cv2.fitEllipse(pts)
        scale = np.sqrt(abs(np.linalg.det(self.m))) * 2
        shift = np.hypot(cx - self.c[0], cy - self.c[1]) / scale
        size = np.mean(axes) / scale / RING_EDGE
        if shift < REFIT_NOISE and abs(size - 1) < REFIT_NOISE:
            return  # the fit was right (a refit of a clean ring moves it by noise)
        if shift > REFIT_SHIFT or not RING_SEARCH[0] < size < RING_SEARCH[1]:
            return  # not the ring (red print beside the seal): keep the fit
        self._frame((cx, cy), (axes[0] / RING_EDGE, axes[1] / RING_EDGE), angle)

    def _drop_black_print(self) -> None:
        """Greyscale scans: red ink turned mid-grey, so what is clearly darker than the seal's own
        border (dates, signatures, the text under the seal) is black print: paper it over."""
        ring = self.polar(1.0, 0.9, 360, 8)
        level = float(np.percentile(ring, 5)) - 20
        black = (self.ink < level).astype(np.uint8)
        black = cv2.dilate(black, np.ones((5, 5), np.uint8)).astype(bool)
        self.ink = self.ink.copy()
        self.ink[black] = 255

    def sample(self, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Ink at unit-circle points (seal frame: x right, y down towards the gap)."""
        g = self.gap - np.pi / 2
        u, v = px * np.cos(g) - py * np.sin(g), px * np.sin(g) + py * np.cos(g)
        xs = self.c[0] + self.m[0, 0] * u + self.m[0, 1] * v
        ys = self.c[1] + self.m[1, 0] * u + self.m[1, 1] * v
        return cv2.remap(self.ink, xs.astype(np.float32), ys.astype(np.float32), cv2.INTER_LINEAR,
                         borderValue=255)

    def polar(self, k_out: float, k_in: float, width: int, height: int) -> np.ndarray:
        """Ring band as a strip, outer edge on top, clockwise from the gap (lower left first)."""
        phi = np.linspace(0, 2 * np.pi, width, endpoint=False)[None, :] + np.pi / 2
        k = np.linspace(k_out, k_in, height)[:, None]
        return self.sample(k * np.cos(phi), k * np.sin(phi))

    def find_gap(self) -> None:
        """The bottom gap of the arc text: the widest stretch of the text band with least ink (a
        60° window), robust to the odd bottom-text corner reaching into the band."""
        band = self.polar(BAND[1], BAND[0], 360, 12)
        ink = (band < _ink_level(band)).sum(0).astype(np.float32)
        smooth = np.convolve(np.r_[ink[-30:], ink, ink[:30]], np.ones(61), "valid")[:360]
        low = smooth <= smooth.min() + 0.02 * max(smooth.max(), 1)
        # centre of the longest circular run of near-minimal columns
        best, cur, end = 0, 0, 0
        for i, v in enumerate(np.r_[low, low]):
            cur = cur + 1 if v else 0
            if cur > best:
                best, end = cur, i
        mid = (end - min(best, 360) // 2) % 360
        self.gap += np.radians(mid)

    def upright(self, x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
        """Upright crop (gap down) of the unit-circle box, in true proportions of the seal."""
        g = self.gap - np.pi / 2
        sx = np.linalg.norm(self.m @ [np.cos(g), np.sin(g)])  # px per unit along the seal's width
        sy = np.linalg.norm(self.m @ [-np.sin(g), np.cos(g)])
        w, h = max(8, int((x1 - x0) * sx)), max(8, int((y1 - y0) * sy))
        px, py = np.meshgrid(np.linspace(x0, x1, w), np.linspace(y0, y1, h))
        return self.sample(px, py)


def _drop_ruled_lines(ink: np.ndarray) -> np.ndarray:
    """Paint out the straight rules of a table the seal was stamped on (a bank receipt's grid,
    often printed in the seal's own red): unwrapped, each would cross the arc strip as a dark
    curve that the recogniser reads as strokes and the gap search as text. Rules are level or
    upright on a straightened page; a 3 px dilation across them lets a rule tilted by up to ~1.5°
    through the straight kernel. The rule's pixels are inpainted from both sides of it, so a
    character's stroke crossing the rule stays whole."""
    level = _ink_level(ink)
    if not level:
        return ink
    binary = (ink < level).astype(np.uint8)
    run = int(RULE_RUN * R_WORK)
    rules = np.zeros_like(binary)
    for along, across in (((1, run), (3, 1)), ((run, 1), (1, 3))):
        thick = cv2.dilate(binary, np.ones(across, np.uint8))
        rules |= cv2.morphologyEx(thick, cv2.MORPH_OPEN, np.ones(along, np.uint8)) & binary
    if not rules.any():
        return ink
    return cv2.inpaint(ink, cv2.dilate(rules, np.ones((3, 3), np.uint8)), 3, cv2.INPAINT_TELEA)


def _ink_level(grey: np.ndarray) -> float:
    """Grey level below which a pixel counts as ink: half way between the ink and the paper."""
    lo = float(np.percentile(grey, 2))
    return (lo + 255) / 2 if lo < 200 else 0.0


def _arc_strip(seal: _Seal) -> np.ndarray:
    """The seal's arc text unwarped into one line, cut to the text's angular extent."""
    width = int(2 * np.pi * 0.72 * R_WORK)
    strip = seal.polar(ROWS[0], ROWS[1], width, int((ROWS[0] - ROWS[1]) * R_WORK))
    # the text's angular extent: from the first to the last column with ink in the text band
    band = strip[int((ROWS[0] - BAND[1]) * R_WORK):int((ROWS[0] - BAND[0]) * R_WORK)]
    cols = np.flatnonzero((band < _ink_level(strip)).sum(0) > 0)
    if cols.size:
        pad = int(0.1 * R_WORK)
        strip = strip[:, max(0, cols[0] - pad):cols[-1] + pad]
    return _stretch(strip)


def read_round(image_bgr, blob: Blob, engine, lexicon: list[str] = ()) -> tuple[str, str, dict[str, float]]:
    """(arc text, bottom text, lexicon gaps) of a round / oval seal. `lexicon`: names the arc is
    expected to be one of; each gets how well the arc's ink supports it (ocr.lexicon.text_gaps),
    none when the engine gives no posteriors."""
    seal = _Seal(image_bgr, blob.ellipse)
    seal.find_gap()
    strip = _arc_strip(seal)
    oval = blob.shape == "oval"
    lower = seal.upright(-0.45, 0.45, 0.34, 0.7) if oval else seal.upright(-0.55, 0.55, 0.28, 0.66)
    lines = [strip, _stretch(lower)]
    posteriors = line_posteriors(engine, [_bordered(im) for im in lines]) if lexicon else None
    if posteriors:  # the recogniser's output, read once: its best path is the text it reads
        arc, bottom = (normalise(p.best_path()) for p in posteriors)
        gaps = text_gaps(posteriors[0], list(lexicon), cyclic=True)
    else:
        (arc, bottom), gaps = recognise(engine, lines), {}
    if oval and is_supervision(arc):  # its owner is in the middle: 国家税务总局 / 北京市税务局
        bottom, gaps = _read_middle(seal, engine), {}
    # arc text is a name: drop serial digits and recogniser junk
    return unshift(re.sub(r"[^\u4e00-\u9fff()]", "", arc)), bottom, gaps


def is_supervision(arc: str) -> bool:
    """An arc that reads like 全国统一发票监制章 (a paper invoice's printed 监制章, the tax bureau's)."""
    return sum(c in arc for c in SUPERVISION_ARC) >= 5


def _read_middle(seal: _Seal, engine) -> str:
    """The lines inside a 监制章's arc, top to bottom, as one text (detection finds the lines: how
    many and where differs between printers)."""
    middle = cv2.cvtColor(_stretch(seal.upright(-0.72, 0.72, -0.15, 0.85)), cv2.COLOR_GRAY2BGR)
    lines = sorted(engine.read(middle).lines, key=lambda line: line.box[1])
    return normalise("".join(line.text for line in lines))


@functools.cache
def tax_bureaus() -> dict[str, str]:
    """Each bureau's place as it is told apart (北京, 内蒙古: no 市/省/自治区) -> its name."""
    rules = yaml.safe_load(TAX_BUREAUS.read_text(encoding="utf-8"))
    return {re.sub(PLACE_KIND, "", place): rules["prefix"] + place + rules["suffix"]
            for place in rules["places"]}


def tax_bureau(reading: str) -> str | None:
    """The provincial tax bureau a 监制章's middle lines name: a reading of a tax bureau (税, of
    税务局: the lines are small, and often under the invoice's own red title) that names one
    bureau's place and no other's; None when it does not tell them apart."""
    named = {name for place, name in tax_bureaus().items() if place in reading}
    return named.pop() if "税" in reading and len(named) == 1 else None


def unshift(name: str) -> str:
    """Tidy the ends of an arc read: a fragment of the bottom text read as one more character after
    the name (…深圳分行出), and a cyclic shift of a read started mid-text (司深圳市…有限公 ->
    深圳市…有限公司): the rotation that ends (and begins) like a name wins; ties keep the read."""
    def ends(s: str) -> bool:
        return any(s.endswith(e) for e in NAME_ENDS) or BRANCH_END.search(s) is not None

    if len(name) > 4 and not ends(name) and ends(name[:-1]):
        return name[:-1]

    def score(s: str) -> int:  # a branch (分行/支行) is always the last part of a name
        inner_branch = re.search("[分支]行.", s) is not None
        return 2 * ends(s) + starts_with_place(s) - 2 * inner_branch

    best = max(range(len(name)), key=lambda k: (score(name[k:] + name[:k]), k == 0), default=0)
    name = name[best:] + name[:best]
    # 玩北京华彩…, 户么中国农业银行…: a few characters of noise before the place the name opens with
    head = next((k for k in range(1, JUNK_HEAD + 1) if starts_with_place(name[k:])), None)
    if not starts_with_place(name) and head is not None and ends(name):
        name = name[head:]
    return name


def read_square(image_bgr, blob: Blob, engine) -> str:
    """A personal seal: 2x2 characters, right column first (陆辉 / 艳印 -> 陆辉艳印), laid out as
    one line for a single recogniser call."""
    x0, y0, x1, y1 = (int(v) for v in blob.bbox)
    ink = _level(_stretch(ink_image(image_bgr[y0:y1, x0:x1])))
    ink = cv2.resize(ink, (160, 160), interpolation=cv2.INTER_AREA)[10:-10, 10:-10]
    cells = [ink[cy0:cy0 + 70, cx0:cx0 + 70] for cx0, cy0 in ((70, 0), (70, 70), (0, 0), (0, 70))]
    text = re.sub(r"[^\u4e00-\u9fff]", "", recognise(engine, [np.hstack(cells)])[0])
    return re.sub(r"之?印$", "", text)


def _level(grey: np.ndarray) -> np.ndarray:
    """A name seal stamped at an angle turned level (its border's turned rectangle), cut to it."""
    ink = (grey < _ink_level(grey)).astype(np.uint8)
    points = cv2.findNonZero(ink)
    if points is None or len(points) < 20:
        return grey
    (cx, cy), (w, h), angle = cv2.minAreaRect(points)
    angle = (angle + 45) % 90 - 45  # the square's turn, whichever side cv2 measured it from
    if abs(angle) < 2:
        return grey
    m = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    turned = cv2.warpAffine(grey, m, grey.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=255)
    side = int(max(w, h) / 2) + 1
    return turned[max(0, int(cy) - side):int(cy) + side, max(0, int(cx) - side):int(cx) + side]


def classify(shape: str, arc: str, bottom: str) -> tuple[str, str, str | None]:
    """(kind, text, owner) from what was read."""
    if shape == "slice":
        return "paging_seal", "", None
    if shape == "square":
        return "personal_seal", arc, arc or None
    if shape == "oval" and is_supervision(arc):
        owner = tax_bureau(bottom)
        return "supervision_seal", SUPERVISION_ARC + (owner or ""), owner
    owner = arc
    for key, suffix, kind in SUFFIXES:
        if key in bottom or suffix in arc:
            owner = arc.split(suffix)[0] if suffix in arc else arc
            return kind, owner + suffix, owner or None
    if shape == "oval":
        return "invoice_seal", (owner + "发票专用章") if owner else "", owner or None
    if "税务" in arc:
        return "tax_authority_seal", arc, arc
    if "市场监督管理" in arc or "工商行政管理" in arc:
        return "registration_authority_seal", arc, arc
    if "银行" in arc:
        return "bank_seal", arc, arc
    if arc:
        return "company_seal", arc, arc
    return "unknown_seal", "", None
