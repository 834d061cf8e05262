"""`docintake serve`: the reviewers' workspace over an OUTBOX and the submission history store.

The JSON API of the contract ("Review service") and a few extensions (field corrections, assignment,
the 补正 notice, audit export, stats). Every route but login needs a session: a bearer token
(`Authorization: Bearer …`), or the browser pages' HttpOnly cookie, which for any write must come with
the page's CSRF token in `X-CSRF-Token` (a bearer header cannot be sent by another site; a cookie can).
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel

from docintake.core.datamodel import Report
from docintake.pipeline.history import History
from docintake.pipeline.review_store import ReviewStore, Session, UserError
from docintake.report.review_view import (
    ReportShelf,
    dismissal_stats,
    earlier_returned,
    load_report,
    queue_rows,
    render_notice,
    report_path,
    resubmission_diff,
    served,
    served_html,
    unsettled_errors,
)

COOKIE = "docintake_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class LoginBody(BaseModel):
    username: str
    password: str


class FindingBody(BaseModel):
    decision: Literal["confirmed", "dismissed"]
    reason: str | None = None


class DecisionBody(BaseModel):
    outcome: Literal["approved", "returned", "rejected"]
    note: str | None = None


class CorrectionBody(BaseModel):
    document: str
    field: str
    value: str


class AssignBody(BaseModel):
    assignee: str | None = None


def _refuse(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


class Service:
    """The app's state: the OUTBOX and the store (one engine, shared by every request thread)."""

    def __init__(self, outbox: Path, history_url: str, token_hours: float):
        self.outbox = Path(outbox)
        self.history = History(history_url)
        self.store = ReviewStore(self.history, token_hours)
        self.shelf = ReportShelf(self.outbox)

    def reports(self) -> list[Report]:
        return self.shelf.reports()

    def session_of(self, request: Request) -> tuple[Session | None, bool]:
        """The request's session and whether it came from the cookie (then writes need CSRF)."""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return self.store.session(header[7:].strip()), False
        cookie = request.cookies.get(COOKIE)
        return (self.store.session(cookie), True) if cookie else (None, False)

    def report(self, programme: str, bundle: str) -> Report:
        report = load_report(self.outbox, programme, bundle)
        if report is None:
            raise _refuse(404, "没有这份申报材料的报告")
        return report.model_copy(update={"programme": programme, "bundle": bundle})

    def link_resubmissions(self) -> None:
        """Link each new report to the returned submission of the same applicant it corrects."""
        reports, states = self.reports(), self.store.states()
        returned = [r for r in reports if states.get((r.programme, r.bundle), {}).get("status") == "returned"]
        if not returned:  # the usual case: nothing to look for, whatever the size of the OUTBOX
            return
        for report in reports:
            state = states.get((report.programme, report.bundle))
            if state and (state["previous"] or state["status"] != "pending"):
                continue
            previous = earlier_returned(report, returned, states)
            if previous:
                self.store.link(report.programme, report.bundle, previous)

    def review(self, report: Report) -> dict:
        p, b = report.programme, report.bundle
        state = self.store.state(p, b)
        review = {"status": state["status"], "assignee": state["assignee"], "note": state["note"],
                  "decisions": self.store.decisions(p, b), "corrections": self.store.corrections(p, b),
                  "audit": self.store.audit_trail(p, b), "previous": state["previous"], "diff": None}
        old = load_report(self.outbox, p, state["previous"]) if state["previous"] else None
        if old is not None:
            review["diff"] = resubmission_diff(old, report).model_dump()
        return review


