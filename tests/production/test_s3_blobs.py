"""Photos, signatures and issued PDFs in an S3 bucket shared by several app hosts (a real S3 server, SeaweedFS).

An inspector's tablet uploads over poor 4G in chunks that the load balancer may send to any host; the photo is
published once, verified against its hash, and every host serves it byte-exact.
"""
import base64
import datetime as dt
import hashlib
import io
import random
import tarfile
import urllib.request

from PIL import Image

from server import backups
from server.clock import host_now
from server.extensions import db
from server.media import S3BlobStorage, blob_storage, new_upload_id, upload_staging
from server.models import Blob, DocumentFile
from server.sync.housekeeping import collect_orphan_blobs, discard_stale_uploads
from tests.issuing.test_published_documents import _issued_opinion
from tests.support import Caller, login, upload_blob

CHUNK = 64 * 1024


def _photo(seed):
    """A noisy 800×600 JPEG (a few hundred KB: several chunks), different for each seed."""
    noise = Image.frombytes("RGB", (800, 600), random.Random(seed).randbytes(800 * 600 * 3))
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=90)
    return out.getvalue()


def _keys(s3_server, prefix, under=""):
    listing = s3_server.client().list_objects_v2(Bucket=s3_server.bucket, Prefix=f"{prefix}/{under}")
    return sorted(item["Key"][len(prefix) + 1:] for item in listing.get("Contents", []))


