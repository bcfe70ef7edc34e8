"""What each document shows, built from the records under one root (an inspection, a sampling visit, …).

The result is the document's snapshot: plain JSON, hashed and stored when the document is issued. Images are
kept as "sha256:<hash>" references (the bytes are evidence in blob storage); they become data URIs of the
display copies only when the PDF is rendered.
"""
import datetime as dt

from ..clock import CHINA
from .errors import Invalid
from .judgements import format_sig
from .wording import notice_wording

ASPECTS = (("declaration", "职业病危害项目申报"), ("testing", "定期检测"), ("health_exam", "职业健康检查"),
           ("training", "职业卫生培训"), ("protective_facilities", "防护设施"), ("ppe", "个体防护用品"),
           ("warning_notice", "警示标识与告知"), ("rules_records", "制度与档案"))
ASPECT_STATUS = {"done": "done", "partly_done": "partly", "not_done": "not_done", "not_applicable": "not_applicable"}


def image_ref(sha256):
    """A snapshot's reference to an image held in blob storage."""
    return f"sha256:{sha256}" if sha256 else None


def _attachments(children, parent_id, field):
    return [c for c in children if c.entity == "attachment" and c.parent_id == parent_id and not c.deleted
            and c.data.get("field") == field]


def _signature(children, parent_id, field):
    found = _attachments(children, parent_id, field)
    return image_ref(found[-1].data["sha256"]) if found else None


def _when(day, hhmm):
    """A local date and HH:MM as an ISO datetime in China time."""
    if not day:
        return None
    hour, minute = (int(part) for part in (hhmm or "00:00").split(":")[:2])
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), CHINA).isoformat()


def common_context(doc_type, title_zh, *, number, issued_at, agency, enterprise, officers, verify_url, photos=(),
                   signatures=None):
    """The parts every document shares (see server/documents/contexts.py)."""
    return {"document": {"type": doc_type, "number": number, "title_zh": title_zh, "issued_at": issued_at,
                         "status": "issued", "amends_number": None, "amended_by_number": None},
            "agency": {"name": agency.name, "address": agency.address or "", "phone": agency.phone or ""},
            "party": {"name": enterprise.name, "credit_code": enterprise.credit_code,
                      "address": enterprise.address or "", "legal_representative": enterprise.legal_representative or "",
                      "contact_name": enterprise.contact_name or "", "contact_phone": enterprise.contact_phone or ""},
            "officers": officers, "signatures": signatures or {"officers": []}, "verification": {"url": verify_url},
            "photos": list(photos)}


def officers_of(root, users):
    """The two officers named on an inspection, with their 执法证号 from the user registry."""
    officers = []
    for slot in ("officer_1", "officer_2"):
        user = users.get(str(root.data.get(f"{slot}_id") or ""))
        name = root.data.get(f"{slot}_name") or (user.display_name if user else "")
        if name:
            officers.append({"name": name, "cert_no": (user.enforcement_cert_no if user else "") or ""})
    return officers


def _deadline(finding, inspection_date):
    data = finding.data
    if data.get("deadline_date"):
        return data["deadline_date"]
    days = data.get("deadline_days")
    if days in (None, 0):
        return None  # printed as 立即改正
    return (dt.date.fromisoformat(inspection_date) + dt.timedelta(days=int(days))).isoformat()


def findings_of(root, children):
    """The findings of an inspection, in the order they were recorded."""
    findings = sorted((c for c in children if c.entity == "finding" and not c.deleted), key=_recorded_order)
    return [{"number": index, "record_id": f.id, "fact": f.data.get("fact") or "",
             "violated_citation": f.data.get("violated_article") or "", "penalty_citation": f.data.get("penalty_article"),
             "requirement": f.data.get("requirement") or "", "deadline": _deadline(f, root.data["inspection_date"])}
            for index, f in enumerate(findings, start=1)]


def _recorded_order(record):
    return (record.created_change_no or 0, record.id)


