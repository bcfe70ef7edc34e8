"""Configuration: defaults → environment → explicit overrides. Nothing is read at import time."""
import json
import os
import secrets
from pathlib import Path

from .clock import parse_instant
from .media.stores import parse_blob_store

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Environment variables the service reads, and the config key each one sets.
ENVIRONMENT = {
    "APP_ENV": "APP_ENV",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "JWT_SECRET_KEY": "JWT_SECRET_KEY",
    "INSTANCE_PATH": "INSTANCE_PATH",
    "BLOB_ROOT": "BLOB_ROOT",
    # Blobs in an S3-compatible bucket shared by several app hosts: s3://bucket[/prefix] (empty: BLOB_ROOT on disk).
    "BLOB_STORE": "BLOB_STORE",
    "S3_ENDPOINT_URL": "S3_ENDPOINT_URL",
    "S3_REGION": "S3_REGION",
    "AWS_ACCESS_KEY_ID": "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY": "AWS_SECRET_ACCESS_KEY",
    "BLOB_PRESIGNED_SECONDS": "BLOB_PRESIGNED_SECONDS",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    # Background jobs (server/jobs.py): "postgres" (the queue, served by `flask jobs worker`) or "in-process".
    "JOB_QUEUE": "JOB_QUEUE",
    "JOB_CONCURRENCY": "JOB_CONCURRENCY",
    "JOB_ATTEMPTS": "JOB_ATTEMPTS",
    "JOB_HEARTBEAT_SECONDS": "JOB_HEARTBEAT_SECONDS",
    "JOB_STALLED_SECONDS": "JOB_STALLED_SECONDS",
    "JOB_POLL_SECONDS": "JOB_POLL_SECONDS",
    "EXPORT_KEEP_DAYS": "EXPORT_KEEP_DAYS",
    "RATELIMIT_KEY_PREFIX": "RATELIMIT_STORAGE_PREFIX",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "CORS_ORIGINS": "CORS_ORIGINS",
    "RATELIMIT_ENABLED": "RATELIMIT_ENABLED",
    "LOG_FORMAT": "LOG_FORMAT",
    "LOG_LEVEL": "LOG_LEVEL",
    "PASSWORD_HASH_PROFILE": "PASSWORD_HASH_PROFILE",
    "PROXY_HOPS": "PROXY_HOPS",
    # Rehearsals and demonstrations only: business time starts at this instant (ISO with offset) and runs on.
    "BUSINESS_TIME_START": "BUSINESS_TIME_START",
    "TOTP_REQUIRED_ROLES": "TOTP_REQUIRED_ROLES",
    "PASSWORD_MAX_AGE_DAYS": "PASSWORD_MAX_AGE_DAYS",
    "LOCK_BASE_MINUTES": "LOCK_BASE_MINUTES",
    "AUDIT_RETENTION_DAYS": "AUDIT_RETENTION_DAYS",
    "OFFICE_IDLE_MINUTES": "OFFICE_IDLE_MINUTES",
    "WORKING_SET_MONTHS": "WORKING_SET_MONTHS",
}
BOOLEANS = ("RATELIMIT_ENABLED",)
INTEGERS = ("PROXY_HOPS", "PASSWORD_MAX_AGE_DAYS", "LOCK_BASE_MINUTES", "AUDIT_RETENTION_DAYS", "OFFICE_IDLE_MINUTES",
            "WORKING_SET_MONTHS", "BLOB_PRESIGNED_SECONDS", "JOB_CONCURRENCY", "JOB_ATTEMPTS", "JOB_HEARTBEAT_SECONDS",
            "JOB_STALLED_SECONDS", "JOB_POLL_SECONDS", "EXPORT_KEEP_DAYS")
JOB_QUEUES = ("postgres", "in-process")

SECRETS = ("SECRET_KEY", "JWT_SECRET_KEY")


class ConfigError(RuntimeError):
    """The service refuses to start with this configuration."""