def create_app(outbox: Path, history_url: str, token_hours: float = 8.0) -> FastAPI:
    service = Service(outbox, history_url, token_hours)
    app = FastAPI(title="docintake 审核工作台", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service

    def user(request: Request) -> Session:
        session, by_cookie = service.session_of(request)
        if session is None:
            raise HTTPException(401, "请先登录", headers={"WWW-Authenticate": "Bearer"})
        if by_cookie and request.method in UNSAFE and request.headers.get("x-csrf-token") != session.csrf:
            raise _refuse(403, "请求缺少有效的 CSRF 令牌，请刷新页面后重试")
        return session

    User = Annotated[Session, Depends(user)]

    def lead(session: User) -> Session:
        if session.role != "lead":
            raise _refuse(403, "仅审核组长可执行此操作")
        return session

    Lead = Annotated[Session, Depends(lead)]

    @app.post("/api/login")
    def login(body: LoginBody) -> JSONResponse:
        result = service.store.login(body.username, body.password)
        if result.refused == "slowed":  # 401 as for any refused login (contract); Retry-After says when
            return JSONResponse({"detail": f"密码错误次数过多，请 {result.retry_after} 秒后再试"}, 401,
                                headers={"Retry-After": str(result.retry_after)})
        if result.token is None:
            return JSONResponse({"detail": "用户名或密码错误"}, 401)
        answer = JSONResponse({"token": result.token, "csrf": result.csrf,
                               "expires_in": int(token_hours * 3600)})
        answer.set_cookie(COOKIE, result.token, max_age=int(token_hours * 3600), httponly=True,
                          samesite="strict", path="/")
        return answer

    @app.post("/api/logout")
    def logout(request: Request, session: User) -> JSONResponse:
        header = request.headers.get("authorization", "")
        service.store.logout(header[7:].strip() if header.lower().startswith("bearer ") else
                             request.cookies.get(COOKIE, ""))
        answer = JSONResponse({"ok": True})
        answer.delete_cookie(COOKIE, path="/")
        return answer

    @app.get("/api/me")
    def me(session: User) -> dict:
        return {"user": session.user, "role": session.role}

    @app.get("/api/submissions")
    def submissions(session: User, programme: str | None = None, status: str | None = None,
                    verdict: str | None = None, assignee: str | None = None) -> list[dict]:
        service.link_resubmissions()
        rows = queue_rows([served(r) for r in service.reports()], service.store.states(),
                          datetime.now(UTC))
        wanted = {"programme": programme, "status": status, "verdict": verdict, "assignee": assignee}
        return [r for r in rows if all(v in (None, "") or r[k] == v for k, v in wanted.items())]

    @app.get("/api/submissions/{programme}/{bundle}")
    def submission(programme: str, bundle: str, session: User) -> dict:
        report = service.report(programme, bundle)
        service.link_resubmissions()
        service.store.start(programme, bundle, session.user)  # a view of personal data: audited
        return {"report": served(report).model_dump(mode="json"), "review": service.review(report)}

    @app.post("/api/submissions/{programme}/{bundle}/findings/{index}")
    def decide_finding(programme: str, bundle: str, index: int, body: FindingBody,
                       session: User) -> dict:
        report = service.report(programme, bundle)
        if not 0 <= index < len(report.findings):
            raise _refuse(404, f"没有第 {index} 条问题（共 {len(report.findings)} 条，从 0 起数）")
        reason = (body.reason or "").strip() or None
        if body.decision == "dismissed" and not reason:
            raise _refuse(422, "排除问题须填写理由")
        service.store.decide_finding(programme, bundle, index, report.findings[index].code, body.decision,
                                     reason, session.user)
        return {"index": index, "decision": body.decision, "reason": reason}

    @app.post("/api/submissions/{programme}/{bundle}/fields")
    def correct_field(programme: str, bundle: str, body: CorrectionBody,
                      session: User) -> dict:
        report = service.report(programme, bundle)
        doc = next((d for d in report.documents if d.id == body.document), None)
        if doc is None:
            raise _refuse(404, f"没有这份文件：{body.document}")
        original = doc.fields.get(body.field)
        service.store.correct(programme, bundle, body.document, body.field,
                              None if original is None or original.value is None else str(original.value),
                              body.value, session.user)
        return {"document": body.document, "field": body.field, "value": body.value}

    @app.post("/api/submissions/{programme}/{bundle}/decision")
    def decide(programme: str, bundle: str, body: DecisionBody, session: User) -> dict:
        report = service.report(programme, bundle)
        if body.outcome != "returned" and session.role != "lead":
            raise _refuse(403, "通过或驳回须由审核组长决定；审核员可退回补正")
        final = service.store.state(programme, bundle)["status"] in ("approved", "rejected")
        if final and session.role != "lead":
            raise _refuse(403, "该申报已有最终决定，仅审核组长可更改")
        note = (body.note or "").strip() or None
        open_errors = unsettled_errors(report, service.store.decisions(programme, bundle))
        if body.outcome == "approved" and open_errors and not note:
            raise _refuse(409, f"仍有 {len(open_errors)} 条错误未排除，通过须填写理由")
        service.store.decide(programme, bundle, body.outcome, note, session.user)
        return {"status": body.outcome, "note": note}

    @app.post("/api/submissions/{programme}/{bundle}/assign")
    def assign(programme: str, bundle: str, body: AssignBody, session: Lead) -> dict:
        service.report(programme, bundle)
        try:
            service.store.assign(programme, bundle, body.assignee or None, session.user)
        except UserError as exc:
            raise _refuse(422, str(exc)) from None
        return {"assignee": body.assignee or None}

    @app.get("/api/submissions/{programme}/{bundle}/notice", response_class=HTMLResponse)
    def notice(programme: str, bundle: str, session: User) -> str:
        report = service.report(programme, bundle)
        state = service.store.state(programme, bundle)
        service.store.record(session.user, "view", programme, bundle, "补正通知书")
        return render_notice(report, service.store.decisions(programme, bundle), state["note"], session.user)

    @app.get("/api/submissions/{programme}/{bundle}/notice.pdf")
    def notice_as_pdf(programme: str, bundle: str, session: User) -> Response:
        from docintake.report.notice_pdf import notice_pdf

        html = notice(programme, bundle, session)
        return Response(notice_pdf(html), media_type="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="notice.pdf"'})

    @app.get("/api/submissions/{programme}/{bundle}/report.html", response_class=HTMLResponse)
    def report_html(programme: str, bundle: str, session: User) -> Response:
        path = report_path(service.outbox, programme, bundle)
        html = path.with_name("report.html") if path else None
        if html is None or not html.is_file():
            raise _refuse(404, "没有这份申报材料的 HTML 报告")
        report = service.report(programme, bundle)
        service.store.record(session.user, "view", programme, bundle, "report.html")
        return HTMLResponse(served_html(html.read_text(encoding="utf-8"), report))

    @app.get("/api/audit.csv")
    def audit_csv(session: Lead) -> PlainTextResponse:
        service.store.record(session.user, "export", detail="audit.csv")
        return PlainTextResponse(service.store.audit_csv(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="audit.csv"'})

    @app.get("/api/stats")
    def stats(session: Lead) -> list[dict]:
        return dismissal_stats(service.reports(), service.store.all_decisions())

    from docintake.app.serve_pages import add_pages

    add_pages(app, service, user)
    return app
