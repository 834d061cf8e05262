"""Shared builders of test documents, bad files, the browser, the service kit and a throw-away PostgreSQL."""

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout
ETOWN = "etown-model-voucher-2026h1"
# OCR threads of one test process: the cores shared among pytest-xdist's workers. Two workers each
# running two ONNX Runtime threads on two cores spin against each other: 37% slower than one each.
OCR_THREADS = max(1, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
# Generated bundles several tests read (conftest's `processed` fixture reads each once per session
# and worker); a test using one is parametrized with it (its id holds case_id), so one worker reads it.
# Seeds with fewer pages than most (14, 14 and 15 pages), each still with a contract, an invoice
# and ≥ 10 seals; the mixed one holds scans, photos and born-digital documents (and is read without
# its two scanned audit reports: tests/fields/test_generated.py).
SCAN_BUNDLE = ("shenzhen-model-voucher-2025", 1009, "scan")
PHOTO_BUNDLE = ("longgang-model-app-2025", 1003, "photo")
MIXED_BUNDLE = ("etown-model-voucher-2026h1", 1009, None)

def tree_hashes(root: Path) -> dict[str, str]:
    """Every file below `root` (not following links) by its name's bytes and its content's hash:
    equal before and after a run means no original was changed, added or removed."""
    return {os.fsencode(p.relative_to(root)).hex(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}

SHARED = [SCAN_BUNDLE, PHOTO_BUNDLE, MIXED_BUNDLE]
# Modules whose module fixtures are costly (a bundle checked, a browser, a server): run whole on one
# worker, or each worker that takes one of its tests builds them again.
WHOLE_MODULES = ("tests/reading/test_seals.py", "tests/generator/test_generator.py",
                 "tests/generator/test_layout_families.py", "tests/report/test_html_report.py",
                 "tests/checks/test_wrong_party_seals.py", "tests/checks/test_electronic_bundles.py",
                 "tests/service/test_review_api.py", "tests/service/test_review_serve.py")


def case_id(case: tuple) -> str:
    """A shared bundle's test id (pytest's own id of its parameters): tests/conftest.py sends every
    test whose id holds it to the worker that reads that bundle."""
    return "-".join(map(str, case))


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to under `pytest -n 2 --dist loadgroup`: its shared bundle,
    its module where the module's fixtures are costly, else the test itself."""
    params = nodeid[nodeid.find("["):] if "[" in nodeid else ""
    shared = next((case_id(c) for c in SHARED if case_id(c) in params), None)
    if shared:
        return shared
    module = nodeid.split("::")[0]
    return module if module in WHOLE_MODULES else nodeid
