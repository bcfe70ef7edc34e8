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


# The package graph, top to bottom: a package imports only from its own layer or the layers below, and the
# packages import one another without cycles. Entry points wire the app; api is HTTP only; sync, documents and
# media are the services the views call; form_registry checks records against their forms with domain rules;
# domain is the rules; models the tables; clock the business time.
LAYERS = [
    {"__init__", "app", "cli", "backups", "verify", "web", "security", "demo"},
    {"api", "export_jobs", "housekeeping_jobs", "jobs", "extensions", "jsonio", "config"},
    {"sync", "documents", "media"},
    {"form_registry"},
    {"domain"},
    {"models"},
    {"clock"},
]
LAYER_OF = {package: depth for depth, packages in enumerate(LAYERS) for package in packages}


def _package_graph(server=ROOT / "server"):
    """{package: {imported package: [where]}} for the packages and top-level modules of server/."""
    graph = {}
    for path in server.rglob("*.py"):
        parts = path.relative_to(server).parts
        source = parts[0].removesuffix(".py")
        here = ["server", *parts[:-1]]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[:len(here) - (node.level - 1)]
                module = [*base, *(node.module.split(".") if node.module else [])]
                targets = [module[1]] if len(module) > 1 else [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("server."):
                targets = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                targets = [a.name.split(".")[1] for a in node.names if a.name.startswith("server.")]
            for target in targets:
                if target != source:
                    graph.setdefault(source, {}).setdefault(target, []).append(
                        f"{path.relative_to(server.parent)}:{node.lineno}")
    return graph


def test_every_package_has_a_layer():
    graph = _package_graph()
    packages = set(graph) | {t for targets in graph.values() for t in targets}
    assert sorted(packages - set(LAYER_OF)) == []


def test_no_package_imports_from_a_layer_above_it():
    upward = [f"{source} → {target} ({where[0]})" for source, targets in _package_graph().items()
              for target, where in targets.items() if LAYER_OF[target] < LAYER_OF[source]]
    assert upward == []


def test_the_package_graph_has_no_cycles():
    graph = {source: set(targets) for source, targets in _package_graph().items()}
    cycles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" → ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"
    for package in sorted(graph):
        if package not in state:
            visit(package, [package])
    assert cycles == []


def test_the_graph_check_reads_relative_and_absolute_imports(tmp_path):
    """The walk above resolves imports the way Python does (so the checks are not vacuous)."""
    server = tmp_path / "server"
    (server / "domain").mkdir(parents=True)
    (server / "domain" / "rules.py").write_text("from ..sync.changes import allocate_changes\nfrom .errors import X\n"
                                                "import server.models.base\nfrom server.clock import CHINA\n")
    (server / "clock.py").write_text("from . import models\n")
    graph = _package_graph(server)
    assert sorted(graph["domain"]) == ["clock", "models", "sync"]
    assert sorted(graph["clock"]) == ["models"]
