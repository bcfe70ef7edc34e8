"""A generated history for tests that need the proportions of real work: the scale benchmark's own generator
(bench/_scale_data.py) at a small size, written into the test database."""
import importlib.util
from pathlib import Path

from server.extensions import db

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Scale@2026!"


def scale_data():
    """bench/_scale_data.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_scale_data", ROOT / "bench" / "_scale_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_history(app, **scale):
    """Build and commit a history of Scale(**scale); returns Built (districts, users; every user's password is
    PASSWORD)."""
    module = scale_data()
    built = module.generate(db.session, app.extensions["forms"], module.Scale(**scale),
                            app.extensions["password_hasher"].hash(PASSWORD))
    db.session.commit()
    return built
