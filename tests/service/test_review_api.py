"""The reviewers' workspace API (`docintake serve`) over real reports and a real SQLite store:
login and roles, the queue, decisions on findings and submissions, CSRF, the append-only audit trail,
and the 补正 resubmission diff. Reports are built once per module from born-digital bundles (no OCR)."""

import re
import shutil
import sqlite3
import time

import pymupdf
import pytest
from fastapi.testclient import TestClient

from docintake.app.serve_api import COOKIE, create_app
from tests.support import ETOWN
from tests.support.reviewkit import APPLICANT, PASSWORDS, add_users, check_into, make_bundle

BASE = f"/api/submissions/{ETOWN}"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """OUTBOX-shaped folder: `b1` lacks the company seal on its commitment letter; `b1-fix` is the
    applicant's corrected bundle (sealed, another invoice number), checked after it."""
    root = tmp_path_factory.mktemp("review")
    outbox = root / "reports"
    check_into(outbox, make_bundle(root / "in" / "b1", "25442000000012345678", sealed=False), root / "home")
    check_into(outbox, make_bundle(root / "in" / "b1-fix", "25442000000012345679", sealed=True), root / "home")
    return outbox / ETOWN


def outbox_with(tmp_path, reports, *bundles):
    outbox = tmp_path / "outbox"
    for name in bundles:
        shutil.copytree(reports / name, outbox / ETOWN / name)
    return outbox


@pytest.fixture
def history(tmp_path):
    url = str(tmp_path / "history.sqlite")
    add_users(url)
    return url


def client(outbox, history, hours=8.0) -> TestClient:
    return TestClient(create_app(outbox, history, hours))


def login(c: TestClient, name: str) -> dict:
    r = c.post("/api/login", json={"username": name, "password": PASSWORDS[name]})
    assert r.status_code == 200, r.text
    c.cookies.clear()  # API calls below authenticate by the bearer token only
    return {"Authorization": f"Bearer {r.json()['token']}"}


def seal_index(report: dict) -> int:
    return next(i for i, f in enumerate(report["findings"])
                if f["code"] == "SEAL_MISSING" and f["doc_type"] == "commitment_letter")


