"""Backup and restore of one installation: the database and the blob storage, together.

A restore gives the server a new epoch: every device's next pull is answered with a reset, so tablets copy
the restored state again while keeping (and then re-sending) whatever they had not synced.
"""
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from .clock import host_now
from .extensions import db
from .sync.changes import current_state, new_epoch


def _libpq_url(url):
    """pg_dump takes libpq URLs, without SQLAlchemy's driver name."""
    return url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")


def backup(app, target):
    """Write a backup directory under `target`; returns its path."""
    engine = db.engine
    stamp = host_now().strftime("%Y%m%d-%H%M%S")
    folder = Path(target) / f"backup-{stamp}"
    folder.mkdir(parents=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(engine.url.database)
        with sqlite3.connect(folder / "database.sqlite") as copy:
            source.backup(copy)  # a consistent copy while the service keeps running
        source.close()
    else:
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / "database.dump"),
                        _libpq_url(engine.url)], check=True)
    blobs = Path(app.config["BLOB_ROOT"])
    with tarfile.open(folder / "blobs.tar.gz", "w:gz") as archive:
        if blobs.exists():
            archive.add(blobs, arcname="blobs", filter=lambda info: None if "/staging" in info.name else info)
    with app.app_context():
        epoch, change_no, _ = current_state(db.session)
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        db.session.rollback()
    (folder / "manifest.json").write_text(json.dumps({
        "created_at": stamp, "database": engine.dialect.name, "schema_revision": revision, "epoch": epoch,
        "change_no": change_no}, ensure_ascii=False, indent=2))
    return folder


def restore(app, folder):
    """Replace the database and the blobs with a backup, then start a new epoch; returns the new epoch."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    engine = db.engine
    if manifest["database"] != engine.dialect.name:
        raise ValueError(f"backup of {manifest['database']} cannot be restored into {engine.dialect.name}")
    with tarfile.open(folder / "blobs.tar.gz") as archive:
        _blob_members(archive)  # a tampered archive is refused before anything is replaced
    db.session.remove()
    engine.dispose()
    if engine.dialect.name == "sqlite":
        target = Path(engine.url.database)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        shutil.copyfile(folder / "database.sqlite", target)
    else:
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", _libpq_url(engine.url), str(folder / "database.dump")], check=True)
    blobs = Path(app.config["BLOB_ROOT"])
    shutil.rmtree(blobs, ignore_errors=True)
    with tarfile.open(folder / "blobs.tar.gz") as archive:
        _extract_blobs(archive, blobs.parent)
    extracted = blobs.parent / "blobs"
    if extracted != blobs and extracted.exists():
        extracted.rename(blobs)
    epoch = new_epoch(db.session)
    db.session.commit()
    return epoch


def _blob_members(archive):
    """The archive's entries, if all are regular files and folders under blobs/ (a backup holds nothing else): a
    tampered archive can neither write outside the blob folder nor plant links, also on Pythons without tarfile
    filters. ValueError otherwise."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if not (member.isfile() or member.isdir()) or path.is_absolute() or ".." in path.parts \
                or path.parts[:1] != ("blobs",):
            raise ValueError(f"备份的附件包中有不应有的条目：{member.name}（unexpected entry in blobs.tar.gz）")
        members.append(member)
    return members


def _extract_blobs(archive, parent):
    members = _blob_members(archive)
    archive.extractall(parent, members=members, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
