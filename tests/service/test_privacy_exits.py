"""Personal data never leaves the pipeline whole: a batch over bundles whose folder names, file
names and pages carry an ID number, a bank card and a phone number, then every file written under
DOCINTAKE_HOME, PREFECT_HOME and the outbox (and stdout/stderr) is grepped for them."""

import subprocess
import sys
from pathlib import Path

import pytest

from docintake.core.idnumbers import id_check_char
from tests.support import ETOWN
from tests.support.builders import COMMITMENT, LICENCE, make_pdf
from tests.support.servicekit import invoice, prefect_env

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
BODY = "44030519900101123"
ID = BODY + id_check_char(BODY)  # a fictional resident ID with a valid check character
CARD = "6222021234567890123"
PHONE = "13812345678"
SECRETS = [ID, CARD, PHONE, ID[6:14]]  # the masked middle (birth date) must not survive either


def _leaks(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        if any(s in path.name for s in SECRETS):
            found.append(f"name {path}")
        if path.is_file():
            data = path.read_bytes()
            found += [f"{s} in {path}" for s in SECRETS if s.encode() in data]
    return found


def test_a_batch_leaves_no_id_number_in_any_file_it_writes(tmp_path, prefect_db):
    """Also names as data: folders named with markup, a newline, a right-to-left mark, 80 CJK
    characters each get their report, shown escaped."""
    inbox = tmp_path / "inbox" / ETOWN
    person = f"张三{ID}"
    pages = [LICENCE, invoice("25442000000000000001"), COMMITMENT,
             ("身份证明", [f"法定代表人 张三 身份证号 {ID}", f"银行卡号 {CARD}", f"联系电话 {PHONE}"])]
    make_pdf(inbox / person / f"张三{ID}_{PHONE}.pdf", pages)
    hostile = ["材料[b][red]x", "[b]", "行一\n行二", "\u202egpj.exe", "长" * 80]  # markup,
    for name in hostile:  # newline, right-to-left mark, 240 bytes ("/" cannot be in a folder name)
        make_pdf(inbox / name / "材料.pdf", pages[:3])
    env = prefect_env(tmp_path, prefect_db)
    run = subprocess.run([str(BIN / "docintake"), "batch", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"),
                          "--settle", "0"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    reports = sorted(p.parent.name for p in (tmp_path / "out").rglob("report.json"))
    assert len(reports) == 6 and "材料[b][red]x" in reports and "行一\\x0a行二" in reports, reports
    assert "本批处理 6 个材料包（0 个失败" in run.stderr
    assert "\u202e" not in run.stderr + run.stdout
    assert not [s for s in SECRETS if s in run.stdout + run.stderr]
    leaks = [leak for sub in ("home", "prefect", "out") for leak in _leaks(tmp_path / sub)]
    assert not leaks, "\n".join(leaks)


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
    assert not _leaks(tmp_path / "home")
    assert not [s for s in SECRETS for p in (tmp_path / "out").iterdir() if s.encode() in p.read_bytes()]
