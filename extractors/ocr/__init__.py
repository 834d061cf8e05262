"""OCR engines behind one interface; `get_engine(name)` returns a process-wide instance."""

from functools import lru_cache

from .base import OcrEngine, OcrLine, OcrResult, OcrUnavailable, recognise_by_reading, recognise_crops

ENGINES = {
    "rapidocr": "docintake.extractors.ocr.rapid:RapidOcrEngine",
    "paddleocr": "docintake.extractors.ocr.paddle:PaddleOcrEngine",
}


@lru_cache(maxsize=4)
def get_engine(name: str = "rapidocr", threads: int | None = None) -> OcrEngine:
    if name not in ENGINES:
        raise OcrUnavailable(f"未知的 OCR 引擎：{name}（可用：{', '.join(ENGINES)}）")
    module_name, cls_name = ENGINES[name].split(":")
    module = __import__(module_name, fromlist=[cls_name])
    return getattr(module, cls_name)(threads=threads)


__all__ = ["ENGINES", "OcrEngine", "OcrLine", "OcrResult", "OcrUnavailable", "get_engine",
           "recognise_by_reading", "recognise_crops"]
