"""A throw-away PostgreSQL cluster for tests (initdb in a temp dir, on a free port, trust auth).

scripts/bootstrap.sh installs PostgreSQL; a test skips (with the reason) only when it cannot start.
As root the server runs as the `postgres` account, as PostgreSQL refuses to run as root.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.servicekit import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PgCluster:
    def __init__(self):
        self.initdb, self.pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise RuntimeError("PostgreSQL 未安装（scripts/bootstrap.sh 会安装 postgresql）")
        self.root = Path(tempfile.mkdtemp(prefix="docintake-pg-"))
        self.as_user = []
        if os.getuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        self.port = free_port()
        data = self.root / "data"
        self._run([self.initdb, "-D", str(data), "-U", "docintake", "--auth=trust", "-E", "UTF8",
                   "--no-locale"])
        self._run([self.pg_ctl, "-D", str(data), "-l", str(self.root / "log"), "-w", "-t", "60", "-o",
                   f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200",
                   "start"])
        self.data = data

    def _run(self, cmd: list[str]) -> None:
        proc = subprocess.run(self.as_user + cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-2000:]}")

    def create_db(self, name: str) -> None:
        self._run([_bin("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", "docintake", name])

    def url(self, name: str, driver: str) -> str:
        return f"postgresql+{driver}://docintake@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
