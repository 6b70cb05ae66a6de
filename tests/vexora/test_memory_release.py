"""The web process gives the memory of decoded pictures back to the system once they are freed
(vexora.memory, applied by vexora.wsgi): four threads decoding 12 MP pictures must not leave the
process hundreds of MB larger. Run in fresh processes, as a worker starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vexora.memory import malloc_release_large_blocks

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = """
import sys, threading
if sys.argv[1] == "wsgi":
    import vexora.wsgi  # what gunicorn loads
from PIL import Image

def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

kept = []
def decode_pictures(seed):
    for i in range(4):
        picture = Image.new("RGB", (4000, 3000), (seed, i, 0))  # 48 MB of pixels, in 16 MB blocks
        kept.append(picture.reduce(8))  # what the app keeps: a small copy, allocated after the blocks
        del picture

before = rss_mb()
threads = [threading.Thread(target=decode_pictures, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(rss_mb() - before)
"""


def retained_mb(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env["DJANGO_SETTINGS_MODULE"] = "vexora.settings"
    result = subprocess.run([sys.executable, "-c", SCENARIO, mode], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120, check=True)
    return int(result.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_gives_back_the_memory_of_decoded_pictures():
    without = retained_mb("plain")
    if without < 100:
        pytest.skip(f"this C library keeps no freed memory here ({without} MB): nothing to show")

    assert retained_mb("wsgi") < 40, without


def test_the_operators_malloc_setting_wins(monkeypatch):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")

    assert malloc_release_large_blocks() is False