def defaults(instance_path):
    """Settings that make a development checkout work with nothing set."""
    return {
        "APP_ENV": "development",
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'app.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "JWT_ACCESS_TOKEN_EXPIRES_MINUTES": 30,
        # Field devices stay offline for days; the refresh token must outlive a field week.
        "JWT_REFRESH_TOKEN_EXPIRES_DAYS": 30,
        "PASSWORD_HASH_PROFILE": "standard",
        "LOGIN_RATE_LIMIT": "10 per minute",          # per client address
        "LOGIN_ACCOUNT_RATE_LIMIT": "20 per minute",  # per account, from any address
        "REFRESH_RATE_LIMIT": "30 per minute",
        "LOCKOUT_THRESHOLD": 10,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Several installations may share one Redis: each counts under its own key prefix.
        "RATELIMIT_STORAGE_PREFIX": "zhiye-limits",
        # While a shared limit store (Redis) is unreachable, each process counts on its own instead of refusing
        # every login and sync; the lockout counters in the database keep working either way.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
        "BLOB_ROOT": str(Path(instance_path) / "blobs"),
        "BLOB_STORE": "",
        "S3_ENDPOINT_URL": None,
        "S3_REGION": None,
        "AWS_ACCESS_KEY_ID": None,
        "AWS_SECRET_ACCESS_KEY": None,
        "BLOB_PRESIGNED_SECONDS": 0,  # 0: downloads stream through the app (tablets need not reach the bucket)
        # None: the queue on PostgreSQL, in-process threads on SQLite (server/jobs.py).
        "JOB_QUEUE": None,
        "JOB_CONCURRENCY": 2,          # jobs at once per worker process: housekeeping need not wait behind an export
        "JOB_ATTEMPTS": 3,             # a job whose worker died is tried again until this many attempts, then failed
        "JOB_HEARTBEAT_SECONDS": 10,   # a worker tells the database it is alive this often…
        "JOB_STALLED_SECONDS": 60,     # …and counts as dead after this long without it: its jobs are retried elsewhere
        "JOB_POLL_SECONDS": 5,         # a retried job is looked for at least this often (new ones arrive by NOTIFY)
        "EXPORT_KEEP_DAYS": 7,         # finished exports (jobs and files) are cleared by housekeeping after this
        "FORMS_DIR": str(PROJECT_ROOT / "forms"),
        "REFERENCE_DIR": str(PROJECT_ROOT / "reference"),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "CORS_ORIGINS": "",
        "IMPORT_MAX_ROWS": 20000,
        # A device's first copy (pull protocol 2): open work and the closed records of the last N months.
        "WORKING_SET_MONTHS": 12,
        # Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted (nginx: 1).
        "PROXY_HOPS": 0,
        "STATIC_MAX_AGE": 300,
        "PUSH_RATE_LIMIT": "600 per minute",
        "UPLOAD_RATE_LIMIT": "1200 per minute",
        "UPLOAD_MAX_BYTES": 30 * 1024 * 1024,
        "IMAGE_MAX_PIXELS": 60_000_000,
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "INFO",
        "REQUEST_LOG_LEVEL": None,
        # Roles that must confirm a TOTP code at login (等保 level 3): admins and supervisors in production
        # (None: decided by APP_ENV); a comma list or "" in the environment.
        "TOTP_REQUIRED_ROLES": None,
        "PASSWORD_MAX_AGE_DAYS": 0,   # 0: passwords do not expire; e.g. 90 to have them changed every quarter
        "LOCK_BASE_MINUTES": 5,
        "AUDIT_RETENTION_DAYS": 180,
        "OFFICE_IDLE_MINUTES": 30,    # an office session (supervisors, admins) ends after this long without use  # 网络安全法 Art. 21: network logs kept at least six months       # the first login lock after LOCKOUT_THRESHOLD failures; doubles, at most 1 h  # None: every request logged in production, only problems elsewhere
    }


def _from_environment(environ):
    values = {key: environ[var] for var, key in ENVIRONMENT.items() if environ.get(var)}
    for key in BOOLEANS:
        if key in values:
            values[key] = values[key].strip().lower() in ("1", "true", "yes", "on")
    for key in INTEGERS:
        if key in values:
            try:
                values[key] = int(values[key])
            except ValueError:
                raise ConfigError(f"{key} must be a whole number, not {values[key]!r}") from None
    return values


def _normalise_database_url(url):
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _job_queue(config):
    """How background jobs run: the queue on PostgreSQL unless asked otherwise; SQLite has only in-process jobs."""
    postgres = config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    queue = config.get("JOB_QUEUE") or ("postgres" if postgres else "in-process")
    if queue not in JOB_QUEUES:
        raise ConfigError(f"JOB_QUEUE must be one of {', '.join(JOB_QUEUES)}, not {queue!r}")
    if queue == "postgres" and not postgres:
        raise ConfigError("JOB_QUEUE=postgres needs a PostgreSQL DATABASE_URL; SQLite runs jobs in-process")
    return queue


def _development_secrets(instance_path):
    """Random secrets kept in instance/ so development tokens survive a restart. Never used in production."""
    path = Path(instance_path) / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {key: secrets.token_urlsafe(48) for key in SECRETS}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))
    return values


def load_config(overrides=None, environ=None, instance_path=None):
    """Build the configuration dict; raise ConfigError when production lacks its secrets."""
    environ = os.environ if environ is None else environ
    instance_path = Path(
        (overrides or {}).get("INSTANCE_PATH") or environ.get("INSTANCE_PATH") or instance_path
        or PROJECT_ROOT / "instance")
    config = defaults(instance_path)
    config.update(_from_environment(environ))
    config.update(overrides or {})
    config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("BUSINESS_TIME_START"):
        try:
            parse_instant(config["BUSINESS_TIME_START"])
        except ValueError as error:
            raise ConfigError(f"BUSINESS_TIME_START: {error}") from None
    config["JOB_QUEUE"] = _job_queue(config)
    try:
        parse_blob_store(config.get("BLOB_STORE"))
    except ValueError as error:
        raise ConfigError(str(error)) from None
    if config["RATELIMIT_STORAGE_URI"].split(":", 1)[0].startswith(("redis", "rediss")):
        # The prefix goes to the storage (Flask-Limiter's own key prefix is fixed by the first app it meets).
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"key_prefix": config["RATELIMIT_STORAGE_PREFIX"]})
    roles = config.get("TOTP_REQUIRED_ROLES")
    if roles is None:
        roles = ("admin", "supervisor") if config["APP_ENV"] == "production" else ()
    elif isinstance(roles, str):
        roles = tuple(r.strip() for r in roles.split(",") if r.strip())
    config["TOTP_REQUIRED_ROLES"] = tuple(roles)
    missing = [key for key in SECRETS if not config.get(key)]
    if config["APP_ENV"] == "production":
        if missing:
            raise ConfigError("production needs these secrets from the environment: " + ", ".join(missing))
        if any(len(config[key]) < 32 for key in SECRETS):
            raise ConfigError("production secrets must be at least 32 characters")
        if config.get("BUSINESS_TIME_START"):
            raise ConfigError("production keeps business time from the host's clock: unset BUSINESS_TIME_START")
    elif missing:
        config.update({k: v for k, v in _development_secrets(instance_path).items() if k in missing})
    return config
