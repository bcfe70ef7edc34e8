"""The tablet's business time (pwa/static/js/clock.js) agrees with the server's: China's date and year on a device
set to another timezone, and number blocks per year (tests/js/clock.test.mjs under node)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("device_tz", ["Asia/Shanghai", "America/Los_Angeles", "UTC"])
def test_the_tablet_reads_china_standard_time_in_any_timezone(device_tz):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (≥ 20) is needed to check the PWA's clock")
    result = subprocess.run([node, "--test", "tests/js/clock.test.mjs"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TZ": device_tz}, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 3" in result.stdout and "# fail 0" in result.stdout
