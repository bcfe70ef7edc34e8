"""Golden cases of the evaluation (tests/golden/evaluation): what is known on site — noise, direct-reading instruments —
judged alike by the server (domain/evaluations.evaluate_visit) and by the tablet offline (pwa/static/js/evaluation.js).

Each case holds a visit's records, the verdicts and values worked by hand (its "why", with the standard it comes from),
and both implementations must give them; then the two full evaluations must be the same JSON, reasons included, so
the screen shows the same thing whether the server or the tablet computed it. The reference rows are the shipped
files (reference/…), handed to the tablet in the order a device stores pulled rows (by row key), not the file's.
"""
import datetime as dt
import json
import math
import random
from pathlib import Path

import pytest

from server.domain.errors import Invalid
from server.domain.evaluations import EvaluationReference, evaluate_visit
from server.domain.grades import load_evaluation_rules
from server.domain.noise import load_noise_limits
from server.domain.oel import parse_oel_row
from server.domain.peaks import load_peak_rules
from server.domain.reference_store import row_identity
from server.domain.sampling import load_sampling_qc
from tests.support import node_json

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "golden" / "evaluation").glob("*.json"))
# The tables reference_store.evaluation_reference reads, with their shipped files.
TABLES = {"oel_limits": "oel/gbz2_1.json", "peak_rules": "oel/peak_rules.json",
          "exposure_evaluation_rules": "oel/evaluation_rules.json", "sampling_qc": "oel/sampling_qc.json",
          "physical_limits": "noise/gbz2_2.json", "hazard_factors": "hazards/hazard_factors.json"}
DB_TOLERANCE = 0.005  # expected values are written to 0.01 dB (or 0.01 mg/m³)

TABLET_SCRIPT = """
import { readFileSync } from "node:fs";
import { evaluateOffline } from "./pwa/static/js/evaluation.js";
const { reference, cases } = JSON.parse(readFileSync(%s, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => evaluateOffline(c.visit, c.samples, c.noise_measurements,
  { ...reference, as_of: c.reference_as_of }))));
"""


def _rows():
    return {table: json.loads((ROOT / "reference" / file).read_text(encoding="utf-8"))["rows"]
            for table, file in TABLES.items()}


def server_reference(rows, as_of):
    """An EvaluationReference built from reference rows, as reference_store.evaluation_reference builds it."""
    return EvaluationReference(
        oel_rows=tuple(parse_oel_row(raw, index) for index, raw in enumerate(rows["oel_limits"])),
        peak_rules=load_peak_rules(rows=rows["peak_rules"]),
        evaluation_rules=load_evaluation_rules(rows=rows["exposure_evaluation_rules"]),
        sampling_qc=load_sampling_qc(rows=rows["sampling_qc"]),
        noise_limits=load_noise_limits(rows=rows["physical_limits"]),
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
        dust_keys=frozenset(row["key"] for row in rows["hazard_factors"] if row.get("category") == "dust"))


def server_evaluation(case, rows):
    """evaluate_visit's JSON; refused input as the server stores it (sync/derive.py)."""
    try:
        result = evaluate_visit(case["visit"], case["samples"], case["noise_measurements"],
                                server_reference(rows, case.get("reference_as_of")))
    except Invalid as error:
        result = {"status": "not_evaluated", "message_zh": error.message, "details": error.details}
    return json.loads(json.dumps(result, ensure_ascii=False))


def tablet_evaluations(cases, rows, folder):
    """evaluateOffline of each case under node, the reference rows in the order a device reads them: its store keys
    pulled rows "table:row key" (reference_store.row_identity), not the file's order."""
    device = {table: [raw for _, raw in sorted(((row_identity(table, raw, index), raw)
                                                for index, raw in enumerate(table_rows)), key=lambda pair: pair[0])]
              for table, table_rows in rows.items()}
    path = folder / "tablet.json"
    path.write_text(json.dumps({"reference": device, "cases": cases}, ensure_ascii=False), encoding="utf-8")
    return node_json(TABLET_SCRIPT % json.dumps(str(path)))


def _case(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference_rows():
    return _rows()


@pytest.fixture(scope="module")
def tablet(reference_rows, tmp_path_factory):
    results = tablet_evaluations([_case(path) for path in CASES], reference_rows, tmp_path_factory.mktemp("tablet"))
    return dict(zip((path.stem for path in CASES), results))


def _entry_value(entry, name):
    """The value a case's expected entry names, read from a group or noise entry of the evaluation."""
    evaluation = entry.get("evaluation") or {}
    if name == "limits_used":
        return [used["row_id"] for used in evaluation.get("limits_used", [])]
    if name == "checks":
        return [[check["limit_type"], check["result"]] for check in evaluation.get("checks", [])]
    if name == "problem":
        return entry["problem"]["message_zh"]
    if name == "laeq_db":
        return [period["laeq_db"] for period in entry["periods"]]
    if name == "calibration_valid":
        return evaluation["calibration"]["valid"]
    if name == "calibration_drift_db":
        return evaluation["calibration"]["drift_db"]
    return entry[name] if name in entry else evaluation[name]


def _same(actual, expected, where):
    """Equal, numbers to the 0.01 the case is written to."""
    if isinstance(expected, float):
        assert type(actual) in (int, float) and abs(actual - expected) <= DB_TOLERANCE, \
            f"{where}: {actual} ≠ {expected}"
    elif isinstance(expected, list) and expected and isinstance(expected[0], float):
        assert len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected)):
            _same(a, e, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} ≠ {expected!r}"


