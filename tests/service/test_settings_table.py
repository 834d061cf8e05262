"""docs/operations.md's settings table is what the Settings class renders: the doc cannot go stale."""

import os

from docintake.app import settings_table
from docintake.core.settings import Limits, Settings


def test_the_operations_doc_holds_the_generated_settings_table():
    doc = settings_table.DOC.read_text(encoding="utf-8")
    assert settings_table.table_in(doc) is not None, "markers missing in docs/operations.md"
    assert settings_table.table_in(doc) == settings_table.render_table(), (
        "docs/operations.md's settings table is stale: run `python -m docintake.app.settings_table --write`")
    assert settings_table.main(["--check"]) == 0


def test_every_setting_has_a_row_with_its_type_default_and_description():
    table = settings_table.render_table()
    flat = [n for n in Settings.model_fields if n != "limits"] + list(Limits.model_fields)
    for name in flat:
        row = next(line for line in table.splitlines() if line.startswith(f"| `DOCINTAKE_{name.upper()}` |"))
        _variable, kind, default, text = (cell.strip() for cell in row.strip("|").split(" | "))
        assert kind and default and text, row
    assert len(table.splitlines()) == 2 + len(flat)
    fields = {**Settings.model_fields, **Limits.model_fields}
    assert all(f.description for n, f in fields.items() if n != "limits")


def test_the_table_does_not_depend_on_the_machine_or_the_environment(monkeypatch):
    before = settings_table.render_table()
    monkeypatch.setenv("DOCINTAKE_OCR_THREADS", "7")
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert settings_table.render_table() == before
    assert "| `DOCINTAKE_READ_SEALS` | flag (1/true/yes, 0/false/no) | 0 |" in before
    assert "| `DOCINTAKE_MAX_PAGES_PER_FILE` | positive integer | `500` |" in before


def test_write_replaces_only_the_table(tmp_path):
    doc = tmp_path / "ops.md"
    doc.write_text(f"# Ops\n\nbefore\n\n{settings_table.BEGIN}\n| old |\n{settings_table.END}\n\nafter\n",
                   encoding="utf-8")
    assert settings_table.main(["--check", "--doc", str(doc)]) == 1
    assert settings_table.main(["--write", "--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Ops\n\nbefore\n\n") and text.endswith(f"{settings_table.END}\n\nafter\n")
    assert "| old |" not in text and settings_table.main(["--check", "--doc", str(doc)]) == 0
