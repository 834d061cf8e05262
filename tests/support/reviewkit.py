"""An OUTBOX for the reviewers' workspace tests: real born-digital bundles checked once (no OCR),
their report.json and report.html written as batch writes them, and accounts in a real SQLite store."""

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from tests.support import ETOWN, ROOT
from tests.support.builders import COMMITMENT, LICENCE, add_page
from tests.support.servicekit import free_port, invoice

APPLICANT = "深圳市星河智能科技有限公司"
PASSWORDS = {"rev": "reviewer-pass-1", "boss": "lead-pass-0001"}


def seal_png(owner: str) -> bytes:
    """A red round company seal with the owner's name on its arc (the sample generator's mask)."""
    from docintake.samples.generator.seals import round_mask

    alpha = np.asarray(round_mask(owner), dtype=np.uint8)
    rgba = np.zeros((*alpha.shape, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3] = 220, 30, 30, alpha
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, "PNG")
    return buf.getvalue()


def make_bundle(folder: Path, number: str, sealed: bool) -> Path:
    """Licence, invoice and commitment letter; the letter carries the company seal only if `sealed`."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    add_page(doc, *LICENCE)
    add_page(doc, *invoice(number))
    page = add_page(doc, *COMMITMENT)
    if sealed:
        page.insert_image(pymupdf.Rect(300, 160, 420, 280), stream=seal_png(APPLICANT))
    doc.save(folder / "材料.pdf")
    return folder


def check_into(outbox: Path, bundle: Path, home: Path, history: str | None = None) -> Path:
    """Check a bundle and write OUTBOX/<programme>/<bundle>/report.json and report.html, as batch does."""
    from docintake.core.files import report_json, write_atomic
    from docintake.core.settings import Settings
    from docintake.pipeline.run import check_bundle
    from docintake.report.html import render_report

    report = check_bundle(bundle, ETOWN, Settings(home=home), history=history)
    target = outbox / ETOWN / bundle.name
    write_atomic(target / "report.html", render_report(report, bundle))
    write_atomic(target / "report.json", report_json(report))
    return target / "report.json"


def add_users(history: str) -> None:
    from docintake.pipeline.history import History
    from docintake.pipeline.review_store import ReviewStore

    store = History(history)
    try:
        ReviewStore(store).add_user("rev", "reviewer", PASSWORDS["rev"])
        ReviewStore(store).add_user("boss", "lead", PASSWORDS["boss"])
    finally:
        store.close()


class Server:
    """`python -m docintake serve` as a real process on a free port."""

    def __init__(self, outbox: Path, history: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop(); a file never blocks the server
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "docintake", "serve", str(outbox), "--port", str(self.port),
             "--history", history], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/login", timeout=1)
                return
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(self.log.read().decode()) from None
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
