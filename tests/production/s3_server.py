"""A real S3-compatible server (SeaweedFS's `weed`, installed into the venv from PyPI by `make deps`) on 127.0.0.1,
on free ports and its own data directory, for the tests of the object store backend."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.production.server_process import free_port

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY, SECRET_KEY = "field-test-key", "field-test-secret-" + "s" * 24


class S3Server:
    """`weed server` with a master, a volume server, a filer and the S3 gateway, all on loopback."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self.port = free_port()
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        """Start it and wait until the S3 gateway answers."""
        (self.data_dir / "data").mkdir(parents=True, exist_ok=True)
        identities = self.data_dir / "s3.json"
        identities.write_text(json.dumps({"identities": [{
            "name": "app", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        self.log = open(self.data_dir / "weed.log", "wb")
        self.process = subprocess.Popen([
            str(WEED), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.data_dir / 'data'}",
            f"-master.port={ports['master']}", f"-master.port.grpc={free_port()}",
            f"-volume.port={ports['volume']}", f"-volume.port.grpc={free_port()}",
            "-volume.max=100", "-volume.preStopSeconds=0",
            "-master.volumeSizeLimitMB=64", "-filer", f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={free_port()}", f"-filer.localSocket={self.data_dir / 'filer.sock'}",
            "-s3", f"-s3.port={self.port}", f"-s3.port.grpc={free_port()}", f"-s3.config={identities}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
        ], stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited: {(self.data_dir / 'weed.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(self.endpoint, timeout=1)
            except urllib.error.HTTPError:
                return self  # 403 to an anonymous request: the gateway is up and checks signatures
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the S3 server did not start")

    def client(self):
        from server.media.s3 import s3_client
        return s3_client(self.endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY)

    def config(self, bucket, prefix=""):
        """App settings for a blob store in `bucket` under `prefix`."""
        return {"BLOB_STORE": f"s3://{bucket}/{prefix}".rstrip("/"), "S3_ENDPOINT_URL": self.endpoint,
                "S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:  # its data directory is thrown away: no need to wait out its 15-second graceful shutdown
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
