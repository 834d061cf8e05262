"""Personal data never leaves the pipeline whole: `check` on a bundle whose folder name, file name
and pages carry an ID number and a phone number, then every file written under DOCINTAKE_HOME and
the reports (and stdout/stderr) is grepped for them. A batch under Prefect, killed and rerun, is
searched the same way in tests/service/test_service_prefect.py."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ETOWN
from tests.support.builders import LICENCE, make_pdf
from tests.support.privacy import ID, PHONE, SECRETS, leaks
from tests.support.servicekit import invoice, prefect_env

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def test_check_keeps_no_id_number_in_its_history_nor_on_the_terminal(tmp_path):
    bundle = tmp_path / f"张三{ID}[red]x"
    make_pdf(bundle / f"身份证{PHONE}.pdf", [LICENCE, invoice("25442000000000000002"),
                                             ("身份证明", [f"身份证号 {ID}", f"联系电话 {PHONE}"])])
    env = prefect_env(tmp_path)
    run = subprocess.run([str(BIN / "docintake"), "check", str(bundle), "--programme", ETOWN,
                          "--json", str(tmp_path / "out" / f"{ID}.json"), "--html", str(tmp_path / "out" / "r.html")],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "[red]x" in run.stderr and not [s for s in SECRETS if s in run.stdout + run.stderr]
    assert not leaks(tmp_path / "home")
    assert not [s for s in SECRETS for p in (tmp_path / "out").iterdir() if s.encode() in p.read_bytes()]
