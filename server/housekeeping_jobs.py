"""Housekeeping as jobs: each task runs from `flask housekeeping …` (cron, SQLite installations) and, on PostgreSQL,
as a periodic job of the queue's workers at the time in its schedule — once per tick however many hosts run a worker.

Schedules are cron in UTC (procrastinate reads them so); the comment gives China time. Each task is idempotent,
commits its own transaction and returns the line the command prints.
"""
import datetime as dt

from .clock import host_now
from .domain.number_series import close_past_years
from .domain.reference_versions import apply_due_versions
from .domain.tokens import purge_expired
from .extensions import db
from .jobs import job
from .media import blob_storage, upload_staging
from .sync import housekeeping


@job("housekeeping.tombstones", schedule="5 19 L * *")  # 03:05 China time on the 1st (the last day, UTC)
def tombstones(app, keep_changes=200_000):
    """Deletions older than the newest `keep_changes` changes; devices further behind get a reset."""
    purged = housekeeping.purge_tombstones(db.session, keep_last_changes=keep_changes)
    db.session.commit()
    return f"已清理删除标记 {purged} 条 (tombstones purged)"


@job("housekeeping.blobs", schedule="55 18 * * 6")  # 02:55 on Sundays
def blobs(app, older_than_days=7, dry_run=False):
    """Stored files nothing refers to any more, older than the grace period."""
    removed = housekeeping.collect_orphan_blobs(db.session, blob_storage(app.config), dry_run=dry_run, now=host_now(),
                                                older_than=dt.timedelta(days=older_than_days))
    db.session.commit()
    return f"{'可清理' if dry_run else '已清理'}无引用附件 {len(removed)} 个 (orphan blobs)"


@job("housekeeping.uploads", schedule="50 18 * * 6")  # 02:50 on Sundays
def uploads(app, older_than_days=3):
    """Resumable uploads nobody continued, and finished ones past the grace period."""
    count = housekeeping.discard_stale_uploads(db.session, upload_staging(app.config), now=host_now(),
                                               older_than=dt.timedelta(days=older_than_days))
    db.session.commit()
    return f"已丢弃未完成上传 {count} 个 (stale uploads)"


@job("housekeeping.exports", schedule="40 18 * * *")  # 02:40 daily
def exports(app, older_than_days=None):
    """Export jobs and their files older than EXPORT_KEEP_DAYS (the office downloads them within days)."""
    days = app.config["EXPORT_KEEP_DAYS"] if older_than_days is None else older_than_days
    count = housekeeping.discard_old_exports(db.session, blob_storage(app.config), now=host_now(),
                                             older_than=dt.timedelta(days=days))
    db.session.commit()
    return f"已清理 {days} 天前的导出 {count} 个 (old exports)"


@job("housekeeping.number_blocks", schedule="10 19 * 2 *")  # 03:10 China time, daily from 2 February to 1 March
def number_blocks(app):
    """Release the number blocks a device kept past the year's end (after the grace period)."""
    released = close_past_years(db.session, app.extensions["clock"].today())
    db.session.commit()
    return f"已关闭上一年度未归还号段 {len(released)} 个，未使用号码已作废 (past-year blocks closed)"


@job("housekeeping.reference_versions", schedule="1 16 * * *")  # 00:01 China time
def reference_versions(app):
    """Put into force the verified reference-data changes whose effective date has come."""
    applied = apply_due_versions(db.session, app.extensions["clock"].now())
    db.session.commit()
    return f"已生效参考数据修改 {len(applied)} 项 (reference changes in force)"


@job("housekeeping.tokens", schedule="45 18 * * *")  # 02:45 daily
def tokens(app):
    """Revocation rows of tokens that have expired anyway."""
    purge_expired(db.session)
    db.session.commit()
    return "已清理过期令牌 (expired tokens purged)"
