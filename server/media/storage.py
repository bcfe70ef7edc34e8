"""Content-addressed blob storage: photo originals (evidence, byte-exact) and their derived copies."""

import abc
import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from server.domain.errors import Invalid, NotFound

VARIANTS = ("original", "display", "thumb")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COPY_BLOCK = 1 << 20


def check_sha256(sha256: str) -> str:
    """Return `sha256` if it is 64 lowercase hex digits; raises Invalid (it becomes a file name)."""
    # fullmatch, not match: "$" would let a trailing newline through.
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise Invalid("附件哈希值格式错误", code="INVALID_HASH", details=[{
            "field": "sha256", "code": "INVALID_HASH", "message": "附件哈希值应为 64 位小写十六进制",
            "message_en": "sha256 must be 64 lowercase hexadecimal digits."}])
    return sha256


def check_variant(variant: str) -> str:
    """Return `variant` if it is one of VARIANTS; raises Invalid."""
    if variant not in VARIANTS:
        raise Invalid("附件类型错误", code="UNKNOWN_VARIANT", details=[{
            "field": "variant", "code": "UNKNOWN_VARIANT", "message": f"附件类型应为 {'、'.join(VARIANTS)}",
            "message_en": f"variant must be one of {', '.join(VARIANTS)}."}])
    return variant


class BlobStorage(abc.ABC):
    """Blobs named by the SHA-256 of the original; derived variants are stored under the original's name."""

    @abc.abstractmethod
    def exists(self, sha256: str, variant: str = "original") -> bool:
        """Whether the blob is stored."""

    @abc.abstractmethod
    def open(self, sha256: str, variant: str = "original") -> BinaryIO:
        """A binary file object for reading; raises NotFound."""

    @abc.abstractmethod
    def size(self, sha256: str, variant: str = "original") -> int:
        """Size in bytes; raises NotFound."""

    @abc.abstractmethod
    def put_bytes(self, sha256: str, variant: str, data: bytes) -> None:
        """Store `data` atomically; an original must hash to its name, else Invalid HASH_MISMATCH."""

    @abc.abstractmethod
    def put_file(self, sha256: str, variant: str, path: str | os.PathLike) -> None:
        """Copy the file at `path` in atomically, with the same check as put_bytes."""

    @abc.abstractmethod
    def put_stream(self, sha256: str, variant: str, source: BinaryIO) -> None:
        """Copy a readable stream in atomically (restoring a backup), with the same check as put_bytes."""

    @abc.abstractmethod
    def modified_at(self, sha256: str, variant: str = "original") -> float:
        """When the blob was written (POSIX seconds), for housekeeping's grace period; raises NotFound."""

    @abc.abstractmethod
    def check_ready(self) -> None:
        """Raise (OSError or the store's error) unless blobs can be written now: the readiness probe."""

    @abc.abstractmethod
    def delete(self, sha256: str, variant: str = "original") -> bool:
        """Remove the blob; False if it was not there."""

    @abc.abstractmethod
    def iter_hashes(self, variant: str = "original") -> Iterator[str]:
        """Every stored hash of a variant, for housekeeping."""

    def read(self, sha256: str, variant: str = "original") -> bytes:
        """The whole blob; raises NotFound."""
        with self.open(sha256, variant) as f:
            return f.read()

    def presigned_url(self, sha256: str, variant: str, *, seconds: int, mimetype: str) -> str | None:
        """A URL that serves the blob for `seconds` without the app, where the store can make one."""
        return None


class LocalBlobStorage(BlobStorage):
    """Files under root/<variant>/<sha[:2]>/<sha[2:4]>/<sha>: two fan-out levels keep directories small."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, sha256: str, variant: str = "original") -> Path:
        """Where the blob lives (or would live); validates both parts, so no name escapes root."""
        check_sha256(sha256)
        return self.root / check_variant(variant) / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str, variant: str = "original") -> bool:
        return self.path_for(sha256, variant).is_file()

    def open(self, sha256: str, variant: str = "original") -> BinaryIO:
        try:
            return open(self.path_for(sha256, variant), "rb")
        except FileNotFoundError:
            raise _missing(sha256, variant) from None

    def size(self, sha256: str, variant: str = "original") -> int:
        try:
            return self.path_for(sha256, variant).stat().st_size
        except FileNotFoundError:
            raise _missing(sha256, variant) from None

    def put_bytes(self, sha256: str, variant: str, data: bytes) -> None:
        target = self.path_for(sha256, variant)
        if variant == "original":
            _check_digest(sha256, hashlib.sha256(data).hexdigest())
        _write_atomically(target, lambda out: out.write(data))

    def put_file(self, sha256: str, variant: str, path: str | os.PathLike) -> None:
        with open(path, "rb") as src:
            self.put_stream(sha256, variant, src)

    def put_stream(self, sha256: str, variant: str, source: BinaryIO) -> None:
        target = self.path_for(sha256, variant)
        digest = hashlib.sha256()

        def copy(out: BinaryIO) -> None:
            # Hash while copying: what is published is exactly what was checked, even if the source changes.
            while block := source.read(_COPY_BLOCK):
                digest.update(block)
                out.write(block)
            if variant == "original":
                _check_digest(sha256, digest.hexdigest())

        _write_atomically(target, copy)

    def modified_at(self, sha256: str, variant: str = "original") -> float:
        try:
            return self.path_for(sha256, variant).stat().st_mtime
        except FileNotFoundError:
            raise _missing(sha256, variant) from None

    def check_ready(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".ready-"):
            pass

    def delete(self, sha256: str, variant: str = "original") -> bool:
        try:
            self.path_for(sha256, variant).unlink()
        except FileNotFoundError:
            return False
        return True

    def iter_hashes(self, variant: str = "original") -> Iterator[str]:
        base = self.root / check_variant(variant)
        for first in _sorted_dirs(base):
            for second in _sorted_dirs(first):
                for entry in sorted(os.scandir(second), key=lambda e: e.name):
                    # Skip temp files of writes in progress and anything not filed where its name says.
                    if (entry.is_file() and _SHA256.fullmatch(entry.name)
                            and entry.name[:2] == first.name and entry.name[2:4] == second.name):
                        yield entry.name


def _write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write via a temp file in the target's directory, fsync, rename: readers see all of it or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o640)  # mkstemp's 0600 would hide blobs from a backup group
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    # Evidence must survive a power cut right after the upload is acknowledged: persist the rename too.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sorted_dirs(base: Path) -> list[Path]:
    if not base.is_dir():
        return []
    return sorted(Path(e.path) for e in os.scandir(base) if e.is_dir() and re.fullmatch(r"[0-9a-f]{2}", e.name))


def _check_digest(expected: str, actual: str) -> None:
    if actual != expected:
        raise Invalid("文件内容与哈希值不符", code="HASH_MISMATCH", details=[{
            "field": "sha256", "code": "HASH_MISMATCH", "message": "文件内容与哈希值不符，请重新上传",
            "message_en": "The content does not match its SHA-256; upload it again.",
            "expected": expected, "actual": actual}])


def _missing(sha256: str, variant: str) -> NotFound:
    return NotFound("附件不存在", code="BLOB_NOT_FOUND", details=[{
        "field": "sha256", "code": "BLOB_NOT_FOUND", "message": "附件不存在",
        "message_en": f"No {variant} blob is stored for this hash.", "sha256": sha256}])
