"""Photo blobs on the server: stored by SHA-256, written atomically, uploaded in resumable chunks."""

import hashlib
import os
import stat

import pytest

from server.domain.errors import Conflict, Invalid, NotFound
from server.media import LocalBlobStorage, OffsetMismatch, UploadStaging, new_upload_id

PHOTO = os.urandom(300_000)
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
def blobs(tmp_path):
    return LocalBlobStorage(tmp_path / "blobs")


@pytest.fixture
def staging(tmp_path):
    return UploadStaging(tmp_path / "staging")


def leftovers(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.startswith(".tmp"))


def test_original_is_stored_under_its_hash_and_read_back_byte_exact(blobs, tmp_path):
    blobs.put_bytes(PHOTO_SHA, "original", PHOTO)

    path = tmp_path / "blobs" / "original" / PHOTO_SHA[:2] / PHOTO_SHA[2:4] / PHOTO_SHA
    assert blobs.path_for(PHOTO_SHA) == path and path.is_file()
    assert blobs.exists(PHOTO_SHA) and not blobs.exists(PHOTO_SHA, "display")
    assert blobs.read(PHOTO_SHA) == PHOTO and blobs.size(PHOTO_SHA) == len(PHOTO)
    with blobs.open(PHOTO_SHA, "original") as f:
        assert hashlib.sha256(f.read()).hexdigest() == PHOTO_SHA
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(path.parent) == []


def test_derived_copies_are_filed_under_the_originals_hash(blobs):
    blobs.put_bytes(PHOTO_SHA, "display", b"display jpeg")
    blobs.put_bytes(PHOTO_SHA, "thumb", b"thumb jpeg")

    assert blobs.read(PHOTO_SHA, "display") == b"display jpeg"
    assert blobs.read(PHOTO_SHA, "thumb") == b"thumb jpeg"
    assert not blobs.exists(PHOTO_SHA, "original")


def test_original_whose_content_does_not_match_its_name_is_refused_and_nothing_is_stored(blobs, tmp_path):
    other = hashlib.sha256(b"another photo").hexdigest()

    with pytest.raises(Invalid) as caught:
        blobs.put_bytes(other, "original", PHOTO)

    assert caught.value.code == "HASH_MISMATCH"
    assert caught.value.details[0]["actual"] == PHOTO_SHA
    assert not blobs.exists(other)
    source = tmp_path / "upload.bin"
    source.write_bytes(PHOTO)
    with pytest.raises(Invalid, match="哈希"):
        blobs.put_file(other, "original", source)
    assert not blobs.exists(other) and leftovers(blobs.path_for(other).parent) == []


@pytest.mark.parametrize("name", [
    "../../../etc/passwd",
    "..",
    "",
    PHOTO_SHA.upper(),
    PHOTO_SHA[:63],
    PHOTO_SHA + "0",
    PHOTO_SHA + "\n",
    PHOTO_SHA[:62] + "/x",
    "/" + PHOTO_SHA[1:],
    "g" * 64,
    None,
])
def test_names_that_are_not_a_sha256_never_reach_the_file_system(blobs, name, tmp_path):
    for call in (lambda: blobs.exists(name), lambda: blobs.read(name), lambda: blobs.path_for(name),
                 lambda: blobs.put_bytes(name, "display", b"x"), lambda: blobs.delete(name)):
        with pytest.raises(Invalid) as caught:
            call()
        assert caught.value.code == "INVALID_HASH"
    assert not (tmp_path / "blobs").exists()


@pytest.mark.parametrize("variant", ["../original", "originals", "", "display/../../x"])
def test_unknown_variants_are_refused(blobs, variant):
    with pytest.raises(Invalid) as caught:
        blobs.put_bytes(PHOTO_SHA, variant, b"x")
    assert caught.value.code == "UNKNOWN_VARIANT"


def test_replacing_a_display_copy_is_atomic_for_readers(blobs):
    blobs.put_bytes(PHOTO_SHA, "display", b"first rendering " * 1000)
    reader = blobs.open(PHOTO_SHA, "display")

    blobs.put_bytes(PHOTO_SHA, "display", b"second rendering")

    with reader:
        assert reader.read() == b"first rendering " * 1000, "an open reader keeps a whole, old copy"
    assert blobs.read(PHOTO_SHA, "display") == b"second rendering"
    assert leftovers(blobs.path_for(PHOTO_SHA, "display").parent) == []


def test_a_write_that_fails_midway_leaves_the_stored_copy_intact(blobs, tmp_path):
    blobs.put_bytes(PHOTO_SHA, "display", b"good copy")

    with pytest.raises(FileNotFoundError):
        blobs.put_file(PHOTO_SHA, "display", tmp_path / "vanished.jpg")

    assert blobs.read(PHOTO_SHA, "display") == b"good copy"
    assert leftovers(blobs.path_for(PHOTO_SHA, "display").parent) == []


