"""Retention and purge: a submission's cached pages, history rows and stored reports deleted on
request (`docintake purge BUNDLE`) or by age (`docintake purge --before DATE`), leaving one audit
line per submission (when, its content hash, how much went), never its names or numbers."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from docintake.core.settings import Settings
from docintake.extractors.ingest import bundle_sha256, open_bundle
from docintake.pipeline.history import History, claims, processed, purges, submissions
from docintake.pipeline.pagecache import PageCache


def _delete_reports(report_path: str | None) -> None:
    """The report files the service wrote for it (report.json and its report.html)."""
    if report_path:
        report = Path(report_path)
        for path in (report, report.with_suffix(".html")):
            path.unlink(missing_ok=True)


def _purge_rows(history: History, sha: str, reason: str, cached: int) -> int:
    with history.transaction() as conn:
        paths = conn.execute(sa.select(submissions.c.report_path).where(submissions.c.bundle_sha256 == sha)
                             ).scalars().all()
        paths += conn.execute(sa.select(processed.c.report_path).where(processed.c.bundle_sha256 == sha)
                              ).scalars().all()
        rows = conn.execute(sa.delete(claims).where(claims.c.bundle_sha256 == sha)).rowcount
        rows += conn.execute(sa.delete(processed).where(processed.c.bundle_sha256 == sha)).rowcount
        rows += conn.execute(sa.delete(submissions).where(submissions.c.bundle_sha256 == sha)).rowcount
        conn.execute(sa.insert(purges).values(purged_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                              bundle_sha256=sha, reason=reason, rows=rows,
                                              cached_files=cached))
    for path in set(paths):
        _delete_reports(path)
    return rows


def _settle(history: History) -> None:
    """SQLite: fold the write-ahead log into the file, so no copy of a deleted page stays in it."""
    if history.engine.url.get_backend_name() == "sqlite":
        with history.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_bundle(bundle: Path, history: History, settings: Settings) -> tuple[int, int]:
    """Everything kept of this bundle's content (whatever it was named): (history rows, cache entries)."""
    with tempfile.TemporaryDirectory(prefix="docintake-purge-") as tmp:
        files = open_bundle(Path(bundle), Path(tmp), settings.limits)
    cached = PageCache(settings).purge_files(f.sha256 for f in files)
    rows = _purge_rows(history, bundle_sha256(files), "bundle", cached)
    _settle(history)
    return rows, cached


def purge_before(day: datetime, history: History, settings: Settings) -> tuple[int, int]:
    """Every submission checked before `day`, and every cache entry written before it."""
    cutoff = day.astimezone(UTC).isoformat(timespec="seconds")
    with history.transaction() as conn:
        old = conn.execute(sa.select(submissions.c.bundle_sha256).where(submissions.c.checked_at < cutoff)
                           ).scalars().all()
    rows = sum(_purge_rows(history, sha, f"before {day.date().isoformat()}", 0) for sha in old)
    cache = PageCache(settings)
    cached = cache.remove(p for p in cache.root.glob("*.page") if p.stat().st_mtime < day.timestamp()) \
        if cache.root.is_dir() else 0
    _settle(history)
    return rows, cached
