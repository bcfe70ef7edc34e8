"""Photo evidence: verify uploads, derive display and thumbnail copies, store blobs by SHA-256. No Flask here."""

from server.media.s3 import S3BlobStorage, S3UploadStaging
from server.media.images import Derived, DerivedCopy, ImageInfo, derive_copies, inspect_image
from server.media.staging import OffsetMismatch, UploadStaging, new_upload_id
from server.media.stamps import StampFontMissing, stamp_evidence
from server.media.storage import VARIANTS, BlobStorage, LocalBlobStorage, check_sha256
from server.media.stores import blob_storage, parse_blob_store, upload_staging

__all__ = [
    "VARIANTS",
    "BlobStorage",
    "Derived",
    "DerivedCopy",
    "ImageInfo",
    "LocalBlobStorage",
    "OffsetMismatch",
    "S3BlobStorage",
    "S3UploadStaging",
    "StampFontMissing",
    "UploadStaging",
    "blob_storage",
    "check_sha256",
    "derive_copies",
    "inspect_image",
    "new_upload_id",
    "parse_blob_store",
    "stamp_evidence",
    "upload_staging",
]
