"""PaddleOCR 3.x as an optional engine, for users who have its model folders.

paddleocr cannot fetch models offline ("No available model hosting platforms detected"), so it
runs only with local folders: set DOCINTAKE_PADDLE_DET_DIR and DOCINTAKE_PADDLE_REC_DIR
(and optionally DOCINTAKE_PADDLE_CLS_DIR) to the unpacked inference-model directories; they reach
the engine as `model_dirs` (Settings.ocr_model_dirs, through get_engine).
"""

import time

import numpy as np

from .base import OcrLine, OcrResult, OcrUnavailable, quad_to_box, recognise_by_reading


class PaddleOcrEngine:
    name = "paddleocr"

    def __init__(self, threads: int | None = None, model_dirs: tuple[str | None, ...] = ()):
        det, rec, cls_dir = (*model_dirs, None, None, None)[:3]  # detection, recognition, orientation
        if not det or not rec:
            raise OcrUnavailable(
                "paddleocr 需要本地模型目录：请设置 DOCINTAKE_PADDLE_DET_DIR 和 DOCINTAKE_PADDLE_REC_DIR")
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise OcrUnavailable("paddleocr 未安装：pip install 'docintake[paddle]'") from exc
        self._ocr = PaddleOCR(
            text_detection_model_dir=det,
            text_recognition_model_dir=rec,
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=bool(cls_dir),
            textline_orientation_model_dir=cls_dir,
            cpu_threads=threads or 2,
        )

    def read(self, image: np.ndarray, crop: bool = False) -> OcrResult:  # crop: no option to pass on
        start = time.perf_counter()
        lines = []
        for page in self._ocr.predict(image):
            rows = zip(page["rec_polys"], page["rec_texts"], page["rec_scores"], strict=True)
            for quad, text, score in rows:
                if text.strip():
                    lines.append(OcrLine(text=text, box=quad_to_box(quad), confidence=float(score)))
        return OcrResult(lines=lines, seconds=time.perf_counter() - start)

    def recognise(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        return recognise_by_reading(self, images)
