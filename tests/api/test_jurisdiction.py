"""Each district's staff see their own district's enterprises and nothing of the other district's."""
import pytest

from tests.support import enterprise_in, error_of, login

DISTRICT_A_USERS = ["lh_sampler", "lh_inspector", "lh_assistant", "lh_followup", "lh_supervisor"]
DISTRICT_B_USERS = ["dg_sampler", "dg_inspector", "dg_assistant", "dg_followup", "dg_supervisor"]


@pytest.mark.parametrize("username", DISTRICT_A_USERS)
def test_district_a_staff_are_refused_district_b_enterprise_as_not_found(client, username):
    other = enterprise_in("东港区")
    caller = login(client, username)
    response = caller.get(f"/api/enterprises/{other.id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "NOT_FOUND"
    update = caller.patch(f"/api/enterprises/{other.id}", json={"contact_phone": "13000000000"})
    assert update.status_code == 404


@pytest.mark.parametrize("username", DISTRICT_B_USERS)
def test_district_b_staff_are_refused_district_a_enterprise_as_not_found(client, username):
    other = enterprise_in("临河区")
    response = login(client, username).get(f"/api/enterprises/{other.id}")
    assert response.status_code == 404


@pytest.mark.parametrize("username", DISTRICT_A_USERS)
def test_district_staff_read_their_own_district(client, username):
    own = enterprise_in("临河区")
    response = login(client, username).get(f"/api/enterprises/{own.id}")
    assert response.status_code == 200
    assert response.get_json()["name"] == own.name


@pytest.mark.parametrize("username", DISTRICT_A_USERS + DISTRICT_B_USERS)
def test_search_lists_only_the_callers_district(client, username):
    region = "临河区" if username.startswith("lh") else "东港区"
    body = login(client, username).get("/api/enterprises?per_page=200").get_json()
    assert body["total"] > 0
    assert {item["region_name"] for item in body["items"]} == {region}


@pytest.mark.parametrize("username", ["city_supervisor", "admin"])
def test_city_level_staff_see_both_districts(client, username):
    body = login(client, username).get("/api/enterprises?per_page=200").get_json()
    assert {item["region_name"] for item in body["items"]} == {"临河区", "东港区"}


@pytest.mark.parametrize("username", ["lh_sampler", "lh_inspector", "lh_assistant", "lh_followup"])
def test_field_staff_may_correct_contact_details_but_not_the_registry(client, username):
    own = enterprise_in("临河区")
    caller = login(client, username)
    ok = caller.patch(f"/api/enterprises/{own.id}", json={"contact_phone": "13800000001"})
    assert ok.status_code == 200 and ok.get_json()["contact_phone"] == "13800000001"
    refused = caller.patch(f"/api/enterprises/{own.id}", json={"name": "改名有限公司"})
    assert refused.status_code == 403
    assert error_of(refused)["details"][0]["field"] == "name"
    assert caller.get(f"/api/enterprises/{own.id}").get_json()["name"] == own.name


@pytest.mark.parametrize("username", DISTRICT_A_USERS[:-1])
def test_field_staff_cannot_list_users_or_devices(client, username):
    caller = login(client, username)
    assert caller.get("/api/users").status_code == 403
    assert caller.get("/api/devices").status_code == 403
