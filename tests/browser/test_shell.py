"""The app shell as shipped: what the service worker precaches, what start-up preloads, how the server serves
it, and the PWA's module rules (STYLE 11, 14) — checked on the files, without a browser."""
import re
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
PWA = ROOT / "pwa"
JS = PWA / "static" / "js"
OWN_MODULES = sorted(p for p in JS.rglob("*.js") if "forms" not in p.relative_to(JS).parts[:1])
IMPORT = re.compile(r'^\s*(?:import|export)\s[^;]*?\bfrom\s+"([^"]+)"|^import\s+"([^"]+)"', re.M)


def code_of(text):
    """The source without comments (a comment may well say "window")."""
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def precached():
    return re.findall(r'^\s+"(/[^"]*)",?$', (PWA / "sw.js").read_text(encoding="utf-8"), flags=re.M)


def url_of(path):
    return "/static/" + path.relative_to(PWA / "static").as_posix()


def static_imports(url):
    text = (PWA / "static" / url[len("/static/"):]).read_text(encoding="utf-8")
    folder = PurePosixPath(url).parent
    found = []
    for match in IMPORT.finditer(text):
        spec = match.group(1) or match.group(2)
        parts = []
        for part in (folder / spec).parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        found.append("/" + "/".join(parts[1:]))
    return found


def test_the_service_worker_precaches_exactly_the_shell():
    shell = set(precached())
    files = {url_of(p) for p in (PWA / "static").rglob("*") if p.is_file()
             and p.suffix in (".js", ".mjs", ".css", ".png", ".json")
             and "swagger-ui" not in p.parts and p.name != ".stamp"}
    assert files - shell == set(), "shipped but not available offline"
    assert shell - files - {"/", "/manifest.webmanifest"} == set(), "precached but missing"
    assert not any(url.startswith("/api/") for url in shell)


def test_start_up_modules_are_preloaded_in_one_wave():
    seen, stack = set(), ["/static/js/app.js"]
    while stack:
        url = stack.pop()
        if url not in seen:
            seen.add(url)
            stack += static_imports(url)
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', (PWA / "index.html").read_text(encoding="utf-8")))
    # JSON modules (the documents' wording) are not module-preloadable; they must be available offline.
    data = {url for url in seen if url.endswith(".json")}
    assert data <= set(precached())
    assert preloaded == seen - data


def test_module_rules():
    for path in OWN_MODULES:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(JS).as_posix()
        assert text.startswith("// @ts-check"), name
        assert ("vendor/dexie" in text) == (name == "db.js"), f"{name}: only db.js opens IndexedDB"
        in_db_folder = name == "db.js" or name.startswith("stores/")
        assert (re.search(r'from "[./]*stores/connection\.js"|from "\./connection\.js"', text) is not None) == (
            in_db_folder and name != "stores/connection.js"), f"{name}: only db.js and stores/ reach the database"
        assert (re.search(r"\bfetch\(", text) is not None) == (name == "api.js"), f"{name}: only api.js calls fetch"
        if name.startswith("views/"):
            assert not re.search(r'from "\.\./(db|api|sync|records|session)\.js"', text), f"{name}: views only draw"
        if (name in ("outbox.js", "replica.js", "sync.js", "retry.js", "records.js", "db.js", "uploader.js", "clock.js")
                or name.startswith(("controllers/", "stores/"))):
            assert not re.search(r"\bdocument\.|\bwindow\.", code_of(text)), f"{name}: no DOM here"


def string_keys(name, language):
    """Keys of a language's table in one of the string modules."""
    text = (JS / name).read_text(encoding="utf-8")
    start = re.search(rf"const {language} = {{", text).start()
    block = text[start:text.index("};", start)]
    return set(re.findall(r"(?:^|[\s,{])([a-z][a-z0-9_]*): \"", block))


def test_every_string_exists_in_both_languages():
    zh, en = set(), set()
    for name in ["i18n.js"] + sorted(path.name for path in JS.glob("i18n_*.js")):
        assert string_keys(name, "ZH") == string_keys(name, "EN"), name
        zh |= string_keys(name, "ZH")
        en |= string_keys(name, "EN")
    used = set()
    for path in OWN_MODULES:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("([a-z0-9_]+)"', text))
        for pair in re.findall(r'\bt\([^()"]*\? "([a-z0-9_]+)" : "([a-z0-9_]+)"', text):  # t(cond ? "a" : "b")
            used |= set(pair)
    assert used - zh == set()


def test_the_server_serves_the_shell(client):
    index = client.get("/")
    assert index.status_code == 200 and b'<script type="module" src="/static/js/app.js">' in index.data
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Cache-Control"] == "no-cache"
    assert worker.mimetype == "text/javascript"
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert manifest.get_json()["icons"]
    script = client.get("/static/js/app.js")
    assert script.status_code == 200
    for response in (index, worker, manifest, script):
        response.close()