def photos_of(children, parents):
    """Photo evidence of the given records in the order the document prints them: the findings in the order they
    were recorded (their numbers), each finding's photos in the order they were taken."""
    photos = []
    for parent in sorted(parents, key=_recorded_order):
        for attachment in sorted(_attachments(children, parent.id, "photos"), key=_recorded_order):
            photos.append({"data_uri": image_ref(attachment.data["sha256"]),
                           "caption": attachment.data.get("caption") or (parent.data.get("fact") or "")[:40],
                           "taken_at": attachment.data.get("captured_at")
                           or (attachment.device_created_at or attachment.created_at).astimezone(CHINA).isoformat()})
    return photos


def inspection_signatures(root, children):
    """Officers', the party's (or the refusal, and the witness with their signature) signatures on an inspection."""
    data = root.data
    refused = bool(data.get("refused_to_sign"))
    return {"officers": [_signature(children, root.id, "officer_1_signature"),
                         _signature(children, root.id, "officer_2_signature")],
            "party": _signature(children, root.id, "party_signature"), "party_name": data.get("party_rep_name"),
            "party_title": data.get("party_rep_title"), "party_refused": refused,
            # The witness stands in for the party only when the party refused (form v2 asks them to sign then).
            "witness_name": data.get("witness_name") if refused else None,
            "witness_signature": _signature(children, root.id, "witness_signature") if refused else None,
            "signed_at": _when(data.get("inspection_date"), data.get("end_time"))}


def require(condition, field, zh, en):
    """Raise Invalid (the document cannot be issued) unless condition holds."""
    if not condition:
        raise Invalid(f"无法出具文书：{zh}", code="DOCUMENT_INCOMPLETE",
                      details=[{"field": field, "code": "required", "message": zh, "message_en": en}])


def order_context(base, root, children, inputs):
    """卫生监督意见书 / 责令改正通知书: one paragraph per finding with basis, requirement and deadline."""
    settings = inputs["settings"]
    findings = findings_of(root, children)
    require(findings, "findings", "没有需要整改的问题，无需出具意见书", "No findings to order corrections for")
    context = dict(base, findings=findings, inspection_date=root.data["inspection_date"],
                   report_within_days=settings.get("report_within_days", 5),
                   relief_notice=bool(settings.get("relief_notice")))
    if context["relief_notice"]:
        context["relief"] = {"government": settings.get("relief_government", ""), "court": settings.get("relief_court", "")}
    return context


def onsite_record_context(base, root, children, inputs):
    """现场笔录: time span, place, officers, an objective record of what was seen, the party's statement."""
    items = inputs["checklist_items"]
    data = root.data
    observations = []
    for result in sorted((c for c in children if c.entity == "checklist_result" and not c.deleted),
                         key=lambda c: (c.created_change_no or 0, c.id)):
        note = (result.data.get("note") or "").strip()
        if result.data.get("result") in ("nonconform", "corrected_on_site") and note:
            title = items.get(result.data.get("item_key"), {}).get("title_zh", result.data.get("item_key"))
            suffix = "（现场已改正）" if result.data.get("result") == "corrected_on_site" else ""
            observations.append(f"{title}：{note}{suffix}")
    if data.get("summary"):
        observations.append(data["summary"])
    require(observations, "observations", "现场笔录没有记录内容", "The on-site record has no observations")
    refused = bool(data.get("refused_to_sign"))
    return dict(base, inspection={"start": _when(data["inspection_date"], data.get("start_time")),
                                  "end": _when(data["inspection_date"], data.get("end_time") or data.get("start_time")),
                                  "place": data.get("place") or base["party"]["address"],
                                  "recorder": (base["officers"][0]["name"] if base["officers"] else "")},
                notification=notice_wording()["notification"], observations=observations,
                party_statement=notice_wording()["refused_statement" if refused else "party_statement"])


def assistance_context(base, root, children, _inputs):
    """帮扶现场反馈单: each aspect's state, problems, guidance, the follow-up date."""
    data = root.data
    aspects = [{"title_zh": title, "status": ASPECT_STATUS.get(data.get(f"{key}_status"), "not_applicable"),
                "note": data.get(f"{key}_note") or ""} for key, title in ASPECTS]
    staff = [name.strip() for name in (data.get("staff_names") or "").replace("，", ",").replace("、", ",").split(",")
             if name.strip()]
    # The assistant signs on the tablet (form version 2): printed beside the first name of 帮扶人员.
    signed = _signature(children, root.id, "assistant_signature")
    signatures = {"officers": [signed] if signed else [], "party": _signature(children, root.id, "enterprise_signature"),
                  "party_name": data.get("enterprise_rep_name")}
    computed = (root.computed or {}).get("fields") or {}
    figures = [(label, _figure(data.get(key) if key in data else computed.get(key), unit))
               for key, label, unit in ASSISTANCE_FIGURES]
    return dict(base, aspects=aspects, problems=data.get("problems_found") or "", guidance=data.get("guidance_given") or "",
                materials=data.get("materials_given") or "", follow_up_date=data.get("followup_date"), staff=staff,
                figures=[{"label": label, "value": value} for label, value in figures if value], signatures=signatures)


