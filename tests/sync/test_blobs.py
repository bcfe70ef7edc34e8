"""Photos as evidence: resumable uploads over a poor connection, verified, deduplicated, kept byte-exact."""
import base64
import hashlib
import io
import struct
import zlib

import sqlalchemy as sa
from PIL import Image

from server.extensions import db
from server.media import LocalBlobStorage
from server.models import Blob

from tests.support import enterprise_in, error_of, login
from tests.sync.tablets import Tablet, visit_fields


def _photo(width=2400, height=1800, orientation=None):
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for x in range(0, width, 8):
        for y in range(0, height, 8):
            pixels[x, y] = ((x * 7) % 256, (y * 3) % 256, (x + y) % 256)
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(buffer, "JPEG", quality=88, exif=exif.tobytes())
    return buffer.getvalue()


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _download(caller, sha256, variant):
    """The bytes of a variant (the response is closed: the server streams the file)."""
    with caller.get(f"/api/blobs/{sha256}?variant={variant}") as response:
        assert response.status_code == 200
        return response.data


def _start(caller, data, mime="image/jpeg"):
    response = caller.post("/api/blobs/uploads", json={"sha256": _sha(data), "size": len(data), "mime": mime})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _send(caller, upload_id, offset, chunk, checksum=True):
    headers = {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
    if checksum:
        headers["Upload-Checksum"] = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
    return caller.patch(f"/api/blobs/uploads/{upload_id}", data=chunk, headers=headers)


def _upload(caller, data, chunk=64 * 1024):
    state = _start(caller, data)
    if state["exists"]:
        return state
    for offset in range(0, len(data), chunk):
        assert _send(caller, state["upload_id"], offset, data[offset:offset + chunk]).status_code == 200
    return caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish").get_json()


def test_an_interrupted_upload_resumes_from_the_servers_offset_and_stays_byte_exact(client):
    caller = login(client, "lh_inspector")
    photo = _photo()
    state = _start(caller, photo)
    half = len(photo) // 2
    assert _send(caller, state["upload_id"], 0, photo[:half]).get_json()["offset"] == half
    # The connection drops; later the tablet asks where to continue.
    offset = caller.get(f"/api/blobs/uploads/{state['upload_id']}").get_json()["offset"]
    assert offset == half
    assert _send(caller, state["upload_id"], offset, photo[offset:]).status_code == 200
    finished = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    assert finished.status_code == 200 and finished.get_json()["sha256"] == _sha(photo)
    assert caller.head(f"/api/blobs/{_sha(photo)}").status_code == 200
    assert _download(caller, _sha(photo), "original") == photo
    display = Image.open(io.BytesIO(_download(caller, _sha(photo), "display")))
    assert max(display.size) == 1600


def test_a_chunk_sent_at_the_wrong_offset_is_answered_with_the_offset_to_resume_from(client):
    caller = login(client, "lh_inspector")
    photo = _photo(800, 600)
    state = _start(caller, photo)
    _send(caller, state["upload_id"], 0, photo[:1000])
    response = _send(caller, state["upload_id"], 4000, photo[4000:5000])
    assert response.status_code == 409
    assert "1000" in str(error_of(response)["details"])


def test_a_corrupted_chunk_is_refused_and_the_offset_does_not_move(client):
    caller = login(client, "lh_inspector")
    photo = _photo(800, 600)
    state = _start(caller, photo)
    chunk = bytearray(photo[:2000])
    good_checksum = base64.b64encode(hashlib.sha256(bytes(chunk)).digest()).decode()
    chunk[100] ^= 0xFF  # one byte damaged on the way
    response = caller.patch(f"/api/blobs/uploads/{state['upload_id']}", data=bytes(chunk),
                            headers={"Upload-Offset": "0", "Upload-Checksum": good_checksum})
    assert response.status_code == 422 and error_of(response)["code"] == "CHUNK_CORRUPT"
    assert caller.get(f"/api/blobs/uploads/{state['upload_id']}").get_json()["offset"] == 0


def test_bytes_that_do_not_match_the_declared_hash_are_never_published(client):
    caller = login(client, "lh_inspector")
    photo = _photo(800, 600)
    state = _start(caller, photo)
    tampered = photo[:-10] + b"\x00" * 10
    _send(caller, state["upload_id"], 0, tampered, checksum=False)
    response = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    assert response.status_code == 422 and error_of(response)["code"] == "HASH_MISMATCH"
    assert caller.head(f"/api/blobs/{_sha(photo)}").status_code == 404


def test_the_same_photo_from_two_devices_is_stored_once(app, client):
    first = login(client, "lh_inspector")
    photo = _photo(1200, 900)
    assert _upload(first, photo)["sha256"] == _sha(photo)
    again = _start(login(client, "lh_inspector", device_id=None), photo)  # the same inspector's other tablet
    assert again["exists"] is True and again["upload_id"] is None
    # A colleague who has the same bytes sends them once (that is how the server knows they hold the file, and
    # the answer tells nobody which files the server keeps); the file is still kept once.
    colleague = login(client, "lh_inspector2")
    assert _start(colleague, photo)["exists"] is False
    assert _upload(colleague, photo)["sha256"] == _sha(photo)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Blob)) == 1
    assert len(list(LocalBlobStorage(app.config["BLOB_ROOT"]).iter_hashes("original"))) == 1
    assert _start(colleague, photo)["exists"] is True


