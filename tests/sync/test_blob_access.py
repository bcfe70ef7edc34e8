"""Photos and signatures open only to those who may read the record they belong to: knowing a SHA-256 is not
holding the file, a role's pull carries the attachments of the records it reads and no others, and nothing
tells a caller which files the server keeps."""
import uuid

from tests.issuing.inspections import complete_inspection
from tests.support import login, upload_blob
from tests.sync.test_blobs import _photo, _sha, _start, _upload
from tests.sync.tablets import Tablet


def _inspection_with_photo(client):
    inspector = login(client, "lh_inspector")
    photo = _photo(800, 600)
    sha = upload_blob(inspector, photo, "image/jpeg")
    complete_inspection(client, inspector, photo_sha=sha)
    return photo, sha


def test_a_known_hash_attached_to_ones_own_record_does_not_open_the_photo(client):
    photo, sha = _inspection_with_photo(client)
    follow = login(client, "lh_followup")  # same district, another agency's role
    tablet = Tablet(follow)
    patient = tablet.create("followup", {"case_no": "FU-9", "patient_name": "患者甲", "followup_date": "2026-04-10",
                                         "vital_status": "alive"})
    tablet.create("attachment", {"field": "photos", "sha256": sha, "mime": "image/jpeg", "kind": "photo"},
                  parent=patient)
    assert {r["status"] for r in tablet.push()["results"]} == {"applied"}
    assert follow.get(f"/api/blobs/{sha}?variant=original").status_code == 404
    assert follow.head(f"/api/blobs/{sha}").status_code == 404
    # Upload-start does not say the server has it: the caller has to send the bytes.
    assert _start(follow, photo)["exists"] is False
    # The supervisor who reads the inspection sees the photo.
    with login(client, "lh_supervisor").get(f"/api/blobs/{sha}?variant=original") as response:
        assert response.status_code == 200 and response.data == photo


def test_sending_the_bytes_proves_holding_them(client):
    photo, sha = _inspection_with_photo(client)
    sampler = login(client, "lh_sampler")
    assert sampler.get(f"/api/blobs/{sha}?variant=original").status_code == 404
    assert _upload(sampler, photo)["sha256"] == _sha(photo)
    with sampler.get(f"/api/blobs/{sha}?variant=original") as response:
        assert response.status_code == 200 and response.data == photo


def test_a_role_pulls_the_attachments_of_the_records_it_reads_and_no_others(client):
    _, sha = _inspection_with_photo(client)
    follow = Tablet(login(client, "lh_followup"))
    pulled = follow.pull()
    assert not [c for c in pulled if c.get("entity") == "attachment"]
    assert not [c for c in pulled if c.get("entity") in ("inspection", "finding")]
    inspector = Tablet(login(client, "lh_inspector"))
    attachments = [c for c in inspector.pull() if c.get("entity") == "attachment"]
    assert sha in {c["data"]["sha256"] for c in attachments}
    assert uuid.UUID(attachments[0]["id"])