# The headcounts and rates the programme reports (assistance_visit 人数与岗位), as printed on the 反馈单.
ASSISTANCE_FIGURES = (("exposed_workers", "接触职业病危害人数", "人"), ("workers_due_exam", "应检人数", "人"),
                      ("workers_examined", "实检人数", "人"), ("exam_rate_pct", "职业健康检查率", "%"),
                      ("workers_trained", "培训人数", "人"), ("training_rate_pct", "培训率", "%"),
                      ("hazard_posts", "接害岗位数", "个"), ("hazard_posts_tested", "已检测岗位数", "个"),
                      ("testing_rate_pct", "岗位检测率", "%"), ("people_trained", "现场培训人数", "人"))


def _figure(value, unit):
    """A count as typed; a rate to one decimal ("83.3%"); nothing when not recorded."""
    if value is None or isinstance(value, bool):
        return ""
    if unit == "%":
        return f"{float(value):.1f}%"
    return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def choice_labels(definition, entity):
    """{field: {value: zh label}} of an entity's select fields."""
    labels = {}
    for item in definition["entities"]:
        if item["entity"] != entity:
            continue
        for section in item["sections"]:
            for field in section["fields"]:
                if field.get("choices"):
                    labels[field["id"]] = {c["value"]: c["label_zh"] for c in field["choices"]}
    return labels


def _samplers(data):
    return [data[f"sampler_{i}_name"] for i in range(1, 5) if data.get(f"sampler_{i}_name")]


def _clock(value):
    return value[11:16] if isinstance(value, str) and len(value) >= 16 else (value or "")


# What each number on the 采样记录单 is printed to: the decimals of its form field, so the sheet shows what the
# tablet showed (typed values keep every digit typed; computed ones are rounded there). The fallbacks are the
# instruments' resolution (0.01 L/min pump, 0.01 mg balance, 0.1 dB meter) for a form version without them.
SHEET_DECIMALS = {
    "temperature_c": ("sampling_visit", "temperature_c", 1), "pressure_kpa": ("sampling_visit", "pressure_kpa", 2),
    "humidity_pct": ("sampling_visit", "humidity_pct", 1), "wind_speed_m_s": ("sampling_visit", "wind_speed_m_s", 1),
    "flow_before": ("sample", "flow_before_l_min", 2), "flow_after": ("sample", "flow_after_l_min", 2),
    "mean_flow": ("sample", "mean_flow_l_min", 2), "flow_deviation_pct": ("sample", "flow_deviation_pct", 1),
    "minutes": ("sample", "duration_min", 0), "volume_l": ("sample", "volume_l", 1),
    "standard_volume_l": ("sample", "standard_volume_l", 1), "filter_mass": ("sample", "filter_mass_before_mg", 2),
    "direct_reading": ("sample", "direct_reading_mg_m3", 3),
    "calibration_db": ("noise_measurement", "calibration_before_db", 1),
    "calibration_drift_db": ("noise_measurement", "calibration_drift_db", 1),
    "laeq_db": ("noise_measurement", "laeq_1_db", 1),
    "exposure_hours": ("noise_measurement", "exposure_hours_per_day", 1),
    "lex_8h": ("noise_measurement", "dosimeter_lex_8h_db", 1),
}


def _sheet_decimals(definition):
    fields = {(item["entity"], field["id"]): field for item in definition["entities"]
              for section in item["sections"] for field in section["fields"]}
    return {key: fields.get((entity, field), {}).get("decimals", fallback)
            for key, (entity, field, fallback) in SHEET_DECIMALS.items()}


