"""Background jobs — exports, housekeeping — on PostgreSQL through a queue that outlives the worker running them; on
SQLite in a thread of the process that asked (as before: `make run` needs no worker).

The queue is procrastinate (3.10, PostgreSQL-native, psycopg 3), chosen over huey with its SQL storage because:
- it is tables and functions in the database the installation already runs and backs up: no broker; and a job is
  deferred in the transaction of the row that asked for it, so an export's row and its queue entry commit together;
- its workers register and send heartbeats, and one query finds the jobs of a worker that stopped sending them: a
  worker killed in the middle of an export (a deploy, the OOM killer, a lost host) leaves no job "running" forever —
  `recover_stalled` below retries it on a live worker, counting attempts in the queue, and after the last attempt the
  job is failed and its row says why;
- LISTEN/NOTIFY starts a job at once, and a periodic job is deferred once per tick however many hosts run a worker
  (one row per tick), so housekeeping runs once without cron;
- huey's SQL storage (peewee) polls, has no notion of a consumer that died holding a task (the task is lost unless
  the task re-enqueues itself), and would bring a second ORM beside SQLAlchemy.

A job is a plain function `run(app, **kwargs)` registered by name with `@job(...)`; its arguments are JSON, the
same in both modes. The web side only defers; `flask jobs worker` (server/cli.py) runs them.
"""
import asyncio
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db

log = logging.getLogger("server.jobs")
RECOVER = "jobs.recover_stalled"


@dataclass(frozen=True)
class Kind:
    """A kind of job: its function, what to do when it is queued again or given up, and its schedule."""

    name: str
    run: Callable  # run(app, **kwargs)
    retrying: Callable | None = None  # retrying(app, **kwargs): its worker died, it waits for another one
    gave_up: Callable | None = None  # gave_up(app, reason, **kwargs): it will not be tried again
    schedule: str | None = None  # cron in UTC (a 6th field: seconds): deferred by the workers at each tick


KINDS: dict[str, Kind] = {}


def job(name, *, retrying=None, gave_up=None, schedule=None):
    """Register the decorated `run(app, **kwargs)` as the job `name`."""
    def register(run):
        KINDS[name] = Kind(name, run, retrying, gave_up, schedule)
        return run
    return register


def uses_queue(app):
    """True when jobs go through the PostgreSQL queue (JOB_QUEUE, decided by the database by default)."""
    return app.config["JOB_QUEUE"] == "postgres"


def enqueue(app, session, name, **kwargs):
    """Queue the job `name` within the session's transaction; returns what to call once the session committed.

    With the queue the job commits with the transaction (the returned call does nothing); in-process, the returned
    call starts the thread, which must not look for rows the transaction has not committed yet.
    """
    if name not in KINDS:
        raise LookupError(f"unknown job {name!r}")
    if uses_queue(app):
        connection = session.connection().connection.driver_connection  # the session's psycopg connection
        deferring_queue(app).configure_task(name=name, connection=connection).defer(**kwargs)
        return lambda: None
    thread = threading.Thread(target=_run, args=(app, KINDS[name], kwargs), name=f"job-{name}", daemon=True)
    return thread.start


def _run(app, kind, kwargs, *, raise_errors=False):
    """Run one attempt in an app context; an error makes the job fail at once with its reason (a raised error is the
    code's answer: trying again would give the same), and is raised again for the queue to record."""
    with app.app_context():
        try:
            said = kind.run(app, **kwargs)
            if said:
                log.info("job %s: %s", kind.name, said)
        except Exception as error:
            log.exception("job %s failed", kind.name)
            if kind.gave_up:
                kind.gave_up(app, f"服务器处理时出错（{error.__class__.__name__}）", **kwargs)
            if raise_errors:
                raise
        finally:
            db.session.remove()


