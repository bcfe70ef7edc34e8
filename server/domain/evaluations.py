"""A sampling visit's evaluation: per-sample concentrations and QC, per-hazard verdicts, noise verdicts.

Input is the visit's records as the forms store them (flat dicts); output is plain JSON that the server
stores on the visit and the PWA shows. Grouping: samples of one hazard, fraction and limit condition at one
post (or sampling point) are judged together.

C_TWA from several samples of a group: their duration-weighted mean concentration stands for the worker's
exposure time (exposure_hours_per_day), unexposed time counts as 0 — Σ CᵢTᵢ / 8 of GBZ 159. Without an
exposure time, each sample stands for its own duration.

A sample below the LOD enters a C_TWA as a stated fraction of its LOD (reference data, default ½); a group whose
samples are all below the LOD is judged through the LOD. Dust whose measured free SiO₂ is ≥ 10 % is judged as 矽尘
in its band, whatever dust was picked on site. Noise: one L_EX,8h per post from all its measured periods
(GBZ/T 189.8: 10·lg[(1/8)·Σ Tᵢ·10^(0.1·L_Aeq,Tᵢ)]). Substances of one mixture group at one post are judged together
by Σ C/OEL (GBZ 2.1-2019).
"""
import datetime as dt
from dataclasses import dataclass
from math import log10

from .errors import Invalid
from .exposure import Measurement, Segment, ShortTermSample, evaluate_substance
from .grades import default_evaluation_rules
from .mixtures import evaluate_mixture
from .noise import ImpulseNoise, NoisePeriod, evaluate_noise
from .oel import silica_condition
from .peaks import Excursion
from .sampling import (check_flow, concentration_from_filter_masses, concentration_from_lab_mass, minutes_between,
                       sampled_volume_l, standard_volume_l)


@dataclass(frozen=True)
class EvaluationReference:
    """The reference data an evaluation uses: from the database, the versions in force on `as_of` (a business date)."""

    oel_rows: tuple
    peak_rules: tuple
    evaluation_rules: object
    sampling_qc: object
    noise_limits: object
    as_of: dt.date | None = None
    dust_keys: frozenset = frozenset()   # hazards of the dust category (the free-SiO₂ rule applies to them)


