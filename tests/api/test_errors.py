"""Whatever a client sends, the answer is one JSON envelope with field-level details, never a 500."""
import pytest

from tests.support import enterprise_in, error_of, login


def test_malformed_json_is_a_400_envelope(client):
    caller = login(client, "lh_supervisor")
    own = enterprise_in("临河区")
    response = caller.patch(f"/api/enterprises/{own.id}", data="{not json", content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "MALFORMED_REQUEST" and "JSON" in error["message"]
    assert caller.get(f"/api/enterprises/{own.id}").get_json()["name"] == own.name


@pytest.mark.parametrize("payload, field, code", [
    ({"workers_total": "many"}, "workers_total", "invalid"),
    ({"latitude": "north"}, "latitude", "invalid"),
    ({"size": "gigantic"}, "size", "invalid"),
    ({"declared_hazards": "benzene"}, "declared_hazards", "invalid"),
    ({"owner": "someone"}, "owner", "unknown_field"),
    ({"id": "00000000-0000-0000-0000-000000000000"}, "id", "unknown_field"),
])
def test_wrong_types_and_unknown_fields_name_the_field_and_change_nothing(client, payload, field, code):
    caller = login(client, "lh_supervisor")
    own = enterprise_in("临河区")
    before = caller.get(f"/api/enterprises/{own.id}").get_json()
    response = caller.patch(f"/api/enterprises/{own.id}", json=payload)
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert {"field": field, "code": code} in [{"field": d["field"], "code": d["code"]} for d in details]
    assert all(d["message"] and d["message_en"] for d in details)
    assert caller.get(f"/api/enterprises/{own.id}").get_json() == before


def test_json_array_instead_of_object_is_refused(client):
    caller = login(client, "lh_supervisor")
    response = caller.post("/api/enterprises", json=[1, 2, 3])
    assert response.status_code == 422
    assert error_of(response)["code"] == "VALIDATION_ERROR"


def test_missing_required_fields_are_listed_in_chinese(client):
    response = login(client, "lh_supervisor").post("/api/enterprises", json={})
    details = error_of(response)["details"]
    assert {d["field"] for d in details} >= {"credit_code", "name", "region_id"}
    assert {d["message"] for d in details} == {"必填字段缺失"}


def test_unknown_route_and_wrong_method_use_the_envelope(client):
    assert error_of(client.get("/api/no-such-thing"))["code"] == "NOT_FOUND"
    response = client.delete("/api/auth/login")
    assert response.status_code == 405 and error_of(response)["code"] == "METHOD_NOT_ALLOWED"


def test_garbage_bearer_token_is_a_401_envelope(client):
    response = client.get("/api/enterprises", headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401 and error_of(response)["code"] == "TOKEN_INVALID"


def test_error_carries_the_request_id_the_client_sent(client):
    response = client.get("/api/enterprises", headers={"X-Request-ID": "tablet-req-0001"})
    assert error_of(response)["request_id"] == "tablet-req-0001"
    assert response.headers["X-Request-ID"] == "tablet-req-0001"


def test_query_parameter_of_wrong_type(client):
    response = login(client, "lh_sampler").get("/api/enterprises?page=first")
    assert response.status_code == 422 and error_of(response)["details"][0]["field"] == "page"


@pytest.mark.parametrize("send", [
    lambda caller, own: caller.patch(f"/api/enterprises/{own.id}", json={"contact_name": "王\u0000五"}),
    lambda caller, own: caller.patch(f"/api/enterprises/{own.id}", data='{"contact_name": "王\\ud800五"}',
                                     content_type="application/json"),
    lambda caller, own: caller.patch(f"/api/enterprises/{own.id}", data='{"contact_name": "王'.encode()
                                     + b"\xed\xa0\x80" + '五"}'.encode(), content_type="application/json"),
    lambda caller, own: caller.get("/api/enterprises?q=%00"),
])
def test_text_no_database_can_store_is_refused_with_the_field_named(client, send):
    caller = login(client, "lh_supervisor")
    own = enterprise_in("临河区")
    before = caller.get(f"/api/enterprises/{own.id}").get_json()
    response = send(caller, own)
    assert response.status_code == 400
    detail = error_of(response)["details"][0]
    assert detail["field"] in ("contact_name", "q") and detail["code"] == "unstorable_character"
    assert caller.get(f"/api/enterprises/{own.id}").get_json() == before


def test_a_push_with_a_nul_character_is_refused_not_retried(client):
    caller = login(client, "lh_sampler")
    response = caller.post("/api/sync/push", json={
        "protocol": 1, "device_id": caller.device_id, "mutations": [{
            "mutation_id": "m-1", "client_seq": 1, "entity": "sampling_record", "id": "r-1", "op": "create",
            "fields": {"workplace": "车间\u0000一"}}]})
    assert response.status_code == 400
    assert error_of(response)["details"][0]["field"] == "mutations.0.fields.workplace"


def test_an_id_larger_than_any_stored_is_simply_not_found(client):
    response = login(client, "admin").patch("/api/users/7137059919", json={"display_name": "x"})
    assert response.status_code == 404 and error_of(response)["code"] == "NOT_FOUND"
