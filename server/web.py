"""The app shell: index at `/`, the service worker and manifest at the root scope, pwa/static at /static."""
from flask import Blueprint, current_app, send_from_directory

from .config import PROJECT_ROOT

PWA_DIR = PROJECT_ROOT / "pwa"
STATIC_DIR = PWA_DIR / "static"

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    """The shell page; the service worker answers it from its cache once installed."""
    return send_from_directory(PWA_DIR, "index.html", max_age=0)


@bp.get("/sw.js")
def service_worker():
    """No-cache: a tablet must see a new version the next time it checks, not after a day of HTTP caching."""
    response = send_from_directory(PWA_DIR, "sw.js", max_age=0, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """What makes the app installable (name, icons, landscape tablet display)."""
    return send_from_directory(PWA_DIR, "manifest.webmanifest", max_age=0, mimetype="application/manifest+json")


@bp.get("/static/<path:filename>")
def static_file(filename):
    """Shell assets; versioned by the service worker's cache name."""
    return send_from_directory(STATIC_DIR, filename, max_age=current_app.config["STATIC_MAX_AGE"])
