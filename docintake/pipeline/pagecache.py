"""The page cache: a file's reading kept under DOCINTAKE_HOME so an unchanged file is not read again.

Safe by construction:
- only complete readings are kept (no file error, no page cut short by a deadline or an error), so
  a rerun reads a truncated page again instead of serving it forever;
- an entry is keyed by the file's content hash, the tool's version and every setting that changes
  what is read (a new model or setting is a miss);
- the text is encrypted (the pages hold ID numbers as read) with a key kept beside the cache, and
  folder, key and entries are the owner's only (0700/0600);
- entries older than the retention (DOCINTAKE_CACHE_DAYS) are deleted on every run, and `purge`
  deletes a bundle's entries by its files' hashes (entry names start with them: no personal data).
"""

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from pydantic import TypeAdapter

from docintake import __version__
from docintake.core.datamodel import Page, SourceFile
from docintake.core.settings import Settings

Reading = tuple[list[Page], str | None]
_READING = TypeAdapter(Reading)
SUFFIX = ".page"
# Settings that do not change what a page reads as.
_NOT_READING = {"home", "registry_csv", "ocr_threads", "cache_days", "read_contract_seals"}


def complete(reading: Reading) -> bool:
    """Worth keeping: the whole file was read, and no page was cut short."""
    pages, error = reading
    return error is None and not any(p.error for p in pages)


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


class PageCache:
    def __init__(self, settings: Settings, passes: Iterable[str] = ()):
        self.settings = settings
        self.root = Path(settings.home).expanduser() / "cache" / "pages"
        reading = settings.model_dump(mode="json", exclude=_NOT_READING)
        self._variant = hashlib.sha256(repr([__version__, reading, list(passes)]).encode()).hexdigest()

    def _fernet(self) -> Fernet:
        key_file = _private_dir(self.root) / ".key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
        return Fernet(key_file.read_bytes())

    def path(self, file: SourceFile) -> Path:
        # The name is part of the key: pages carry it (`source`).
        name = hashlib.sha256(f"{self._variant}|{file.name}".encode()).hexdigest()[:32]
        return self.root / f"{file.sha256}-{name}{SUFFIX}"

    def get(self, file: SourceFile) -> Reading | None:
        path = self.path(file)
        try:
            return _READING.validate_json(self._fernet().decrypt(path.read_bytes()))
        except (OSError, InvalidToken, ValueError):
            return None  # absent, expired meanwhile, or unreadable: read the file again

    def put(self, file: SourceFile, reading: Reading) -> bool:
        if not complete(reading):
            return False
        token = self._fernet().encrypt(_READING.dump_json(reading))  # (makes the folder)
        path = self.path(file)
        tmp = path.with_suffix(f".{os.getpid()}.part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(token)
        os.replace(tmp, path)  # a reader never sees half an entry
        return True

    def expire(self, now: float | None = None) -> int:
        """Delete entries older than the retention; the count deleted."""
        if not self.root.is_dir():
            return 0
        cutoff = (now or time.time()) - self.settings.cache_days * 86400
        return self.remove(p for p in self.root.iterdir() if p.suffix in (SUFFIX, ".part")
                           and p.stat().st_mtime < cutoff)

    def remove(self, paths: Iterable[Path]) -> int:
        count = 0
        for path in paths:
            path.unlink(missing_ok=True)
            count += 1
        return count

    def purge_files(self, sha256s: Iterable[str]) -> int:
        """Delete every entry of these files (whatever the settings they were read with)."""
        if not self.root.is_dir():
            return 0
        shas = set(sha256s)
        return self.remove(p for p in self.root.iterdir() if p.name.split("-", 1)[0] in shas)


def cached_reader(cache: PageCache, read: Callable[[SourceFile], Reading]) -> Callable[[SourceFile], Reading]:
    """`read` behind the cache: a hit is returned as stored, a complete miss is stored."""
    def reader(file: SourceFile) -> Reading:
        hit = cache.get(file)
        if hit is not None:
            return hit
        reading = read(file)
        cache.put(file, reading)
        return reading

    return reader
