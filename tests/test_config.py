"""Configuration: defaults → environment → overrides; production refuses to start without secrets."""
import pytest

from server.config import ConfigError, load_config


def test_defaults_give_sqlite_under_instance(tmp_path):
    config = load_config(environ={}, instance_path=tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'app.db'}"
    assert config["SECRET_KEY"] and config["JWT_SECRET_KEY"]


def test_environment_overrides_defaults_and_overrides_win(tmp_path):
    environ = {"DATABASE_URL": "postgres://u@db/x", "SECRET_KEY": "e" * 40}
    config = load_config({"SECRET_KEY": "o" * 40}, environ=environ, instance_path=tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert config["SECRET_KEY"] == "o" * 40


def test_production_refuses_to_start_without_secrets(tmp_path):
    with pytest.raises(ConfigError, match="JWT_SECRET_KEY"):
        load_config(environ={"APP_ENV": "production", "SECRET_KEY": "s" * 40}, instance_path=tmp_path)


def test_production_refuses_short_secrets(tmp_path):
    with pytest.raises(ConfigError, match="32"):
        load_config(environ={"APP_ENV": "production", "SECRET_KEY": "short", "JWT_SECRET_KEY": "j" * 40},
                    instance_path=tmp_path)


def test_development_secrets_persist_across_restarts(tmp_path):
    first = load_config(environ={}, instance_path=tmp_path)
    second = load_config(environ={}, instance_path=tmp_path)
    assert first["JWT_SECRET_KEY"] == second["JWT_SECRET_KEY"]


def test_rate_limits_can_be_switched_off_from_the_environment(tmp_path):
    config = load_config(environ={"RATELIMIT_ENABLED": "false"}, instance_path=tmp_path)
    assert config["RATELIMIT_ENABLED"] is False
    assert load_config(environ={}, instance_path=tmp_path)["RATELIMIT_ENABLED"] is True


def test_proxy_hops_is_a_number_or_a_clear_refusal(tmp_path):
    assert load_config(environ={"PROXY_HOPS": "1"}, instance_path=tmp_path)["PROXY_HOPS"] == 1
    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        load_config(environ={"PROXY_HOPS": "one"}, instance_path=tmp_path)


def test_several_hosts_share_blobs_in_a_bucket_and_limits_in_redis(tmp_path):
    environ = {"BLOB_STORE": "s3://zybh-blobs/qingchuan", "S3_ENDPOINT_URL": "http://s3.internal:8333",
               "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "BLOB_PRESIGNED_SECONDS": "300",
               "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0", "RATELIMIT_KEY_PREFIX": "qingchuan"}
    config = load_config(environ=environ, instance_path=tmp_path)
    assert config["BLOB_STORE"] == "s3://zybh-blobs/qingchuan" and config["BLOB_PRESIGNED_SECONDS"] == 300
    assert config["RATELIMIT_STORAGE_OPTIONS"] == {"key_prefix": "qingchuan"}
    local = load_config(environ={}, instance_path=tmp_path)
    assert local["BLOB_STORE"] == "" and local["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize("url", ["s3://", "s3://Bad_Bucket", "file:///srv/blobs", "minio://bucket"])
def test_a_blob_store_that_is_not_an_s3_url_refuses_to_start(tmp_path, url):
    with pytest.raises(ConfigError, match="BLOB_STORE"):
        load_config(environ={"BLOB_STORE": url}, instance_path=tmp_path)


def test_jobs_go_through_the_queue_on_postgresql_and_run_in_process_on_sqlite(tmp_path):
    assert load_config(environ={}, instance_path=tmp_path)["JOB_QUEUE"] == "in-process"
    postgres = {"DATABASE_URL": "postgresql://field@db.internal/field"}
    assert load_config(environ=postgres, instance_path=tmp_path)["JOB_QUEUE"] == "postgres"
    assert load_config(environ={**postgres, "JOB_QUEUE": "in-process"}, instance_path=tmp_path)["JOB_QUEUE"] \
        == "in-process"
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_config(environ={"JOB_QUEUE": "postgres"}, instance_path=tmp_path)
    with pytest.raises(ConfigError, match="JOB_QUEUE"):
        load_config(environ={**postgres, "JOB_QUEUE": "redis"}, instance_path=tmp_path)