def check_expected(evaluation, expected, who):
    """The verdicts and values the case worked by hand."""
    if expected.get("status") == "not_evaluated":
        assert evaluation["status"] == "not_evaluated", who
        assert evaluation["message_zh"] == expected["message_zh"], who
        assert [d["field"] for d in evaluation["details"]] == expected["detail_fields"], who
        return
    for part in ("groups", "noise"):
        wanted = expected.get(part, [])
        assert len(evaluation[part]) == len(wanted), f"{who} {part}: {len(evaluation[part])} entries"
        for index, (entry, want) in enumerate(zip(evaluation[part], wanted)):
            for name, value in want.items():
                _same(_entry_value(entry, name), value, f"{who} {part}[{index}].{name}")
    for name, value in expected["summary"].items():
        assert evaluation["summary"][name] == value, f"{who} summary.{name}"


def same_json(tablet_value, server_value, where="evaluation"):
    """The tablet's JSON is the server's: same keys, same texts, numbers equal to float noise."""
    if isinstance(server_value, dict):
        assert isinstance(tablet_value, dict) and set(tablet_value) == set(server_value), \
            f"{where}: keys {sorted(set(tablet_value) ^ set(server_value))}"
        for key in server_value:
            same_json(tablet_value[key], server_value[key], f"{where}.{key}")
    elif isinstance(server_value, list):
        assert isinstance(tablet_value, list) and len(tablet_value) == len(server_value), where
        for index, (a, b) in enumerate(zip(tablet_value, server_value)):
            same_json(a, b, f"{where}[{index}]")
    elif isinstance(server_value, float):
        assert type(tablet_value) in (int, float) and math.isclose(
            tablet_value, server_value, rel_tol=1e-12, abs_tol=1e-12), f"{where}: {tablet_value} ≠ {server_value}"
    else:
        assert type(tablet_value) is type(server_value) and tablet_value == server_value, \
            f"{where}: {tablet_value!r} ≠ {server_value!r}"


def test_there_are_enough_cases():
    names = {path.stem for path in CASES}
    assert len(names) >= 10
    for path in CASES:
        case = _case(path)
        assert case["why"] and case["sources"] and case["expected"], path.name


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_server_gives_the_worked_verdicts(path, reference_rows):
    case = _case(path)
    check_expected(server_evaluation(case, reference_rows), case["expected"], "server")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_tablet_gives_the_worked_verdicts_offline(path, tablet):
    check_expected(tablet[path.stem], _case(path)["expected"], "tablet")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_tablet_shows_what_the_server_would(path, tablet, reference_rows):
    same_json(tablet[path.stem], server_evaluation(_case(path), reference_rows))


# Beyond the worked cases: visits drawn at random over everything evaluate_visit reads (lab values, filter masses,
# blanks, below-LOD samples, 矽尘 bands, excursions under both rules, mixtures, conditions, invalid input), each
# evaluated by both; the tablet's JSON must be the server's. A fixed seed: a failure names a reproducible visit.
HAZARDS = ["toluene", "xylene", "ethylbenzene", "benzene", "ammonia", "hydrogen_sulfide", "formaldehyde", "manganese",
           "carbon_monoxide", "lead", "cement_dust", "other_dust", "silica_dust", "coal_dust", "acetochlor",
           "not_in_table"]
CONDITIONS = {"lead": ["dust", "fume"], "carbon_monoxide": ["non_plateau", "altitude_2000_3000"]}
DUSTS = {"cement_dust", "other_dust", "silica_dust", "coal_dust"}
DATES = ["2019-06-03", "2022-10-20", "2022-11-15", "2025-04-30", "2026-04-08"]