def _label(labels, field, value):
    """The Chinese label of a select field's value, from the form's choices (never the option key)."""
    return labels.get(field, {}).get(value, "")


def _sample_row(record, labels, hazard_names):
    d, fields = record.data, (record.computed or {}).get("fields", {})
    zh = {f"{field}_zh": _label(labels, field, d.get(field))
          for field in ("sample_type", "sampling_mode", "duration_type", "collector", "dust_fraction")}
    return {"sample_code": d.get("sample_code") or "", **zh, "workshop": d.get("workshop") or "",
            "post": d.get("post") or "", "sampling_point": d.get("sampling_point") or "",
            "hazard_zh": hazard_names.get(d.get("hazard_key"), d.get("hazard_key") or ""),
            # form version 1 called the instrument pump_id (renamed by version 2's upcast)
            "instrument_id": d.get("sampler_id") or d.get("pump_id") or "",
            "flow_before": d.get("flow_before_l_min"), "flow_after": d.get("flow_after_l_min"),
            "mean_flow": fields.get("mean_flow_l_min"), "flow_deviation_pct": fields.get("flow_deviation_pct"),
            "start": _clock(d.get("start_time")), "end": _clock(d.get("end_time")),
            "minutes": fields.get("duration_min"), "volume_l": fields.get("volume_l"),
            "standard_volume_l": fields.get("standard_volume_l"), "filter_id": d.get("filter_id") or "",
            "filter_mass_before": d.get("filter_mass_before_mg"), "filter_mass_after": d.get("filter_mass_after_mg"),
            "direct_reading": d.get("direct_reading_mg_m3"), "notes": d.get("notes") or ""}


def _noise_row(record, labels, levels):
    d = record.data
    mode = d.get("measurement_mode") or "sound_level_meter"  # version 1 knew only the sound level meter
    dosimeter = mode == "dosimeter"
    readings = [] if dosimeter else [d[k] for k in ("laeq_1_db", "laeq_2_db", "laeq_3_db") if d.get(k) is not None]
    typed = d.get("dosimeter_lex_8h_db") if dosimeter else None
    lex = levels.get(record.id)
    return {"workshop": d.get("workshop") or "", "post": d.get("post") or "", "point": d.get("measurement_point") or "",
            "mode_zh": _label(labels, "measurement_mode", mode), "dosimeter": dosimeter,
            "calibrator_id": d.get("calibrator_id") or "", "calibration_before": d.get("calibration_before_db"),
            "calibration_after": d.get("calibration_after_db"),
            "calibration_drift": (record.computed or {}).get("fields", {}).get("calibration_drift_db"),
            "laeq_readings": readings, "dosimeter_lex_8h": typed, "exposure_hours": d.get("exposure_hours_per_day"),
            "lex_8h": lex if lex is not None else typed,
            "equipment": d.get("equipment_note") or "", "notes": d.get("notes") or ""}


def _noise_levels(root):
    """{measurement id: L_EX,8h} from the visit's evaluation: every period of a post carries the post's level."""
    evaluation = (root.computed or {}).get("evaluation") or {}
    return {measurement: entry["evaluation"].get("lex_8h") for entry in evaluation.get("noise") or []
            if entry.get("evaluation") for measurement in entry.get("measurement_ids") or [entry.get("measurement_id")]}


