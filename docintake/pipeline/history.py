"""Submission history: every checked bundle with its invoices and contracts, and what batch processed.

SQLite by default (WAL, so a reader never blocks the writer), any SQLAlchemy URL otherwise
(`postgresql+psycopg://…` for the scale-out set-up): same code, SQLAlchemy Core only.
Schema changes are numbered migrations applied on open. Every failure of the store surfaces as
HistoryError with a Chinese message; callers decide what that means for the bundle at hand.
"""

import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from docintake.core.datamodel import Report
from docintake.validators.duplicates import ClaimKey, SubmissionRecord, claim_keys

meta = sa.MetaData()
submissions = sa.Table(
    "submissions", meta,
    sa.Column("bundle_sha256", sa.String(64), primary_key=True),
    sa.Column("bundle", sa.Text, nullable=False),
    sa.Column("programme", sa.Text, nullable=False),
    sa.Column("applicant_name", sa.Text),
    sa.Column("applicant_uscc", sa.Text),
    sa.Column("verdict", sa.Text),
    sa.Column("checked_at", sa.Text, nullable=False),
    sa.Column("report_path", sa.Text),
)
claims = sa.Table(
    "claims", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("bundle_sha256", sa.String(64), sa.ForeignKey("submissions.bundle_sha256", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Index("ix_claims_kind_key", "kind", "key"),
)
# What batch/watch have finished: written *after* the report, so a crash in between only means
# the bundle is checked again (its report replaced), never lost nor reported twice.
processed = sa.Table(
    "processed", meta,
    sa.Column("programme", sa.Text, primary_key=True),
    sa.Column("bundle", sa.Text, primary_key=True),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Column("bundle_sha256", sa.String(64)),
    sa.Column("report_path", sa.Text),
    sa.Column("processed_at", sa.Text, nullable=False),
)
schema_version = sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))

# Numbered migrations: append, never edit. Each takes a connection inside a transaction.
MIGRATIONS = [
    lambda conn: meta.create_all(conn, tables=[submissions, claims, processed]),
]


class HistoryError(Exception):
    """The history store cannot be used (locked, corrupt, unreachable); message in Chinese."""


def default_url(path: str | None = None) -> str:
    """--history PATH (or a URL), else $DOCINTAKE_HOME/history.sqlite, else ~/.docintake/history.sqlite."""
    if path and "://" in path:
        return path
    if path:
        target = Path(path)
    else:
        target = Path(os.environ.get("DOCINTAKE_HOME") or "~/.docintake") / "history.sqlite"
    return f"sqlite:///{target.expanduser().resolve()}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _explain(exc: Exception, url: str) -> HistoryError:
    text = str(exc).lower()
    where = sa.engine.make_url(url).render_as_string(hide_password=True)
    if "locked" in text or "busy" in text:
        why = "数据库被其他进程锁定，请稍后重试"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = "数据库文件已损坏，请从备份恢复或移走该文件后重建"
    else:
        why = f"{type(exc).__name__}：{str(exc).splitlines()[0][:200]}"
    return HistoryError(f"申报历史库不可用（{where}）：{why}")


