"""A simulated field tablet speaking the sync protocol: its own sequence, outbox and replica."""
import uuid

from server.form_registry import load_registry

FORMS = load_registry()
VERSIONS = {}
for _summary in FORMS.current():
    for _item in FORMS.get(_summary["form_id"], _summary["version"])["entities"]:
        VERSIONS[_item["entity"]] = _summary["version"]


def new_id():
    return str(uuid.uuid4())


class Tablet:
    """Records offline into an outbox; push sends it, pull fills the replica (and answers resets)."""

    def __init__(self, caller):
        self.caller = caller
        self.seq = 0
        self.outbox = []
        self.replica = {}
        self.cursor = None
        self.device_time = "2026-04-08T10:00:00+08:00"

    @property
    def device_id(self):
        return self.caller.device_id

    def _mutation(self, entity, record_id, op, fields=None, parent=None, base=None, form_version=None):
        self.seq += 1
        mutation = {"client_seq": self.seq, "mutation_id": new_id(), "entity": entity, "id": record_id, "op": op,
                    "form_version": form_version if form_version is not None else VERSIONS.get(entity),
                    "fields": fields, "base": base, "parent": parent, "device_time": self.device_time}
        self.outbox.append(mutation)
        return mutation

    def create(self, entity, fields, parent=None, record_id=None, form_version=None):
        record_id = record_id or new_id()
        self._mutation(entity, record_id, "create", fields, parent=parent, form_version=form_version)
        self.replica[record_id] = {"entity": entity, "data": dict(fields), "field_versions": {}, "deleted": False}
        return record_id

    def update(self, record_id, fields, form_version=None):
        known = self.replica.get(record_id, {"entity": None, "data": {}, "field_versions": {}})
        base = {name: known["field_versions"].get(name, 0) for name in fields}
        entity = known["entity"] or self._entity_of(record_id)
        mutation = self._mutation(entity, record_id, "update", fields, base=base, form_version=form_version)
        known["data"].update(fields)
        return mutation

    def delete(self, record_id):
        known = self.replica[record_id]
        return self._mutation(known["entity"], record_id, "delete", base=dict(known["field_versions"]))

    def submit(self, record_id):
        return self._mutation(self.replica[record_id]["entity"], record_id, "submit")

    def _entity_of(self, record_id):
        return next(m["entity"] for m in self.outbox if m["id"] == record_id)

    def push(self, mutations=None, expect=200):
        """Send the outbox (or the given mutations); acknowledged ones leave the outbox."""
        batch = list(self.outbox if mutations is None else mutations)
        response = self.caller.post("/api/sync/push", json={"protocol": 1, "device_id": self.device_id,
                                                            "mutations": batch})
        assert response.status_code == expect, response.get_json()
        body = response.get_json()
        if response.status_code == 200:
            done = {r["mutation_id"] for r in body["results"]}
            self.outbox = [m for m in self.outbox if m["mutation_id"] not in done]
        return body

    def pull(self, limit=500, protocol=1):
        """Pull until has_more is false; returns every change received."""
        received = []
        while True:
            query = (f"/api/sync/pull?limit={limit}&protocol={protocol}"
                     + (f"&cursor={self.cursor}" if self.cursor else ""))
            body = self.caller.get(query).get_json()
            if body["reset"]:
                self.replica = {k: v for k, v in self.replica.items() if self._unsynced(k)}
            for change in body["changes"]:
                received.append(change)
                if change["kind"] == "record":
                    self.replica[change["id"]] = {"entity": change["entity"], "data": dict(change["data"] or {}),
                                                  "field_versions": dict(change["field_versions"] or {}),
                                                  "deleted": change["deleted"], "payload": change}
            self.cursor = body["cursor"]
            if not body["has_more"]:
                self.last_pull = body
                return received

    def _unsynced(self, record_id):
        return any(m["id"] == record_id for m in self.outbox)


def visit_fields(enterprise_id, **extra):
    """A sampling visit header as a sampler fills it at the enterprise."""
    return {"enterprise_id": enterprise_id, "task_no": "LH-2026-031", "monitoring_category": "periodic",
            "sampling_date": "2026-04-08", "temperature_c": 22.0, "pressure_kpa": 101.0, **extra}


def sample_fields(code, **extra):
    return {"sample_code": code, "sample_type": "field", "hazard_key": "benzene", "workshop": "涂装车间",
            "post": "喷漆工", "sampling_point": "喷漆房", "sampling_mode": "personal", "duration_type": "long_time",
            "limit_type": "pc_twa", "collector": "activated_carbon_tube", "flow_before_l_min": 0.2,
            "flow_after_l_min": 0.2, "start_time": "2026-04-08T08:00:00+08:00",
            "end_time": "2026-04-08T12:00:00+08:00", "exposure_hours_per_day": 8, "sampler_id": "PUMP-07", **extra}


# What a sampling visit needs besides visit_fields before it can be handed in (submitted): the rest of the header
# and the escort's signature.
HANDED_IN_VISIT = {"humidity_pct": 55, "method_standards": ["gbz_159_2004"], "production_status": "正常生产",
                   "sampler_1_name": "王海燕", "sampler_2_name": "李明", "checker_name": "赵丽", "escort_name": "马晓东"}


def hand_in_visit(tablet, visit):
    """Sign and submit a sampling visit created with visit_fields(…, **HANDED_IN_VISIT): it reaches review, the
    figures and the exports."""
    tablet.create("attachment", {"field": "escort_signature", "sha256": "c" * 64, "mime": "image/png"}, parent=visit)
    tablet.submit(visit)


def handed_in_visit(tablet, enterprise_id, task_no, day, result=1.2):
    """A sampling visit of one sample handed in on `day`; `result` None leaves the sample waiting for the laboratory
    (not evaluated), a number is its laboratory concentration (mg/m³)."""
    visit = tablet.create("sampling_visit", visit_fields(enterprise_id, task_no=task_no, sampling_date=day,
                                                         **HANDED_IN_VISIT))
    extra = {"lab_concentration_mg_m3": result} if result is not None else {}
    tablet.create("sample", sample_fields(f"{task_no}-01", start_time=f"{day}T08:00:00+08:00",
                                          end_time=f"{day}T12:00:00+08:00", **extra), parent=visit)
    hand_in_visit(tablet, visit)
    return visit


# An assistance visit and a follow-up as complete as submission needs (merge the day and the enterprise/patient).
HANDED_IN_ASSISTANCE = {
    "staff_names": "陈静、赵丽", "declaration_status": "done", "testing_status": "done",
    "health_exam_status": "done", "training_status": "done", "protective_facilities_status": "done",
    "ppe_status": "done", "warning_notice_status": "done", "rules_records_status": "done",
    "problems_found": "未申报职业病危害项目", "guidance_given": "现场指导完成在线申报流程", "exposed_workers": 24,
    "workers_due_exam": 24, "workers_examined": 24, "workers_trained": 24, "hazard_posts": 6, "hazard_posts_tested": 6}
HANDED_IN_FOLLOWUP = {"sex": "male", "pneumoconiosis_type": "silicosis", "stage": "stage_1",
                      "diagnosis_date": "2015-06-01", "followup_method": "phone", "followup_staff": "周洁"}
