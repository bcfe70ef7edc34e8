"""The rule that moves an enrolled enterprise of a 专项治理 campaign (domain/campaigns.py), on plain evidence."""
import datetime as dt

from server.domain.campaigns import Evidence, code_prefixes, enrolled_state, industry_matches, state_on

DAY = dt.date(2026, 11, 20)


def _days(n):
    return DAY - dt.timedelta(days=n)


def test_without_an_inspection_the_enterprise_has_not_confirmed_treatment():
    assert state_on(Evidence(), DAY) == "unconfirmed"
    # A commissioned test alone does not start the campaign's treatment: the supervision agency has not been there.
    assert state_on(Evidence(results=[(_days(3), True, "commissioned")]), DAY) == "unconfirmed"


def test_an_inspection_starts_treatment_and_open_items_or_a_bad_result_keep_it_there():
    inspected = [(_days(20), "i1")]
    assert state_on(Evidence(inspected), DAY) == "treating"  # no result yet
    assert state_on(Evidence(inspected, [("i1", None, _days(5))], [(_days(2), True, "cdc")]), DAY) == "treating"
    assert state_on(Evidence(inspected, [], [(_days(9), True, "cdc"), (_days(2), False, "commissioned")]),
                    DAY) == "treating"  # the latest result counts
    ready = Evidence(inspected, [("i1", _days(4), _days(10))], [(_days(9), False, "cdc"), (_days(2), True, "cdc")])
    assert state_on(ready, DAY) == "awaiting_confirmation"
    # On an earlier day the item was still open: the evidence is read as it stood then.
    assert state_on(ready, _days(5)) == "treating"


def test_a_confirmation_completes_only_when_the_evidence_was_complete_that_day():
    ready = Evidence([(_days(20), "i1")], [("i1", _days(4), _days(10))], [(_days(2), True, "cdc")])
    assert enrolled_state(ready, DAY.isoformat(), DAY) == "completed"
    # Typed in before the item was closed: not a completion; the state follows the evidence.
    assert enrolled_state(ready, _days(10).isoformat(), DAY) == "awaiting_confirmation"
    assert enrolled_state(ready, None, DAY) == "awaiting_confirmation"
    assert enrolled_state(Evidence(), DAY.isoformat(), DAY) == "unconfirmed"


def test_industry_codes_match_with_or_without_the_section_letter():
    prefixes = code_prefixes("C23， C2110；195 3360")
    assert prefixes == ["C23", "C2110", "195", "3360"]
    assert industry_matches("2319", prefixes) and industry_matches("C2110", prefixes)
    assert industry_matches("1952", prefixes) and industry_matches("3360", prefixes)
    assert not industry_matches("2120", prefixes) and not industry_matches(None, prefixes)
    assert not industry_matches("2319", code_prefixes(""))
