"""Attachments: content-addressed, uploaded apart from records in resumable chunks, verified before publishing.

One upload at a time per photo: a factory's 4G is poor, so a dropped connection resumes from the server's
offset instead of starting again. The original is kept byte-exact (it is evidence); the display copy and the
thumbnail are made once, here, so documents and screens never decode a 12 MP photo again.
"""
import base64
import hashlib

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.errors import Conflict, Invalid, NotFound, problem
from ..domain.permissions import readable_entities
from ..media import check_sha256, derive_copies, inspect_image, new_upload_id
from ..models import Blob, BlobHolder, Record, Upload, utcnow
from ..models.transactions import for_update, is_postgres
from .batch import Batch, allocate_and_resolve

MIMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def is_published(session, sha256):
    """True when the server holds verified bytes for this hash."""
    return session.get(Blob, check_sha256(sha256)) is not None


def start_upload(session, actor, staging, *, sha256, size, mime, max_bytes):
    """A new resumable upload, or None when the blob is already published (deduplicated: nothing to send)."""
    check_sha256(sha256)
    problems = []
    if mime not in MIMES:
        problems.append(problem("mime", "choice", "仅支持 JPEG、PNG、WebP 图片", "JPEG, PNG or WebP only"))
    if size <= 0 or size > max_bytes:
        problems.append(problem("size", "range", f"文件大小应在 1 字节到 {max_bytes // (1024 * 1024)} MB 之间",
                                 f"Size must be 1 byte to {max_bytes} bytes"))
    if problems:
        raise Invalid("上传信息有误", details=problems)
    if is_published(session, sha256) and _may_read(session, actor, sha256):
        return None  # deduplicated: the caller may read these bytes already
    # Otherwise the bytes are sent (even when the server has them): sending them is how a caller shows it holds
    # the file, and the answer reveals nothing about which files the server keeps.
    upload = Upload(id=new_upload_id(), sha256=sha256, size=size, mime=mime, user_id=actor.user_id,
                    device_id=actor.device_id)
    staging.create(upload.id)
    session.add(upload)
    return upload


def _upload(session, actor, upload_id, *, lock=False):
    query = sa.select(Upload).where(Upload.id == upload_id)
    if lock:  # the row as the finisher that held the lock left it
        query = for_update(query, session).execution_options(populate_existing=True)
    upload = session.scalar(query)
    if upload is None or upload.user_id != actor.user_id:
        raise NotFound("上传不存在或已过期")
    return upload


def _finished():
    return Conflict("上传已完成", code="UPLOAD_FINISHED", details=[
        problem("upload_id", "finished", "该文件已上传并校验完成，无需再发送", "The upload is finished and published")])


def upload_offset(session, actor, staging, upload_id):
    """How many bytes the server has: the device resumes from here."""
    upload = _upload(session, actor, upload_id)
    if upload.finished_at is not None:
        return upload.size
    return staging.size(upload_id)


def append_chunk(session, actor, staging, upload_id, offset, chunk, checksum=None):
    """Append bytes at `offset`; a chunk whose checksum (base64 SHA-256) does not match is refused."""
    upload = _upload(session, actor, upload_id)
    if upload.finished_at is not None:
        raise _finished()
    if checksum is not None:
        expected = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        if checksum != expected:
            raise Invalid("数据块校验失败，请重传该块", code="CHUNK_CORRUPT", details=[
                problem("Upload-Checksum", "mismatch", "数据块在传输中损坏", "The chunk was damaged in transit")])
    if offset + len(chunk) > upload.size:
        raise Invalid("数据超过声明的文件大小", code="UPLOAD_TOO_LONG",
                      details=[problem("Upload-Offset", "range", "超过声明大小", "Beyond the declared size")])
    return staging.append(upload_id, offset, chunk)


