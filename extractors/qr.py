"""QR codes on invoices: a second, independent reading of number, date and amount.

OpenCV's Aruco-based detector finds codes on a full page far more reliably than the classic
one; a small code (15 mm at 150 dpi) needs the page upscaled before it decodes.
"""

from pathlib import Path

import cv2
import numpy as np
from pydantic import BaseModel

from docintake.core.datamodel import ExtractedField

from . import values
from .invoice_totals import UNSURE
from .render import page_image


class QrCode(BaseModel):
    payload: str
    box: tuple[float, float, float, float]  # pixels of the image given


def decode_qr_codes(image: np.ndarray) -> list[QrCode]:
    detector = cv2.QRCodeDetectorAruco()
    for scale in (1.0, 2.0):
        scaled = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale,
                                                       interpolation=cv2.INTER_CUBIC)
        _ok, texts, points, _ = detector.detectAndDecodeMulti(scaled)
        codes = []
        for text, quad in zip(texts or (), points if points is not None else (), strict=False):
            if text:
                xs, ys = quad[:, 0] / scale, quad[:, 1] / scale
                codes.append(QrCode(payload=text, box=(xs.min(), ys.min(), xs.max(), ys.max())))
        if codes:
            return codes
    return []


def invoice_qr_fields(codes: list[QrCode]) -> dict | None:
    """The first code that parses as a VAT invoice payload: {number, code, date, amount, ...}."""
    for code in codes:
        parsed = values.parse_invoice_qr(code.payload)
        if parsed:
            return {**parsed, "box": code.box}
    return None


def merge_invoice_qr(fields: dict, qr: dict, page: int, source: str, points_per_px: float) -> None:
    """Add the QR reading as qr_* fields; a printed field that disagrees loses its confidence."""
    bbox = tuple(v * points_per_px for v in qr["box"])
    # On 数电 (31/32) the QR amount includes tax; on older types it is the amount before tax.
    amount_field = "total_amount" if qr.get("amount_includes_tax") else "amount_excl_tax"
    date = qr.get("date")
    readings = {
        "invoice_number": qr.get("number"),
        "issue_date": date.isoformat() if hasattr(date, "isoformat") else date,
        amount_field: qr.get("amount"),
    }
    if qr.get("code"):
        readings["invoice_code"] = qr["code"]
    for name, value in readings.items():
        if value in (None, ""):
            continue
        fields[f"qr_{name}"] = ExtractedField(value=value, page=page, bbox=bbox, confidence=1.0,
                                              source=source)
        printed = fields.get(name)
        if printed is None:
            continue
        same = (abs(float(printed.value) - float(value)) <= 0.01 if name.endswith("amount")
                or name == "amount_excl_tax" else str(printed.value) == str(value))
        if not same:
            printed.confidence = min(printed.confidence, UNSURE)


def read_invoice_qr(doc, doc_pages: list, paths: dict[str, Path], long_side: int) -> None:
    """Decode the first invoice QR code on the document's pages and merge it into its fields."""
    for page in doc_pages:
        try:
            image = page_image(paths[page.source], page.page, long_side)
        except Exception:  # an unreadable page already has its finding
            continue
        qr = invoice_qr_fields(decode_qr_codes(image))
        if qr:
            # Points per pixel: the page's size over the rendered image's (turns aside).
            scale = max(page.width, page.height) / max(image.shape[:2])
            merge_invoice_qr(doc.fields, qr, page.page, page.source, scale)
            return
