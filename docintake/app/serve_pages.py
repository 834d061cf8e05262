"""The workspace's browser pages (Chinese, server-rendered, a little JavaScript, no build step).

Anonymous visitors get the login page and nothing else: every other page redirects there without
rendering a byte about a submission. Pages read through the same Service as the API; their script
writes through the API with the session cookie and the page's CSRF token.
"""

import secrets
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from docintake.core.vocabulary import (
    AUDIT_ACTION_ZH,
    CODE_ZH,
    DOC_TYPE_ZH,
    FINDING_DECISION_ZH,
    OUTCOME_ZH,
    REVIEW_STATUS_ZH,
    ROLE_ZH,
    SEVERITY_ZH,
    VERDICT_ZH,
    field_zh,
)
from docintake.report.html import local_time, templates
from docintake.report.index import programme_titles
from docintake.report.review_view import dismissal_stats, evidence_anchors, queue_rows, served


def _page(template: str, nonce: str, **context) -> HTMLResponse:
    html = templates().get_template(template).render(nonce=nonce, **context)
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-{nonce}'; "
           "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Frame-Options": "SAMEORIGIN",
                                       "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


VOCAB = {"STATUS_ZH": REVIEW_STATUS_ZH, "VERDICT_ZH": VERDICT_ZH, "CODE_ZH": CODE_ZH,
         "SEVERITY_ZH": SEVERITY_ZH,
         "DECISION_ZH": FINDING_DECISION_ZH, "OUTCOME_ZH": OUTCOME_ZH, "ROLE_ZH": ROLE_ZH,
         "ACTION_ZH": AUDIT_ACTION_ZH, "DOC_TYPE_ZH": DOC_TYPE_ZH, "field_zh": field_zh,
         "local_time": local_time, "quote": lambda s: quote(s, safe="")}


def add_pages(app: FastAPI, service, user) -> None:
    def session_or_login(request: Request):
        session, _ = service.session_of(request)
        return session

    def to_login(request: Request) -> RedirectResponse:
        return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)

    @app.get("/login", response_class=HTMLResponse)
    def login_page() -> Response:
        return _page("review_login.html.j2", secrets.token_urlsafe(16))

    @app.get("/", response_class=HTMLResponse)
    def queue_page(request: Request, programme: str = "", status: str = "", verdict: str = "",
                   assignee: str = "") -> Response:
        session = session_or_login(request)
        if session is None:
            return to_login(request)
        service.link_resubmissions()
        rows = queue_rows([served(r) for r in service.reports()], service.store.states(),
                          datetime.now(UTC))
        wanted = {"programme": programme, "status": status, "verdict": verdict, "assignee": assignee}
        shown = [r for r in rows if all(not v or r[k] == v for k, v in wanted.items())]
        users = [u["name"] for u in service.store.list_users() if not u["disabled"]]
        return _page("review_queue.html.j2", secrets.token_urlsafe(16), session=session, rows=shown,
                     total=len(rows), wanted=wanted, programmes=programme_titles(), users=users, **VOCAB)

    @app.get("/s/{programme}/{bundle}", response_class=HTMLResponse)
    def submission_page(request: Request, programme: str, bundle: str) -> Response:
        session = session_or_login(request)
        if session is None:
            return to_login(request)
        try:
            report = service.report(programme, bundle)
        except HTTPException:
            return _page("review_missing.html.j2", secrets.token_urlsafe(16), session=session, **VOCAB)
        service.link_resubmissions()
        service.store.start(programme, bundle, session.user)
        review = service.review(report)
        decided = {d["index"]: d for d in review["decisions"]}
        corrected = {(c["document"], c["field"]): c for c in review["corrections"]}
        rows = queue_rows(service.reports(), service.store.states(), datetime.now(UTC))
        waiting = [r for r in rows if r["status"] in ("pending", "in_review")
                   and (r["programme"], r["bundle"]) != (programme, bundle)]
        users = [u["name"] for u in service.store.list_users() if not u["disabled"]]
        return _page("review_submission.html.j2", secrets.token_urlsafe(16), session=session,
                     report=served(report), review=review, decided=decided, corrected=corrected,
                     anchors=evidence_anchors(report), next=waiting[0] if waiting else None, users=users,
                     programmes=programme_titles(), **VOCAB)

    @app.get("/stats", response_class=HTMLResponse)
    def stats_page(request: Request) -> Response:
        session = session_or_login(request)
        if session is None:
            return to_login(request)
        if session.role != "lead":
            return RedirectResponse("/", status_code=303)
        stats = dismissal_stats(service.reports(), service.store.all_decisions())
        return _page("review_stats.html.j2", secrets.token_urlsafe(16), session=session, stats=stats, **VOCAB)
