"""Submission history: every checked bundle with its invoices and contracts, and what batch processed.

SQLite by default (WAL, so a reader never blocks the writer), any SQLAlchemy URL otherwise
(`postgresql+psycopg://…` for the scale-out set-up): same code, SQLAlchemy Core only.
Schema changes are numbered migrations applied on open. Every failure of the store surfaces as
HistoryError with a Chinese message; callers decide what that means for the bundle at hand.
"""

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from docintake.core.datamodel import FILING_COLUMNS, Report
from docintake.core.logmask import redact
from docintake.core.privacy import mask_report
from docintake.pipeline.review_tables import create_review_tables
from docintake.validators.duplicates import ClaimKey, SubmissionRecord, claim_keys, duplicate_findings
from docintake.validators.run import verdict_of

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
# The CAC's filing lists imported since the shipped snapshot (pipeline/registry_store.py): one
# registry for every worker. A row's key is its identity as published, so an import is idempotent.
filings = sa.Table(
    "filings", meta,
    sa.Column("row_key", sa.Text, primary_key=True),
    *(sa.Column(name, sa.Text, nullable=False) for name in FILING_COLUMNS),
    sa.Column("imported_at", sa.Text, nullable=False),
)
schema_version = sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))
# One line per purged submission: when and how many rows went, never what they held.
purges = sa.Table(
    "purges", meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("purged_at", sa.Text, nullable=False),
    sa.Column("bundle_sha256", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),  # bundle | before <date>
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("cached_files", sa.Integer, nullable=False),
)

# Numbered migrations: append, never edit. Each takes a connection inside a transaction.
MIGRATIONS = [
    lambda conn: meta.create_all(conn, tables=[submissions, claims, processed]),
    lambda conn: meta.create_all(conn, tables=[filings]),
    create_review_tables,  # docintake serve: accounts, sessions, decisions, audit trail
    lambda conn: meta.create_all(conn, tables=[purges]),
]


class StoreProblem(StrEnum):
    """What is wrong with the store: `locked` clears up by itself (callers may retry), the others
    need the operator."""

    locked = "locked"  # another process holds the write lock longer than the busy timeout
    corrupt = "corrupt"  # not a database, or a damaged one
    unavailable = "unavailable"  # anything else: unreachable server, no permission, bad URL ...


class HistoryError(Exception):
    """The history store cannot be used; `kind` says why, the message (Chinese) tells the operator."""

    def __init__(self, message: str, kind: StoreProblem = StoreProblem.unavailable):
        super().__init__(message)
        self.kind = kind

    def __reduce__(self):  # keeps `kind` across processes (Prefect workers, process pools)
        return type(self), (str(self), self.kind)


def store_url(location: str) -> str:
    """A SQLAlchemy URL as it is; a path as the URL of that SQLite file."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def default_url(location: str | None, home: Path) -> str:
    """--history PATH (or a URL), else HOME/history.sqlite (HOME: Settings.home, that is
    $DOCINTAKE_HOME, else ~/.docintake)."""
    return store_url(location or str(Path(home) / "history.sqlite"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# SQLite's primary result codes (the low byte of an extended code) and PostgreSQL's SQLSTATEs.
_SQLITE_LOCKED = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_PG_LOCKED = {"55P03", "40P01"}  # lock_not_available, deadlock_detected


def _problem(exc: Exception) -> StoreProblem:
    """From the driver's error code where it gives one; its message otherwise (older drivers)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(orig, sqlite3.Error) and code is not None:
        code &= 0xFF
        if code in _SQLITE_LOCKED:
            return StoreProblem.locked
        if code in _SQLITE_CORRUPT:
            return StoreProblem.corrupt
    if getattr(orig, "sqlstate", None) in _PG_LOCKED:
        return StoreProblem.locked
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreProblem.locked
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreProblem.corrupt
    return StoreProblem.unavailable


def _explain(exc: Exception, url: str) -> HistoryError:
    where = sa.engine.make_url(url).render_as_string(hide_password=True)
    kind = _problem(exc)
    if kind is StoreProblem.locked:
        why = "数据库被其他进程锁定，请稍后重试"
    elif kind is StoreProblem.corrupt:
        why = "数据库文件已损坏，请从备份恢复或移走该文件后重建"
    else:
        why = f"{type(exc).__name__}：{str(exc).splitlines()[0][:200]}"
    return HistoryError(f"申报历史库不可用（{where}）：{why}", kind)


class History:
    def __init__(self, location: str, busy_timeout: float = 30.0):
        """location: a SQLAlchemy URL or a SQLite file's path (`default_url` gives the default)."""
        self.url = store_url(location)
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

    def transaction(self):
        """A transaction on the store (inside `locked()`: that one) whose failures are HistoryError,
        for the tables other modules keep here (registry_store.py)."""
        return self._conn()

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
        batch, mark (programme, bundle name, fingerprint) processed; one transaction. Stored masked,
        as the report is written: the store keeps no ID or mobile number whole."""
        report = mask_report(report)
        # `check --json` may name its report after the person: the path is kept masked too (a
        # batch's outbox folders are masked already, so purge still finds their reports).
        report_path = Path(redact(report_path)) if report_path else None
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
    cur.execute("PRAGMA secure_delete=ON")  # a purged row is overwritten, not left in a free page
    cur.close()


def check_against(history: History, report: Report) -> Report:
    """The report with DUPLICATE_SUBMISSION findings against the other submissions in the history."""
    kept = [f for f in report.findings if f.code != "DUPLICATE_SUBMISSION"]
    findings = kept + duplicate_findings(report, history.earlier_records(report))
    return report.model_copy(update={"findings": findings, "verdict": verdict_of(findings)})
