"""Which blob store an installation uses: the local disk (the embedded default) or an S3-compatible bucket.

BLOB_STORE empty → files under BLOB_ROOT; BLOB_STORE=s3://bucket[/prefix] → objects in that bucket, shared by
every app host, with S3_ENDPOINT_URL, S3_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the config.
"""
import re
from collections.abc import Mapping

from server.media.s3 import S3BlobStorage, S3UploadStaging, s3_client
from server.media.staging import UploadStaging
from server.media.storage import BlobStorage, LocalBlobStorage

# S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens; the optional prefix is a key path.
_S3_URL = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/([A-Za-z0-9._/-]*))?")


def parse_blob_store(url: str | None) -> tuple[str, str] | None:
    """(bucket, prefix) of an s3:// URL, None for the local store; ValueError for anything else."""
    if not url:
        return None
    match = _S3_URL.fullmatch(url.strip())
    if not match:
        raise ValueError(f"BLOB_STORE must be empty (local disk) or s3://bucket[/prefix], not {url!r}")
    return match.group(1), (match.group(2) or "").strip("/")


def _client(config: Mapping):
    return s3_client(config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"), config.get("AWS_ACCESS_KEY_ID"),
                     config.get("AWS_SECRET_ACCESS_KEY"))


def blob_storage(config: Mapping) -> BlobStorage:
    """The installation's blob storage, from its settings."""
    s3 = parse_blob_store(config.get("BLOB_STORE"))
    if s3 is None:
        return LocalBlobStorage(config["BLOB_ROOT"])
    return S3BlobStorage(_client(config), *s3)


def upload_staging(config: Mapping) -> UploadStaging | S3UploadStaging:
    """Where resumable uploads collect their chunks: beside the local blobs, or in the same bucket."""
    s3 = parse_blob_store(config.get("BLOB_STORE"))
    if s3 is None:
        return UploadStaging(f"{config['BLOB_ROOT']}/staging")
    return S3UploadStaging(_client(config), *s3)
