"""`docintake users` and `docintake serve` as real processes: accounts made on the command line,
the API over HTTP on a free port, decisions surviving a restart, and a real browser on the pages."""

import os
import re
import sqlite3
import subprocess
import sys

import httpx
import pytest

from tests.support import ETOWN, ROOT
from tests.support.browser import artefact_dir, chromium, needs_chromium, screenshot
from tests.support.reviewkit import APPLICANT, Server, check_into, make_bundle


def docintake(*args: str, stdin: str = "", env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docintake", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """An OUTBOX with one checked bundle (commitment letter without its seal) and two accounts made
    with `docintake users add`."""
    root = tmp_path_factory.mktemp("serve")
    outbox = root / "outbox"
    check_into(outbox, make_bundle(root / "in" / "b1", "25442000000012345678", sealed=False), root / "home")
    env = os.environ | {"DOCINTAKE_HOME": str(root / "home")}
    history = str(root / "history.sqlite")
    for name, role, password in (("rev", "reviewer", "reviewer-pass-1"), ("boss", "lead", "lead-pass-0001")):
        done = docintake("users", "add", name, "--role", role, "--history", history, stdin=password + "\n",
                         env=env)
        assert done.returncode == 0, done.stderr
    return outbox, history, env


def test_users_are_stored_hashed_listed_and_disabled(workspace):
    _, history, env = workspace
    assert docintake("users", "add", "rev", "--role", "reviewer", "--history", history,
                     stdin="another-pass\n", env=env).returncode == 2  # exists
    assert docintake("users", "add", "x", "--role", "admin", "--history", history, env=env).returncode == 2
    listed = docintake("users", "list", "--history", history, env=env).stdout
    assert "rev\t审核员\t可用" in listed and "boss\t审核组长\t可用" in listed
    rows = sqlite3.connect(history).execute("SELECT name, password_hash FROM review_users").fetchall()
    assert all(h.startswith("scrypt$") and "pass" not in h for _, h in rows)


def test_serve_over_http_keeps_decisions_across_a_restart(workspace):
    outbox, history, env = workspace
    base = f"/api/submissions/{ETOWN}/b1"
    server = Server(outbox, history, env)
    try:
        front = httpx.get(server.url + "/", follow_redirects=True)
        assert front.url.path == "/login" and APPLICANT not in front.text
        assert httpx.get(server.url + "/api/submissions").status_code == 401
        assert httpx.post(server.url + "/api/login", json={"username": "rev", "password": "nope-nope"}
                          ).status_code == 401
        token = httpx.post(server.url + "/api/login",
                           json={"username": "rev", "password": "reviewer-pass-1"}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        [row] = httpx.get(server.url + "/api/submissions", headers=auth).json()
        assert (row["bundle"], row["applicant"], row["status"]) == ("b1", APPLICANT, "pending")
        report = httpx.get(server.url + base, headers=auth).json()["report"]
        index = next(i for i, f in enumerate(report["findings"]) if f["code"] == "USCC_INVALID")
        assert httpx.post(f"{server.url}{base}/findings/{index}", headers=auth,
                          json={"decision": "dismissed", "reason": "校验位为样例数据，人工核对无误"}).status_code == 200
        assert httpx.post(f"{server.url}{base}/decision", headers=auth,
                          json={"outcome": "returned", "note": "请补盖公章"}).status_code == 200
    finally:
        server.stop()
    server = Server(outbox, history, env)  # the same token still works: sessions live in the store
    try:
        review = httpx.get(server.url + base, headers=auth).json()["review"]
    finally:
        server.stop()
    assert review["status"] == "returned" and review["note"] == "请补盖公章"
    assert [(d["index"], d["decision"], d["reason"], d["user"]) for d in review["decisions"]] == [
        (index, "dismissed", "校验位为样例数据，人工核对无误", "rev")]
    actions = [(a["user"], a["action"]) for a in review["audit"]]
    assert ("rev", "finding") in actions and ("rev", "decision") in actions and ("rev", "view") in actions
    # a disabled account's logins end at once
    assert docintake("users", "disable", "rev", "--history", history, env=env).returncode == 0
    server = Server(outbox, history, env)
    try:
        assert httpx.get(server.url + base, headers=auth).status_code == 401
    finally:
        server.stop()


@needs_chromium
def test_a_lead_reviews_in_the_browser_with_the_keyboard(workspace):
    outbox, history, env = workspace
    server = Server(outbox, history, env)
    problems: list[str] = []
    try:
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.set_default_timeout(20000)
            # the 409 is the refused approval the test provokes; anything else (CSP, script) is a fault
            page.on("console", lambda m: m.type == "error" and "409" not in m.text and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(server.url + f"/s/{ETOWN}/b1")
            assert page.url.startswith(server.url + "/login") and APPLICANT not in page.content()
            page.fill("#username", "boss")
            page.fill("#password", "lead-pass-0001")
            page.press("#password", "Enter")
            page.wait_for_url(f"**/s/{ETOWN}/b1")
            assert page.inner_text("#applicant") == APPLICANT
            first, second = page.locator(".finding").nth(0), page.locator(".finding").nth(1)
            page.locator(".finding.selected").wait_for()  # the page's script is running
            page.keyboard.press("c")  # confirm the selected (first) finding
            first.locator(".decision", has_text=re.compile("^确认$")).wait_for()  # not 待确认
            page.locator(".finding.selected").wait_for()  # the reloaded page's script too
            page.keyboard.press("j")
            page.keyboard.press("x")  # to the reason box of the second finding
            page.keyboard.type("人工核对原件无误")
            page.keyboard.press("Enter")
            second.locator(".why", has_text="人工核对原件无误").wait_for()
            assert second.locator(".decision").inner_text() == "排除"
            # evidence: the batch's report.html beside the findings, at this finding's page image and box
            uscc = page.locator(".finding", has_text="信用代码无效")
            uscc.locator(".evidence").click()
            anchor = uscc.get_attribute("data-anchor")
            evidence = page.frame_locator("#evidence").locator(f"#finding-{anchor}")
            assert "信用代码" in evidence.inner_text()
            evidence.locator(".fimg svg").first.wait_for()
            screenshot(page, artefact_dir("review") / "evidence-1366x768.png")
            page.select_option("#outcome", "approved")
            page.click("#decision button[type=submit]")
            page.locator("#msg", has_text="须填写理由").wait_for()  # open errors: approving asks why
            page.select_option("#outcome", "rejected")
            page.fill("#note", "材料不全，驳回")
            page.click("#decision button[type=submit]")
            page.locator("#status", has_text="已驳回").wait_for()
            screenshot(page, artefact_dir("review") / "submission-1366x768.png")
            page.goto(server.url + "/?status=rejected")
            assert page.locator("#queue tbody tr").count() == 1 and APPLICANT in page.inner_text("#queue")
            assert "已驳回" in page.inner_text("#queue") and ETOWN not in page.inner_text("#queue")  # in Chinese
            page.goto(server.url + "/?status=pending")
            assert page.locator("#queue tbody tr").count() == 0
            context.close()
    finally:
        server.stop()
    assert problems == []


def test_serve_binds_to_this_machine_unless_told_and_refuses_a_missing_outbox(tmp_path):
    from docintake.app.cli import build_parser, main

    args = build_parser().parse_args(["serve", str(tmp_path)])
    assert (args.host, args.port, args.history) == ("127.0.0.1", 8700, None)
    assert main(["serve", str(tmp_path / "nowhere"), "--history", str(tmp_path / "h.sqlite")]) == 2
