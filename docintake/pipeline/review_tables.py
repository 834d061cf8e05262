"""The reviewers' workspace's tables in the submission history store (`docintake serve`).

Own MetaData, created by history.py's numbered migration 3, so the batch and the service share one
store (SQLite or PostgreSQL). The audit table is append-only in the database itself: triggers
refuse UPDATE and DELETE, so neither a bug nor a hand-typed statement can rewrite the trail.
"""

import sqlalchemy as sa

review_meta = sa.MetaData()
users = sa.Table(
    "review_users", review_meta,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),  # scrypt$n$r$p$salt$hash, never the password
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("failures", sa.Integer, nullable=False, default=0),  # wrong passwords in a row
    sa.Column("locked_until", sa.Text),  # no attempt is checked before this (slows guessing)
)
sessions = sa.Table(
    "review_sessions", review_meta,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the bearer token
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("csrf", sa.Text, nullable=False),
    sa.Column("expires_at", sa.Text, nullable=False),
)
reviews = sa.Table(
    "review_state", review_meta,
    sa.Column("programme", sa.Text, primary_key=True),
    sa.Column("bundle", sa.Text, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("assignee", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("first_seen", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("previous", sa.Text),  # the returned bundle this one corrects (same programme)
)
finding_decisions = sa.Table(
    "review_findings", review_meta,
    sa.Column("programme", sa.Text, primary_key=True),
    sa.Column("bundle", sa.Text, primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
)
corrections = sa.Table(
    "review_corrections", review_meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("programme", sa.Text, nullable=False),
    sa.Column("bundle", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("original", sa.Text),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Index("ix_review_corrections_sub", "programme", "bundle"),
)
audit = sa.Table(
    "review_audit", review_meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("programme", sa.Text),
    sa.Column("bundle", sa.Text),
    sa.Column("detail", sa.Text),
    sa.Index("ix_review_audit_sub", "programme", "bundle"),
)

_SQLITE_GUARDS = [
    "CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit "
    "BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END",
    "CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit "
    "BEGIN SELECT RAISE(ABORT, 'review_audit is append-only'); END",
]
_PG_GUARDS = [
    "CREATE FUNCTION review_audit_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'review_audit is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER review_audit_no_change BEFORE UPDATE OR DELETE ON review_audit "
    "FOR EACH ROW EXECUTE FUNCTION review_audit_append_only()",
    "CREATE TRIGGER review_audit_no_truncate BEFORE TRUNCATE ON review_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only()",
]


def create_review_tables(conn) -> None:
    """Migration 3: the tables, and the audit trail's guards in the store's own dialect."""
    review_meta.create_all(conn)
    guards = {"sqlite": _SQLITE_GUARDS, "postgresql": _PG_GUARDS}.get(conn.dialect.name, [])
    for statement in guards:
        conn.execute(sa.text(statement))
