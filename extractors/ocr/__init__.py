"""OCR engines behind one interface; `get_engine(name)` returns a process-wide instance."""

from functools import lru_cache

from .base import OcrEngine, OcrLine, OcrResult, OcrUnavailable, recognise_by_reading, recognise_crops

ENGINES = {
    "rapidocr": "docintake.extractors.ocr.rapid:RapidOcrEngine",
    "paddleocr": "docintake.extractors.ocr.paddle:PaddleOcrEngine",
}


@lru_cache(maxsize=4)
def get_engine(name: str = "rapidocr", threads: int | None = None,
               model_dirs: tuple[str | None, ...] = ()) -> OcrEngine:
    """model_dirs: local model folders for an engine that needs them (Settings.ocr_model_dirs)."""
    if name not in ENGINES:
        raise OcrUnavailable(f"未知的 OCR 引擎：{name}（可用：{', '.join(ENGINES)}）")
    module_name, cls_name = ENGINES[name].split(":")
    engine = getattr(__import__(module_name, fromlist=[cls_name]), cls_name)
    return engine(threads=threads, model_dirs=model_dirs) if model_dirs else engine(threads=threads)


__all__ = ["ENGINES", "OcrEngine", "OcrLine", "OcrResult", "OcrUnavailable", "get_engine",
           "recognise_by_reading", "recognise_crops"]
