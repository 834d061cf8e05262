"""Personal data planted in bundles (names, file names, pages), and a search for it in what a run
wrote: folder and file names and every byte of every file."""

import shutil
import zipfile
from pathlib import Path

from docintake.core.idnumbers import id_check_char
from tests.support import ETOWN
from tests.support.builders import COMMITMENT, LICENCE, make_pdf
from tests.support.servicekit import invoice

BODY = "44030519900101123"
ID = BODY + id_check_char(BODY)  # a fictional resident ID with a valid check character
CARD = "6222021234567890123"
PHONE = "13812345678"
SECRETS = [ID, CARD, PHONE, ID[6:14]]  # the masked middle (birth date) must not survive either
# Names as data: markup, a newline, a right-to-left mark, 240 bytes ("/" cannot be in a folder name)
HOSTILE = ["材料[b][red]x", "[b]", "行一\n行二", "\u202egpj.exe", "长" * 80]
ZIPPED = {"[b]", "长" * 80}  # these two as zips, the rest as folders


def personal_inbox(inbox: Path) -> list[Path]:
    """Six bundles of INBOX/<ETOWN>/: one named after a person's ID number, whose file name and an
    identity page carry the ID, a bank card and a phone number, and five with hostile names."""
    root = inbox / ETOWN
    pages = [LICENCE, invoice("25442000000000000001"), COMMITMENT,
             ("身份证明", [f"法定代表人 张三 身份证号 {ID}", f"银行卡号 {CARD}", f"联系电话 {PHONE}"])]
    make_pdf(root / f"张三{ID}" / f"张三{ID}_{PHONE}.pdf", pages)
    bundles = [root / f"张三{ID}"]
    for name in HOSTILE:
        folder = root / name
        make_pdf(folder / "材料.pdf", pages[:3])
        if name in ZIPPED:
            with zipfile.ZipFile(folder.with_name(name + ".zip"), "w") as zf:
                zf.write(folder / "材料.pdf", "材料.pdf")
            shutil.rmtree(folder)
            folder = folder.with_name(name + ".zip")
        bundles.append(folder)
    return bundles


def leaks(root: Path) -> list[str]:
    """Every name under `root` and every file holding one of SECRETS."""
    found = []
    for path in [root, *root.rglob("*")]:
        if any(s in path.name for s in SECRETS):
            found.append(f"name {path}")
        if path.is_file():
            data = path.read_bytes()
            found += [f"{s} in {path}" for s in SECRETS if s.encode() in data]
    return found
