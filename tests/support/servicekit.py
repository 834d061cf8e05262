"""Builders for watched-folder tests: inboxes of small born-digital bundles (real PDFs, no OCR)."""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tests.support import ETOWN
from tests.support.builders import COMMITMENT, CONTRACT_1, CONTRACT_2, INVOICE, LICENCE, make_pdf

NANSHAN = "nanshan-ai-plus-2026"


def invoice(number: str) -> tuple:
    title, lines = INVOICE
    return title, [ln.replace("25442000000012345678", number) for ln in lines]


def make_bundle(root: Path, programme: str, name: str, number: str, as_zip: bool = False,
                contract: bool = False) -> Path:
    """One applicant's bundle whose invoice carries `number` (distinct numbers: no duplicates)."""
    folder = root / programme / name
    pages = [LICENCE, invoice(number), COMMITMENT] + ([CONTRACT_1, CONTRACT_2] if contract else [])
    make_pdf(folder / "材料.pdf", pages)
    if not as_zip:
        return folder
    target = folder.with_suffix(".zip")
    with zipfile.ZipFile(target, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
    shutil.rmtree(folder)
    return target


def make_inbox(root: Path, count: int, programme: str = ETOWN, start: int = 0) -> list[Path]:
    return [make_bundle(root, programme, f"b{i:02d}", f"2544200000{i:010d}", as_zip=i % 3 == 2)
            for i in range(start, start + count)]


def age(path: Path, seconds: float = 60) -> None:
    """Make a bundle look settled (as if dropped a while ago)."""
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        st = p.stat()
        os.utime(p, (st.st_atime - seconds, st.st_mtime - seconds))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrated_prefect_db(shared: Path) -> Path:
    """A SQLite database migrated to this Prefect's schema, made once per test session under
    `shared` (a folder all xdist workers see; the first to ask makes it, under a lock)."""
    db = shared / "prefect-template" / "prefect.db"
    with open(shared / "prefect-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db.exists():
            work = Path(tempfile.mkdtemp(dir=shared))
            env = os.environ | {"PREFECT_HOME": str(work), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
            subprocess.run([str(Path(sys.executable).parent / "prefect"), "server", "database", "upgrade",
                            "-y"], env=env, check=True, capture_output=True, timeout=300)
            work.rename(db.parent)
    return db


def prefect_env(tmp: Path, template: Path | None = None, **extra) -> dict:
    """Environment of a Prefect run with its own PREFECT_HOME under `tmp`. `template`: a migrated
    database (migrated_prefect_db) the home starts from, as it would after a first run: migrating
    a fresh one costs ~12 s a run (tests/service/test_flows.py keeps the first run's migration)."""
    if template is not None:
        (tmp / "prefect").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, tmp / "prefect" / "prefect.db")
    return os.environ | {"PREFECT_HOME": str(tmp / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                         "PREFECT_LOGGING_LEVEL": "WARNING", "DOCINTAKE_HOME": str(tmp / "home"),
                         # a loaded CI machine starts the ephemeral API slower than Prefect's 20 s
                         "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
                         **extra}
