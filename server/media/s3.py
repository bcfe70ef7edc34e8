"""Blobs and upload staging in an S3-compatible object store, shared by every app host behind a load balancer.

Keys mirror the local layout under an optional prefix: <variant>/<sha[:2]>/<sha[2:4]>/<sha> for blobs, and
staging/<upload_id>/ for resumable uploads, whose chunks are objects named by their offset. Nothing about an upload
lives on one host's disk, so consecutive chunks of a photo may reach different hosts.
"""
import base64
import contextlib
import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from server.domain.errors import Conflict, NotFound
from server.media.staging import OffsetMismatch, _missing_upload, _too_large, check_upload_id, check_offset
from server.media.storage import _SHA256, BlobStorage, _check_digest, _missing, check_sha256, check_variant

_COPY_BLOCK = 1 << 20
_CREATED = ".created"
_clients: dict = {}
_clients_lock = threading.Lock()


def s3_client(endpoint_url=None, region=None, access_key_id=None, secret_access_key=None):
    """One boto3 client per endpoint and credentials per process (clients are thread-safe and slow to make)."""
    key = (endpoint_url, region, access_key_id, secret_access_key)
    with _clients_lock:
        if key not in _clients:
            import boto3
            from botocore.config import Config

            # Path-style addressing and checksums only where the API requires them: what every S3-compatible
            # server (SeaweedFS, MinIO, Ceph, the clouds' own) accepts. Integrity is checked with Content-MD5 instead.
            _clients[key] = boto3.client(
                "s3", endpoint_url=endpoint_url or None, region_name=region or "us-east-1",
                aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                              request_checksum_calculation="when_required",
                              response_checksum_validation="when_required",
                              retries={"max_attempts": 4, "mode": "standard"}))
        return _clients[key]


def _code(error) -> str:
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))


def _is_missing(error) -> bool:
    return _code(error) in ("404", "NoSuchKey", "NotFound")


def _is_taken(error) -> bool:
    """A conditional write (If-None-Match: *) found the key already there."""
    return _code(error) in ("412", "PreconditionFailed", "ConditionalRequestConflict")


class _ObjectReader(io.RawIOBase):
    """A downloaded object as a read-only stream that knows its size (for Content-Length)."""

    def __init__(self, body, size: int):
        self._body, self.size = body, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._body.close()
        super().close()


