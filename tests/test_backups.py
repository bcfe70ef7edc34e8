"""Backup and restore: the data and the photos come back, and every device resynchronises."""
import hashlib
import io
import tarfile

import pytest

from server import backups
from server.extensions import db
from server.models import Record
from server.sync.changes import current_state
from tests.issuing.test_published_documents import _photo
from tests.support import enterprise_in, login, upload_blob
from tests.sync.tablets import Tablet, sample_fields, visit_fields


def test_restore_brings_back_data_and_photos_and_forces_devices_to_resync(app, client, tmp_path):
    tablet = Tablet(login(client, "lh_sampler"))
    photo = _photo(3)
    sha = upload_blob(tablet.caller, photo, "image/jpeg")
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.create("attachment", {"field": "escort_signature", "sha256": sha, "mime": "image/jpeg"}, parent=visit)
    tablet.push()
    tablet.pull()
    old_epoch = current_state(db.session)[0]
    db.session.rollback()
    folder = backups.backup(app, tmp_path / "backups")
    after_backup = tablet.create("sample", sample_fields("BK-001"), parent=visit)
    tablet.push()
    assert db.session.get(Record, after_backup) is not None

    new_epoch = backups.restore(app, folder)
    assert new_epoch != old_epoch
    assert db.session.get(Record, visit) is not None
    assert db.session.get(Record, after_backup) is None  # made after the backup: gone with the restore
    with tablet.caller.get(f"/api/blobs/{sha}?variant=original") as response:
        assert hashlib.sha256(response.data).hexdigest() == sha
    body = tablet.caller.get(f"/api/sync/pull?cursor={tablet.cursor}").get_json()
    assert body["reset"] is True and body["reset_reason"] == "epoch"
    assert body["last_client_seq"] == 2  # the server forgot seq 3: the device re-sends from there
    tablet.create("sample", sample_fields("BK-002"), parent=visit)
    gap = tablet.push(expect=409)
    assert gap["error"]["code"] == "SEQ_GAP" and gap["error"]["details"][0]["expected"] == 3


def test_backup_and_restore_commands(runner, tmp_path):
    result = runner.invoke(args=["backup", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = next(tmp_path.glob("backup-*"))
    assert (folder / "manifest.json").exists() and (folder / "blobs.tar.gz").exists()
    refused = runner.invoke(args=["restore", "--from", str(folder)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert runner.invoke(args=["restore", "--from", str(folder), "--yes"]).exit_code == 0


def test_a_tampered_blob_archive_is_refused_and_nothing_is_replaced(app, client, tmp_path):
    tablet = Tablet(login(client, "lh_sampler"))
    sha = upload_blob(tablet.caller, _photo(4), "image/jpeg")
    visit = tablet.create("sampling_visit", visit_fields(enterprise_in("临河区").id))
    tablet.push()
    folder = backups.backup(app, tmp_path / "backups")
    with tarfile.open(folder / "blobs.tar.gz", "w:gz") as archive:  # what an attacker could put in a backup
        escape = tarfile.TarInfo("blobs/../../outside.txt")
        escape.size = 4
        archive.addfile(escape, io.BytesIO(b"evil"))
    made_after = tablet.create("sample", sample_fields("BK-003"), parent=visit)
    tablet.push()

    with pytest.raises(ValueError, match="blobs/../../outside.txt"):
        backups.restore(app, folder)
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path.parent / "outside.txt").exists()
    assert db.session.get(Record, made_after) is not None  # the database was not replaced
    with tablet.caller.get(f"/api/blobs/{sha}?variant=original") as response:
        assert response.status_code == 200  # nor the photos
