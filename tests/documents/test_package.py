"""The renderer is used outside requests too (CLI, workers): it must not depend on Flask."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_and_rendering_does_not_load_flask():
    script = ("import sys\n"
              "from server.documents import DocumentRenderer\n"
              "from tests.documents import demo\n"
              "DocumentRenderer().render_pdf('supervision_opinion', demo.supervision_opinion())\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0].startswith('flask')))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
