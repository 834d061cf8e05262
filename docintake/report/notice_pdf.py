"""The 补正 notice as PDF: the same HTML laid out by PyMuPDF's Story (no browser, no extra package).

Story sets the Chinese in MuPDF's built-in CJK fallback font; the PDF embeds only the glyphs used
(subset), so a notice is tens of kilobytes and prints as text, not as an image.
"""

import io
import re

import pymupdf

A4 = pymupdf.paper_rect("a4")
TEXT_AREA = pymupdf.Rect(56, 56, A4.width - 56, A4.height - 56)  # 2 cm margins
CSS = ("* {font-size: 11pt; line-height: 1.7;} h1 {text-align: center; font-size: 18pt;} "
       ".sign {text-align: right;}")


def notice_pdf(html: str) -> bytes:
    body = re.sub(r"(?s)<head>.*?</head>", "", html)  # its screen CSS is for browsers
    story = pymupdf.Story(html=body, user_css=CSS)
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out)
    more = True
    while more:
        device = writer.begin_page(A4)
        more, _ = story.place(TEXT_AREA)
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open(stream=out.getvalue(), filetype="pdf")
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True)
