"""What a hardened deployment answers: security headers, a CSP without inline scripts, CORS closed."""
from tests.support import error_of, login


def test_the_app_shell_carries_a_strict_content_security_policy(client):
    with client.get("/") as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_api_responses_carry_the_headers_and_a_request_id(client):
    response = login(client, "lh_sampler").get("/api/auth/me")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.headers["X-Request-ID"]) >= 8


def test_cors_is_closed_unless_configured(app_factory):
    closed = app_factory().test_client()
    response = closed.get("/api/forms", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    opened = app_factory(CORS_ORIGINS="https://portal.gov.example").test_client()
    allowed = opened.get("/healthz", headers={"Origin": "https://portal.gov.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.gov.example"
    other = opened.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_oversized_requests_are_refused_with_the_envelope(app_factory):
    client = app_factory(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/api/auth/login", data=b"x" * 4096, content_type="application/json")
    assert response.status_code == 413 and error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


def test_refresh_and_push_are_rate_limited(app_factory):
    client = app_factory(REFRESH_RATE_LIMIT="2 per minute", PUSH_RATE_LIMIT="2 per minute",
                         LOGIN_RATE_LIMIT="100 per minute").test_client()
    caller = login(client, "lh_sampler")
    statuses = [client.post("/api/auth/refresh", headers={"Authorization": "Bearer x"}).status_code for _ in range(3)]
    assert statuses[-1] == 429
    body = {"protocol": 1, "device_id": caller.device_id, "mutations": []}
    pushes = [caller.post("/api/sync/push", json=body).status_code for _ in range(3)]
    assert pushes == [200, 200, 429]


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_readiness_reports_unwritable_storage(app_factory, tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    response = app_factory(BLOB_ROOT=str(blocked)).test_client().get("/readyz")
    assert response.status_code == 503 and error_of(response)["code"] == "NOT_READY"


def test_no_stack_trace_reaches_a_client(app_factory):
    app = app_factory()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals /etc/shadow")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert error_of(response)["code"] == "INTERNAL_ERROR" and error_of(response)["request_id"]


def test_photo_uploads_are_rate_limited_with_the_envelope(app_factory):
    client = app_factory(UPLOAD_RATE_LIMIT="2 per minute").test_client()
    caller = login(client, "lh_sampler")
    starts = [caller.post("/api/blobs/uploads", json={"sha256": f"{n:064x}", "size": 10, "mime": "image/jpeg"})
              for n in range(3)]
    assert [r.status_code for r in starts] == [200, 200, 429]
    assert error_of(starts[-1])["code"] == "RATE_LIMITED"


def test_push_limits_count_per_device_not_per_shared_address(app_factory):
    client = app_factory(PUSH_RATE_LIMIT="2 per minute").test_client()
    first, second = login(client, "lh_sampler"), login(client, "lh_sampler2")
    pushes = {}
    for caller in (first, second):
        body = {"protocol": 1, "device_id": caller.device_id, "mutations": []}
        pushes[caller.username] = [caller.post("/api/sync/push", json=body).status_code for _ in range(3)]
    assert pushes == {"lh_sampler": [200, 200, 429], "lh_sampler2": [200, 200, 429]}


def _logins(client, addresses):
    return [client.post("/api/auth/login", json={"username": "nobody", "password": "x"},
                        headers={"X-Forwarded-For": address}).status_code for address in addresses]


def test_behind_a_trusted_proxy_login_limits_count_per_client_address(app_factory):
    proxied = app_factory(LOGIN_RATE_LIMIT="2 per minute", PROXY_HOPS=1).test_client()
    assert _logins(proxied, ["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"]) == [401, 401, 429, 401]
    # Without a configured proxy the header is a client's claim and is ignored.
    direct = app_factory(LOGIN_RATE_LIMIT="2 per minute").test_client()
    assert _logins(direct, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) == [401, 401, 429]
