"""Attachment bytes: check by hash, resumable upload in chunks, download of a variant."""
from flask import current_app, redirect, request
from flask_smorest import Blueprint

from ..domain.errors import Invalid
from ..extensions import db, limiter
from ..media import blob_storage, upload_staging
from ..sync import blobs
from .schemas.blobs import BlobSchema, UploadStartSchema, UploadStateSchema, VariantArgsSchema
from .access import authenticated, current_actor, current_clock
from .files import send_stored

blp = Blueprint("blobs", __name__, url_prefix="/api/blobs", description="附件 Attachments (photos, signatures)")
SHA = "<string(length=64):sha256>"


def _stores():
    return blob_storage(current_app.config), upload_staging(current_app.config)


def _limits():
    return {"max_bytes": current_app.config["UPLOAD_MAX_BYTES"], "max_pixels": current_app.config["IMAGE_MAX_PIXELS"]}


def _upload_limit():
    return current_app.config["UPLOAD_RATE_LIMIT"]


@blp.route(f"/{SHA}", methods=["HEAD"])
@authenticated("blob.read")
@blp.response(200)
def head(sha256):
    """200 when the server has verified bytes for this hash that you may read, else 404."""
    blobs.readable_blob(db.session, current_actor(), sha256)
    return ""


@blp.route(f"/{SHA}", methods=["GET"])
@authenticated("blob.read")
@blp.arguments(VariantArgsSchema, location="query")
@blp.response(200, content_type="image/jpeg")
def download(args, sha256):
    """The original (byte-exact evidence), the display copy or the thumbnail; from an object store, streamed or
    (BLOB_PRESIGNED_SECONDS) a redirect to a short-lived signed URL."""
    blob = blobs.readable_blob(db.session, current_actor(), sha256)
    storage = blob_storage(current_app.config)
    mime = blob.mime if args["variant"] == "original" else "image/jpeg"
    seconds = current_app.config["BLOB_PRESIGNED_SECONDS"]
    url = seconds and storage.presigned_url(sha256, args["variant"], seconds=seconds, mimetype=mime)
    if url:
        return redirect(url, 302)
    return send_stored(storage.open(sha256, args["variant"]), mimetype=mime, max_age=31536000)


@blp.route("/uploads", methods=["POST"])
@limiter.limit(_upload_limit)
@authenticated("blob.upload")
@blp.arguments(UploadStartSchema)
@blp.response(200, UploadStateSchema)
def start(args):
    """Start an upload, or learn that the server already has these bytes (deduplicated)."""
    _, staging = _stores()
    upload = blobs.start_upload(db.session, current_actor(), staging, max_bytes=_limits()["max_bytes"], **args)
    db.session.commit()
    if upload is None:
        return {"exists": True, "upload_id": None, "offset": args["size"], "size": args["size"]}
    return {"exists": False, "upload_id": upload.id, "offset": 0, "size": upload.size}


@blp.route("/uploads/<string:upload_id>", methods=["GET"])
@authenticated("blob.upload")
@blp.response(200, UploadStateSchema)
def state(upload_id):
    """How many bytes arrived: resume from `offset` after a dropped connection."""
    _, staging = _stores()
    offset = blobs.upload_offset(db.session, current_actor(), staging, upload_id)
    return {"exists": False, "upload_id": upload_id, "offset": offset}


@blp.route("/uploads/<string:upload_id>", methods=["PATCH"])
@limiter.limit(_upload_limit)
@authenticated("blob.upload")
@blp.response(200, UploadStateSchema)
@blp.doc(parameters=[{"in": "header", "name": "Upload-Offset", "required": True, "schema": {"type": "integer"}},
                     {"in": "header", "name": "Upload-Checksum", "schema": {"type": "string"},
                      "description": "base64 SHA-256 of this chunk"}],
         requestBody={"content": {"application/offset+octet-stream": {"schema": {"type": "string",
                                                                                "format": "binary"}}}})
def append(upload_id):
    """Append a chunk at Upload-Offset; a wrong offset answers 409 with the offset to resume from."""
    offset = request.headers.get("Upload-Offset", "")
    if not (offset.isascii() and offset.isdigit()):  # str.isdigit alone accepts "²" and other digits int() refuses
        raise Invalid("缺少 Upload-Offset", details=[{"field": "Upload-Offset", "code": "required",
                                                   "message": "需要 Upload-Offset 请求头（非负整数）",
                                                   "message_en": "Header required: a whole number ≥ 0"}])
    _, staging = _stores()
    new_offset = blobs.append_chunk(db.session, current_actor(), staging, upload_id, int(offset),
                                    request.get_data(cache=False), request.headers.get("Upload-Checksum"))
    return {"exists": False, "upload_id": upload_id, "offset": new_offset}


@blp.route("/uploads/<string:upload_id>/finish", methods=["POST"])
@authenticated("blob.upload")
@blp.response(200, BlobSchema)
def finish(upload_id):
    """Verify the whole file against its hash and publish it (the original stays byte-exact)."""
    storage, staging = _stores()
    blob = blobs.finish_upload(db.session, current_actor(), storage, staging, upload_id, clock=current_clock(),
                              **_limits())
    db.session.commit()
    return blob