def test_missing_blob_is_not_found_and_delete_is_idempotent(blobs):
    for call in (lambda: blobs.read(PHOTO_SHA), lambda: blobs.size(PHOTO_SHA, "thumb")):
        with pytest.raises(NotFound) as caught:
            call()
        assert caught.value.code == "BLOB_NOT_FOUND"
    blobs.put_bytes(PHOTO_SHA, "thumb", b"t")

    assert blobs.delete(PHOTO_SHA, "thumb") is True
    assert blobs.delete(PHOTO_SHA, "thumb") is False


def test_housekeeping_lists_stored_hashes_only(blobs):
    contents = {hashlib.sha256(bytes([i])).hexdigest(): bytes([i]) for i in range(5)}
    for sha, data in contents.items():
        blobs.put_bytes(sha, "original", data)
    shas = sorted(contents)
    stray_dir = blobs.path_for(shas[0]).parent
    (stray_dir / ".tmp-abandoned").write_bytes(b"half a photo")
    (stray_dir / shas[1]).write_bytes(b"filed in the wrong directory")

    assert list(blobs.iter_hashes()) == shas
    assert list(blobs.iter_hashes("display")) == []


def test_chunk_sent_at_the_wrong_offset_is_refused_with_the_offset_to_resume_from(staging):
    upload = new_upload_id()
    staging.create(upload)
    staging.append(upload, 0, PHOTO[:1000])

    with pytest.raises(OffsetMismatch) as caught:
        staging.append(upload, 5000, PHOTO[5000:6000])

    assert isinstance(caught.value, Conflict)
    assert caught.value.expected_offset == 1000
    assert caught.value.details[0]["expected_offset"] == 1000 and caught.value.code == "UPLOAD_OFFSET_MISMATCH"
    assert staging.size(upload) == 1000


def test_upload_interrupted_on_a_poor_connection_resumes_and_is_published_verified(staging, blobs):
    upload = new_upload_id()
    staging.create(upload)
    chunk = 64 * 1024
    staging.append(upload, 0, PHOTO[:chunk])
    staging.append(upload, chunk, PHOTO[chunk:2 * chunk])  # stored, but the response was lost in the tunnel

    with pytest.raises(OffsetMismatch) as caught:  # the tablet retries the chunk it thinks failed
        staging.append(upload, chunk, PHOTO[chunk:2 * chunk])
    offset = staging.size(upload)
    assert offset == caught.value.expected_offset == 2 * chunk
    while offset < len(PHOTO):
        offset = staging.append(upload, offset, PHOTO[offset:offset + chunk])

    with staging.staged(upload) as path:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == PHOTO_SHA
        blobs.put_file(PHOTO_SHA, "original", path)
    assert staging.discard(upload) is True
    assert blobs.read(PHOTO_SHA) == PHOTO
    with pytest.raises(NotFound):
        staging.size(upload)


@pytest.mark.parametrize("upload_id", [
    "../../blobs/original", "short", "a" * 65, "x/" * 10, "abc def ghi jkl mno", "", None,
])
def test_upload_ids_that_could_escape_the_staging_directory_are_refused(staging, upload_id):
    for call in (lambda: staging.create(upload_id), lambda: staging.append(upload_id, 0, b"x"),
                 lambda: staging.discard(upload_id)):
        with pytest.raises(Invalid) as caught:
            call()
        assert caught.value.code == "INVALID_UPLOAD_ID"


def test_unknown_or_duplicate_uploads_and_bad_offsets_are_refused(staging):
    upload = new_upload_id()
    with pytest.raises(NotFound):
        staging.append(upload, 0, b"x")
    staging.create(upload)
    with pytest.raises(Conflict) as caught:
        staging.create(upload)
    assert caught.value.code == "UPLOAD_EXISTS"
    with pytest.raises(Invalid) as caught:
        staging.append(upload, -1, b"x")
    assert caught.value.code == "INVALID_OFFSET"


def test_upload_beyond_the_size_limit_is_refused(tmp_path):
    staging = UploadStaging(tmp_path / "staging", max_bytes=1500)
    upload = new_upload_id()
    staging.create(upload)
    staging.append(upload, 0, PHOTO[:1000])

    with pytest.raises(Invalid) as caught:
        staging.append(upload, 1000, PHOTO[1000:2000])

    assert caught.value.code == "UPLOAD_TOO_LARGE" and staging.size(upload) == 1000
    assert [(u, size) for u, size, _ in staging.iter_uploads()] == [(upload, 1000)]