def sampling_sheet_context(base, root, children, inputs):
    """采样记录单: the visit header, every sample line with its instrument, flow calibration and filter, the noise
    readings with their calibration, signed by the escort."""
    definition, hazard_names, method_names = inputs["definition"], inputs["hazards"], inputs["methods"]
    data, visit_labels = root.data, choice_labels(definition, "sampling_visit")
    labels, noise_labels = choice_labels(definition, "sample"), choice_labels(definition, "noise_measurement")
    levels, live = _noise_levels(root), [c for c in children if not c.deleted]
    samples = [_sample_row(s, labels, hazard_names) for s in sorted(
        (c for c in live if c.entity == "sample"), key=lambda c: c.data.get("sample_code") or "")]
    noise = [_noise_row(n, noise_labels, levels) for n in sorted(
        (c for c in live if c.entity == "noise_measurement"),
        key=lambda c: (c.data.get("workshop") or "", c.data.get("post") or "", c.created_change_no or 0, c.id))]
    require(samples or noise, "samples", "没有样品或噪声测量，不能出具采样记录单", "No samples or noise measurements")
    visit = {"task_no": data.get("task_no") or "", "sampling_date": data.get("sampling_date"),
             "monitoring_category_zh": _label(visit_labels, "monitoring_category", data.get("monitoring_category")),
             "temperature_c": data.get("temperature_c"), "pressure_kpa": data.get("pressure_kpa"),
             "humidity_pct": data.get("humidity_pct"), "wind_speed_m_s": data.get("wind_speed_m_s"),
             "production_status": data.get("production_status") or "",
             "method_standards": [method_names.get(k, k) for k in data.get("method_standards") or []],
             "samplers": _samplers(data), "checker": data.get("checker_name") or "",
             "escort_name": data.get("escort_name") or "", "notes": data.get("notes") or ""}
    signatures = {"officers": [], "party": _signature(children, root.id, "escort_signature"),
                  "party_name": data.get("escort_name")}
    return dict(base, visit=visit, samples=samples, noise=noise, signatures=signatures,
                decimals=_sheet_decimals(definition))


def sampling_feedback_context(base, root, children, inputs):
    """检测现场反馈: what was sampled where, for the enterprise, and what happens next."""
    hazard_names = inputs["hazards"]
    groups = {}
    for sample in children:
        if sample.entity != "sample" or sample.deleted or sample.data.get("sample_type") == "blank":
            continue
        key = (sample.data.get("workshop") or "", sample.data.get("post") or "", sample.data.get("hazard_key"))
        groups.setdefault(key, []).append(sample.data.get("sample_code") or "")
    require(groups, "samples", "没有现场样品，不能出具检测现场反馈", "No field samples")
    summary = [{"workshop": w, "post": p, "hazard_zh": hazard_names.get(h, h or ""), "sample_codes": sorted(codes),
                "next_step": "送实验室检测"} for (w, p, h), codes in sorted(groups.items(), key=lambda kv: kv[0][:2])]
    data = root.data
    due = (dt.date.fromisoformat(data["sampling_date"]) + dt.timedelta(days=30)).isoformat()
    visit = {"task_no": data.get("task_no") or "", "sampling_date": data.get("sampling_date"),
             "monitoring_category_zh": "", "samplers": _samplers(data), "escort_name": data.get("escort_name") or ""}
    return dict(base, visit=visit, summary=summary, report_due_date=due,
                next_steps="样品已封存并送实验室检测，检测结果将以正式检测报告形式反馈贵单位。",
                signatures={"officers": [], "party": _signature(children, root.id, "escort_signature"),
                            "party_name": data.get("escort_name")})


def reinspection_context(base, root, children, inputs):
    """复查意见书: each item of the earlier notice with the result found at re-inspection."""
    original, rectification_items = inputs["original"], inputs["rectification_items"]
    items = []
    for index, item in enumerate(sorted((c for c in children if c.entity == "reinspection_item" and not c.deleted),
                                        key=lambda c: (c.created_change_no or 0, c.id)), start=1):
        target = rectification_items.get(item.data.get("rectification_item_id"))
        items.append({"number": index, "fact": target.data.get("fact") if target else "",
                      "requirement": target.data.get("requirement") if target else "",
                      "deadline": target.data.get("deadline") if target else None,
                      "result_zh": notice_wording()["results"].get(item.data.get("result"), ""),
                      "evidence": item.data.get("evidence_note") or ""})
    require(items, "items", "没有复查项目", "No re-inspected items")
    require(original is not None, "notice_document_id", "找不到原文书", "The original notice is unknown")
    signatures = {"officers": [], "party": _signature(children, root.id, "party_signature"),
                  "party_name": root.data.get("party_rep_name")}
    return dict(base, original={"number": original.number, "issued_at": original.issued_at.astimezone(CHINA).isoformat()},
                inspection_date=root.data.get("reinspection_date"), conclusion=root.data.get("conclusion") or "",
                relief_notice=False, items=items, signatures=signatures)