def _conninfo(app):
    """The libpq URL of the app's database (SQLAlchemy's names its driver)."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _make_queue(app, *, with_tasks):
    import procrastinate

    pool_size = app.config["JOB_CONCURRENCY"] + 3  # the jobs, LISTEN, heartbeats, fetching
    # No server-side prepared statements: a restored database (pg_restore --clean recreates the queue's tables) or a
    # pooler in front would leave them invalid ("cached plan must not change result type").
    queue = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=_conninfo(app), min_size=1, max_size=pool_size, kwargs={"prepare_threshold": None}))
    if not with_tasks:
        return queue
    for kind in KINDS.values():
        task = queue.task(name=kind.name, pass_context=True)(_task_of(app, kind))
        if kind.schedule:
            queue.periodic(cron=kind.schedule, periodic_id=kind.name)(task)
    recover = queue.task(name=RECOVER, pass_context=True, lock=RECOVER, queueing_lock=RECOVER)(_recover_task(app))
    # Looked for as often as workers send heartbeats: a dead worker's job waits at most stalled + heartbeat seconds.
    queue.periodic(cron=f"* * * * * */{max(1, app.config['JOB_HEARTBEAT_SECONDS'])}", periodic_id=RECOVER)(recover)
    return queue


def deferring_queue(app):
    """The process's handle to defer jobs (never opened: deferring borrows the caller's connection)."""
    if "job_queue" not in app.extensions:
        app.extensions["job_queue"] = _make_queue(app, with_tasks=False)
    return app.extensions["job_queue"]


def _task_of(app, kind):
    def run(context, **kwargs):
        kwargs.pop("timestamp", None)  # the tick of a periodic job; the functions need not know it
        _run(app, kind, kwargs, raise_errors=True)
    return run


def _recover_task(app):
    async def recover_stalled(context, timestamp):
        """Retry the jobs of workers that stopped sending heartbeats; fail them after the last attempt."""
        manager = context.app.job_manager
        for stalled in await manager.get_stalled_jobs(seconds_since_heartbeat=app.config["JOB_STALLED_SECONDS"]):
            if stalled.id != context.job.id:
                await _settle(app, manager, stalled)
    return recover_stalled


async def _settle(app, manager, stalled):
    from procrastinate import exceptions
    from procrastinate.jobs import Status

    kind = KINDS.get(stalled.task_name)
    kwargs = {k: v for k, v in stalled.task_kwargs.items() if k != "timestamp"}
    tried, attempts = stalled.attempts + 1, app.config["JOB_ATTEMPTS"]
    try:
        if tried < attempts:
            log.warning("job %s (%s): its worker stopped; queued again (attempt %d of %d)", stalled.id,
                        stalled.task_name, tried + 1, attempts)
            if kind and kind.retrying:  # before the retry: once queued, another worker may start it at once
                await asyncio.to_thread(_in_context, app, kind.retrying, **kwargs)
            await manager.retry_job(stalled)
            return
        await manager.finish_job_by_id_async(stalled.id, status=Status.FAILED, delete_job=False)
    except exceptions.ConnectorException:  # another worker settled it meanwhile
        return
    log.error("job %s (%s): its worker stopped at the last of %d attempts; failed", stalled.id, stalled.task_name,
              attempts)
    if kind and kind.gave_up:
        await asyncio.to_thread(_in_context, app, kind.gave_up, f"处理它的进程意外中断，已尝试 {attempts} 次", **kwargs)


def _in_context(app, hook, *args, **kwargs):
    with app.app_context():
        try:
            hook(app, *args, **kwargs)
        finally:
            db.session.remove()


class JobWorker:
    """Runs the queue's jobs for this app until stopped (SIGTERM or SIGINT: running jobs finish first), the periodic
    ones (housekeeping) at their ticks, and the recovery of jobs whose worker died."""

    def __init__(self, app, *, install_signal_handlers=True):
        from procrastinate.worker import Worker

        config = app.config
        self.pause = config["JOB_POLL_SECONDS"]
        self.queue = _make_queue(app, with_tasks=True)
        self.worker = Worker(
            app=self.queue, name=f"{socket.gethostname()}-{os.getpid()}", concurrency=config["JOB_CONCURRENCY"],
            fetch_job_polling_interval=config["JOB_POLL_SECONDS"],
            abort_job_polling_interval=config["JOB_POLL_SECONDS"],
            update_heartbeat_interval=config["JOB_HEARTBEAT_SECONDS"],
            stalled_worker_timeout=config["JOB_STALLED_SECONDS"],
            delete_jobs="successful",  # periodic jobs would pile up; failed ones stay to be looked at
            install_signal_handlers=install_signal_handlers)

    def run(self):
        """Serve until stopped; a lost database connection (a restart, a failover) starts the worker again after a
        pause instead of ending the process."""
        async def serve():
            while True:
                try:
                    async with self.queue.open_async():
                        await self.worker.run()
                    return
                except Exception:  # noqa: BLE001 — whatever broke the loop, the jobs still need a worker
                    log.exception("job worker stopped by an error; starting again in %s s", self.pause)
                    await asyncio.sleep(self.pause)
        asyncio.run(serve())
