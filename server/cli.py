"""Command-line tasks: `flask setup-db`, `flask seed-demo`, `flask create-user`, housekeeping, the job worker."""
import os

import click
import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from .extensions import db
from .models import Agency, User


def setup_database():
    """Bring the schema to head and create the rows every database needs (idempotent)."""
    upgrade()
    initialise_rows()


def initialise_rows():
    """The sync counter row and the shipped reference data (idempotent)."""
    from .domain.reference_store import load_reference_files
    from .models.sync_state import ensure_sync_state

    ensure_sync_state(db.session)
    load_reference_files(db.session, current_app.config["REFERENCE_DIR"])
    db.session.commit()


def register_cli(app):
    """Attach the commands to the app's `flask` CLI."""
    register_housekeeping(app)
    register_jobs(app)
    register_backups(app)
    register_audit(app)

    @app.cli.command("setup-db")
    def setup_db_command():
        """Migrate the database to the newest schema and load reference data."""
        setup_database()
        click.echo("数据库已就绪 (database ready)")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
    @click.option("--work/--no-work", default=None,
                  help="Also load the past weeks' work (default: yes, except with APP_ENV=production, where demo "
                       "documents would take numbers of the agencies' series).")
    def seed_demo_command(if_empty, work):
        """Load a demo city: agencies, users for every role, about 30 enterprises, and the past weeks' work."""
        from .demo.seed import DEMO_PASSWORD, seed_demo
        from .demo.work import DemoWorkError, describe, seed_demo_work, services_of
        from .domain.errors import DomainError

        if db.session.scalar(sa.select(sa.func.count(User.id))):
            if if_empty:
                click.echo("已有用户，跳过演示数据 (users exist; demo data not loaded)")
                return
            raise click.ClickException("数据库中已有用户；演示数据只能载入空数据库")
        users = seed_demo(db.session, current_app.extensions["password_hasher"])
        db.session.commit()
        click.echo(f"演示数据已载入。所有演示账号的密码 (demo password): {DEMO_PASSWORD}")
        for user in users:
            click.echo(f"  {user.username:<16} {'/'.join(user.roles):<22} {user.display_name}  {user.agency.name}")
        if work is None:
            work = current_app.config["APP_ENV"] != "production"
        if not work:
            click.echo("未生成演示工作记录（--no-work，或生产环境的默认；需要时加 --work）")
            return
        click.echo(f"正在生成演示工作记录（业务日期 {current_app.extensions['clock'].today().isoformat()} 之前的几周）…")
        try:
            summary = seed_demo_work(services_of(current_app, db.session))
        except (DemoWorkError, DomainError) as error:
            db.session.rollback()
            raise click.ClickException(f"演示工作记录未能全部生成：{error}（账号和用人单位已载入；"
                                       "删除数据库后重新运行 make run 可重来）") from error
        for line in describe(summary):
            click.echo(line)

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--display-name", required=True)
    @click.option("--agency", "agency_name", required=True, help="Agency name, as in the registry")
    @click.option("--role", "roles", multiple=True, required=True)
    @click.option("--cert-no", default=None, help="执法证号 (inspectors)")
    @click.password_option()
    def create_user_command(username, display_name, agency_name, roles, cert_no, password):
        """Create a user (for the first admin of a new installation)."""
        from .domain.accounts import create_user
        from .domain.errors import Invalid

        agency = db.session.scalar(sa.select(Agency).where(Agency.name == agency_name))
        if agency is None:
            raise click.ClickException(f"机构不存在: {agency_name}")
        try:
            user = create_user(db.session, current_app.extensions["password_hasher"], username=username,
                               password=password, display_name=display_name, agency_id=agency.id,
                               roles=list(roles), enforcement_cert_no=cert_no)
        except Invalid as error:
            raise click.ClickException("; ".join(f"{d['field']}: {d['message']}" for d in error.details)) from None
        db.session.commit()
        click.echo(f"已创建用户 {user.username} ({', '.join(user.roles)})")


