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

DET_SIDE = 736  # rapidocr's Det.limit_side_len (limit_type "min")


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
        # The detector enlarges an image until its short side is DET_SIDE (736) px: a seal's
        # neighbourhood (~300 px tall) would be detected at 2.5x, ~40% of a page's cost.
        detector = self._ocr._load_det_model()
        detector.limit_side_len = min(DET_SIDE, max(32, min(image.shape[:2]))) if crop else DET_SIDE
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
        charset = tuple(rec.postprocess_op.character)
        _, height, width = rec.rec_image_shape
        out = []
        for image in images:
            h, w = image.shape[:2]
            batch = rec.resize_norm_img(image, max(width / height, w / h))[None].astype(np.float32)
            out.append(LinePosteriors(probs=rec.session(batch)[0], charset=charset))
        return out
