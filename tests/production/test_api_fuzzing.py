"""Schemathesis against the published OpenAPI document: valid and deliberately invalid requests, authenticated,
for every operation. No input may cause a server error, and every answer must match the documented schema."""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from server.extensions import db
from tests.support import login

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# Left out: checks that judge business outcomes rather than robustness (a random id is rightly "not found";
# valid-looking data is rightly refused by domain rules such as a credit code's check digit), and the strict
# rejection of every schema-violating request: repeated query keys are tolerated (the first value counts), and
# removing Authorization cannot be tested while the test sends it. Invalid requests are still sent: they must
# not cause a server error and their answers must match the documented schemas.
EXCLUDED = [checks.positive_data_acceptance, checks.ensure_resource_availability, checks.ignored_auth,
            checks.negative_data_rejection, checks.missing_required_header]
# Operations that end the caller's own session or device would only test the login screen afterwards.
# Resumable uploads take raw chunk bytes.
schemathesis.openapi.media_type("application/offset+octet-stream", strategies.binary(max_size=256))
SKIPPED = {"POST /api/auth/logout", "POST /api/devices/{device_id}/revoke", "PATCH /api/users/{user_id}"}


def _fuzz(operation, mode, headers, failures):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        try:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)
        finally:
            db.session.rollback()

    try:
        run()
    except Unsatisfiable:  # no invalid value exists for this operation's inputs (e.g. an integer path id only)
        pass
    except Exception as error:  # collected: one report lists every operation that failed
        failures.append(f"{operation.label} [{mode.value}]: {str(error)[:600]}")


@pytest.mark.slow
def test_no_input_breaks_the_api_or_its_documented_answers(app, client):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = login(client, "city_supervisor").headers
    failures, tested = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SKIPPED:
            continue
        tested += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, headers, failures)
    assert tested > 40
    assert failures == [], "\n\n".join(failures)


HOSTILE_BODIES = {"nested without end": "[" * 100_000, "nested deeply": '{"a":' * 40 + "1" + "}" * 40,
                  "nested in a field": '{"username": ' + "[" * 5000 + "]" * 5000 + "}"}


def test_hostile_bodies_are_refused_by_every_operation_that_takes_json(app, client):
    """Beside the generated cases: bodies no generator would make (issue: no 500 on hostile input) reach every
    operation with a JSON body and are answered 400 MALFORMED_REQUEST, before any other work."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = login(client, "city_supervisor").headers
    answers = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        body = operation.definition.raw.get("requestBody") or {}
        if "application/json" not in body.get("content", {}):
            continue
        path = operation.path.replace("{", "").replace("}", "")  # any value: the body is refused first
        for name, text in HOSTILE_BODIES.items():
            response = client.open(path, method=operation.method.upper(), data=text, headers=headers,
                                   content_type="application/json")
            answers[(operation.label, name)] = (response.status_code, (response.get_json(silent=True) or {})
                                                .get("error", {}).get("code"))
    assert len(answers) > 30
    assert {answer for answer in answers.values()} == {(400, "MALFORMED_REQUEST")}, answers