def _random_sample(rng, index, day):
    start = rng.randrange(8 * 60, 15 * 60)
    limit_type = rng.choice(["pc_twa", "pc_twa", "pc_stel", "mac", "peak"])
    minutes = rng.choice([5, 10, 15, 15, 20]) if limit_type != "pc_twa" else rng.choice([60, 120, 240, 480])
    end = start + minutes
    sample = {"id": f"s-{index}", "sample_type": rng.choice(["field"] * 8 + ["blank", "parallel"]),
              "hazard_key": rng.choice(HAZARDS), "workshop": rng.choice(["一车间", "二车间"]),
              "post": rng.choice(["甲岗", "乙岗", ""]), "sampling_point": "点1", "limit_type": limit_type,
              "start_time": f"{day}T{start // 60:02d}:{start % 60:02d}:00+08:00",
              "end_time": f"{day}T{min(end, 1439) // 60:02d}:{min(end, 1439) % 60:02d}:00+08:00"}
    if rng.random() < 0.7:
        sample.update(flow_before_l_min=rng.choice([0.2, 0.5, 1.0, 3.5]),
                      flow_after_l_min=rng.choice([0.2, 0.21, 0.5, 1.0, 3.5]))
    if rng.random() < 0.4:
        sample["exposure_hours_per_day"] = rng.choice([2, 4, 6.5, 8, 10])
    conditions = CONDITIONS.get(sample["hazard_key"], [])
    if conditions or rng.random() < 0.05:
        sample["oel_condition"] = rng.choice(conditions + [None] if conditions else ["fume"])
    if rng.random() < (0.9 if sample["hazard_key"] in DUSTS else 0.05):
        sample["dust_fraction"] = rng.choice(["total", "respirable"])
    if rng.random() < 0.2:
        sample["free_sio2_pct"] = rng.choice([4.0, 10.0, 35.5, 50.0, 65.0, 90.0])
    source = rng.choice(["direct", "lab", "filter", "mass", "none", "below"])
    value = round(rng.uniform(0.01, 3) * rng.choice([0.1, 1, 10, 50]), 3)
    if source == "direct":
        sample["direct_reading_mg_m3"] = value
    elif source == "lab":
        sample["lab_concentration_mg_m3"] = value
    elif source == "filter":
        sample.update(filter_mass_before_mg=30.0, filter_mass_after_mg=round(30.0 + rng.uniform(0, 2), 2))
    elif source == "mass":
        sample["lab_mass_ug"] = round(rng.uniform(0, 40), 2)
    elif source == "below":
        sample["below_lod"] = True
        sample.update(rng.choice([{"lod_mg_m3": rng.choice([0.01, 0.4, 5.0])}, {"lod_ug": 0.5}, {}]))
    return sample


def _random_noise(rng, index):
    mode = rng.choice(["sound_level_meter"] * 4 + ["dosimeter"])
    m = {"id": f"n-{index}", "workshop": rng.choice(["冲压车间", None]), "post": rng.choice(["冲压工", "打磨工"]),
         "measurement_point": "工位", "measurement_mode": mode, "days_per_week": rng.choice([5, 5, 5, 4, 6, 7]),
         "exposure_hours_per_day": rng.choice([0.5, 2, 4, 6, 8, 8, 10, 12, None])}
    if mode == "dosimeter":
        m["dosimeter_lex_8h_db"] = round(rng.uniform(70, 100), 1)
    else:
        m.update({f"laeq_{i}_db": round(rng.uniform(60, 105), 1) for i in (1, 2, 3) if rng.random() < 0.95})
    if rng.random() < 0.8:
        before = round(rng.uniform(93.5, 94.2), 1)
        drift = rng.choice([0, 0.1, -0.3, 0.5, 0.6, -0.8])
        m.update(calibration_before_db=before, calibration_after_db=round(before + drift, 1))
    if rng.random() < 0.25:
        m.update(impulses_per_day=rng.choice([50, 100, 500, 5000, 20000]), peak_db=round(rng.uniform(110, 150), 1))
    return m


def random_visits(count, seed=20261208):
    rng = random.Random(seed)
    visits = []
    for number in range(count):
        day = rng.choice(DATES)
        visit = {"sampling_date": day} if rng.random() > 0.02 else {}  # now and then the date was not entered
        if rng.random() < 0.8:
            visit.update(temperature_c=rng.choice([5.0, 20.0, 31.5]), pressure_kpa=rng.choice([99.8, 101.3]))
        samples = [_random_sample(rng, i, day) for i in range(rng.randrange(0, 10))]
        noise = [_random_noise(rng, i) for i in range(rng.randrange(0, 5))]
        visits.append({"name": f"random-{number}", "visit": visit, "samples": samples, "noise_measurements": noise,
                       "reference_as_of": "2026-12-08"})
    return visits


def test_random_visits_are_evaluated_alike_by_the_tablet_and_the_server(tmp_path, reference_rows):
    visits = random_visits(300)
    tablet_results = tablet_evaluations(visits, reference_rows, tmp_path)
    outcomes = set()
    for case, tablet_result in zip(visits, tablet_results):
        server_result = server_evaluation(case, reference_rows)
        same_json(tablet_result, server_result, case["name"])
        outcomes.add(server_result.get("status", "evaluated"))
        for entry in server_result.get("groups", []) + server_result.get("noise", []):
            outcomes.add(entry["status"] + ":" + ((entry["evaluation"] or {}).get("result") or "-"))
        outcomes.update("mixture" for _ in server_result.get("mixtures", []))
    # The draw reaches every kind of outcome, so the comparison covers each path.
    assert {"not_evaluated", "pending:-", "invalid:-", "evaluated:conform", "evaluated:nonconform",
            "evaluated:undetermined", "mixture"} <= outcomes, outcomes
