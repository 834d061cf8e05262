"""EXIF orientation applied once, at ingest: a phone photo taken sideways becomes an upright copy
in the work folder, and the file's path points at it, so reading, re-reading passes, thumbnails
and evidence crops all see the same page. The original is never touched and its hash (taken
before) still names the file."""

from pathlib import Path

from PIL import Image, ImageOps

from docintake.core.datamodel import SourceFile

_ORIENTATION = 0x0112  # EXIF tag; 1 is upright
_IMAGES = ("jpeg", "png", "tiff", "webp", "heic")


def _turned(img: Image.Image) -> bool:
    try:
        return img.getexif().get(_ORIENTATION, 1) not in (1, 0, None)
    except Exception:  # a corrupt EXIF block: read as stored, like PIL would
        return False


def upright_copy(file: SourceFile, workdir: Path, index: int, max_pixels: int) -> SourceFile:
    """The file, or (a single-frame image with an EXIF turn) its upright copy in `workdir`."""
    if file.error or file.format not in _IMAGES:
        return file
    try:
        with Image.open(file.path) as img:
            if getattr(img, "n_frames", 1) != 1 or not _turned(img) or img.width * img.height > max_pixels:
                return file  # too big: reading says so without decoding it
            upright = ImageOps.exif_transpose(img)
            dpi = img.info.get("dpi")
            workdir.mkdir(parents=True, exist_ok=True)
            fmt, suffix = ("JPEG", ".jpg") if img.format == "JPEG" else ("PNG", ".png")
            target = workdir / f"{index}{suffix}"
            options = {"quality": 95, "subsampling": 0} if fmt == "JPEG" else {}
            upright.convert("RGB").save(target, fmt, **({"dpi": dpi} if dpi else {}), **options)
    except Exception:
        return file  # unreadable: the reading step reports it from the original
    return file.model_copy(update={"path": target})