class _ObjectStore:
    """A bucket and a key prefix."""

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _keys(self, prefix: str) -> Iterator[dict]:
        """Objects under prefix in key order, page by page."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            yield from page.get("Contents", [])

    def _put(self, key: str, body, *, md5: bytes, length: int, exclusive: bool, **extra) -> bool:
        """Write one object; the server checks Content-MD5, so what is stored is what was hashed here.
        With `exclusive`, an existing key is left alone (False)."""
        from botocore.exceptions import ClientError

        options = {"IfNoneMatch": "*"} if exclusive else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentLength=length,
                                   ContentMD5=base64.b64encode(md5).decode(), **options, **extra)
        except ClientError as error:
            if exclusive and _is_taken(error):
                return False
            raise
        return True


class S3BlobStorage(_ObjectStore, BlobStorage):
    """Blobs as objects; originals are verified against their name before they are written, and written once."""

    def key_for(self, sha256: str, variant: str = "original") -> str:
        """The object key of a blob; validates both parts."""
        check_sha256(sha256)
        return f"{self.prefix}{check_variant(variant)}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _head(self, sha256: str, variant: str) -> dict:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256, variant))
        except ClientError as error:
            if _is_missing(error):
                raise _missing(sha256, variant) from None
            raise

    def exists(self, sha256: str, variant: str = "original") -> bool:
        try:
            self._head(sha256, variant)
        except NotFound:
            return False
        return True

    def open(self, sha256: str, variant: str = "original") -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key_for(sha256, variant))
        except ClientError as error:
            if _is_missing(error):
                raise _missing(sha256, variant) from None
            raise
        return io.BufferedReader(_ObjectReader(response["Body"], response["ContentLength"]), _COPY_BLOCK)

    def size(self, sha256: str, variant: str = "original") -> int:
        return self._head(sha256, variant)["ContentLength"]

    def modified_at(self, sha256: str, variant: str = "original") -> float:
        return self._head(sha256, variant)["LastModified"].timestamp()

    def put_bytes(self, sha256: str, variant: str, data: bytes) -> None:
        self._put_seekable(sha256, variant, io.BytesIO(data))

    def put_file(self, sha256: str, variant: str, path: str | os.PathLike) -> None:
        with open(path, "rb") as source:
            self._put_seekable(sha256, variant, source)

    def put_stream(self, sha256: str, variant: str, source: BinaryIO) -> None:
        # Spooled first: a member of a .tar.gz can only be re-read by decompressing the archive again.
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            while block := source.read(_COPY_BLOCK):
                spool.write(block)
            self._put_seekable(sha256, variant, spool)

    def _put_seekable(self, sha256: str, variant: str, source: BinaryIO) -> None:
        key = self.key_for(sha256, variant)
        source.seek(0)
        digest, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
        while block := source.read(_COPY_BLOCK):
            digest.update(block)
            md5.update(block)
        if variant == "original":
            _check_digest(sha256, digest.hexdigest())
        length = source.tell()
        source.seek(0)
        # The same photo published by two hosts at once is stored once: the second write finds the key taken.
        self._put(key, source, md5=md5.digest(), length=length, exclusive=True)

    def delete(self, sha256: str, variant: str = "original") -> bool:
        if not self.exists(sha256, variant):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self.key_for(sha256, variant))
        return True

    def iter_hashes(self, variant: str = "original") -> Iterator[str]:
        base = f"{self.prefix}{check_variant(variant)}/"
        for item in self._keys(base):
            parts = item["Key"][len(base):].split("/")
            if len(parts) == 3 and _SHA256.fullmatch(parts[2]) and parts[0] == parts[2][:2] \
                    and parts[1] == parts[2][2:4]:
                yield parts[2]

    def presigned_url(self, sha256: str, variant: str, *, seconds: int, mimetype: str) -> str:
        return self.client.generate_presigned_url("get_object", ExpiresIn=seconds, Params={
            "Bucket": self.bucket, "Key": self.key_for(sha256, variant), "ResponseContentType": mimetype,
            "ResponseCacheControl": "private, max-age=31536000, immutable"})

    def check_ready(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


class S3UploadStaging(_ObjectStore):
    """Resumable uploads as objects: staging/<id>/.created marks the upload, each chunk is staging/<id>/<offset>.

    The staged size is the end of the chain of chunks from offset 0, read from the bucket's listing, so any host
    answers "where do I resume?" the same. A chunk is written only if no chunk has that offset yet (If-None-Match):
    a retried request racing the original on another host is refused with the offset to resume from.
    """

    def __init__(self, client, bucket: str, prefix: str = "", *, max_bytes: int | None = None):
        super().__init__(client, bucket, prefix)
        self.max_bytes = max_bytes

    def _base(self, upload_id: str) -> str:
        return f"{self.prefix}staging/{check_upload_id(upload_id)}/"

    def _chain(self, upload_id: str) -> list[tuple[str, int, int]]:
        """(key, offset, size) of the chunks from 0 to the staged end; NotFound when the upload does not exist."""
        base = self._base(upload_id)
        created, chunks = False, {}
        for item in self._keys(base):
            name = item["Key"][len(base):]
            if name == _CREATED:
                created = True
            elif name.isdigit():
                chunks[int(name)] = (item["Key"], item["Size"])
        if not created:
            raise _missing_upload()
        chain, offset = [], 0
        while offset in chunks and chunks[offset][1] > 0:
            key, size = chunks[offset]
            chain.append((key, offset, size))
            offset += size
        return chain

    def create(self, upload_id: str) -> None:
        key = self._base(upload_id) + _CREATED
        if not self._put(key, b"", md5=hashlib.md5(b"", usedforsecurity=False).digest(), length=0, exclusive=True):
            raise Conflict("上传已存在", code="UPLOAD_EXISTS", details=[{
                "field": "upload_id", "code": "UPLOAD_EXISTS", "message": "上传已存在",
                "message_en": "An upload with this id already exists."}])

    def append(self, upload_id: str, offset: int, chunk: bytes) -> int:
        check_offset(offset)
        size = self.size(upload_id)
        if offset != size:
            raise OffsetMismatch(size, offset)
        if self.max_bytes is not None and size + len(chunk) > self.max_bytes:
            raise _too_large(self.max_bytes)
        if not chunk:
            return size
        written = self._put(f"{self._base(upload_id)}{offset:015d}", chunk, length=len(chunk), exclusive=True,
                            md5=hashlib.md5(chunk, usedforsecurity=False).digest())
        if not written:  # another host stored a chunk at this offset first
            raise OffsetMismatch(self.size(upload_id), offset)
        return size + len(chunk)

    def size(self, upload_id: str) -> int:
        return sum(size for _, _, size in self._chain(upload_id))

    @contextlib.contextmanager
    def staged(self, upload_id: str) -> Iterator[Path]:
        """The staged bytes in one temporary local file (this host's, for this request only), removed after."""
        chain = self._chain(upload_id)
        fd, name = tempfile.mkstemp(prefix="upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for key, _, _ in chain:
                    body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
                    while block := body.read(_COPY_BLOCK):
                        out.write(block)
            yield Path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)

    def discard(self, upload_id: str) -> bool:
        keys = [item["Key"] for item in self._keys(self._base(upload_id))]
        for start in range(0, len(keys), 1000):
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": key} for key in keys[start:start + 1000]], "Quiet": True})
        return bool(keys)

    def iter_uploads(self) -> Iterator[tuple[str, int, float]]:
        sizes: dict[str, list] = {}
        base = f"{self.prefix}staging/"
        for item in self._keys(base):
            upload_id, _, name = item["Key"][len(base):].partition("/")
            entry = sizes.setdefault(upload_id, [0, 0.0])
            entry[0] += item["Size"] if name != _CREATED else 0
            entry[1] = max(entry[1], item["LastModified"].timestamp())
        for upload_id, (size, mtime) in sizes.items():
            yield upload_id, size, mtime