def test_files_that_are_not_photos_are_refused(client):
    caller = login(client, "lh_inspector")
    pdf = b"%PDF-1.4\n" + b"0" * 5000
    state = _start(caller, pdf)
    _send(caller, state["upload_id"], 0, pdf)
    response = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    assert response.status_code == 422 and error_of(response)["code"] == "NOT_AN_IMAGE"


def _png_bomb(width=30000, height=30000):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + \
        chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused(client):
    caller = login(client, "lh_inspector")
    bomb = _png_bomb()
    state = _start(caller, bomb, mime="image/png")
    _send(caller, state["upload_id"], 0, bomb)
    response = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    assert response.status_code == 422 and error_of(response)["code"] == "IMAGE_TOO_MANY_PIXELS"


def test_an_oversize_file_is_refused_before_any_byte_is_sent(client):
    caller = login(client, "lh_inspector")
    response = caller.post("/api/blobs/uploads", json={"sha256": "b" * 64, "size": 500 * 1024 * 1024,
                                                        "mime": "image/jpeg"})
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "size"


def test_a_rotated_phone_photo_gets_an_upright_display_copy_and_an_untouched_original(client):
    caller = login(client, "lh_inspector")
    photo = _photo(1600, 1200, orientation=6)
    _upload(caller, photo)
    display = Image.open(io.BytesIO(_download(caller, _sha(photo), "display")))
    assert display.size == (1200, 1600)
    assert _download(caller, _sha(photo), "original") == photo


def test_a_record_may_reference_a_photo_not_uploaded_yet(client):
    tablet = Tablet(login(client, "lh_sampler"))
    photo = _photo(1000, 750)
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    attachment = tablet.create("attachment", {"field": "escort_signature", "sha256": _sha(photo),
                                              "mime": "image/jpeg", "kind": "signature"}, parent=visit)
    assert [r["status"] for r in tablet.push()["results"]] == ["applied", "applied"]
    tablet.pull()
    assert tablet.replica[attachment]["payload"]["computed"] == {"uploaded": False}
    _upload(tablet.caller, photo)
    tablet.pull()
    assert tablet.replica[attachment]["payload"]["computed"] == {"uploaded": True}


def test_photos_of_another_district_cannot_be_downloaded(client):
    owner = Tablet(login(client, "lh_sampler"))
    photo = _photo(900, 700)
    visit = owner.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    owner.create("attachment", {"field": "escort_signature", "sha256": _sha(photo), "mime": "image/jpeg"},
                 parent=visit)
    owner.push()
    _upload(owner.caller, photo)
    assert _download(login(client, "lh_supervisor"), _sha(photo), "thumb")
    assert login(client, "dg_sampler").get(f"/api/blobs/{_sha(photo)}").status_code == 404


def test_a_finish_sent_again_after_its_answer_was_lost_gets_the_same_blob(client):
    caller = login(client, "lh_inspector")
    photo = _photo(800, 600)
    state = _start(caller, photo)
    assert _send(caller, state["upload_id"], 0, photo).status_code == 200
    first = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")
    # The answer never reached the tablet (the 4G dropped): it sends the finish again, perhaps to another host.
    again = caller.post(f"/api/blobs/uploads/{state['upload_id']}/finish")

    assert first.status_code == again.status_code == 200 and again.get_json() == first.get_json()
    assert caller.get(f"/api/blobs/uploads/{state['upload_id']}").get_json()["offset"] == len(photo)
    late_chunk = _send(caller, state["upload_id"], len(photo), b"more")
    assert late_chunk.status_code == 409 and error_of(late_chunk)["code"] == "UPLOAD_FINISHED"
    assert _download(caller, _sha(photo), "original") == photo
    assert db.session.query(Blob).filter_by(sha256=_sha(photo)).count() == 1
