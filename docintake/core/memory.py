"""Freed memory kept for reuse by the process (glibc's allocator).

A page image, its OCR tensors and a scan's working arrays are tens of megabytes each, made and
freed page after page. glibc hands every block over 128 KB-32 MB back to the kernel when it is
freed (munmap, or trimming the heap), so the next page's arrays fault their memory in again, a
page of zeroed memory at a time: on a virtual machine that kernel work was a quarter of a scanned
bundle's `check` (12-14 s of system time in 44-48 s; 2-3 s, in 36 s, once freed memory is kept). Kept, a
process holds on to its largest working set, which it had needed anyway; the peak resident size
grows by the allocator's fragmentation (docs/bench-results.md has both figures).
"""

from __future__ import annotations

import ctypes
import os

# mallopt parameters, from glibc's malloc.h
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks up to 256 MB come from the heap, and up to 256 MB free at its top stays mapped (1 GiB:
# the same speed, ~100 MB more resident on a 35-page bundle).
_LIMIT = 256 << 20

_done: bool | None = None


def keep_freed_memory() -> bool:
    """Keep freed memory in this process for reuse; True if the allocator took the settings. Left
    alone where the user tuned the allocator (MALLOC_*, GLIBC_TUNABLES) or it is not glibc's."""
    global _done
    if _done is None:
        _done = False
        if not any(name.startswith("MALLOC_") or name == "GLIBC_TUNABLES" for name in os.environ):
            try:
                mallopt = ctypes.CDLL(None).mallopt
            except (OSError, AttributeError):  # not glibc (macOS, Windows): nothing to tune
                return False
            _done = bool(mallopt(_M_MMAP_THRESHOLD, _LIMIT) and mallopt(_M_TRIM_THRESHOLD, _LIMIT))
    return _done