def sample_labels(visit, samples, hazard_names, enterprise_name):
    """Labels for a visit's samples: code, QR payload record, hazard, enterprise, date, type."""
    types = {"field": "现场样", "blank": "空白样", "parallel": "平行样"}
    return [{"sample_code": s.data.get("sample_code") or "", "record_id": s.id,
             "hazard_zh": hazard_names.get(s.data.get("hazard_key"), s.data.get("hazard_key") or ""),
             "enterprise_name": enterprise_name, "sampling_date": visit.data.get("sampling_date") or "",
             "sample_type_zh": types.get(s.data.get("sample_type"), "")}
            for s in sorted(samples, key=lambda s: s.data.get("sample_code") or "") if not s.deleted]


def _limit_line(limit):
    """PC-TWA 3 mg/m³（GBZ 2.1-2019 第1号修改单，自 2022-… 起施行）: the limit row a verdict used, with its dates."""
    unit = str(limit.get("unit") or "").replace("m3", "m³")
    source = "，".join(x for x in (limit.get("source_standard"), limit.get("amendment")) if x)
    since = limit.get("effective_from") or limit.get("version_from")
    dates = f"，自 {since} 起施行" if since else ""
    return f"{limit.get('limit_type')} {format_sig(limit.get('value'))} {unit}（{source}{dates}）".replace("（）", "")


def monitoring_report_context(base, root, children, inputs):
    """检测报告: per post and hazard the measured values with the limits in force on the sampling date and the
    verdicts, one noise verdict per post, mixtures, the methods, the below-LOD rule, and who tested, reviewed and
    approved."""
    hazards, monitoring = inputs["hazards"], inputs["monitoring"]
    require(root.review_status == "approved", "review_status", "审核通过后才能出具检测报告",
            "The visit must be approved first")
    evaluation = monitoring["evaluation"] or {}
    require(evaluation.get("summary") and not evaluation["summary"].get("pending"), "evaluation",
            "评价尚未完成（实验室结果未齐）", "The evaluation is not complete")
    results, rule = [], ""
    for group in evaluation.get("groups") or []:
        judged = group.get("evaluation") or {}
        measured = "；".join(f"{name} {format_sig(judged[key])}" for name, key in
                            (("C_TWA", "c_twa"), ("C_STE", "c_ste"), ("C_ME", "c_me")) if judged.get(key) is not None)
        results.append({"workshop": group.get("workshop") or "", "post": group.get("post") or "",
                        "hazard_zh": hazards.get(group["hazard_key"], ""),
                        "measured": (measured + " mg/m³") if measured else ("<检出限" if judged.get("below_lod") else "—"),
                        "limits": "；".join(_limit_line(limit) for limit in judged.get("limits_used") or []),
                        "result_zh": judged.get("result_zh") or "不判定"})
        rule = rule or group.get("below_lod_rule_zh") or ""
    noise = [{"workshop": n.get("workshop") or "", "post": n.get("post") or "",
              "lex_8h": f"{n['evaluation']['lex_8h']:.1f}" if (n.get("evaluation") or {}).get("lex_8h") is not None else "—",
              "result_zh": (n.get("evaluation") or {}).get("result_zh") or "不判定"}
             for n in evaluation.get("noise") or []]
    mixtures = [{"post": m.get("post") or "", "label_zh": m["label_zh"], "index": format_sig(m.get("index")),
                 "result_zh": {"conform": "符合", "nonconform": "不符合"}.get(m["result"], "不判定")}
                for m in evaluation.get("mixtures") or []]
    summary = evaluation["summary"]
    conclusion = (f"本次共检测 {len(results)} 项化学有害因素/粉尘、{len(noise)} 个噪声岗位：符合 {summary.get('conform', 0)} 项，"
                  f"不符合 {summary.get('nonconform', 0)} 项，不判定 {summary.get('undetermined', 0)} 项。")
    values = monitoring["results"].values()
    data = root.data
    return dict(base, visit={"task_no": data.get("task_no") or "", "sampling_date": data.get("sampling_date"),
                             "samplers": _samplers(data)},
                methods=sorted({v.get("method_standard") for v in values if v.get("method_standard")}),
                results=results, noise=noise, mixtures=mixtures, below_lod_rule=rule, conclusion=conclusion,
                people={"analysts": sorted({v.get("analyst") for v in values if v.get("analyst")}),
                        "reviewer": monitoring["reviewer"] or "", "approver": monitoring["approver"]})
