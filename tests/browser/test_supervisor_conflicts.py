"""Two samplers changed the same visit offline: the supervisor sees, for each field, the value both started from,
the value the server kept and the one the other tablet sent — who, which device, when — and decides: the device's
temperature, and a pressure read off the instrument's printout. The decisions sync out like any change."""
import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Conflict, Record
from tests.support import enterprise_in
from tests.sync.tablets import Tablet, visit_fields

from .office import at_desk, shoot

pytestmark = pytest.mark.browser


def conflicting_visit(live_server):
    """Returns (visit id, the second sampler's tablet)."""
    first, second = Tablet(live_server.api("lh_sampler")), Tablet(live_server.api("lh_sampler2"))
    with live_server.app.app_context():
        enterprise_id = enterprise_in("临河区").id
    visit = first.create("sampling_visit", visit_fields(enterprise_id, temperature_c=22.0, pressure_kpa=101.0))
    first.push()
    second.pull()
    first.update(visit, {"temperature_c": 25.0, "pressure_kpa": 100.2})
    first.push()
    second.update(visit, {"temperature_c": 18.0, "pressure_kpa": 99.8})
    results = second.push()["results"]
    assert results[0]["status"] == "conflict" and len(results[0]["conflicts"]) == 2, results
    return visit, second


def test_supervisor_decides_each_conflicting_value(context, live_server, screenshots):
    visit, second = conflicting_visit(live_server)
    desk = at_desk(context, live_server, "lh_cdc_supervisor")
    page = desk.page
    expect(page.locator("[data-tile=conflicts] [data-count]")).to_have_attribute("data-count", "2")
    page.click("[data-nav=office_conflicts]")
    temperature = page.locator("[data-conflict][data-field=temperature_c]")
    expect(temperature.locator("[data-testid=conflict-base]")).to_contain_text("22")
    expect(temperature.locator("[data-testid=conflict-server]")).to_contain_text("25")
    expect(temperature.locator("[data-testid=conflict-server]")).to_contain_text("王海燕")
    expect(temperature.locator("[data-testid=conflict-client]")).to_contain_text("18")
    expect(temperature.locator("[data-testid=conflict-client]")).to_contain_text("李明")
    expect(temperature.locator("[data-testid=conflict-client]")).to_contain_text(second.device_id[:8])
    expect(temperature).to_contain_text("气温")
    problems = shoot(desk, screenshots, "conflicts", phone=True)

    temperature.locator("[data-testid=choose-client]").click()
    expect(page.locator("[data-conflict][data-field=temperature_c]")).to_have_count(0)
    pressure = page.locator("[data-conflict][data-field=pressure_kpa]")
    pressure.locator("input[name=value]").fill("100.5")
    pressure.locator("[data-testid=choose-value]").click()
    expect(page.locator("[data-conflict]")).to_have_count(0)
    with live_server.app.app_context():
        record = db.session.get(Record, visit)
        assert (record.data["temperature_c"], record.data["pressure_kpa"], record.conflict_open) == (18.0, 100.5, False)
        choices = {c.field: c.resolution["choice"] for c in db.session.query(Conflict).filter_by(record_id=visit)}
        assert choices == {"temperature_c": "client", "pressure_kpa": "value"}

    page.click("[data-status=resolved]")
    expect(page.locator("[data-conflict] [data-testid=resolution]")).to_have_count(2)
    problems.update(shoot(desk, screenshots, "conflicts-resolved"))
    # The decision reaches the tablets like any other change.
    second.pull()
    assert second.replica[visit]["data"]["temperature_c"] == 18.0
    assert problems == {}
    assert desk.errors == []
