"""Application factory: config, extensions, API, CLI."""
import time
import uuid
from pathlib import Path

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .clock import clock_from_config
from .config import PROJECT_ROOT, load_config
from .extensions import db, jwt, limiter, migrate
from .jsonio import FastJSONProvider, engine_options
from .models.transactions import begin_write


class App(Flask):
    """Flask with responses encoded by orjson (Chinese unescaped, keys in the order the code builds them)."""

    json_provider_class = FastJSONProvider


class StoredInteger(IntegerConverter):
    """Integer path segments within what an integer column holds: larger ids simply do not exist (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(overrides=None):
    """Build the Flask app: config (defaults → environment → overrides), extensions, API, CLI."""
    config = load_config(overrides)
    app = App(__name__, instance_path=config["INSTANCE_PATH"], static_folder=None)
    app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = StoredInteger
    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"],
                                x_host=app.config["PROXY_HOPS"])
    _init_extensions(app)
    from .api import init_api
    from .verify import bp as verify_bp
    from .web import bp as web_bp
    init_api(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(verify_bp)
    from .cli import register_cli
    register_cli(app)
    _init_request_ids(app)
    from .api.input_guard import install_input_guard
    install_input_guard(app)
    from .security import configure_logging, install_security
    install_security(app)
    configure_logging(app)
    return app


def _init_extensions(app):
    from .domain.accounts import make_hasher
    from .form_registry import load_registry
    from .sync.entities import EntityRegistry
    from .models.transactions import install_sqlite_behaviour

    db.init_app(app)
    with app.app_context():
        install_sqlite_behaviour(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    jwt.init_app(app)
    limiter.init_app(app)
    app.extensions["clock"] = clock_from_config(app.config)
    app.extensions["password_hasher"] = make_hasher(app.config["PASSWORD_HASH_PROFILE"])
    app.extensions["forms"] = load_registry(app.config["FORMS_DIR"])
    app.extensions["entities"] = EntityRegistry(app.extensions["forms"])


def _init_request_ids(app):
    """Every request gets an id: logged, returned in X-Request-ID and in error envelopes."""
    @app.before_request
    def _assign():
        g.started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex

    @app.before_request
    def _writers_wait_their_turn():
        # SQLite: a request that reads before it writes must hold the write lock from the start; upgrading a
        # read transaction fails at once ("database is locked") when another writer committed meanwhile.
        if request.method not in ("GET", "HEAD", "OPTIONS") and db.engine.dialect.name == "sqlite":
            begin_write(db.session)

    @app.after_request
    def _stamp(response):
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        if hasattr(g, "started"):
            # Server time as browsers' dev tools and the benchmarks read it.
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - g.started) * 1000:.1f}"
        return response