class History:
    def __init__(self, url: str | None = None, busy_timeout: float = 30.0):
        self.url = default_url(url)
        self._active = None  # the connection of a `locked()` block
        try:
            u = sa.engine.make_url(self.url)
            if u.get_backend_name() == "sqlite" and u.database:
                Path(u.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(
                self.url, connect_args={"timeout": busy_timeout} if u.get_backend_name() == "sqlite" else {},
                pool_pre_ping=True)
            if u.get_backend_name() == "sqlite":
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self._migrate()
        except (SQLAlchemyError, OSError) as exc:
            raise _explain(exc, self.url) from exc

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            schema_version.create(conn, checkfirst=True)
            row = conn.execute(sa.select(schema_version.c.version)).first()
            current = row[0] if row else 0
            for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                migration(conn)
                conn.execute(sa.delete(schema_version))
                conn.execute(sa.insert(schema_version).values(version=number))

    def version(self) -> int:
        with self._conn() as conn:
            return conn.execute(sa.select(schema_version.c.version)).scalar_one()

    def _conn(self):
        return _Guard(self)

    @contextmanager
    def locked(self):
        """One transaction holding the store's write lock until it ends (SQLite's RESERVED lock, a
        row lock on PostgreSQL); calls inside it share it. Finishing a bundle (duplicates, report,
        record) runs in one, so two bundles with the same invoice finishing together see each other."""
        with self._conn() as conn:
            conn.execute(sa.update(schema_version).values(version=schema_version.c.version))
            self._active = conn
            try:
                yield
            finally:
                self._active = None

    def earlier_records(self, report: Report) -> list[SubmissionRecord]:
        """Other submissions sharing an invoice or contract key with this report."""
        keys = claim_keys(report)
        if not keys:
            return []
        with self._conn() as conn:
            hits = conn.execute(sa.select(claims.c.bundle_sha256).distinct().where(
                sa.or_(*[sa.and_(claims.c.kind == k.kind, claims.c.key == k.key) for k in keys]),
                claims.c.bundle_sha256 != report.bundle_sha256)).scalars().all()
            return [self._record(conn, sha) for sha in hits]

    def _record(self, conn, sha: str) -> SubmissionRecord:
        row = conn.execute(sa.select(submissions).where(submissions.c.bundle_sha256 == sha)).mappings().one()
        keys = conn.execute(sa.select(claims.c.kind, claims.c.key, claims.c.document, claims.c.label)
                            .where(claims.c.bundle_sha256 == sha)).mappings().all()
        return SubmissionRecord(bundle_sha256=sha, bundle=row["bundle"], programme=row["programme"],
                                applicant_uscc=row["applicant_uscc"], applicant_name=row["applicant_name"],
                                checked_at=row["checked_at"], keys=[ClaimKey(**k) for k in keys])

    def record(self, report: Report, report_path: Path | None = None,
               processed_as: tuple[str, str, str] | None = None) -> None:
        """Store the submission (replacing an earlier record of the same bundle_sha256) and, for
        batch, mark (programme, bundle name, fingerprint) processed; one transaction."""
        with self._conn() as conn:
            sha = report.bundle_sha256
            conn.execute(sa.delete(claims).where(claims.c.bundle_sha256 == sha))
            conn.execute(sa.delete(submissions).where(submissions.c.bundle_sha256 == sha))
            conn.execute(sa.insert(submissions).values(
                bundle_sha256=sha, bundle=report.bundle, programme=report.programme,
                applicant_name=report.applicant.name, applicant_uscc=report.applicant.uscc,
                verdict=report.verdict.value, checked_at=_now(),
                report_path=str(report_path) if report_path else None))
            keys = claim_keys(report)
            if keys:
                conn.execute(sa.insert(claims), [{"bundle_sha256": sha, **k.model_dump()} for k in keys])
            if processed_as:
                programme, bundle, fingerprint = processed_as
                conn.execute(sa.delete(processed).where(processed.c.programme == programme,
                                                        processed.c.bundle == bundle))
                conn.execute(sa.insert(processed).values(
                    programme=programme, bundle=bundle, fingerprint=fingerprint, bundle_sha256=sha,
                    report_path=str(report_path) if report_path else None, processed_at=_now()))

    def processed_fingerprints(self) -> dict[tuple[str, str], str]:
        with self._conn() as conn:
            rows = conn.execute(sa.select(processed.c.programme, processed.c.bundle, processed.c.fingerprint))
            return {(p, b): f for p, b, f in rows}

    def submission_count(self) -> int:
        with self._conn() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(submissions)).scalar_one()

    def close(self) -> None:
        self.engine.dispose()


class _Guard:
    """A transaction whose store failures become HistoryError (inside `locked()`: that one)."""

    def __init__(self, history: History):
        self.history = history
        self.shared = history._active

    def __enter__(self):
        if self.shared is not None:
            return self.shared
        try:
            self._ctx = self.history.engine.begin()
            return self._ctx.__enter__()
        except SQLAlchemyError as exc:
            raise _explain(exc, self.history.url) from exc

    def __exit__(self, *exc_info):
        if self.shared is not None:
            if isinstance(exc_info[1], SQLAlchemyError):
                raise _explain(exc_info[1], self.history.url) from exc_info[1]
            return False
        try:
            result = self._ctx.__exit__(*exc_info)
        except SQLAlchemyError as exc:
            raise _explain(exc, self.history.url) from exc
        if isinstance(exc_info[1], SQLAlchemyError):
            raise _explain(exc_info[1], self.history.url) from exc_info[1]
        return result


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers and one writer at once; survives kill -9
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def check_against(history: History, report: Report) -> Report:
    """The report with DUPLICATE_SUBMISSION findings against the other submissions in the history."""
    from docintake.validators.duplicates import duplicate_findings
    from docintake.validators.run import verdict_of

    kept = [f for f in report.findings if f.code != "DUPLICATE_SUBMISSION"]
    findings = kept + duplicate_findings(report, history.earlier_records(report))
    return report.model_copy(update={"findings": findings, "verdict": verdict_of(findings)})
