"""An OFD file (GB/T 33190) opened as what it is: a zip of XML parts, read safely.

Every member is read bounded (declared and inflated size, member count, total), names are
resolved inside the package only (no absolute paths, no ..), and XML with a DTD is refused (no
entity expansion). Nothing is extracted to disk.
"""

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from docintake.core.settings import Limits

MAX_MEMBERS = 5000
MAX_XML_BYTES = 20 << 20
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# Some producers write prefixes they never declare (`<:eInvoice xmlns:="">`, `<ofd:ObjectRef>`
# with no xmlns:ofd): names are read without namespaces anyway, so prefixes are dropped on retry.
_PREFIX = re.compile(rb"<(/?)[A-Za-z_][\w.-]*:|<(/?):")
_XMLNS = re.compile(rb"\sxmlns(:[\w.-]*)?=(\"[^\"]*\"|'[^']*')")


class OfdError(Exception):
    """The package cannot be read; the message is for the reviewer (Chinese)."""


def is_ofd(path: Path) -> bool:
    """A zip whose root holds OFD.xml (the entry point every OFD has)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(n.lstrip("/").lower() == "ofd.xml" for n in archive.namelist()[:MAX_MEMBERS])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def local(tag: str) -> str:
    """An element's name without its namespace ({http://www.ofdspec.org/2016}TextObject)."""
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes, what: str) -> ET.Element:
    if _DTD.search(data[:4096]):
        raise OfdError(f"{what} 含有 DTD 声明，已拒绝读取")
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: a declared encoding unknown
        try:
            root = ET.fromstring(_XMLNS.sub(b"", _PREFIX.sub(rb"<\1\2", data)))
        except (ET.ParseError, LookupError, ValueError):
            raise OfdError(f"{what} 不是有效的 XML（{exc}）") from exc
    for el in root.iter():  # namespaces vary between producers (ofd:, fp:, none): drop them
        el.tag = local(el.tag)
        if any("}" in k for k in el.attrib):
            el.attrib = {local(k): v for k, v in el.attrib.items()}
    return root


class OfdPackage:
    """Members of an OFD package by their normalised path; read bounded, parsed on demand."""

    def __init__(self, path: Path, limits: Limits):
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise OfdError(f"OFD 文件已损坏，无法打开（{type(exc).__name__}）") from exc
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise OfdError(f"OFD 文件内部件过多（{len(infos)} 个，上限 {MAX_MEMBERS}）")
        self._members = {i.filename.replace("\\", "/").lstrip("/").lower(): i for i in infos}
        self._read = 0

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "OfdPackage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self._members)

    def resolve(self, base: str, ref: str) -> str:
        """A path an OFD part names (absolute from the package root, or relative to `base`)."""
        ref = ref.replace("\\", "/").strip()
        joined = ref.lstrip("/") if ref.startswith("/") else posixpath.join(base, ref)
        norm = posixpath.normpath(joined)
        if norm.startswith("../") or norm == ".." or norm.startswith("/"):
            raise OfdError(f"OFD 部件路径不安全（{ref}），已拒绝读取")
        return norm

    def has(self, name: str) -> bool:
        return name.lower() in self._members

    def read(self, name: str, limit: int | None = None) -> bytes:
        info = self._members.get(name.lower())
        if info is None:
            raise OfdError(f"OFD 文件不完整：缺少部件 {name}")
        limit = min(limit or self.limits.max_file_bytes, self.limits.max_file_bytes)
        if info.file_size > limit or self._read + info.file_size > self.limits.max_unpacked_bytes:
            raise OfdError(f"OFD 部件 {name} 解压后体积超过上限，疑似压缩炸弹，已停止读取")
        out = bytearray()
        try:
            with self._zip.open(info) as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out += chunk
                    if len(out) > limit:
                        raise OfdError(f"OFD 部件 {name} 解压后体积超过上限，疑似压缩炸弹，已停止读取")
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise OfdError(f"OFD 部件 {name} 已损坏，无法读取（{type(exc).__name__}）") from exc
        self._read += len(out)
        return bytes(out)

    def xml(self, name: str) -> ET.Element:
        return parse_xml(self.read(name, MAX_XML_BYTES), name)
