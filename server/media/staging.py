"""Staging of resumable uploads: chunks appended at the offset the server already has, hashed when complete."""

import contextlib
import fcntl
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from server.domain.errors import Conflict, Invalid, NotFound

_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_SUFFIX = ".part"


def new_upload_id() -> str:
    """A fresh unguessable upload id (URL-safe, 32 characters)."""
    return secrets.token_urlsafe(24)


class OffsetMismatch(Conflict):
    """A chunk was sent for an offset other than the staged size; the client resumes at `expected_offset`."""

    code = "UPLOAD_OFFSET_MISMATCH"

    def __init__(self, expected_offset: int, offset: int):
        super().__init__(f"上传位置不符：服务器已收到 {expected_offset} 字节", details=[{
            "field": "offset", "code": self.code, "expected_offset": expected_offset, "offset": offset,
            "message": f"请从第 {expected_offset} 字节继续上传",
            "message_en": f"Resume the upload at byte {expected_offset}."}])
        self.expected_offset = expected_offset


def check_upload_id(upload_id: str) -> str:
    """Return `upload_id` if it is 16–64 URL-safe characters; raises Invalid (it becomes a file or key name)."""
    if not isinstance(upload_id, str) or not _UPLOAD_ID.fullmatch(upload_id):
        raise Invalid("上传标识格式错误", code="INVALID_UPLOAD_ID", details=[{
            "field": "upload_id", "code": "INVALID_UPLOAD_ID", "message": "上传标识格式错误",
            "message_en": "upload_id must be 16–64 characters of A–Z, a–z, 0–9, _ or -."}])
    return upload_id


def check_offset(offset: int) -> int:
    """Return `offset` if it is a whole number ≥ 0; raises Invalid."""
    if not isinstance(offset, int) or offset < 0:
        raise Invalid("上传位置无效", code="INVALID_OFFSET", details=[{
            "field": "offset", "code": "INVALID_OFFSET", "message": "上传位置应为非负整数",
            "message_en": "offset must be a non-negative integer."}])
    return offset


class UploadStaging:
    """One file per upload under root; a chunk is accepted only at the current end of the file."""

    def __init__(self, root: str | os.PathLike, *, max_bytes: int | None = None):
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path_for(self, upload_id: str) -> Path:
        """The staged file of an upload; validates the id, so no name escapes root."""
        return self.root / (check_upload_id(upload_id) + _SUFFIX)

    def create(self, upload_id: str) -> None:
        """Start an empty upload; raises Conflict UPLOAD_EXISTS if the id is taken."""
        path = self.path_for(upload_id)
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb"):
                pass
        except FileExistsError:
            raise Conflict("上传已存在", code="UPLOAD_EXISTS", details=[{
                "field": "upload_id", "code": "UPLOAD_EXISTS", "message": "上传已存在",
                "message_en": "An upload with this id already exists."}]) from None

    def append(self, upload_id: str, offset: int, chunk: bytes) -> int:
        """Append `chunk` at `offset` and return the new size; raises OffsetMismatch, Invalid, NotFound."""
        check_offset(offset)
        with self._open(upload_id, "r+b") as f:
            # A retried request can race the original on a flaky 4G link: one appender at a time.
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            size = os.fstat(f.fileno()).st_size
            if offset != size:
                raise OffsetMismatch(size, offset)
            if self.max_bytes is not None and size + len(chunk) > self.max_bytes:
                raise _too_large(self.max_bytes)
            f.seek(size)
            f.write(chunk)
            # No fsync per chunk: after a crash the size is simply smaller and the client resumes from it;
            # finish() syncs, and the SHA-256 check catches anything else.
            f.flush()
            return size + len(chunk)

    def size(self, upload_id: str) -> int:
        """Bytes staged so far: where the client resumes; raises NotFound."""
        with self._open(upload_id, "rb") as f:
            return os.fstat(f.fileno()).st_size

    @contextlib.contextmanager
    def staged(self, upload_id: str) -> Iterator[Path]:
        """The staged file, flushed to disk, to hash and publish with BlobStorage.put_file; raises NotFound."""
        with self._open(upload_id, "rb") as f:
            os.fsync(f.fileno())
        yield self.path_for(upload_id)

    def discard(self, upload_id: str) -> bool:
        """Remove the staged file; False if it was not there."""
        try:
            self.path_for(upload_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def iter_uploads(self) -> Iterator[tuple[str, int, float]]:
        """(upload_id, size, mtime) of every staged upload, for cleaning up abandoned ones."""
        if not self.root.is_dir():
            return
        for entry in os.scandir(self.root):
            upload_id = entry.name.removesuffix(_SUFFIX)
            if entry.name.endswith(_SUFFIX) and _UPLOAD_ID.fullmatch(upload_id) and entry.is_file():
                stat = entry.stat()
                yield upload_id, stat.st_size, stat.st_mtime

    def _open(self, upload_id: str, mode: str):
        path = self.path_for(upload_id)
        try:
            return open(path, mode)
        except FileNotFoundError:
            raise _missing_upload() from None


def _missing_upload() -> NotFound:
    return NotFound("上传不存在或已过期", code="UPLOAD_NOT_FOUND", details=[{
        "field": "upload_id", "code": "UPLOAD_NOT_FOUND", "message": "上传不存在或已过期，请重新开始上传",
        "message_en": "No such upload (it may have expired); start the upload again."}])


def _too_large(limit: int) -> Invalid:
    return Invalid("上传文件过大", code="UPLOAD_TOO_LARGE", details=[{
        "field": "chunk", "code": "UPLOAD_TOO_LARGE", "limit": limit,
        "message": f"上传文件超过上限 {limit / 1_048_576:.1f} MB",
        "message_en": f"The upload exceeds the limit of {limit / 1_048_576:.1f} MB."}])
