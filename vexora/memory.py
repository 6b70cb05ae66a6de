"""How the web processes give memory back.

Pictures are decoded into buffers of up to 16 MB (Pillow allocates pixels in blocks of that size).
glibc's malloc serves such a block with its own memory mapping and unmaps it when freed, but each
time it frees one it raises that threshold (up to 32 MB), so the next blocks come from the heaps of
the threads instead, and those keep what is freed: with four threads decoding pictures, a worker kept
some 400 MB after the answers were sent. A fixed threshold keeps every big block in its own mapping.
"""

from __future__ import annotations

import ctypes
import os

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
LARGE_BLOCK_BYTES = 4 * 1024 * 1024


def malloc_release_large_blocks(*, threshold: int = LARGE_BLOCK_BYTES) -> bool:
    """Makes glibc serve every allocation of ``threshold`` bytes or more from its own memory
    mapping, given back to the system as soon as it is freed. Returns False where it cannot (not
    glibc) or need not: ``MALLOC_MMAP_THRESHOLD_`` set in the environment is the operator's choice."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, int(threshold)))
