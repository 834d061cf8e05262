"""Ingest: open a bundle (folder or zip), list and hash its files, sniff their formats.

Backends only open files; nothing here interprets content. Originals are read, never written:
a zip is unpacked into a private work folder with every member checked (no zip slip, no bomb).
"""

import hashlib
import re
import zipfile
from pathlib import Path, PurePosixPath

from docintake.core.datamodel import SourceFile
from docintake.core.logmask import safe_name
from docintake.core.settings import Limits
from docintake.extractors.upright import upright_copy

JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive: its end record only
    (b"\xd0\xcf\x11\xe0", "ole"),  # legacy Office
    (b"{\\rtf", "rtf"),
]
READABLE = {"pdf", "jpeg", "png", "tiff", "bmp", "webp", "heic", "ofd", "xml"}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif")
OFFICE_MEMBERS = ("[Content_Types].xml", "word/", "xl/", "ppt/", "mimetype")


class BundleError(Exception):
    """The bundle path itself is unusable (missing, not a folder or zip, corrupt zip)."""


def sniff_format(head: bytes) -> str:
    for magic, fmt in MAGIC:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"  # iPhone photos
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<EInvoice", b"<eInvoice")):
        return "xml"  # an XML invoice (extractors/ofd/xml_invoice.py says whether it is one)
    # PDFs may carry junk before the header; readers accept it within the first 1 KiB.
    # Checked last: a stored zip of PDFs also holds "%PDF-" near its start.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return "unknown"


def read_head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(1024)


def natural_key(name: str) -> list:
    """Sort 'IMG_9.jpg' before 'IMG_10.jpg': scanners number pages in file names."""
    # isdecimal, not isdigit: "²" is a digit int() refuses (a name found by fuzzing)
    return [int(t) if t.isdecimal() else t.lower() for t in re.split(r"(\d+)", name)]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_sha256(files: list[SourceFile]) -> str:
    """Hash of the files' contents only: names mean nothing, and a folder and its zip agree."""
    digest = hashlib.sha256()
    for file_hash in sorted(f.sha256 for f in files):
        digest.update(file_hash.encode())
    return digest.hexdigest()


def _zip_kind(path: Path) -> str:
    """A zip file is an OFD document (OFD.xml at its root), an Office document (OOXML, ODF) or
    a nested archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()[:5000]  # an OFD's OFD.xml may follow its pages
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if any(n.lstrip("/").lower() == "ofd.xml" for n in names):
        return "ofd"
    return "office" if any(n.startswith(OFFICE_MEMBERS) for n in names) else "zip"


def _is_junk(rel: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in rel.parts) or (
        rel.name.lower() in JUNK_NAMES
    )


def _describe(rel: str, path: Path, limits: Limits) -> SourceFile:
    try:
        size = path.stat().st_size
        fmt = sniff_format(read_head(path))
        if fmt == "zip":
            fmt = _zip_kind(path)
            # a zip that does not open, named .ofd: a damaged OFD, said as such when read
            fmt = "ofd" if fmt == "zip" and rel.lower().endswith(".ofd") else fmt
        digest = sha256_file(path)
    except OSError as exc:  # vanished, locked or no permission: the rest is still checked
        return SourceFile(name=rel, path=path, sha256="", size=0, format="unknown",
                          error=f"无法读取文件（{exc.strerror or type(exc).__name__}）")
    error = None
    if size == 0:
        error = "文件为空（0 字节）"
    elif size > limits.max_file_bytes:
        error = f"文件过大（{size} 字节，上限 {limits.max_file_bytes} 字节）"
    elif fmt == "zip":
        error = "压缩包内嵌套压缩包，未解压；请直接提交其中的文件"
    elif fmt in ("ole", "office", "rtf"):
        error = ("Office 文档（Word/Excel 等可编辑文件）无法证明盖章，不予审核；"
                 "请提交盖章后的扫描件或 PDF")
    elif fmt not in READABLE:
        error = "无法识别的文件格式（不是 PDF、OFD、发票 XML 或图片）"
    return SourceFile(name=rel, path=path, sha256=digest, size=size, format=fmt, error=error)


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    """Chinese Windows zips store GBK names without the UTF-8 flag; zipfile decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _safe_rel(name: str) -> PurePosixPath | None:
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or re.match(r"^[A-Za-z]:", name):
        return None
    return rel


