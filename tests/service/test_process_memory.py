"""A docintake process keeps the memory it frees for its next page (docintake/core/memory.py):
the big arrays a page needs are reused instead of faulted in from the kernel again."""

import os
import subprocess
import sys

from tests.support import ROOT

# A fresh process; `setup` runs first, then 64 MB arrays (a page's OCR tensors are of that order)
# are made and freed six times; prints the minor page faults of the last five and what setup said.
CHILD = """
import resource
import numpy as np
{setup}
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
np.ones(8 << 20).sum()
before = faults()
for _ in range(5):
    np.ones(8 << 20).sum()
print(faults() - before, result)
"""


def _faults(setup: str, **env: str) -> tuple[int, str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"} | env
    proc = subprocess.run([sys.executable, "-c", CHILD.format(setup=setup)], capture_output=True, text=True,
                          env=environ, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    faults, result = proc.stdout.splitlines()[-1].split()  # (the CLI prints its own lines first)
    return int(faults), result


def test_the_cli_reuses_freed_page_sized_memory_and_leaves_a_users_own_tuning_alone():
    by_default, _ = _faults("result = None")
    cli, result = _faults("from docintake.app.cli import main\nresult = main(['programmes']) == 0")
    tuned, kept = _faults("from docintake.core.memory import keep_freed_memory\nresult = keep_freed_memory()",
                          MALLOC_ARENA_MAX="4")
    assert result == "True"
    # Freed to the kernel, each 64 MB array faults in again (16384 4 KB pages, or 32 huge ones)
    assert by_default >= 5 * 32, by_default
    assert cli < by_default / 4, (cli, by_default)
    # A user who tuned glibc's allocator keeps their own settings
    assert kept == "False" and tuned >= 5 * 32, tuned