def test_nothing_without_a_token_and_401_for_a_wrong_password(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    assert c.get("/api/submissions").status_code == 401
    assert c.get(f"{BASE}/b1").status_code == 401
    assert c.get(f"{BASE}/b1", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert c.post("/api/login", json={"username": "rev", "password": "wrong-password"}).status_code == 401
    assert c.post("/api/login", json={"username": "nobody", "password": "x" * 10}).status_code == 401
    rows = c.get("/api/submissions", headers=login(c, "rev")).json()
    assert [(r["programme"], r["bundle"], r["applicant"], r["verdict"], r["status"]) for r in rows] == [
        (ETOWN, "b1", APPLICANT, "fail", "pending")]
    assert rows[0]["errors"] > 0 and rows[0]["days_waiting"] == 0


def test_repeated_wrong_passwords_are_slowed_down_even_for_the_right_one(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    for _ in range(3):
        assert c.post("/api/login", json={"username": "rev", "password": "guess-guess"}).status_code == 401
    r = c.post("/api/login", json={"username": "rev", "password": PASSWORDS["rev"]})
    assert r.status_code == 401 and int(r.headers["Retry-After"]) >= 1 and "秒后再试" in r.json()["detail"]
    time.sleep(1.1)
    assert c.post("/api/login", json={"username": "rev", "password": PASSWORDS["rev"]}).status_code == 200


def test_tokens_expire(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history, hours=1 / 3600)  # one second
    auth = login(c, "rev")
    assert c.get("/api/submissions", headers=auth).status_code == 200
    time.sleep(1.5)
    assert c.get("/api/submissions", headers=auth).status_code == 401


def test_a_dismissal_needs_a_reason_and_approving_over_an_open_error_asks_for_one(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    rev, boss = login(c, "rev"), login(c, "boss")
    detail = c.get(f"{BASE}/b1", headers=rev).json()
    assert detail["review"]["status"] == "in_review"  # opened by a reviewer
    i = seal_index(detail["report"])
    r = c.post(f"{BASE}/b1/findings/{i}", json={"decision": "dismissed", "reason": " "}, headers=rev)
    assert r.status_code == 422 and "理由" in r.json()["detail"]
    assert c.post(f"{BASE}/b1/findings/99", json={"decision": "confirmed"}, headers=rev).status_code == 404
    assert c.post(f"{BASE}/b1/findings/{i}", json={"decision": "dismissed", "reason": "骑缝处有章，系扫描遗漏"},
                  headers=rev).status_code == 200
    # reviewers return; only leads approve or reject
    assert c.post(f"{BASE}/b1/decision", json={"outcome": "approved", "note": "好"}, headers=rev).status_code == 403
    r = c.post(f"{BASE}/b1/decision", json={"outcome": "approved"}, headers=boss)
    assert r.status_code == 409 and "理由" in r.json()["detail"]
    assert c.post(f"{BASE}/b1/decision", json={"outcome": "approved", "note": "其余问题已线下核实"},
                  headers=boss).status_code == 200
    review = c.get(f"{BASE}/b1", headers=boss).json()["review"]
    assert review["status"] == "approved" and review["note"] == "其余问题已线下核实"
    # a final decision stands against a reviewer; a lead may change it
    assert c.post(f"{BASE}/b1/decision", json={"outcome": "returned"}, headers=rev).status_code == 403
    assert review["decisions"] == [{"index": i, "code": "SEAL_MISSING", "decision": "dismissed",
                                    "reason": "骑缝处有章，系扫描遗漏", "user": "rev",
                                    "at": review["decisions"][0]["at"]}]


def test_corrections_keep_the_original_and_leads_assign(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    rev, boss = login(c, "rev"), login(c, "boss")
    report = c.get(f"{BASE}/b1", headers=rev).json()["report"]
    licence = next(d for d in report["documents"] if d["doc_type"] == "business_licence")
    original = licence["fields"]["uscc"]["value"]
    body = {"document": licence["id"], "field": "uscc", "value": "91440300MA5G8XYZ3X"}
    assert c.post(f"{BASE}/b1/fields", json=body, headers=rev).status_code == 200
    detail = c.get(f"{BASE}/b1", headers=rev).json()
    assert detail["report"]["documents"][0]["fields"]["uscc"]["value"] == original  # the report is untouched
    [fix] = detail["review"]["corrections"]
    assert (fix["original"], fix["value"], fix["user"]) == (original, "91440300MA5G8XYZ3X", "rev")
    assert c.post(f"{BASE}/b1/assign", json={"assignee": "rev"}, headers=rev).status_code == 403
    assert c.post(f"{BASE}/b1/assign", json={"assignee": "ghost"}, headers=boss).status_code == 422
    assert c.post(f"{BASE}/b1/assign", json={"assignee": "rev"}, headers=boss).status_code == 200
    assert [r["bundle"] for r in c.get("/api/submissions?assignee=rev", headers=rev).json()] == ["b1"]
    assert c.get("/api/submissions?assignee=boss", headers=rev).json() == []
    assert c.get("/api/submissions?status=in_review", headers=rev).json()[0]["assignee"] == "rev"


def test_cookie_sessions_need_the_csrf_token_to_write(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    r = c.post("/api/login", json={"username": "rev", "password": PASSWORDS["rev"]})
    assert COOKIE in c.cookies
    assert c.get("/api/submissions").status_code == 200  # reads by cookie
    body = {"outcome": "returned", "note": "补正"}
    assert c.post(f"{BASE}/b1/decision", json=body).status_code == 403
    assert c.post(f"{BASE}/b1/decision", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert c.post(f"{BASE}/b1/decision", json=body, headers={"X-CSRF-Token": r.json()["csrf"]}).status_code == 200


def test_the_audit_trail_is_append_only_and_exported_for_leads(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    rev = login(c, "rev")
    c.get(f"{BASE}/b1", headers=rev)
    c.post(f"{BASE}/b1/decision", json={"outcome": "returned", "note": "请补盖公章"}, headers=rev)
    audit = c.get(f"{BASE}/b1", headers=rev).json()["review"]["audit"]
    assert [(a["user"], a["action"]) for a in audit][:4] == [
        ("rev", "view"), ("rev", "status"), ("rev", "decision"), ("rev", "status")]
    assert all(a["at"] and a["bundle"] == "b1" for a in audit)
    db = sqlite3.connect(history)
    for statement in ("UPDATE review_audit SET user = 'x'", "DELETE FROM review_audit"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    db.close()
    assert c.get("/api/audit.csv", headers=rev).status_code == 403
    csv = c.get("/api/audit.csv", headers=login(c, "boss")).text
    assert csv.splitlines()[0] == "at,user,action,programme,bundle,detail"
    assert ",rev,login," in csv and "returned：请补盖公章" in csv


def test_a_returned_bundles_resubmission_is_linked_and_diffed(tmp_path, reports, history):
    outbox = outbox_with(tmp_path, reports, "b1")
    c = client(outbox, history)
    rev = login(c, "rev")
    report = c.get(f"{BASE}/b1", headers=rev).json()["report"]
    i = seal_index(report)
    assert c.post(f"{BASE}/b1/findings/{i}", json={"decision": "confirmed"}, headers=rev).status_code == 200
    assert c.post(f"{BASE}/b1/decision", json={"outcome": "returned", "note": "请在承诺书上加盖公章"},
                  headers=rev).status_code == 200
    notice = c.get(f"{BASE}/b1/notice", headers=rev).text
    assert "补正通知书" in notice and "承诺书" in notice and "请在承诺书上加盖公章" in notice
    assert notice.count("<li>") == 1  # only the confirmed finding is a thing to correct
    pdf = c.get(f"{BASE}/b1/notice.pdf", headers=rev)
    assert pdf.headers["content-type"] == "application/pdf" and len(pdf.content) < 200_000
    text = pymupdf.open(stream=pdf.content, filetype="pdf")[0].get_text()
    assert "补正通知书" in text and "缺少印章（承诺书、公章）" in text and APPLICANT in text
    # the corrected bundle arrives while serve runs: no restart
    shutil.copytree(reports / "b1-fix", outbox / ETOWN / "b1-fix")
    rows = {r["bundle"]: r for r in c.get("/api/submissions", headers=rev).json()}
    assert rows["b1-fix"]["previous"] == "b1" and rows["b1"]["status"] == "returned"
    diff = c.get(f"{BASE}/b1-fix", headers=rev).json()["review"]["diff"]
    assert diff["previous"] == "b1"
    assert [x for x in diff["resolved"] if x.startswith("缺少印章（承诺书、公章）")], diff
    assert not [x for x in diff["still_open"] + diff["new"] if x.startswith("缺少印章（承诺书")], diff
    assert [x for x in diff["still_open"] if x.startswith("缺少材料（网信办备案证明）")], diff
    assert diff["documents_replaced"] == ["材料.pdf"]


def test_anonymous_visitors_see_only_the_login_page(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1"), history)
    for path in ("/", f"/s/{ETOWN}/b1", f"{BASE}/b1/report.html", f"{BASE}/b1/notice"):
        r = c.get(path, follow_redirects=True)
        assert r.status_code == 401 or (r.status_code == 200 and r.url.path == "/login"), (path, r.status_code)
        page = re.sub(r'nonce="[^"]*"', "", r.text)  # a random CSP nonce may hold "b1" by chance
        assert APPLICANT not in page and "b1" not in page
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert "登录" in c.get("/login").text


def test_stats_measure_each_codes_dismissals_for_leads(tmp_path, reports, history):
    c = client(outbox_with(tmp_path, reports, "b1", "b1-fix"), history)
    rev = login(c, "rev")
    findings = c.get(f"{BASE}/b1", headers=rev).json()["report"]["findings"]
    uscc = next(i for i, f in enumerate(findings) if f["code"] == "USCC_INVALID")
    c.post(f"{BASE}/b1/findings/{uscc}", json={"decision": "dismissed", "reason": "原件核对无误"}, headers=rev)
    c.post(f"{BASE}/b1/findings/{seal_index({'findings': findings})}", json={"decision": "confirmed"},
           headers=rev)
    assert c.get("/api/stats", headers=rev).status_code == 403
    stats = {s["code"]: s for s in c.get("/api/stats", headers=login(c, "boss")).json()}
    assert stats["USCC_INVALID"] | {"found": 0} == {
        "code": "USCC_INVALID", "name": "信用代码无效", "found": 0, "decided": 1, "dismissed": 1,
        "reasons": ["原件核对无误"], "false_rate": 1.0}
    assert stats["USCC_INVALID"]["found"] == 2  # both bundles carry the sample's bad check digit
    assert (stats["SEAL_MISSING"]["dismissed"], stats["SEAL_MISSING"]["false_rate"]) == (0, 0.0)
    assert next(iter(stats)) == "USCC_INVALID"  # the check to improve first
    c.post("/api/login", json={"username": "boss", "password": PASSWORDS["boss"]})  # the page's cookie
    page = c.get("/stats").text
    assert "信用代码无效" in page and "原件核对无误" in page and "100%" in page


def test_on_postgresql_the_same_workflow_and_the_audit_trail_refuses_changes(tmp_path, reports, postgres):
    import sqlalchemy as sa

    postgres.create_db("history")
    url = postgres.url("history", "psycopg")
    add_users(url)
    c = client(outbox_with(tmp_path, reports, "b1"), url)
    rev = login(c, "rev")
    i = seal_index(c.get(f"{BASE}/b1", headers=rev).json()["report"])
    c.post(f"{BASE}/b1/findings/{i}", json={"decision": "dismissed", "reason": "章在第 4 页"}, headers=rev)
    c.post(f"{BASE}/b1/decision", json={"outcome": "returned", "note": "补正"}, headers=rev)
    review = client(outbox_with(tmp_path / "again", reports, "b1"), url).get(f"{BASE}/b1", headers=rev).json()
    assert review["review"]["status"] == "returned" and review["review"]["decisions"][0]["reason"] == "章在第 4 页"
    engine = sa.create_engine(url)
    for statement in ("UPDATE review_audit SET action = 'x'", "DELETE FROM review_audit",
                      "TRUNCATE review_audit"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement))
    engine.dispose()


def test_personal_data_is_masked_in_everything_served(tmp_path, reports, history):
    import json

    from docintake.core.logmask import redact

    outbox = outbox_with(tmp_path, reports, "b1")
    path = outbox / ETOWN / "b1" / "report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    field = {"page": 1, "confidence": 0.99}
    data["documents"] += [
        {"id": "d9", "source": "身份证.jpg", "pages": [1], "doc_type": "legal_rep_id", "text_source": "ocr",
         "fields": {"id_number": {"value": "440305199001011234", **field}}},
        {"id": "d10", "source": "账户.pdf", "pages": [1], "doc_type": "bank_account_info",
         "text_source": "text_layer", "fields": {"account_number": {"value": "6222 0212 3456 7890 123", **field}}}]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # as a report with both read
    html = path.with_name("report.html")
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "<p>户 6222 0212 3456 7890 123</p></body>"),
                    encoding="utf-8")  # the page quoting the account, as report.html shows fields
    c = client(outbox, history)
    rev = login(c, "rev")
    served_json = c.get(f"{BASE}/b1", headers=rev).text
    c.post("/api/login", json={"username": "rev", "password": PASSWORDS["rev"]})  # the page's cookie
    page = c.get(f"/s/{ETOWN}/b1").text
    evidence = c.get(f"{BASE}/b1/report.html").text
    assert f"<p>户 {redact('6222 0212 3456 7890 123')}</p>" in evidence and "6222 0212" not in evidence
    for text in (served_json, page):
        assert "440305199001011234" not in text and "7890 123" not in text and "6222 0212" not in text
        assert "440305********1234" in text and redact("6222 0212 3456 7890 123") in text


def test_the_shelf_reads_a_report_again_only_when_the_batch_rewrote_it(tmp_path, reports):
    import os

    from docintake.report.review_view import ReportShelf

    outbox = outbox_with(tmp_path, reports, "b1")
    shelf = ReportShelf(outbox)
    [first] = shelf.reports()
    assert shelf.reports()[0] is first  # unchanged: not parsed again
    path = outbox / ETOWN / "b1" / "report.json"
    path.write_text(path.read_text(encoding="utf-8").replace(APPLICANT, "深圳市新名称科技有限公司"),
                    encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    [again] = shelf.reports()
    assert again.applicant.name == "深圳市新名称科技有限公司"
    (outbox / ETOWN / "b1" / "report.json").unlink()
    assert shelf.reports() == []