def _unpack_zip(zip_path: Path, workdir: Path, limits: Limits) -> list[tuple[str, Path, str | None]]:
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError(f"无法打开压缩包 {zip_path.name}：{exc}") from exc
    out: list[tuple[str, Path, str | None]] = []
    total = 0
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > limits.max_files:
            raise BundleError(f"压缩包内文件过多（{len(members)} 个，上限 {limits.max_files}）")
        for index, info in enumerate(members):
            name = _zip_member_name(info)
            rel = _safe_rel(name)
            if rel is None:
                out.append((name, Path(), "压缩包成员路径不安全（绝对路径或含 ..），已拒绝解压"))
                continue
            if _is_junk(rel):
                continue
            if total + info.file_size > limits.max_unpacked_bytes or info.file_size > limits.max_file_bytes:
                out.append((str(rel), Path(), "解压后体积超过上限，疑似压缩炸弹，已停止解压"))
                continue
            # Extracted under an index, never under the member's name: no path from the
            # archive reaches the file system.
            target = workdir / f"{index:05d}{_suffix(rel)}"
            try:
                total += _copy_bounded(archive, info, target, limits.max_file_bytes)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                    NotImplementedError) as exc:  # RuntimeError: encrypted; NotImplemented: method
                target.unlink(missing_ok=True)
                out.append((str(rel), Path(), f"压缩包成员无法解压（{_zip_reason(exc, info)}）"))
                continue
            out.append((str(rel), target, None))
    return out


def _utf8_path(file: Path, workdir: Path, index: int) -> Path:
    """MuPDF takes paths as UTF-8: a file whose name is not (raw bytes from another system) is
    read through a link with a plain name in the work folder."""
    try:
        str(file).encode("utf-8")
        return file
    except UnicodeEncodeError:
        workdir.mkdir(parents=True, exist_ok=True)
        link = workdir / f"link-{index:05d}{_suffix(PurePosixPath(file.name))}"
        link.symlink_to(file.resolve())
        return link


def _suffix(rel: PurePosixPath) -> str:
    return re.sub(r"[^0-9A-Za-z.]", "", "".join(rel.suffixes))[-16:]


def _zip_reason(exc: Exception, info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x1:  # the member's "encrypted" bit (zipfile then raises a RuntimeError)
        return "成员已加密，需要密码"
    if isinstance(exc, NotImplementedError):
        return "压缩方式不受支持"
    if isinstance(exc, ValueError):
        return str(exc)
    return f"数据已损坏：{type(exc).__name__}"


def _copy_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> int:
    # zipfile stops at the declared size and checks the CRC; count what is inflated anyway.
    written = 0
    with archive.open(info) as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            written += len(chunk)
            if written > limit:
                raise ValueError("解压后体积超过上限，疑似压缩炸弹")
            dst.write(chunk)
    return written


def open_bundle(path: Path, workdir: Path, limits: Limits) -> list[SourceFile]:
    """List a bundle's files in a stable order. `workdir` receives zip members, never originals."""
    if not path.exists():
        raise BundleError(f"材料包不存在：{path}")
    if path.is_dir():
        entries = []
        for file in path.rglob("*"):  # rglob does not descend into linked folders
            rel = PurePosixPath(file.relative_to(path).as_posix())
            if _is_junk(rel):
                continue
            if file.is_symlink():  # never followed out of the bundle; said, not skipped silently
                entries.append((str(rel), Path(), "符号链接（快捷方式），未读取；请提交文件本身"))
            elif file.is_file():
                entries.append((str(rel), _utf8_path(file, workdir, len(entries)), None))
    elif path.is_file() and sniff_format(read_head(path)) == "zip":
        workdir.mkdir(parents=True, exist_ok=True)
        entries = _unpack_zip(path, workdir, limits)
    else:
        raise BundleError(f"材料包必须是文件夹或 .zip 压缩包：{path}")
    if len(entries) > limits.max_files:
        raise BundleError(f"材料包内文件过多（{len(entries)} 个，上限 {limits.max_files}）")
    if not entries:
        raise BundleError(f"材料包为空，没有可检查的文件：{path.name}")
    entries = [(safe_name(rel), file, error) for rel, file, error in entries]
    entries.sort(key=lambda e: natural_key(e[0]))
    files = []
    for rel, file, error in entries:
        if error:
            files.append(SourceFile(name=rel, path=file, sha256="", size=0, format="unknown",
                                    error=error))
        else:
            files.append(_describe(rel, file, limits))
    return [upright_copy(f, workdir / "upright", i, limits.max_image_pixels) for i, f in enumerate(files)]
