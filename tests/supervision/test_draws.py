"""双随机、一公开: a draw anyone can repeat from its seed and inputs, whose assignments reach the inspectors."""
import math

from server.domain.draws import draw
from tests.support import district, error_of, login
from tests.sync.tablets import Tablet


def _create(supervisor, **extra):
    response = supervisor.post("/api/draws", json={"title": "2026年第二季度职业卫生双随机抽查",
                                                    "region_id": district("临河区").id, "scheme": "class_pilot_2023",
                                                    "due_date": "2026-06-30", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_draw_takes_each_class_at_its_ratio_and_pairs_the_inspectors(client):
    drawn = _create(login(client, "lh_supervisor"))
    pools, ratios = drawn["inputs"]["enterprises"], drawn["inputs"]["ratios"]
    assert ratios["丙"] == 100 and ratios["乙"] == 30 and ratios["甲"] == 10
    for label, pool in pools.items():
        assert len(drawn["result"]["enterprises"][label]) == math.ceil(len(pool) * ratios[label] / 100)
    assert set(drawn["result"]["enterprises"]["丙"]) == set(pools["丙"])  # the riskiest class is always inspected
    assert drawn["result"]["pairs"] and all(len(pair) == 2 for pair in drawn["result"]["pairs"])
    assignments = drawn["result"]["assignments"]
    assert len(assignments) == sum(len(v) for v in drawn["result"]["enterprises"].values())


def test_repeating_a_draw_with_its_recorded_seed_and_inputs_gives_the_same_result(client):
    supervisor = login(client, "lh_supervisor")
    drawn = _create(supervisor)
    again = supervisor.get(f"/api/draws/{drawn['id']}/reproduce").get_json()
    assert again["reproduced"] is True and again["result"] == drawn["result"]
    # Anyone holding the published inputs and seed computes the same enterprises and pairs.
    assert draw(drawn["inputs"], drawn["seed"]) == drawn["result"]
    same_seed = _create(supervisor, seed=drawn["seed"])
    assert same_seed["result"] == drawn["result"]
    other_seed = _create(supervisor, seed=str(int(drawn["seed"]) + 1))
    assert other_seed["result"] != drawn["result"]


def test_assignments_reach_the_inspectors_tablets(client):
    drawn = _create(login(client, "lh_supervisor"))
    tablet = Tablet(login(client, "lh_inspector"))
    tablet.pull()
    received = {v["data"]["enterprise_name"]: v["data"] for v in tablet.replica.values() if v["entity"] == "assignment"}
    assert len(received) == len(drawn["result"]["assignments"])
    some = next(iter(received.values()))
    assert some["title"] == "2026年第二季度职业卫生双随机抽查" and some["due_date"] == "2026-06-30"
    assert len(some["inspector_names"]) == 2 and all(some["inspector_names"])
    # Another district's inspectors receive nothing of it.
    other = Tablet(login(client, "dg_inspector"))
    other.pull()
    assert not [v for v in other.replica.values() if v["entity"] == "assignment"]


def test_the_publication_is_public_and_names_enterprises_and_inspectors(client):
    drawn = _create(login(client, "lh_supervisor"))
    published = client.get(f"/api/public/draws/{drawn['id']}")
    assert published.status_code == 200
    body = published.get_json()
    assert body["seed"] == drawn["seed"] and body["inputs_hash"] == drawn["inputs_hash"]
    assert all(a["enterprise"] and len(a["inspectors"]) == 2 for a in body["assignments"])


def test_inspectors_outside_the_district_cannot_be_drawn(client):
    supervisor = login(client, "lh_supervisor")
    outsider = login(client, "dg_inspector").tokens["user"]["id"]
    insider = login(client, "lh_inspector").tokens["user"]["id"]
    response = supervisor.post("/api/draws", json={"title": "x", "region_id": district("临河区").id,
                                                    "scheme": "class_pilot_2023", "inspector_ids": [insider, outsider]})
    assert response.status_code == 422
    assert any(str(outsider) in d["message"] or d["field"].startswith("inspector_ids")
               for d in error_of(response)["details"])
    assert supervisor.get("/api/draws").get_json()["items"] == []  # no draw was made


def test_field_staff_cannot_draw(client):
    response = login(client, "lh_inspector").post("/api/draws", json={"title": "x", "region_id": district("临河区").id,
                                                                       "scheme": "class_pilot_2023"})
    assert response.status_code == 403
