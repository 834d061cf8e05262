"""Headless Chromium for the report's browser tests, driven by playwright's sync API.

Playwright launches Debian's chromium package (scripts/bootstrap.sh installs it) through
`executable_path`: its own browser download is neither needed nor reachable here, so never run
`playwright install`. Pages open offline, and `Seen` records what a page did that a reviewer would
notice: console errors (Chromium reports CSP violations there), uncaught exceptions, failed loads,
dialogs, and every URL requested.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support import ROOT

ARTEFACTS = ROOT / "test-artifacts"
SETTLE_JS = "new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


needs_chromium = pytest.mark.skipif(chromium_path() is None,
                                    reason="chromium is not installed (scripts/bootstrap.sh installs it)")


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system's chromium under playwright (headless; playwright adds --no-sandbox itself)."""
    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Seen:
    problems: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)  # data: URLs are not requests
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def offline_page(browser: Browser, width: int = 1280, height: int = 900) -> Iterator[tuple[Page, Seen]]:
    """A fresh page with the network switched off, and what it has done so far."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": height},
                                  device_scale_factor=1)
    page, seen = context.new_page(), Seen()
    page.on("console", lambda m: m.type in ("error", "assert")
            and seen.problems.append(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.problems.append(f"exception: {e}"))
    page.on("requestfailed", lambda r: seen.problems.append(f"failed: {r.url} {r.failure}"))
    page.on("request", lambda r: seen.requested.append(r.url))
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    try:
        yield page, seen
    finally:
        context.close()


def open_file(page: Page, path: Path) -> None:
    """Load a local file and let its script draw (one animation frame and a tick)."""
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    page.evaluate(SETTLE_JS)


def screenshot(page: Page, out: Path, full_page: bool = False, max_height: int = 6000) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not full_page:
        page.screenshot(path=out)
        return out
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    page.screenshot(path=out, full_page=True, clip={"x": 0, "y": 0, "width": width,
                                                    "height": min(height, max_height)})
    return out


def artefact_dir(name: str) -> Path:
    path = Path(os.environ.get("DOCINTAKE_TEST_ARTIFACTS", ARTEFACTS)) / name
    path.mkdir(parents=True, exist_ok=True)
    return path
