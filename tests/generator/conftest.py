"""Fixtures of the generator's tests: bundles of the second layout families, generated and read
once per session (tests/support/layout_families.py)."""

import pytest

from tests.support import layout_families


@pytest.fixture(scope="session")
def family_run(tmp_path_factory):
    """family_run(set, render, read=True) -> Run: the set's bundle, read by the real pipeline
    (called inside a test, so the test's default settings are in force)."""
    runs: dict[tuple[str, str], layout_families.Run] = {}

    def get(name: str, render: str, read: bool = True) -> layout_families.Run:
        if (name, render) not in runs:
            root = tmp_path_factory.mktemp(f"family-{name}-{render}")
            runs[name, render] = layout_families.generate(root, name, render)
        run = runs[name, render]
        if read and run.bundle is None:
            layout_families.read(run)
        return run

    return get
