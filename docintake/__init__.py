"""docintake: document intake and material verification for model-voucher subsidy bundles."""

import sys

__version__ = "0.1.0"

# pymupdf >= 2.0 imports its optional layout analyser (pymupdf.layout, which loads an ONNX model)
# and pymupdf4llm on `import pymupdf`: ~1.3 s and ~55 MB in every process. docintake asks for
# neither page layouts nor Markdown, and pymupdf treats both as absent when their import fails.
for _optional in ("pymupdf.layout", "pymupdf4llm"):
    sys.modules.setdefault(_optional, None)
