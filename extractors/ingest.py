"""Ingest: open a bundle (folder or zip), list and hash its files, sniff their formats.

Backends only open files; nothing here interprets content. Originals are read, never written:
a zip is unpacked into a private work folder with every member checked (no zip slip, no bomb).
"""

import hashlib
import re
import zipfile
from pathlib import Path, PurePosixPath

from docintake.config import Limits
from docintake.datamodel import SourceFile

JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),  # legacy Office
]
READABLE = {"pdf", "jpeg", "png", "tiff", "bmp", "webp"}


class BundleError(Exception):
    """The bundle path itself is unusable (missing, not a folder or zip, corrupt zip)."""


def sniff_format(head: bytes) -> str:
    for magic, fmt in MAGIC:
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
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
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


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


def _is_junk(rel: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in rel.parts) or (
        rel.name.lower() in JUNK_NAMES
    )


def _describe(rel: str, path: Path, limits: Limits) -> SourceFile:
    size = path.stat().st_size
    fmt = sniff_format(read_head(path))
    error = None
    if size == 0:
        error = "文件为空（0 字节）"
    elif size > limits.max_file_bytes:
        error = f"文件过大（{size} 字节，上限 {limits.max_file_bytes} 字节）"
    elif fmt == "zip":
        error = "压缩包内嵌套压缩包，未解压；请直接提交其中的文件"
    elif fmt == "ole":
        error = "Office 文档不受支持，请转换为 PDF 后提交"
    elif fmt not in READABLE:
        error = "无法识别的文件格式（不是 PDF 或图片）"
    return SourceFile(name=rel, path=path, sha256=sha256_file(path), size=size, format=fmt,
                      error=error)


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
            total += info.file_size
            if total > limits.max_unpacked_bytes or info.file_size > limits.max_file_bytes:
                out.append((str(rel), Path(), "解压后体积超过上限，疑似压缩炸弹，已停止解压"))
                continue
            target = workdir / f"{index:05d}{''.join(rel.suffixes)[-16:]}"
            try:
                _copy_bounded(archive, info, target, limits.max_file_bytes)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                out.append((str(rel), Path(), f"压缩包成员无法解压：{exc}"))
                continue
            out.append((str(rel), target, None))
    return out


def _copy_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> None:
    # Declared sizes can lie: count the bytes actually inflated.
    written = 0
    with archive.open(info) as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            written += len(chunk)
            if written > limit:
                raise ValueError("解压后体积超过上限")
            dst.write(chunk)


def open_bundle(path: Path, workdir: Path, limits: Limits) -> list[SourceFile]:
    """List a bundle's files in a stable order. `workdir` receives zip members, never originals."""
    if not path.exists():
        raise BundleError(f"材料包不存在：{path}")
    if path.is_dir():
        entries = []
        for file in path.rglob("*"):
            if file.is_symlink() or not file.is_file():
                continue  # never follow links out of the bundle
            rel = PurePosixPath(file.relative_to(path).as_posix())
            if not _is_junk(rel):
                entries.append((str(rel), file, None))
    elif path.is_file() and sniff_format(read_head(path)) == "zip":
        workdir.mkdir(parents=True, exist_ok=True)
        entries = _unpack_zip(path, workdir, limits)
    else:
        raise BundleError(f"材料包必须是文件夹或 .zip 压缩包：{path}")
    if len(entries) > limits.max_files:
        raise BundleError(f"材料包内文件过多（{len(entries)} 个，上限 {limits.max_files}）")
    entries.sort(key=lambda e: natural_key(e[0]))
    files = []
    for rel, file, error in entries:
        if error:
            files.append(SourceFile(name=rel, path=file, sha256="", size=0, format="unknown",
                                    error=error))
        else:
            files.append(_describe(rel, file, limits))
    return files