def finish_upload(session, actor, storage, staging, upload_id, *, clock, max_bytes, max_pixels):
    """Verify the hash and the image, keep the original byte-exact, make the derived copies, publish.

    Idempotent: finishing again — a retry after a lost answer, reaching another app host, or two hosts at once — waits
    for the first (the upload row is locked) and answers with the same blob.
    """
    upload = _upload(session, actor, upload_id, lock=True)
    if upload.finished_at is not None:
        return session.get(Blob, upload.sha256)
    received = staging.size(upload_id)
    if received != upload.size:
        raise Conflict("上传尚未完成", code="UPLOAD_INCOMPLETE",
                       details=[problem("Upload-Offset", "incomplete", f"已收到 {received} 字节",
                                         f"Received {received} of {upload.size} bytes")])
    # The staged bytes as one file on this host, whichever hosts received the chunks (object store staging).
    with staging.staged(upload_id) as path:
        with open(path, "rb") as staged:
            digest = hashlib.file_digest(staged, "sha256").hexdigest()
        if digest != upload.sha256:
            staging.discard(upload_id)
            session.delete(upload)
            raise Invalid("文件校验失败，请重新上传", code="HASH_MISMATCH", details=[
                problem("sha256", "mismatch", "收到的内容与声明的 SHA-256 不符",
                        "Bytes do not match the declared SHA-256")])
        data = path.read_bytes()
        info = inspect_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
        if not is_published(session, upload.sha256):
            derived = derive_copies(data)
            storage.put_file(upload.sha256, "original", path)
            storage.put_bytes(upload.sha256, "display", derived.display.data)
            storage.put_bytes(upload.sha256, "thumb", derived.thumb.data)
            # Another upload of the same photo (another tablet, through another host) may publish it at the same
            # moment: the row is written once, and only its writer tells the waiting attachments.
            if _insert_once(session, Blob, sha256=upload.sha256, size=upload.size, mime=info.mime, width=info.width,
                            height=info.height, uploaded_by=actor.user_id, uploaded_device=actor.device_id,
                            uploaded_at=utcnow()):
                _mark_attachments_uploaded(session, actor, upload.sha256, clock)
    _insert_once(session, BlobHolder, sha256=upload.sha256, user_id=actor.user_id, at=utcnow())
    staging.discard(upload_id)
    upload.finished_at = utcnow()
    session.flush()
    return session.get(Blob, upload.sha256)


def _insert_once(session, model, **values):
    """INSERT … ON CONFLICT DO NOTHING on the primary key; True when this call wrote the row. A concurrent writer of
    the same key makes PostgreSQL wait for its commit, then skip."""
    table = model.__table__
    insert = (pg_insert if is_postgres(session) else sqlite_insert)(table).values(**values).on_conflict_do_nothing()
    return session.execute(insert.returning(*table.primary_key.columns)).first() is not None


def _mark_attachments_uploaded(session, actor, sha256, clock):
    """Attachment records waiting for these bytes now show them as uploaded (a change devices pull)."""
    waiting = session.scalars(sa.select(Record).where(Record.blob_sha256 == sha256)).all()
    if not waiting:
        return
    batch = Batch(session=session, actor=actor, device=None, forms=None, entities=None, clock=clock)
    with session.no_autoflush:
        for record in waiting:
            record.computed = {**(record.computed or {}), "uploaded": True}
            batch.touch(record, batch.next_index())
        allocate_and_resolve(batch)
        batch.write(session)


def _may_read(session, actor, sha256):
    """True when the actor holds the bytes, or may read a record whose attachment was made by a holder."""
    holders = sa.select(BlobHolder.user_id).where(BlobHolder.sha256 == sha256)
    if session.scalar(holders.where(BlobHolder.user_id == actor.user_id)) is not None:
        return True
    kinds = readable_entities(actor)
    roots = sa.orm.aliased(Record)
    query = (sa.select(Record.id).join(roots, roots.id == Record.root_id)
             .where(Record.entity == "attachment", Record.blob_sha256 == sha256, Record.deleted.is_(False),
                    Record.region_id.in_(actor.region_ids), Record.created_by.in_(holders)))
    if kinds is not None:
        query = query.where(roots.entity.in_(sorted(kinds)))
    return session.scalar(query.limit(1)) is not None


def readable_blob(session, actor, sha256):
    """The blob, if the actor holds it or may read a record that attaches it (else NotFound, as for a hash the
    server does not know)."""
    blob = session.get(Blob, check_sha256(sha256))
    if blob is None or not _may_read(session, actor, sha256):
        raise NotFound("文件不存在")
    return blob

