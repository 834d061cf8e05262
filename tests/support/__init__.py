"""Shared builders of test documents, bad files, the browser, the service kit and a throw-away PostgreSQL."""

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout
ETOWN = "etown-model-voucher-2026h1"


def tree_hashes(root: Path) -> dict[str, str]:
    """Every file below `root` (not following links) by its name's bytes and its content's hash:
    equal before and after a run means no original was changed, added or removed."""
    return {os.fsencode(p.relative_to(root)).hex(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}
