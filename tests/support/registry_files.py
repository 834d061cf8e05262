"""CAC filing lists as the CAC publishes them: a .docx with the list as a table, an .xlsx sheet.

Written as the Office formats are (zips of XML, the parts Word and Excel themselves write), so
the reader is tested on the structure of real files: paragraphs and runs inside table cells, a
title above the table, shared and inline strings, a date cell as Excel stores it.
"""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>{}</Types>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell(text: str) -> str:
    # A cell's text split over two runs, as Word does after an edit.
    half = len(text) // 2
    runs = "".join(f"<w:r><w:t xml:space=\"preserve\">{escape(part)}</w:t></w:r>"
                   for part in (text[:half], text[half:]) if part)
    return f"<w:tc><w:tcPr><w:tcW w:w=\"1000\" w:type=\"dxa\"/></w:tcPr><w:p>{runs}</w:p></w:tc>"


def _row(cells: list[str]) -> str:
    # The last cell inside a content control (w:sdt), as templates with form fields write it.
    inner = "".join(_cell(c) for c in cells[:-1])
    if cells:
        inner += f"<w:sdt><w:sdtPr/><w:sdtContent>{_cell(cells[-1])}</w:sdtContent></w:sdt>"
    return f"<w:tr><w:trPr/>{inner}</w:tr>"


def write_docx(path: Path, tables: list[list[list[str]]], title: str = "生成式人工智能服务已备案信息") -> Path:
    """A document with a title paragraph and one table per list of rows."""
    body = f"<w:p><w:r><w:t>{escape(title)}</w:t></w:r></w:p>"
    for rows in tables:
        body += "<w:tbl><w:tblPr/>" + "".join(_row(row) for row in rows) + "</w:tbl>"
        body += "<w:p/>"
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
                f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT.format(
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'))
        z.writestr("word/document.xml", document)
    return path


def write_xlsx(path: Path, rows: list[list[str | int]]) -> Path:
    """One sheet; text cells as shared strings (every other one inline), ints as numbers."""
    shared: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(ord('A') + c)}{r}"
            if isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif (r + c) % 2:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            elif value:
                shared.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_S}">'
             f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>')
    strings = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_S}" count="{len(shared)}">'
               + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT.format(""))
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{_S}"><sheets><sheet name="Sheet1" sheetId="1"/>'
                                      "</sheets></workbook>")
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path
