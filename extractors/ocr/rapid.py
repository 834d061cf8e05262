"""PP-OCRv6 through rapidocr 3.x on ONNX Runtime: the default engine.

The rapidocr wheel ships PP-OCRv6 det/rec (small) and the mobile direction classifier; we ask
for exactly those, so nothing is ever downloaded. The direction classifier labels each line 0 or
180; a page whose lines are mostly 180 was upside down: then every line's crop is turned before
recognition (the classifier misjudges a few), and only the boxes need mapping back.
"""

import time
from pathlib import Path

import numpy as np

from .base import OcrLine, OcrResult, OcrUnavailable, quad_to_box
from .lexicon import LinePosteriors

DET_SIDE = 736  # rapidocr's Det.limit_side_len (limit_type "min"): small images are enlarged to it
# Text detection looks at a page at most this long. It finds lines, it does not read them: the
# recogniser reads each line from the full-size image. Detecting at the page's own 2000 px cost as
# much as recognising every line of it; at 1280 px thin strokes (一) and a label's last character
# (付款人) fell out of their boxes on phone photos, at 1600 px they did not.
DET_LONG_SIDE = 1600


def det_size(height: int, width: int, crop: bool) -> tuple[str, int]:
    """(limit_type, limit_side_len) for rapidocr's detector on an image this size. A crop of a
    page is detected at its own scale; a page is shrunk to DET_LONG_SIDE, never so far that its
    short side falls below DET_SIDE, and a small image is enlarged as rapidocr does."""
    if crop:
        return "min", min(DET_SIDE, max(32, min(height, width)))
    ratio = max(DET_LONG_SIDE / max(height, width), DET_SIDE / min(height, width))
    return ("min", DET_SIDE) if ratio >= 1 else ("max", round(max(height, width) * ratio))


def _det_input(pre, image: np.ndarray) -> np.ndarray | None:
    """rapidocr's detector input (DetPreProcess.__call__: resize, normalise, channels first), with
    the normalising done through a 256-entry table. rapidocr computes it in float64 over the whole
    page (~30 ms of a page's 50); each uint8 value maps to one float32, so the table built by its
    own normalize gives the same tensor bit for bit."""
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        return pre(image)
    resized = pre.resize(image)
    if resized is None:
        return None
    table = pre.normalize(np.arange(256, dtype=np.uint8).reshape(1, 256, 1).repeat(3, axis=2))
    table = table[0].astype(np.float32)
    out = np.empty((1, 3, *resized.shape[:2]), np.float32)
    for channel in range(3):
        np.take(table[:, channel], resized[:, :, channel], out=out[0, channel])
    return out


def _table_preprocess(preprocess):
    """The detector's get_preprocess (which reads limit_type/limit_side_len as read() sets them),
    its preprocessing done by _det_input."""
    def table_preprocess():
        pre = preprocess()
        return lambda image: _det_input(pre, image)

    table_preprocess.by_table = True
    return table_preprocess


def _mostly_flipped(labels: list[str]) -> bool:
    """The direction classifier's labels of a page's lines say the page is upside down."""
    return sum(1 for label in labels if label == "180") > max(2, 0.6 * len(labels))


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, threads: int | None = None):
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - rapidocr is a core dependency
            raise OcrUnavailable("rapidocr 未安装") from exc
        models = Path(rapidocr.__file__).parent / "models"
        det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
        cls = models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
        missing = [p.name for p in (det, rec, cls) if not p.exists()]
        if missing:
            raise OcrUnavailable(f"rapidocr 安装包缺少模型文件：{', '.join(missing)}")
        params = {
            "Global.log_level": "error",
            "Det.model_path": str(det),
            "Rec.model_path": str(rec),
            "Cls.model_path": str(cls),
            "Det.limit_side_len": DET_SIDE,
        }
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        self._ocr = RapidOCR(params=params)
        self._labels: list[str] = []
        self._charset: tuple[str, ...] | None = None
        original = self._ocr.cls_and_rotate

        def record_directions(crops):
            imgs, cls_res = original(crops)
            labels = [label for label, _ in (cls_res.cls_res or [])]
            self._labels.extend(labels)
            if _mostly_flipped(labels):
                # The page is upside down, so every line is, those the classifier judged upright
                # too: turned with the rest, they read right instead of garbled or dropped.
                imgs = [np.ascontiguousarray(np.rot90(crop, 2)) for crop in crops]
            return imgs, cls_res

        self._ocr.cls_and_rotate = record_directions

    def read(self, image: np.ndarray, crop: bool = False) -> OcrResult:
        start = time.perf_counter()
        self._labels = []
        # rapidocr's detector enlarges an image until its short side is 736 px: a seal's
        # neighbourhood (~300 px tall) would be detected at 2.5x, ~40% of a page's cost.
        detector = self._ocr._load_det_model()  # loaded at the first read: seals need only rec
        detector.limit_type, detector.limit_side_len = det_size(*image.shape[:2], crop)
        if not getattr(detector.get_preprocess, "by_table", False):
            detector.get_preprocess = _table_preprocess(detector.get_preprocess)
        out = self._ocr(image)
        upside_down = _mostly_flipped(self._labels)
        h, w = image.shape[:2]
        lines = []
        for quad, text, score in zip(out.boxes if out.boxes is not None else [],
                                     out.txts or (), out.scores or (), strict=True):
            x0, y0, x1, y1 = quad_to_box(quad)
            if upside_down:
                x0, y0, x1, y1 = w - x1, h - y1, w - x0, h - y0
            lines.append(OcrLine(text=text, box=(x0, y0, x1, y1), confidence=float(score)))
        return OcrResult(lines=lines, upside_down=upside_down,
                         seconds=time.perf_counter() - start)

    def recognise(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        if not images:
            return []
        out = self._ocr.recognize_txt(images)
        return [(text, float(score)) for text, score in zip(out.txts, out.scores, strict=True)]

    def posteriors(self, images: list[np.ndarray]) -> list[LinePosteriors]:
        """The recogniser's per-frame class probabilities for each single-line BGR image, prepared
        exactly as recognise() prepares it (rapidocr's resize_norm_img); one image per batch, so no
        line is padded to another's width."""
        rec = self._ocr._load_rec_model()
        if self._charset is None:  # one tuple of ~18k characters, kept: lexicon caches by it
            self._charset = tuple(rec.postprocess_op.character)
        charset = self._charset
        _, height, width = rec.rec_image_shape
        out = []
        for image in images:
            h, w = image.shape[:2]
            batch = rec.resize_norm_img(image, max(width / height, w / h))[None].astype(np.float32)
            out.append(LinePosteriors(probs=rec.session(batch)[0], charset=charset))
        return out
