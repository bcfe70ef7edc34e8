"""server/domain and server/sync are plain Python: they never import Flask, not even through a model."""
import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PURE_PACKAGES = ["server/domain", "server/sync", "server/form_registry", "server/media"]


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_pure_packages_have_no_flask_import_statements():
    offenders = []
    for package in PURE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in _imports(path)
                          if name.split(".")[0].startswith("flask")]
    assert offenders == []


def test_importing_every_pure_module_does_not_load_flask():
    modules = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts)
                     for package in PURE_PACKAGES for p in (ROOT / package).rglob("*.py"))
    modules = [m.removesuffix(".__init__") for m in modules]
    script = ("import importlib, sys\n"
              f"for name in {modules!r}:\n    importlib.import_module(name)\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0].startswith('flask')))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
    assert len(modules) > 10