def register_housekeeping(app):
    """`flask housekeeping …`: commands safe to run from cron (idempotent, each in one transaction). The same tasks
    run as periodic jobs of the queue's workers on PostgreSQL (server/housekeeping_jobs.py)."""
    from . import housekeeping_jobs as tasks

    group = click.Group("housekeeping", help="Cleanup tasks safe to run from cron.")

    @group.command("tombstones")
    @click.option("--keep-changes", default=200_000, show_default=True,
                  help="Keep deletions among the newest N changes; devices further behind get a reset.")
    def tombstones(keep_changes):
        click.echo(tasks.tombstones(current_app, keep_changes=keep_changes))

    @group.command("blobs")
    @click.option("--older-than-days", default=7, show_default=True)
    @click.option("--dry-run", is_flag=True)
    def blobs(older_than_days, dry_run):
        click.echo(tasks.blobs(current_app, older_than_days=older_than_days, dry_run=dry_run))

    @group.command("uploads")
    @click.option("--older-than-days", default=3, show_default=True)
    def uploads(older_than_days):
        click.echo(tasks.uploads(current_app, older_than_days=older_than_days))

    @group.command("exports")
    @click.option("--older-than-days", type=int, default=None, help="Default: EXPORT_KEEP_DAYS")
    def exports(older_than_days):
        """Remove export jobs and their files after the keeping period."""
        click.echo(tasks.exports(current_app, older_than_days=older_than_days))

    @group.command("number-blocks")
    def number_blocks():
        """Release the number blocks a device kept past the year's end (after the grace period)."""
        click.echo(tasks.number_blocks(current_app))

    @group.command("reference-versions")
    def reference_versions():
        """Put into force the verified reference-data changes whose effective date has come (run just after midnight)."""
        click.echo(tasks.reference_versions(current_app))

    @group.command("tokens")
    def tokens():
        click.echo(tasks.tokens(current_app))

    app.cli.add_command(group)


def register_jobs(app):
    """`flask jobs worker`: the worker of the job queue (PostgreSQL), beside the app hosts' gunicorn."""
    from . import export_jobs, housekeeping_jobs, jobs  # noqa: F401 — the jobs they define are registered on import

    group = click.Group("jobs", help="Background jobs: exports and housekeeping (server/jobs.py).")

    @group.command("worker")
    def worker():
        """Run queued jobs until stopped (SIGTERM: running jobs finish first); also scheduled housekeeping and the
        retry of jobs whose worker died. On SQLite jobs run inside the app's processes: nothing to do here."""
        if not jobs.uses_queue(current_app):
            click.echo("本安装的后台任务在应用进程内运行（SQLite 或 JOB_QUEUE=in-process），无需单独的任务进程")
            return
        click.echo(f"任务进程已启动 (job worker started, pid {os.getpid()})")
        jobs.JobWorker(current_app._get_current_object()).run()

    app.cli.add_command(group)


def register_backups(app):
    """`flask backup` and `flask restore`."""
    from . import backups

    @app.cli.command("backup")
    @click.option("--to", "target", required=True, type=click.Path(file_okay=False), help="Directory for backups")
    def backup_command(target):
        """Back up the database and the attachments (safe while the service runs)."""
        folder = backups.backup(current_app, target)
        click.echo(f"已备份到 {folder} (backup written)")

    @app.cli.command("restore")
    @click.option("--from", "folder", required=True, type=click.Path(exists=True, file_okay=False))
    @click.option("--yes", is_flag=True, help="Confirm replacing the current data")
    def restore_command(folder, yes):
        """Restore a backup (stop the service first); devices then resynchronise."""
        if not yes:
            raise click.ClickException("恢复会覆盖现有数据；确认请加 --yes (add --yes to confirm)")
        epoch = backups.restore(current_app, folder)
        click.echo(f"已恢复，新的同步纪元 {epoch}：各设备下次同步时会重新下载数据 (restored; devices will resync)")


def register_audit(app):
    """`flask audit verify` and `flask audit prune`: the tamper-evident audit chain (domain/audit.py)."""
    from .clock import host_now
    from .domain import audit

    group = click.Group("audit", help="The tamper-evident audit log.")

    @group.command("verify")
    def verify():
        """Recompute the SM3 chain; exit 1 at the first entry that was changed, removed or inserted."""
        result = audit.verify_chain(db.session)
        if result["ok"]:
            click.echo(f"审计链完整：已校验 {result['entries']} 条 (audit chain intact: {result['entries']} entries)")
            return
        where = f"第 {result['broken_at']} 条" if result["broken_at"] else "末尾"
        click.echo(f"审计链在{where}处断开：记录被修改、删除或插入 (audit chain broken at {result['broken_at']})",
                   err=True)
        raise SystemExit(1)

    @group.command("prune")
    @click.option("--older-than-days", type=int, default=None, help="Default: AUDIT_RETENTION_DAYS (≥ 180)")
    def prune(older_than_days):
        """Delete entries older than the retention period; the chain continues from the last one deleted."""
        days = older_than_days or current_app.config["AUDIT_RETENTION_DAYS"]
        removed = audit.prune(db.session, older_than_days=days, now=host_now())
        db.session.commit()
        click.echo(f"已删除 {days} 天前的审计记录 {removed} 条 (audit entries pruned)")

    app.cli.add_command(group)
