"""What reviewers do, kept in the submission history store: accounts, sessions, a status per
submission, a decision per finding, field corrections (the original kept), and the audit trail.

Submissions are named by (programme, bundle) as in the OUTBOX (OUTBOX/<programme>/<bundle>/), so a
re-check of the same bundle keeps its review. Every write is one transaction together with its
audit entry: a decision is never recorded without the entry saying who made it.
"""

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from docintake.core.passwords import DUMMY_HASH, hash_password, verify_password
from docintake.pipeline.history import History
from docintake.pipeline.review_tables import audit, corrections, finding_decisions, reviews, sessions, users

ROLES = ("reviewer", "lead")
STATUSES = ("pending", "in_review", "approved", "returned", "rejected")
FREE_TRIES = 3  # wrong passwords in a row before each further try waits (1 s, 2 s, 4 s ... 5 min)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserError(ValueError):
    """A users command that cannot be done (Chinese message)."""


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    csrf: str


@dataclass(frozen=True)
class Login:
    """The outcome of a login: a token, or why not (`wrong`, `slowed` with seconds to wait)."""

    token: str | None = None
    csrf: str | None = None
    refused: str | None = None
    retry_after: int = 0


class ReviewStore:
    def __init__(self, history: History, token_hours: float = 8.0):
        self.history = history
        self.token_hours = token_hours

    # accounts -----------------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise UserError(f"角色须为 {' / '.join(ROLES)}")
        if not name.strip() or len(password) < 8:
            raise UserError("用户名不能为空，密码至少 8 个字符")
        with self.history.transaction() as conn:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise UserError(f"用户已存在：{name}")
            conn.execute(sa.insert(users).values(name=name, role=role, password_hash=hash_password(password),
                                                 disabled=False, created_at=_iso(_now()), failures=0))

    def list_users(self) -> list[dict]:
        with self.history.transaction() as conn:
            rows = conn.execute(sa.select(users.c.name, users.c.role, users.c.disabled, users.c.created_at)
                                .order_by(users.c.name)).mappings().all()
        return [dict(r) for r in rows]

    def disable_user(self, name: str) -> None:
        with self.history.transaction() as conn:
            if not conn.execute(sa.update(users).where(users.c.name == name).values(disabled=True)).rowcount:
                raise UserError(f"没有这个用户：{name}")
            conn.execute(sa.delete(sessions).where(sessions.c.user == name))  # logged out at once

    def login(self, name: str, password: str) -> Login:
        """A token for a right password of an enabled account. After FREE_TRIES wrong ones in a row,
        each further try must wait twice as long as the last (checked before the password)."""
        now = _now()
        with self.history.transaction() as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
            if row and row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
                wait = (datetime.fromisoformat(row["locked_until"]) - now).total_seconds()
                return Login(refused="slowed", retry_after=max(1, round(wait)))
            right = verify_password(password, row["password_hash"] if row else DUMMY_HASH)
            if not row or row["disabled"] or not right:
                if row:
                    failures = row["failures"] + 1
                    # the wait runs from when the failure is known, not from before the slow hash
                    lock = (_iso(_now() + timedelta(seconds=min(2 ** (failures - FREE_TRIES), 300)))
                            if failures >= FREE_TRIES else None)
                    conn.execute(sa.update(users).where(users.c.name == name)
                                 .values(failures=failures, locked_until=lock))
                self._audit(conn, name if row else "?", "login_failed", detail=name if not row else None)
                return Login(refused="wrong")
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
            conn.execute(sa.update(users).where(users.c.name == name).values(failures=0, locked_until=None))
            conn.execute(sa.delete(sessions).where(sessions.c.expires_at < _iso(now)))
            conn.execute(sa.insert(sessions).values(
                token_hash=_digest(token), user=name, csrf=csrf,
                expires_at=(now + timedelta(hours=self.token_hours)).isoformat()))  # to the microsecond
            self._audit(conn, name, "login")
        return Login(token=token, csrf=csrf)

    def session(self, token: str) -> Session | None:
        """Whose token this is, while it has not expired and the account is enabled."""
        with self.history.transaction() as conn:
            row = conn.execute(
                sa.select(sessions.c.user, sessions.c.csrf, sessions.c.expires_at, users.c.role,
                          users.c.disabled)
                .join(users, users.c.name == sessions.c.user)
                .where(sessions.c.token_hash == _digest(token))).mappings().first()
        if not row or row["disabled"] or datetime.fromisoformat(row["expires_at"]) <= _now():
            return None
        return Session(user=row["user"], role=row["role"], csrf=row["csrf"])

    def logout(self, token: str) -> None:
        with self.history.transaction() as conn:
            conn.execute(sa.delete(sessions).where(sessions.c.token_hash == _digest(token)))

    # reviews --------------------------------------------------------------------------------------
    def states(self) -> dict[tuple[str, str], dict]:
        with self.history.transaction() as conn:
            rows = conn.execute(sa.select(reviews)).mappings().all()
        return {(r["programme"], r["bundle"]): dict(r) for r in rows}

    def state(self, programme: str, bundle: str) -> dict:
        """The review of a submission; a submission nobody has touched is pending."""
        return self.states().get((programme, bundle)) or {
            "programme": programme, "bundle": bundle, "status": "pending", "assignee": None, "note": None,
            "first_seen": None, "updated_at": None, "previous": None}

    def _upsert(self, conn, programme: str, bundle: str, **values) -> None:
        now = _iso(_now())
        key = (reviews.c.programme == programme, reviews.c.bundle == bundle)
        if conn.execute(sa.select(reviews.c.status).where(*key)).first():
            conn.execute(sa.update(reviews).where(*key).values(updated_at=now, **values))
        else:
            conn.execute(sa.insert(reviews).values(programme=programme, bundle=bundle, first_seen=now,
                                                   updated_at=now, **{"status": "pending", **values}))

    def start(self, programme: str, bundle: str, user: str) -> None:
        """A reviewer opened it: pending becomes in_review (audited); the view itself is audited too."""
        with self.history.transaction() as conn:
            self._audit(conn, user, "view", programme, bundle)
            current = conn.execute(sa.select(reviews.c.status).where(
                reviews.c.programme == programme, reviews.c.bundle == bundle)).scalar()
            if current in (None, "pending"):
                self._upsert(conn, programme, bundle, status="in_review")
                self._audit(conn, user, "status", programme, bundle, "pending → in_review")

    def decide_finding(self, programme: str, bundle: str, index: int, code: str, decision: str,
                       reason: str | None, user: str) -> None:
        with self.history.transaction() as conn:
            key = (finding_decisions.c.programme == programme, finding_decisions.c.bundle == bundle,
                   finding_decisions.c.idx == index)
            conn.execute(sa.delete(finding_decisions).where(*key))
            conn.execute(sa.insert(finding_decisions).values(
                programme=programme, bundle=bundle, idx=index, code=code, decision=decision, reason=reason,
                user=user, at=_iso(_now())))
            self._audit(conn, user, "finding", programme, bundle,
                        f"#{index} {code} {decision}" + (f"：{reason}" if reason else ""))

    def decisions(self, programme: str, bundle: str) -> list[dict]:
        with self.history.transaction() as conn:
            rows = conn.execute(sa.select(finding_decisions).where(
                finding_decisions.c.programme == programme, finding_decisions.c.bundle == bundle)
                .order_by(finding_decisions.c.idx)).mappings().all()
        return [{"index": r["idx"], "code": r["code"], "decision": r["decision"], "reason": r["reason"],
                 "user": r["user"], "at": r["at"]} for r in rows]

    def all_decisions(self) -> list[dict]:
        with self.history.transaction() as conn:
            rows = conn.execute(sa.select(finding_decisions)).mappings().all()
        return [{"programme": r["programme"], "bundle": r["bundle"], "index": r["idx"], "code": r["code"],
                 "decision": r["decision"], "reason": r["reason"]} for r in rows]

    def correct(self, programme: str, bundle: str, document: str, field: str, original: str | None,
                value: str, user: str) -> None:
        with self.history.transaction() as conn:
            conn.execute(sa.insert(corrections).values(
                programme=programme, bundle=bundle, document=document, field=field, original=original,
                value=value, user=user, at=_iso(_now())))
            self._audit(conn, user, "correction", programme, bundle, f"{document}.{field}")

    def corrections(self, programme: str, bundle: str) -> list[dict]:
        with self.history.transaction() as conn:
            rows = conn.execute(sa.select(corrections).where(
                corrections.c.programme == programme, corrections.c.bundle == bundle)
                .order_by(corrections.c.id)).mappings().all()
        return [{k: r[k] for k in ("document", "field", "original", "value", "user", "at")} for r in rows]

    def decide(self, programme: str, bundle: str, outcome: str, note: str | None, user: str) -> None:
        with self.history.transaction() as conn:
            before = conn.execute(sa.select(reviews.c.status).where(
                reviews.c.programme == programme, reviews.c.bundle == bundle)).scalar() or "pending"
            self._upsert(conn, programme, bundle, status=outcome, note=note)
            self._audit(conn, user, "decision", programme, bundle, outcome + (f"：{note}" if note else ""))
            self._audit(conn, user, "status", programme, bundle, f"{before} → {outcome}")

    def assign(self, programme: str, bundle: str, assignee: str | None, user: str) -> None:
        with self.history.transaction() as conn:
            if assignee and not conn.execute(sa.select(users.c.name).where(
                    users.c.name == assignee, users.c.disabled.is_(False))).first():
                raise UserError(f"没有这个可用账户：{assignee}")
            self._upsert(conn, programme, bundle, assignee=assignee)
            self._audit(conn, user, "assign", programme, bundle, assignee or "（取消分派）")

    def link(self, programme: str, bundle: str, previous: str) -> None:
        """This bundle corrects `previous` (a returned submission of the same applicant)."""
        with self.history.transaction() as conn:
            self._upsert(conn, programme, bundle, previous=previous)
            self._audit(conn, "system", "link", programme, bundle, previous)

    # audit trail ----------------------------------------------------------------------------------
    def _audit(self, conn, user: str, action: str, programme: str | None = None, bundle: str | None = None,
               detail: str | None = None) -> None:
        conn.execute(sa.insert(audit).values(at=_iso(_now()), user=user, action=action, programme=programme,
                                             bundle=bundle, detail=detail))

    def record(self, user: str, action: str, programme: str | None = None, bundle: str | None = None,
               detail: str | None = None) -> None:
        with self.history.transaction() as conn:
            self._audit(conn, user, action, programme, bundle, detail)

    def audit_trail(self, programme: str | None = None, bundle: str | None = None) -> list[dict]:
        query = sa.select(audit).order_by(audit.c.id)
        if programme is not None:
            query = query.where(audit.c.programme == programme, audit.c.bundle == bundle)
        with self.history.transaction() as conn:
            rows = conn.execute(query).mappings().all()
        return [{"at": r["at"], "user": r["user"], "action": r["action"], "programme": r["programme"],
                 "bundle": r["bundle"], "detail": r["detail"]} for r in rows]

    def audit_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, ["at", "user", "action", "programme", "bundle", "detail"])
        writer.writeheader()
        writer.writerows(self.audit_trail())
        return out.getvalue()
