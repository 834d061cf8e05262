"""The layers import downwards only: app → flows → pipeline/report → validators → extractors → core.

An upward import (core reaching into extractors, extractors into validators...) is what made the
import cycles this layout removed; this keeps them from coming back, in functions too.
"""

import ast
from pathlib import Path

from tests.support import ROOT

# Folder of each layer, and its rank: a module may import its own rank or a lower one.
LAYERS = {
    "docintake.core": (ROOT / "docintake" / "core", 0),
    "docintake.extractors": (ROOT / "extractors", 1),
    "docintake.validators": (ROOT / "validators", 2),
    "docintake.pipeline": (ROOT / "docintake" / "pipeline", 3),
    "docintake.report": (ROOT / "docintake" / "report", 3),
    "docintake.flows": (ROOT / "flows", 4),
    "docintake.app": (ROOT / "docintake" / "app", 5),
}


def _rank(module: str) -> int | None:
    for name, (_, rank) in LAYERS.items():
        if module == name or module.startswith(name + "."):
            return rank
    return None


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return found


def test_every_import_points_down_the_layers():
    upward = []
    for name, (folder, rank) in LAYERS.items():
        for path in folder.rglob("*.py"):
            for target in _imports(path):
                other = _rank(target)
                if other is not None and other > rank:
                    upward.append(f"{path.relative_to(ROOT)} ({name}) imports {target}")
    assert upward == []


def test_the_product_reaches_the_sample_generator_only_from_its_commands():
    users = sorted(str(path.relative_to(ROOT)) for folder, _ in LAYERS.values() for path in folder.rglob("*.py")
                   if any(t.startswith(("docintake.samples", "samples")) for t in _imports(path)))
    assert users and all(u.startswith("docintake/app/") for u in users), users
