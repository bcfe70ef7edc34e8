"""HTTP hardening: security headers, a Content-Security-Policy without inline scripts, CORS closed by default,
and one JSON log line per request carrying the request id that error envelopes also return."""
import json
import logging
import time

from flask import g, request

# The PWA loads only its own files; photos are shown from blob: URLs and data: thumbnails.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
       "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
# Swagger UI's page (from the library's template) bootstraps itself with a small inline script.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Verification links carry a token: never send the URL onwards.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record):
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        for key in ("request_id", "method", "path", "status", "duration_ms", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _allowed_origins(app):
    return {origin.strip() for origin in app.config["CORS_ORIGINS"].split(",") if origin.strip()}


def install_security(app):
    """Headers on every response, CORS for configured origins only, request logging."""
    origins = _allowed_origins(app)
    access = logging.getLogger("server.requests")

    @app.after_request
    def _harden(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy",
                                        DOCS_CSP if request.path == "/api/docs" else CSP)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        origin = request.headers.get("Origin")
        if origin and origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Vary"] = "Origin"
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Upload-Offset, " \
                                                               "Upload-Checksum, X-Request-ID"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, PUT, DELETE, HEAD"
        access.info("%s %s %s", request.method, request.path, response.status_code,
                    extra={"request_id": getattr(g, "request_id", None), "method": request.method,
                           "path": request.path, "status": response.status_code,
                           "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1)})
        return response


def configure_logging(app):
    """JSON lines on stderr in production (APP_ENV=production or LOG_FORMAT=json); readable text otherwise."""
    handler = logging.StreamHandler()
    if app.config["LOG_FORMAT"] == "json" or app.config["APP_ENV"] == "production":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("server")
    if not any(getattr(h, "_server_handler", False) for h in logger.handlers):
        handler._server_handler = True
        logger.addHandler(handler)
    logger.setLevel(app.config["LOG_LEVEL"])
    request_level = app.config["REQUEST_LOG_LEVEL"] or ("INFO" if app.config["APP_ENV"] == "production" else "WARNING")
    logging.getLogger("server.requests").setLevel(request_level)
