"""gunicorn settings for production (`make serve`); every value can be overridden from the environment.

gunicorn serves requests only: exports and housekeeping run in the job worker beside it (`flask jobs worker`,
server/jobs.py), which `make serve` starts with it, so a worker restart here never cuts a job short.
"""
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Each worker loads the app itself: the font configuration of the PDF renderer is per process anyway.
preload_app = False
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Make the worker's document renderer (fonts, templates, a probe render) before it takes requests, so the first
    PDF anyone downloads from this worker does not wait ~0.5 s for it."""
    import time

    from server.documents.publishing import renderer
    start = time.perf_counter()
    try:
        renderer()
    except Exception:  # noqa: BLE001 — documents then answer with their error; sync and the rest keep serving
        worker.log.exception("文书渲染器无法启动 (document renderer could not start)")
        return
    worker.log.info("文书渲染器已就绪 (document renderer ready) in %.0f ms", (time.perf_counter() - start) * 1000)
