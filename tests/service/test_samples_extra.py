"""Without the `samples` extra, `samples` and `bench` end with exit 2 and a Chinese hint, no traceback.

The extra's library is hidden in a child interpreter (None in sys.modules makes its import fail the
way a missing package does), so the test needs no uninstall.
"""

import subprocess
import sys

import pytest

HIDE_AND_RUN = """
import sys
sys.modules["qrcode"] = None  # as if docintake[samples] were not installed
from docintake.app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["samples", "--count", "1"], ["bench", "--count", "1"],
                                     ["bench-batch", "--count", "1"]])
def test_without_the_samples_extra_the_command_says_what_to_install(command, tmp_path):
    run = subprocess.run([sys.executable, "-c", HIDE_AND_RUN, *command, "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "样例生成器所需的库未安装" in run.stderr and "docintake[samples]" in run.stderr
    assert not (tmp_path / "out").exists()


def test_with_the_extra_the_generator_imports():
    from docintake.app.extras import samples_available

    assert samples_available()
