"""Reading pages: text layers, OCR, straightening, seals, signatures."""
