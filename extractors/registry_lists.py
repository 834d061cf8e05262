"""The CAC's published filing lists as files: a .docx table or an .xlsx sheet as the CAC publishes
them, or a CSV in the snapshot's columns, read into FilingRows.

The CAC's tables name their columns in two ways (模型名称 / 大模型名称, 备案号 / 备案编号), the 登记
lists in their own (应用名称 or 功能名称, 登记单位, 上线编号, 登记时间), and repeat the header row
inside a table (one per page, or one per part). A header row sets the columns and the kind of the
rows below it; rows before any header, and rows without a number, are not rows of the list.
.docx and .xlsx are zips of XML: read with the standard library, so no Office library is needed.
"""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

from pydantic import ValidationError

from docintake.core.datamodel import FILING_COLUMNS, FilingRow

MAX_BYTES = 64 * 1024 * 1024  # the CAC's largest list is well under 1 MB
MAX_UNPACKED = 256 * 1024 * 1024  # zip-bomb guard

# Header words of each column (the CAC's wordings, both variants, and the 登记 lists').
HEADERS = {
    "seq": ("序号",),
    "region": ("属地", "所在地", "省份"),
    "name": ("模型名称", "大模型名称", "应用名称", "功能名称", "应用/功能名称", "服务名称"),
    "filer": ("备案单位", "登记单位", "备案主体", "登记主体"),
    "number": ("备案号", "备案编号", "上线编号", "登记编号"),
    "filed": ("备案时间", "登记时间", "备案日期", "登记日期"),
}
_REGISTRATION_WORDS = ("登记单位", "上线编号", "登记时间", "登记编号", "应用名称", "功能名称", "登记主体")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class RegistryFileError(ValueError):
    """The file is not a list docintake can read; the message (Chinese) says why. Nothing was read."""


def read_filing_list(path: Path, list_name: str | None = None) -> list[FilingRow]:
    """Every row of the list in `path` (.csv, .docx or .xlsx). `list_name` names the list its
    rows were published in (a .csv carries its own); default: the file's name without suffix."""
    path = Path(path)
    if not path.is_file():
        raise RegistryFileError(f"文件不存在：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise RegistryFileError(f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），"
                                f"不是国家网信办公布的名单：{path.name}")
    suffix = path.suffix.lower()
    name = list_name or path.stem
    if suffix == ".csv":
        rows = _csv_rows(path.read_bytes(), path.name)
    elif suffix in (".docx", ".xlsx"):
        grid = _docx_grid(path) if suffix == ".docx" else _xlsx_grid(path)
        rows = _table_rows(grid, name, path.name)
    elif suffix in (".doc", ".xls", ".wps", ".et"):
        raise RegistryFileError(f"不支持旧版 Office 格式（{suffix}），"
                                f"请另存为 .docx 或 .xlsx 后再导入：{path.name}")
    else:
        raise RegistryFileError(f"无法识别的名单格式（{suffix or '无扩展名'}），"
                                f"请提供 .docx、.xlsx 或 .csv 文件：{path.name}")
    if not rows:
        raise RegistryFileError("文件中没有找到备案或登记记录（表头应含 模型名称、备案单位、备案编号 等列）："
                                f"{path.name}")
    return rows


def _csv_rows(data: bytes, shown: str) -> list[FilingRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryFileError(f"CSV 文件不是 UTF-8 编码：{shown}") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != FILING_COLUMNS:
        raise RegistryFileError(f"CSV 表头应为 {','.join(FILING_COLUMNS)}：{shown}")
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(FILING_COLUMNS):
            raise RegistryFileError(f"CSV 第 {line} 行应有 {len(FILING_COLUMNS)} 列，"
                                    f"实有 {len(cells)} 列：{shown}")
        values = dict(zip(FILING_COLUMNS, (c.strip() for c in cells), strict=True))
        values["number"] = re.sub(r"\s", "", values["number"])
        try:
            rows.append(FilingRow(**values))
        except ValidationError:
            raise RegistryFileError(f"CSV 第 {line} 行无效（kind 须为 备案 或 登记）：{shown}") from None
        if not (rows[-1].name and rows[-1].filer and rows[-1].number):
            raise RegistryFileError(f"CSV 第 {line} 行缺少名称、单位或编号：{shown}")
    return rows


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
            raise RegistryFileError(f"文件解压后过大，拒绝读取：{path.name}")
        return archive
    except (zipfile.BadZipFile, OSError):
        raise RegistryFileError(f"文件已损坏或不是 {path.suffix.lower()} 文件：{path.name}") from None


def _xml(archive: zipfile.ZipFile, member: str, shown: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(member))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, RuntimeError):
        raise RegistryFileError(f"文件已损坏或不是国家网信办公布的名单（缺少或无法解析 {member}）："
                                f"{shown}") from None