def _time(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _blank_masses(samples):
    """Mean blank mass per hazard (µg from the lab, or mg gained by blank filters)."""
    by_hazard = {}
    for sample in samples:
        if sample.get("sample_type") != "blank" or not sample.get("hazard_key"):
            continue
        entry = by_hazard.setdefault(sample["hazard_key"], {"ug": [], "mg": []})
        if sample.get("lab_mass_ug") is not None:
            entry["ug"].append(float(sample["lab_mass_ug"]))
        if sample.get("filter_mass_after_mg") is not None and sample.get("filter_mass_before_mg") is not None:
            entry["mg"].append(float(sample["filter_mass_after_mg"]) - float(sample["filter_mass_before_mg"]))
    return {k: {unit: (sum(v) / len(v) if v else 0.0) for unit, v in e.items()} for k, e in by_hazard.items()}


def sample_result(sample, visit, blanks, qc):
    """Volumes, flow check and concentration of one sample (concentration None while the lab is pending)."""
    out = {"minutes": None, "volume_l": None, "standard_volume_l": None, "flow_check": None,
           "concentration_mg_m3": None, "source": "pending", "problems": []}
    if sample.get("start_time") and sample.get("end_time"):
        out["minutes"] = minutes_between(_time(sample["start_time"]), _time(sample["end_time"]))
    before, after = sample.get("flow_before_l_min"), sample.get("flow_after_l_min")
    if before and after is not None and out["minutes"]:
        flow = check_flow(before, after, qc.flow_deviation_max_pct)
        out["flow_check"] = {"deviation_pct": flow.deviation_pct, "limit_pct": flow.max_deviation_pct,
                             "ok": flow.valid}
        if not flow.valid:
            out["problems"].append({"code": "flow_deviation", "message_zh": flow.reason_zh,
                                    "message_en": flow.reason_en})
        out["volume_l"] = sampled_volume_l(before, after, out["minutes"])
        if visit.get("temperature_c") is not None and visit.get("pressure_kpa") is not None:
            out["standard_volume_l"] = standard_volume_l(out["volume_l"], visit["temperature_c"], visit["pressure_kpa"])
    if sample.get("lod_mg_m3") is not None:
        out["lod_mg_m3"] = float(sample["lod_mg_m3"])
    elif sample.get("lod_ug") is not None and out["standard_volume_l"]:
        out["lod_mg_m3"] = float(sample["lod_ug"]) / out["standard_volume_l"]  # µg / L = mg/m³
    blank = blanks.get(sample.get("hazard_key"), {"ug": 0.0, "mg": 0.0})
    volume = out["standard_volume_l"]
    if sample.get("direct_reading_mg_m3") is not None:
        out["concentration_mg_m3"], out["source"] = float(sample["direct_reading_mg_m3"]), "direct_reading"
    elif sample.get("lab_concentration_mg_m3") is not None:
        out["concentration_mg_m3"], out["source"] = float(sample["lab_concentration_mg_m3"]), "lab_concentration"
    elif volume and sample.get("filter_mass_after_mg") is not None and sample.get("filter_mass_before_mg") is not None:
        gained = float(sample["filter_mass_after_mg"]) - blank["mg"]
        out["concentration_mg_m3"] = max(concentration_from_filter_masses(sample["filter_mass_before_mg"], gained,
                                                                          volume), 0.0)
        out["source"] = "filter_mass"
    elif volume and sample.get("lab_mass_ug") is not None:
        out["concentration_mg_m3"] = max(concentration_from_lab_mass(sample["lab_mass_ug"], volume, blank["ug"]), 0.0)
        out["source"] = "lab_mass"
    return out


def _judged_as(sample, dust_keys):
    """(hazard, condition) a sample is judged as: a dust with measured free SiO₂ ≥ 10 % is 矽尘 in its band."""
    hazard, condition = sample["hazard_key"], sample.get("oel_condition")
    if sample.get("free_sio2_pct") is not None and (hazard == "silica_dust" or hazard in dust_keys):
        band = silica_condition(float(sample["free_sio2_pct"]))
        if band is not None:
            return "silica_dust", band
    return hazard, condition


def _group_key(sample, dust_keys=frozenset()):
    hazard, condition = _judged_as(sample, dust_keys)
    where = sample.get("post") or sample.get("sampling_point") or ""
    return (hazard, sample.get("dust_fraction"), condition, sample.get("workshop") or "", where)


def _measurement(members, results, unit="mg/m3"):
    """Turn a group's samples into the Measurement the exposure rules judge."""
    twa, short, excursions, peaks = [], [], [], []
    exposure_hours = next((float(s["exposure_hours_per_day"]) for s in members
                           if s.get("exposure_hours_per_day") is not None), None)
    for sample in members:
        result = results[sample["id"]]
        value, minutes, kind = result["concentration_mg_m3"], result["minutes"] or 0, sample.get("limit_type")
        if kind == "pc_twa":
            twa.append((value, minutes))
        elif kind == "pc_stel":
            short.append(ShortTermSample(value, minutes or 15.0))
        elif kind == "mac":
            peaks.append(value)
        elif kind == "peak":
            excursions.append(Excursion(_time(sample["start_time"]), minutes, value))
    segments = ()
    if twa and exposure_hours is not None and sum(m for _, m in twa) > 0:
        mean = sum(c * m for c, m in twa) / sum(m for _, m in twa)
        segments = (Segment(mean, exposure_hours),)
    elif twa:
        segments = tuple(Segment(c, m / 60.0) for c, m in twa)
    lod_members = [s for s in members if s.get("below_lod")]
    return Measurement(unit=unit, fraction=members[0].get("dust_fraction"), segments=segments,
                       short_term=tuple(short), c_me=max(peaks) if peaks else None,
                       excursions=tuple(excursions) if excursions else None,
                       below_lod=bool(lod_members) and len(lod_members) == len(members),
                       lod=max((results[s["id"]]["lod_mg_m3"] for s in lod_members
                                if results[s["id"]].get("lod_mg_m3") is not None), default=None))


def _evaluate_group(key, members, results, visit_date, reference, judged=None):
    hazard, fraction, condition, workshop, where = key
    picked = sorted({s["hazard_key"] for s in members} - {hazard})
    entry = {"hazard_key": hazard, "fraction": fraction, "condition": condition, "workshop": workshop,
             "post": where, "sample_ids": [s["id"] for s in members], "status": "pending", "evaluation": None,
             "reclassified_from": picked}
    if any(results[s["id"]]["concentration_mg_m3"] is None and not s.get("below_lod") for s in members):
        return entry
    rules = reference.evaluation_rules or default_evaluation_rules()
    below = [s for s in members if s.get("below_lod") and results[s["id"]]["concentration_mg_m3"] is None]
    if below and len(below) < len(members):
        # Some above, some below the LOD: the stated rule gives the value that enters the C_TWA.
        for sample in below:
            lod = results[sample["id"]].get("lod_mg_m3")
            if lod is None:
                entry.update(status="invalid", problem={"message_zh": "低于检出限的样品缺少检出限，无法计算时间加权平均浓度",
                                                        "details": [{"field": "lod", "message": "LOD missing"}]})
                return entry
            results[sample["id"]].update(concentration_mg_m3=rules.below_lod_factor * lod, source="below_lod")
        entry["below_lod_rule_zh"] = rules.below_lod_rule_zh
    for sample in below if len(below) == len(members) else ():
        results[sample["id"]]["concentration_mg_m3"] = 0.0  # all below: judged through the LOD, not as a value
    try:
        evaluation = evaluate_substance(reference.oel_rows, hazard, visit_date, _measurement(members, results),
                                        condition=condition, peak_rules=reference.peak_rules,
                                        evaluation_rules=reference.evaluation_rules)
    except Invalid as error:
        entry.update(status="invalid", problem={"message_zh": error.message, "details": error.details})
        return entry
    if judged is not None:
        judged[id(entry)] = evaluation
    entry.update(status="evaluated", evaluation=evaluation.as_dict())
    return entry


def _laeq(measurement):
    readings = [float(measurement[f]) for f in ("laeq_1_db", "laeq_2_db", "laeq_3_db") if measurement.get(f) is not None]
    if not readings:
        return None
    return 10 * log10(sum(10 ** (r / 10) for r in readings) / len(readings))  # energy average of the readings


def _noise_key(measurement):
    """Measurements of one post (workshop + post) are the periods of one worker's day; a dosimeter's L_EX,8h
    already covers the day and stands alone."""
    where = measurement.get("post") or measurement.get("measurement_point") or ""
    if measurement.get("measurement_mode") == "dosimeter":
        return ("dosimeter", measurement["id"], measurement.get("workshop") or "", where)
    return ("periods", "", measurement.get("workshop") or "", where)


def _evaluate_noise(measurements, visit_date, reference):
    first = measurements[0]
    entry = {"measurement_ids": [m["id"] for m in measurements], "measurement_id": first["id"],
             "workshop": first.get("workshop"), "post": first.get("post") or first.get("measurement_point"),
             "status": "pending", "evaluation": None, "periods": []}
    days = max(int(m.get("days_per_week") or 5) for m in measurements)
    if first.get("measurement_mode") == "dosimeter":
        level = first.get("dosimeter_lex_8h_db")
        if level is None or first.get("exposure_hours_per_day") is None:
            return entry
        periods = (NoisePeriod(float(level), 8.0),)
    else:
        periods = []
        for measurement in measurements:
            level, hours = _laeq(measurement), measurement.get("exposure_hours_per_day")
            if level is None or hours is None:
                return entry
            periods.append(NoisePeriod(level, float(hours)))
        if sum(p.hours for p in periods) > 24:
            entry.update(status="invalid", problem={
                "message_zh": f"同一岗位各时段接触时间合计 {sum(p.hours for p in periods):g} h，超过 24 h，请核对",
                "details": [{"field": "exposure_hours_per_day", "message": "periods exceed 24 h"}]})
            return entry
    entry["periods"] = [{"measurement_id": m["id"], "laeq_db": p.laeq_db, "hours": p.hours}
                        for m, p in zip(measurements, periods)]
    impulses = [m for m in measurements if m.get("impulses_per_day") and m.get("peak_db") is not None]
    impulse = None
    if impulses:
        loudest = max(impulses, key=lambda m: float(m["peak_db"]))
        impulse = ImpulseNoise(float(loudest["peak_db"]), int(loudest["impulses_per_day"]))
    calibration = None
    drifts = [(float(m["calibration_before_db"]), float(m["calibration_after_db"])) for m in measurements
              if m.get("calibration_before_db") is not None and m.get("calibration_after_db") is not None]
    if drifts:
        calibration = max(drifts, key=lambda pair: abs(pair[1] - pair[0]))  # the worst drift of the day decides
    evaluation = evaluate_noise(visit_date, periods=tuple(periods), days_per_week=days, impulse=impulse,
                                calibration=calibration, limits=reference.noise_limits)
    entry.update(status="evaluated", evaluation=evaluation.as_dict())
    return entry


def _mixtures(evaluated, judged, reference):
    """Σ C/OEL for the substances of each mixture group evaluated at one post."""
    rules = reference.evaluation_rules or default_evaluation_rules()
    out = []
    for group in rules.mixture_groups:
        by_post = {}
        for entry in evaluated:
            if entry["hazard_key"] in group.members and id(entry) in judged:
                by_post.setdefault((entry["workshop"], entry["post"]), []).append(entry)
        for (workshop, post), entries in sorted(by_post.items()):
            if len({e["hazard_key"] for e in entries}) < 2:
                continue
            mixture = evaluate_mixture([judged[id(e)] for e in entries], "PC-TWA", rules)
            out.append({"group_key": group.key, "label_zh": group.label_zh, "workshop": workshop, "post": post,
                        "hazard_keys": sorted(e["hazard_key"] for e in entries), "result": mixture.result,
                        "index": mixture.index, "index_max": mixture.index_max, "reason_zh": mixture.reason_zh,
                        "reason_en": mixture.reason_en})
    return out


def evaluate_visit(visit, samples, noise_measurements, reference):
    """The whole evaluation of one sampling visit (JSON-ready dict)."""
    visit_date = _date(visit.get("sampling_date"))
    if visit_date is None:
        raise Invalid("缺少采样日期，无法评价", details=[{"field": "sampling_date", "code": "required",
                                                  "message": "缺少采样日期", "message_en": "Sampling date missing"}])
    blanks = _blank_masses(samples)
    results = {s["id"]: sample_result(s, visit, blanks, reference.sampling_qc) for s in samples}
    groups, judged = {}, {}
    for sample in samples:
        if sample.get("sample_type") != "blank" and sample.get("hazard_key"):
            groups.setdefault(_group_key(sample, reference.dust_keys), []).append(sample)
    evaluated = [_evaluate_group(k, v, results, visit_date, reference, judged) for k, v in groups.items()]
    posts = {}
    for measurement in noise_measurements:
        posts.setdefault(_noise_key(measurement), []).append(measurement)
    noise = [_evaluate_noise(members, visit_date, reference) for members in posts.values()]
    mixtures = _mixtures(evaluated, judged, reference)
    verdicts = [g["evaluation"]["result"] for g in evaluated if g["evaluation"]]
    verdicts += [n["evaluation"]["result"] for n in noise if n["evaluation"]]
    verdicts += [m["result"] for m in mixtures]
    # reference_as_of: the day whose reference versions judged it (each limit used also names its own version).
    return {"sampling_date": visit_date.isoformat(),
            "reference_as_of": reference.as_of.isoformat() if reference.as_of else None,
            "samples": results, "groups": evaluated, "noise": noise, "mixtures": mixtures,
            "summary": {"samples": len(samples), "blanks": sum(s.get("sample_type") == "blank" for s in samples),
                        "groups": len(evaluated) + len(noise),
                        "pending": sum(g["status"] == "pending" for g in evaluated + noise),
                        "nonconform": verdicts.count("nonconform"), "conform": verdicts.count("conform"),
                        "undetermined": verdicts.count("undetermined")}}
