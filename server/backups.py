"""Backup and restore of one installation: the database and the blob storage, together.

The blobs are archived through the store's interface in the local layout (blobs/<variant>/<aa>/<bb>/<sha>),
whether they live on the disk or in an S3 bucket; a backup of either restores into either.
A restore gives the server a new epoch: every device's next pull is answered with a reset, so tablets copy
the restored state again while keeping (and then re-sending) whatever they had not synced.
"""
import json
import re
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from .clock import host_now
from .extensions import db
from .media import VARIANTS, blob_storage, upload_staging
from .sync.changes import current_state, new_epoch

_BLOB_NAME = re.compile(r"blobs/([a-z]+)/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


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
    storage = blob_storage(app.config)
    with tarfile.open(folder / "blobs.tar.gz", "w:gz") as archive:
        for variant in VARIANTS:
            for sha256 in storage.iter_hashes(variant):
                info = tarfile.TarInfo(f"blobs/{variant}/{sha256[:2]}/{sha256[2:4]}/{sha256}")
                info.size, info.mode = storage.size(sha256, variant), 0o640
                info.mtime = storage.modified_at(sha256, variant)
                with storage.open(sha256, variant) as stream:
                    archive.addfile(info, stream)
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
    _replace_blobs(app.config, folder / "blobs.tar.gz")
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


def _replace_blobs(config, path):
    """The store holds exactly the archive's blobs afterwards; uploads in progress are dropped (the restored
    database no longer knows them). Each original is checked against its name as it is written."""
    storage, staging = blob_storage(config), upload_staging(config)
    for upload_id, _, _ in list(staging.iter_uploads()):
        staging.discard(upload_id)
    restored = set()
    with tarfile.open(path) as archive:
        for member in _blob_members(archive):
            match = _BLOB_NAME.fullmatch(member.name)
            if not (member.isfile() and match and match[1] in VARIANTS and match[4][:4] == match[2] + match[3]):
                continue  # folders, and temp files of writes that were in progress during the backup
            variant, sha256 = match[1], match[4]
            with archive.extractfile(member) as stream:
                storage.put_stream(sha256, variant, stream)
            restored.add((variant, sha256))
    for variant in VARIANTS:
        for sha256 in list(storage.iter_hashes(variant)):
            if (variant, sha256) not in restored:
                storage.delete(sha256, variant)