def _docx_grid(path: Path) -> list[list[str]]:
    """Every row of every table of the document (nested tables' text stays in their cell)."""
    with _open_zip(path) as archive:
        root = _xml(archive, "word/document.xml", path.name)
    grid = []
    for row in root.iter(f"{_W}tr"):
        cells = []
        for cell in _cells(row):
            paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in cell.iter(f"{_W}p")]
            cells.append("".join(paragraphs).strip())
        grid.append(cells)
    return grid


def _cells(row: ElementTree.Element) -> list[ElementTree.Element]:
    """A row's cells in order, those inside content controls (w:sdt) too, not a nested table's."""
    found = []
    for child in row:
        if child.tag == f"{_W}tc":
            found.append(child)
        elif child.tag == f"{_W}sdt":
            found += [c for content in child.findall(f"{_W}sdtContent") for c in content.findall(f"{_W}tc")]
    return found


def _xlsx_grid(path: Path) -> list[list[str]]:
    """Every row of every sheet; shared and inline strings, numbers as printed (dates as Y/M/D)."""
    with _open_zip(path) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in _xml(archive, "xl/sharedStrings.xml", path.name).iter(f"{_S}si"):
                shared.append("".join(t.text or "" for t in item.iter(f"{_S}t")))
        sheets = sorted((n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                        key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1])[0]))
        if not sheets:
            raise RegistryFileError(f"文件已损坏或不是 .xlsx 表格（没有工作表）：{path.name}")
        grid = []
        for sheet in sheets:
            for row in _xml(archive, sheet, path.name).iter(f"{_S}row"):
                grid.append(_xlsx_row(row, shared))
    return grid


def _xlsx_row(row: ElementTree.Element, shared: list[str]) -> list[str]:
    cells: dict[int, str] = {}
    for i, cell in enumerate(row.findall(f"{_S}c")):
        ref = re.match(r"[A-Z]+", cell.get("r", ""))
        column = _column_index(ref[0]) if ref else i
        kind, value = cell.get("t"), cell.find(f"{_S}v")
        if kind == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{_S}t"))
        elif value is None or value.text is None:
            text = ""
        elif kind == "s":
            index = int(value.text) if value.text.isdigit() else -1
            text = shared[index] if 0 <= index < len(shared) else ""
        else:
            text = value.text
        cells[column] = text.strip()
    return [cells.get(i, "") for i in range(max(cells, default=-1) + 1)]


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


def _header(cells: list[str]) -> dict[str, int] | None:
    """column -> index when `cells` is a header row (names, filers and numbers at least)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        word = re.sub(r"\s", "", cell)
        for column, words in HEADERS.items():
            if column not in found and word in words:
                found[column] = i
    return found if {"name", "filer", "number"} <= found.keys() else None


def _table_rows(grid: list[list[str]], list_name: str, shown: str) -> list[FilingRow]:
    rows, columns, kind = [], None, "备案"
    for cells in grid:
        header = _header(cells)
        if header is not None:  # the first header, or one repeated inside the table
            columns = header
            kind = "登记" if any(re.sub(r"\s", "", c) in _REGISTRATION_WORDS for c in cells) else "备案"
            continue
        if columns is None:
            continue  # a title row above the table

        def get(column: str, cells=cells, columns=columns) -> str:
            i = columns.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        number = re.sub(r"\s", "", get("number"))
        if not number or not get("name") or not get("filer"):
            continue  # a part's caption spanning the table, or an empty line
        filed = get("filed")
        rows.append(FilingRow(kind=kind, list=list_name, seq=get("seq"), region=get("region"),
                              name=get("name"), filer=get("filer"), number=number,
                              filed=_excel_date(filed) if re.fullmatch(r"\d{5}(\.0+)?", filed) else filed))
    return rows


def _excel_date(serial: str) -> str:
    """An .xlsx date cell (days since 1899-12-30) as the lists print dates: 2024/3/1."""
    day = date(1899, 12, 30) + timedelta(days=int(float(serial)))
    return f"{day.year}/{day.month}/{day.day}"
