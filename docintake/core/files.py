"""Writing outputs: atomically (a reader never sees half a file), and reports always masked."""

import errno
import json
import os
import tempfile
from pathlib import Path

from docintake.core.datamodel import Report
from docintake.core.privacy import mask_report


def write_atomic(path: Path, data: str) -> None:
    """Write next to the target and rename: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        # backslashreplace: a stray surrogate becomes a JSON-valid \udcxx, never a crash
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reviewers on other accounts read reports
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_error(exc: OSError) -> str:
    """Why a write failed, in Chinese, for the operator."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "磁盘空间不足（或超出文件大小限制）"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限"
    return exc.strerror or type(exc).__name__


def report_json(report: Report) -> str:
    """The report as written to report.json: ID numbers never reach a report file whole."""
    return json.dumps(mask_report(report).model_dump(mode="json"), ensure_ascii=False, indent=2)
