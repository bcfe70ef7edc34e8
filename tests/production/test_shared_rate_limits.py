"""Login limits hold across app hosts when they count in one Redis (RATELIMIT_STORAGE_URI=redis://…).

Host A is an app in this process, host B an app in another process (as on a second machine behind the load
balancer): with Redis the attempts made on either count against the same limit; with the default memory:// each
host counts only its own.
"""
import json
import os
import socket
import subprocess
import sys
import uuid

import pytest

from tests.conftest import _overrides
from tests.production.server_process import ROOT

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = {"LOGIN_RATE_LIMIT": "3 per minute"}
HOST_B = """
import json, sys
from server import create_app
app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
print(json.dumps([client.post("/api/auth/login", json={"username": "lh_sampler", "password": "bad-password"}
                              ).status_code for _ in range(int(sys.argv[2]))]))
"""


@pytest.fixture
def redis_prefix(app_factory):
    """A key prefix of this test's own in the Redis on 127.0.0.1:6379 (`.ci/run` starts it), removed after."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379 (`.ci/run` starts it)")
    import redis

    prefix = f"test-limits-{uuid.uuid4().hex[:12]}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)
    connection.close()
    app_factory()  # the limiter is one object per process: the tests that follow count in memory again


def _attempts(app, count):
    client = app.test_client()
    return [client.post("/api/auth/login", json={"username": "lh_sampler", "password": "bad-password"}).status_code
            for _ in range(count)]


def _attempts_on_another_host(settings, count):
    done = subprocess.run([sys.executable, "-c", HOST_B, json.dumps(settings), str(count)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _settings(tmp_path, fresh_database, **extra):
    return {**_overrides(tmp_path / "host-b", fresh_database.url), **LIMIT, **extra}


def test_login_attempts_on_two_hosts_count_against_one_limit_in_redis(app_factory, fresh_database, tmp_path,
                                                                      redis_prefix):
    shared = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_STORAGE_PREFIX": redis_prefix}
    host_a = app_factory(**LIMIT, **shared)

    assert _attempts(host_a, 2) == [401, 401]
    assert _attempts_on_another_host(_settings(tmp_path, fresh_database, **shared), 2) == [401, 429]
    assert _attempts(host_a, 1) == [429]  # host B's attempt counted here too


def test_with_memory_storage_each_host_counts_only_its_own(app_factory, fresh_database, tmp_path):
    host_a = app_factory(**LIMIT)

    assert _attempts(host_a, 3) == [401, 401, 401]
    # Why several hosts need Redis: another process starts from zero.
    assert _attempts_on_another_host(_settings(tmp_path, fresh_database), 3) == [401, 401, 401]
    assert _attempts(host_a, 1) == [429]