def _start(caller, data, sha=None):
    response = caller.post("/api/blobs/uploads", json={"sha256": sha or hashlib.sha256(data).hexdigest(),
                                                       "size": len(data), "mime": "image/jpeg"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _send(caller, upload_id, offset, chunk):
    return caller.patch(f"/api/blobs/uploads/{upload_id}", data=chunk, headers={
        "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": base64.b64encode(hashlib.sha256(chunk).digest()).decode()})


def _download(caller, sha, variant="original"):
    with caller.get(f"/api/blobs/{sha}?variant={variant}") as response:
        assert response.status_code == 200, response.status_code
        return response.data


def test_a_photo_uploaded_in_chunks_goes_to_the_bucket_and_comes_back_byte_exact(client, s3_store, app, tmp_path):
    s3_server, prefix = s3_store
    inspector = login(client, "lh_inspector")
    photo = _photo(5)
    sha = hashlib.sha256(photo).hexdigest()
    state = _start(inspector, photo)
    for offset in range(0, CHUNK * 2, CHUNK):
        assert _send(inspector, state["upload_id"], offset, photo[offset:offset + CHUNK]).status_code == 200
    # The chunks are objects in the bucket, named by offset: any host can continue the upload.
    assert _keys(s3_server, prefix, "staging/") == [f"staging/{state['upload_id']}/{name}" for name in
                                                     (".created", f"{0:015d}", f"{CHUNK:015d}")]
    # The connection drops; the tablet asks where to resume and resends the chunk it is unsure of.
    assert inspector.get(f"/api/blobs/uploads/{state['upload_id']}").get_json()["offset"] == 2 * CHUNK
    resent = _send(inspector, state["upload_id"], CHUNK, photo[CHUNK:2 * CHUNK])
    assert resent.status_code == 409 and resent.get_json()["error"]["details"][0]["expected_offset"] == 2 * CHUNK
    for offset in range(2 * CHUNK, len(photo), CHUNK):
        assert _send(inspector, state["upload_id"], offset, photo[offset:offset + CHUNK]).status_code == 200
    finished = inspector.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    assert finished.status_code == 200 and finished.get_json()["sha256"] == sha

    assert _download(inspector, sha) == photo
    assert Image.open(io.BytesIO(_download(inspector, sha, "display"))).format == "JPEG"
    assert _keys(s3_server, prefix) == [f"{variant}/{sha[:2]}/{sha[2:4]}/{sha}"
                                        for variant in ("display", "original", "thumb")]  # staging is emptied
    assert not (tmp_path / "blobs").exists()  # nothing on this host's disk


def test_chunks_sent_alternately_to_two_hosts_are_published_once(app_factory, s3_server, tmp_path):
    bucket = s3_server.config(s3_server.bucket, "two-hosts")
    host_a = app_factory(BLOB_ROOT=str(tmp_path / "a"), **bucket)
    host_b = app_factory(BLOB_ROOT=str(tmp_path / "b"), **bucket)
    caller_a = login(host_a.test_client(), "lh_inspector")
    caller_b = Caller(host_b.test_client(), "lh_inspector", caller_a.tokens)  # the same tablet, another host
    photo = _photo(6)
    sha = hashlib.sha256(photo).hexdigest()
    state = _start(caller_a, photo)
    for number, offset in enumerate(range(0, len(photo), CHUNK)):
        caller = caller_a if number % 2 == 0 else caller_b
        assert _send(caller, state["upload_id"], offset, photo[offset:offset + CHUNK]).status_code == 200
    assert caller_b.post(f"/api/blobs/uploads/{state['upload_id']}/finish").status_code == 200
    assert _download(caller_a, sha) == photo and _download(caller_b, sha) == photo
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_bytes_that_do_not_match_their_hash_are_refused_and_nothing_is_published(client, s3_store):
    s3_server, prefix = s3_store
    inspector = login(client, "lh_inspector")
    photo = _photo(7)
    claimed = hashlib.sha256(photo).hexdigest()
    damaged = photo[:1000] + bytes([photo[1000] ^ 0xFF]) + photo[1001:]
    state = _start(inspector, damaged, sha=claimed)
    for offset in range(0, len(damaged), CHUNK):
        assert _send(inspector, state["upload_id"], offset, damaged[offset:offset + CHUNK]).status_code == 200

    refused = inspector.post(f"/api/blobs/uploads/{state['upload_id']}/finish")

    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "HASH_MISMATCH"
    assert _keys(s3_server, prefix) == []  # neither a blob nor the staged chunks
    assert db.session.get(Blob, claimed) is None
    assert inspector.get(f"/api/blobs/{claimed}?variant=original").status_code == 404


def test_the_same_photo_uploaded_by_two_inspectors_is_stored_once(client, s3_store, app):
    s3_server, prefix = s3_store
    photo = _photo(8)
    sha = upload_blob(login(client, "lh_inspector"), photo, "image/jpeg")
    storage = blob_storage(app.config)
    written = storage.modified_at(sha)
    # Another inspector's tablet took the same file: it sends the bytes (proving it holds them), nothing is rewritten.
    other = login(client, "lh_inspector2")
    assert upload_blob(other, photo, "image/jpeg") == sha
    assert _download(other, sha) == photo
    assert storage.modified_at(sha) == written
    assert [key for key in _keys(s3_server, prefix) if key.startswith("original/")] == [
        f"original/{sha[:2]}/{sha[2:4]}/{sha}"]
    storage.put_bytes(sha, "original", photo)  # a second publication of the same hash leaves the first in place
    assert storage.modified_at(sha) == written
    assert db.session.query(Blob).filter_by(sha256=sha).count() == 1


def test_an_issued_pdf_is_stored_in_the_bucket_and_downloads_from_it(client, s3_store, app):
    s3_server, prefix = s3_store
    inspector, _, _, document = _issued_opinion(client)
    with inspector.get(f"/api/documents/{document['id']}/pdf") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        pdf = response.data
    stored = db.session.get(DocumentFile, document["id"])
    assert hashlib.sha256(pdf).hexdigest() == stored.pdf_sha256
    sha = stored.pdf_sha256
    obj = s3_server.client().get_object(Bucket=s3_server.bucket, Key=f"{prefix}/original/{sha[:2]}/{sha[2:4]}/{sha}")
    assert obj["Body"].read() == pdf
    with inspector.get(f"/api/documents/{document['id']}/pdf") as again:  # served from the bucket, not re-rendered
        assert again.data == pdf


def test_orphan_collection_removes_unreferenced_objects_and_keeps_evidence(client, s3_store, app):
    s3_server, prefix = s3_store
    inspector, _, _, document = _issued_opinion(client)
    with inspector.get(f"/api/documents/{document['id']}/pdf"):
        pass
    orphan = upload_blob(inspector, _photo(9), "image/jpeg")  # uploaded, never attached to a record
    storage = blob_storage(app.config)
    before = set(storage.iter_hashes("original"))
    now = host_now()
    assert collect_orphan_blobs(db.session, storage, older_than=dt.timedelta(days=7), now=now) == []

    removed = collect_orphan_blobs(db.session, storage, older_than=dt.timedelta(days=7),
                                   now=now + dt.timedelta(days=30))
    db.session.commit()

    assert removed == [orphan]
    assert not any(orphan in key for key in _keys(s3_server, prefix))
    assert set(storage.iter_hashes("original")) == before - {orphan}
    assert db.session.get(DocumentFile, document["id"]).pdf_sha256 in before - {orphan}
    with inspector.get(f"/api/documents/{document['id']}/pdf") as response:
        assert response.status_code == 200


def test_abandoned_uploads_are_cleared_from_the_bucket(client, s3_store, app):
    s3_server, prefix = s3_store
    inspector = login(client, "lh_inspector")
    photo = _photo(13)
    started = _start(inspector, photo)
    assert _send(inspector, started["upload_id"], 0, photo[:CHUNK]).status_code == 200
    stray = new_upload_id()  # chunks whose upload the database does not know (e.g. after a restore)
    upload_staging(app.config).create(stray)
    staging = upload_staging(app.config)
    assert discard_stale_uploads(db.session, staging, older_than=dt.timedelta(days=3), now=host_now()) == 0
    assert discard_stale_uploads(db.session, staging, older_than=dt.timedelta(days=3),
                                 now=host_now() + dt.timedelta(days=4)) == 2
    db.session.commit()
    assert _keys(s3_server, prefix, "staging/") == []
    assert inspector.get(f"/api/blobs/uploads/{started['upload_id']}").status_code == 404


def test_a_backup_holds_the_buckets_objects_and_a_restore_puts_them_back(client, s3_store, app, tmp_path):
    s3_server, prefix = s3_store
    inspector = login(client, "lh_inspector")
    kept = _photo(10)
    sha = upload_blob(inspector, kept, "image/jpeg")
    folder = backups.backup(app, tmp_path / "backups")
    with tarfile.open(folder / "blobs.tar.gz") as archive:
        names = set(archive.getnames())
        assert archive.extractfile(f"blobs/original/{sha[:2]}/{sha[2:4]}/{sha}").read() == kept
    assert {f"blobs/{v}/{sha[:2]}/{sha[2:4]}/{sha}" for v in ("original", "display", "thumb")} <= names
    later = upload_blob(inspector, _photo(11), "image/jpeg")  # after the backup
    blob_storage(app.config).delete(sha, "original")  # an object lost from the bucket

    backups.restore(app, folder)

    assert _keys(s3_server, prefix, "original/") == [f"original/{sha[:2]}/{sha[2:4]}/{sha}"]
    inspector = login(app.test_client(), "lh_inspector")
    assert _download(inspector, sha) == kept
    assert inspector.head(f"/api/blobs/{later}").status_code == 404


def test_downloads_can_redirect_to_a_short_lived_signed_url(client, s3_store, app):
    inspector = login(client, "lh_inspector")
    photo = _photo(12)
    sha = upload_blob(inspector, photo, "image/jpeg")
    streamed = inspector.get(f"/api/blobs/{sha}?variant=original")
    assert streamed.status_code == 200 and streamed.content_length == len(photo)
    app.config["BLOB_PRESIGNED_SECONDS"] = 60
    response = inspector.get(f"/api/blobs/{sha}?variant=original")
    assert response.status_code == 302
    with urllib.request.urlopen(response.headers["Location"], timeout=10) as signed:
        assert signed.read() == photo and signed.headers["Content-Type"] == "image/jpeg"


def test_readiness_fails_when_the_bucket_is_missing(client, s3_store, app):
    assert client.get("/readyz").status_code == 200
    app.config["BLOB_STORE"] = "s3://no-such-bucket-here"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "NOT_READY"
    assert isinstance(blob_storage(app.config), S3BlobStorage)
