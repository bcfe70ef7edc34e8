"""The tablet's sync engine, its pure rules under node: the outbox (client_seq, coalescing, base per field), the
replica (pulled records merged under unsynced edits, tombstones, push results) and the retry backoff
(tests/js/{outbox,replica,sync_backoff}.test.mjs). Run in two timezones: the capture time a tablet sends carries
its own offset, a half-hour one included."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ["tests/js/outbox.test.mjs", "tests/js/replica.test.mjs", "tests/js/sync_backoff.test.mjs"]


@pytest.mark.parametrize("device_tz", ["Asia/Shanghai", "America/St_Johns"])
def test_the_sync_engines_rules_hold_on_the_tablet(device_tz):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (≥ 20) is needed to check the PWA's sync engine")
    result = subprocess.run([node, "--test", *FILES], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TZ": device_tz}, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# cancelled 0" in result.stdout
    assert "# pass 0" not in result.stdout
