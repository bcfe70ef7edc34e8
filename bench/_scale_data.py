"""A province-scale history written straight into the database (issue 18 point 3): districts × months of field work.

The province: one health commission (its supervisor sees everything), cities of ten districts each; per district a
CDC (sampling, assistance, follow-ups) and a health-supervision agency (inspections), a sampling and an enforcement
team, field users of every role and two supervisors, and its registry of enterprises (industry, size, hazards).

Per district and year, by default (`Scale`): 60 sampling visits of about 15 children each (samples, 1–2 blanks,
noise measurements where the industry is noisy), 120 inspections with 0–6 findings (≈ 2.9) and one rectification item
per finding once the order is issued (the inspection no longer a draft), 40 assistance visits, 250 follow-ups of about
80 pneumoconiosis patients: ≈ 2,060 records a district-year, so 100 districts × 5 years ≈ 1,030,000 records.

Every record is as the server stores it: the form's fields (sampling_record v3, enforcement_checklist v2,
assistance_visit v2, pneumoconiosis_followup v1), `computed.fields` from the form registry and, on each visit,
`computed.evaluation` from the server's own evaluate_visit (domain/evaluations.py) over its samples, with the
reference data of the database; field_versions per field; `business_date`, `closed_on` and `tallies` set as
models/records.py sets them. Review states follow age: recent work is partly submitted, returned or draft, older
work almost all approved. Rectification items close (mostly before their deadline) or stay open / overdue; visits are entered into the national system
(national_entries) within days to weeks. Change numbers follow the business dates and the sync counter ends at the
last one, so pulls and later pushes stay consistent.

Not generated (each would add rows, not change the shape of the KPI and list queries): checklist results of the
inspections, attachments (photos, signatures), issued documents, re-inspection records (a closed item carries its
re-inspection result in its data), laboratory results rows, record_changes history rows, devices.

Rows go in with PostgreSQL COPY, or SQLAlchemy Core executemany of a few thousand rows on other databases (SQLite in
the test suite). Deterministic: the same Scale and seed give the same rows.
"""
import datetime as dt
import json
import math
import random
import time
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from server.clock import CHINA
from server.domain.evaluations import evaluate_visit
from server.domain.reference_store import evaluation_reference, table_data
from server.domain.regions import add_agency, add_region
from server.form_registry import compute
from server.models import Enterprise, NationalEntry, Record, SyncState, Team, User, UserRole
from server.models.records import projected_columns
from server.models.sync_state import STATE_ID, ensure_sync_state

FORMS = {"sampling_visit": ("sampling_record", 3), "sample": ("sampling_record", 3),
         "noise_measurement": ("sampling_record", 3), "inspection": ("enforcement_checklist", 2),
         "finding": ("enforcement_checklist", 2), "assistance_visit": ("assistance_visit", 2),
         "followup": ("pneumoconiosis_followup", 1), "rectification_item": (None, None)}
ROOT_KINDS = ("sampling_visit", "inspection", "assistance_visit", "followup")
CHUNK = 5000

# Industries (GB/T 4754-2017) and what is sampled there: (hazard, dust fraction, OEL condition, limit type), noise.
INDUSTRIES = (
    ("C3011", "水泥制造", (("cement_dust", "total", None, "pc_twa"), ("cement_dust", "respirable", None, "pc_twa"),
                       ("silica_dust", "total", None, "pc_twa")), True),
    ("C3391", "黑色金属铸造", (("silica_dust", "total", None, "pc_twa"), ("silica_dust", "respirable", None, "pc_twa"),
                         ("manganese", None, None, "pc_twa"),
                         ("carbon_monoxide", None, "non_plateau", "pc_twa")), True),
    ("C3360", "金属表面处理及热处理加工", (("chromium_vi", None, None, "pc_twa"), ("nickel", None, "soluble", "pc_twa"),
                                ("sulfuric_acid", None, None, "pc_twa"),
                                ("hydrogen_chloride", None, None, "mac")), False),
    ("C2614", "有机化学原料制造", (("benzene", None, None, "pc_twa"), ("toluene", None, None, "pc_twa"),
                           ("methanol", None, None, "pc_twa"), ("hydrogen_sulfide", None, None, "mac"),
                           ("ammonia", None, None, "pc_twa")), True),
    ("C2110", "木质家具制造", (("hardwood_dust", "total", None, "pc_twa"), ("formaldehyde", None, None, "mac"),
                         ("benzene", None, None, "pc_twa"), ("xylene", None, None, "pc_twa")), True),
    ("C3670", "汽车零部件及配件制造", (("welding_fume", "total", None, "pc_twa"), ("manganese", None, None, "pc_twa"),
                             ("toluene", None, None, "pc_twa"), ("ethyl_acetate", None, None, "pc_twa")), True),
    ("C3130", "钢压延加工", (("other_dust", "total", None, "pc_twa"), ("carbon_monoxide", None, "non_plateau", "pc_twa"),
                        ("sulfur_dioxide", None, None, "pc_twa")), True),
    ("C2231", "纸和纸板容器制造", (("other_dust", "total", None, "pc_twa"), ("toluene", None, None, "pc_twa"),
                           ("butyl_acetate", None, None, "pc_twa")), True),
)
COLLECTORS = {"dust": "filter_membrane", "mac": "absorption_tube", "metal": "filter_membrane",
              "organic": "activated_carbon_tube"}
METALS = {"manganese", "chromium_vi", "nickel", "lead", "sulfuric_acid"}
WORKSHOPS = ("一车间", "二车间", "三车间", "成型车间", "包装车间", "原料车间", "维修车间", "喷涂车间")
POSTS = ("操作工", "投料工", "巡检工", "包装工", "打磨工", "焊工", "喷漆工", "叉车工", "维修工", "质检员")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志宏海燕文辉鹏飞雪梅晓东春林云峰"
CITY_NAMES = ("海州", "江陵", "南屿", "青岚", "石门", "东临", "北川", "西岭", "云溪", "长宁", "安平", "临川")
REVIEW_COMMENTS = ("请补充陪同人签名", "采样点描述不清，请补充", "现场照片不清晰，请重拍", "检查日期与文书日期不一致")
STATUSES = ("done", "partly_done", "not_done")


@dataclass
class Scale:
    """What to build: `districts` districts (ten to a city) with `months` months of history ending on `end`."""

    districts: int = 100
    months: int = 60
    end: dt.date = field(default_factory=lambda: dt.datetime.now(CHINA).date())
    enterprises_per_district: int = 300
    visits_per_year: int = 60
    children_per_visit: int = 15
    inspections_per_year: int = 120
    assistance_per_year: int = 40
    followups_per_year: int = 250
    patients_per_district: int = 80
    seed: int = 2026
    code_prefix: str = "46"       # GB/T 2260-like codes 46CCDD (fictitious province)
    username_prefix: str = "p"

    @property
    def start(self):
        return self.end - dt.timedelta(days=round(self.months * 365.25 / 12) - 1)

    @classmethod
    def for_records(cls, records, districts=100, **extra):
        """The months that give about `records` records for `districts` districts with the default proportions."""
        per_month = districts * RECORDS_PER_DISTRICT_YEAR / 12
        return cls(districts=districts, months=max(1, round(records / per_month)), **extra)


RECORDS_PER_DISTRICT_YEAR = 2075  # measured: visits with their children, inspections with findings and items, …


@dataclass
class Built:
    """What the generator made: counts, the seconds it took and who can log in."""

    counts: dict
    seconds: float
    province_id: int
    district_ids: list
    users: dict            # username → user id
    districts: list        # per district: {"region_id", "prefix", "cdc_id", "supervision_id", "name"}
    last_change_no: int
    index_seconds: float = 0.0

    @property
    def records(self):
        return sum(v for k, v in self.counts.items() if k in FORMS)


class Sink:
    """Rows buffered per table and written in chunks: COPY on PostgreSQL, Core executemany elsewhere."""

    def __init__(self, session, chunk=CHUNK):
        self.session, self.chunk = session, chunk
        self.connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self.buffers, self.written = {}, {}

    def add(self, table, row):
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush(table)

    def flush(self, table=None):
        for name in ([table] if table is not None else list(self.buffers)):
            rows = self.buffers.get(name)
            if rows:
                self._write(name, rows)
                self.written[name.name] = self.written.get(name.name, 0) + len(rows)
                self.buffers[name] = []

    def _write(self, table, rows):
        if not self.postgres:
            self.connection.execute(sa.insert(table), rows)
            return
        columns = list(rows[0])
        json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        cursor = self.connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c], ensure_ascii=False, separators=(",", ":"))
                                if c in json_columns and row[c] is not None else row[c] for c in columns])


class Generator:
    """One run of the generator (see the module's text)."""

    def __init__(self, session, forms, scale, password_hash, log=None, defer_indexes=False):
        self.session, self.forms, self.scale = session, forms, scale
        self.defer_indexes = defer_indexes
        self.rng = random.Random(scale.seed)
        self.password_hash = password_hash
        self.log = log or (lambda message: None)
        self.sink = Sink(session)
        self.counts = {}
        self.now = dt.datetime.combine(scale.end, dt.time(18, 0), CHINA)

    # ids, names, times ------------------------------------------------------------------------------------------
    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def person(self):
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def next_change(self):
        self.change_no += 1
        return self.change_no

    def moment(self, day, hour_from=8, hour_to=18, delay_days=0):
        """A time on `day` (China) plus `delay_days`, never after the history's end."""
        seconds = self.rng.randint(hour_from * 3600, hour_to * 3600 - 1)
        value = dt.datetime.combine(day, dt.time(), CHINA) + dt.timedelta(days=delay_days, seconds=seconds)
        return min(value, self.now)

    def working_days(self, rng, count):
        """`count` working days (Monday–Friday) drawn over the history, sorted."""
        start, days = self.scale.start, (self.scale.end - self.scale.start).days + 1
        out = []
        while len(out) < count:
            day = start + dt.timedelta(days=rng.randrange(days))
            if day.weekday() < 5:
                out.append(day)
        return sorted(out)

    def yearly(self, rng, per_year):
        """How many of a kind a district does over the history (per_year × years; the fraction drawn)."""
        expected = per_year * ((self.scale.end - self.scale.start).days + 1) / 365.25
        return int(expected) + (rng.random() < expected - int(expected))

    # the organisation ----------------------------------------------------------------------------------------------
    def build(self):
        started = time.perf_counter()
        ensure_sync_state(self.session)
        self.change_no = self.session.scalar(sa.select(SyncState.change_no).where(SyncState.id == STATE_ID)) or 0
        self.reference = evaluation_reference(self.session, self.scale.end)
        self.checklist = [row for row in table_data(self.session, "checklist_items") if row.get("requirement_zh")]
        self.articles = {row["key"]: row.get("citation_zh") for row in table_data(self.session, "law_articles")}
        self.limits = {}  # (hazard, condition, fraction) and hazard → the limit in force now (the first such row)
        for row in table_data(self.session, "oel_limits"):
            if row.get("effective_to") is None:
                self.limits.setdefault((row["key"], row.get("condition"), row.get("fraction")), row["value"])
                self.limits.setdefault(row["key"], row["value"])
        self.users = {}
        self._organisation()
        self.log(f"organisation: {len(self.districts)} districts, {len(self.users)} users")
        self._enterprises()
        self.log(f"enterprises: {sum(len(d['enterprises']) for d in self.districts)}")
        self._plan()
        dropped = self._drop_indexes() if self.defer_indexes and self.sink.postgres else []
        self._records()
        self.sink.flush()
        index_started = time.perf_counter()
        for statement in dropped:
            self.session.execute(sa.text(statement))
        index_seconds = time.perf_counter() - index_started
        self.session.execute(sa.update(SyncState).where(SyncState.id == STATE_ID).values(change_no=self.change_no))
        self.session.flush()
        return Built(counts=dict(self.counts), seconds=time.perf_counter() - started,
                     province_id=self.province.id, district_ids=[d["region_id"] for d in self.districts],
                     users=dict(self.users), districts=[{k: d[k] for k in ("region_id", "prefix", "cdc_id",
                                                                               "supervision_id", "name")}
                                                        for d in self.districts],
                     last_change_no=self.change_no, index_seconds=index_seconds if dropped else 0.0)

    def _drop_indexes(self):
        """PostgreSQL: drop the records table's secondary indexes for the load; returns the statements that build
        them again (the definitions as the migrations made them)."""
        rows = self.session.execute(sa.text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'records' AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")).all()
        for row in rows:
            self.session.execute(sa.text(f'DROP INDEX "{row.indexname}"'))
        self.session.execute(sa.text("SET LOCAL maintenance_work_mem = '256MB'"))
        return [row.indexdef for row in rows]

    def _user(self, username, name, agency_id, roles, team_id=None, cert=None):
        row = {"username": username, "display_name": name, "password_hash": self.password_hash, "agency_id": agency_id,
               "team_id": team_id, "enforcement_cert_no": cert, "active": True, "failed_logins": 0,
               "must_change_password": False, "created_at": self.now}
        table = User.__table__
        user_id = self.session.execute(sa.insert(table).values(**row).returning(table.c.id)).scalar_one()
        self.session.execute(sa.insert(UserRole.__table__), [{"user_id": user_id, "role": r} for r in roles])
        self.users[username] = user_id
        return user_id

    def _organisation(self):
        s, p = self.scale, self.scale.code_prefix
        self.province = add_region(self.session, code=f"{p}0000", name="海滨省", short_name="滨", level="province")
        commission = add_agency(self.session, name=f"海滨省卫生健康委员会{p}", kind="commission", region=self.province)
        self._user(f"{s.username_prefix}_supervisor", "省审核人", commission.id, ["supervisor"])
        self.districts = []
        cities = math.ceil(s.districts / 10)
        for c in range(cities):
            city_name = CITY_NAMES[c % len(CITY_NAMES)] + ("" if c < len(CITY_NAMES) else str(c // len(CITY_NAMES)))
            city = add_region(self.session, code=f"{p}{c + 1:02d}00", name=f"{city_name}市", short_name=city_name,
                              level="city", parent=self.province)
            for d in range(min(10, s.districts - c * 10)):
                number = c * 10 + d
                district = add_region(self.session, code=f"{p}{c + 1:02d}{d + 1:02d}", name=f"{city_name}第{d + 1}区",
                                      short_name=f"{city_name[0]}{d + 1}", level="district", parent=city)
                cdc = add_agency(self.session, name=f"{district.name}疾病预防控制中心{p}", kind="cdc", region=district,
                                 parent=commission)
                supervision = add_agency(self.session, name=f"{district.name}卫生健康综合监督执法大队{p}",
                                         kind="supervision", region=district, parent=commission)
                sampling_team, enforcement_team = Team(agency_id=cdc.id, name="采样一组"), \
                    Team(agency_id=supervision.id, name="执法一组")
                self.session.add_all([sampling_team, enforcement_team])
                self.session.flush()
                prefix = f"{s.username_prefix}{number:03d}"
                cert = f"{c + 1:02d}{d + 1:02d}" + "{:04d}"
                people = {
                    "sampler": self._user(f"{prefix}_sampler", self.person(), cdc.id, ["sampler"], sampling_team.id),
                    "sampler2": self._user(f"{prefix}_sampler2", self.person(), cdc.id, ["sampler"], sampling_team.id),
                    "inspector": self._user(f"{prefix}_inspector", self.person(), supervision.id, ["inspector"],
                                            enforcement_team.id, cert.format(1)),
                    "inspector2": self._user(f"{prefix}_inspector2", self.person(), supervision.id, ["inspector"],
                                             enforcement_team.id, cert.format(2)),
                    "assistant": self._user(f"{prefix}_assistant", self.person(), cdc.id, ["assistant"]),
                    "followup": self._user(f"{prefix}_followup", self.person(), cdc.id, ["followup"]),
                    "supervisor": self._user(f"{prefix}_supervisor", self.person(), supervision.id, ["supervisor"]),
                    "cdc_supervisor": self._user(f"{prefix}_cdc_supervisor", self.person(), cdc.id, ["supervisor"]),
                }
                names = dict(self.session.execute(sa.select(User.id, User.display_name)
                                                  .where(User.id.in_(people.values()))).all())
                self.districts.append({"number": number, "region_id": district.id, "code": district.code,
                                       "name": district.name, "short": district.short_name, "prefix": prefix,
                                       "cdc_id": cdc.id, "supervision_id": supervision.id, "people": people,
                                       "names": names, "devices": {role: self.uuid() for role in people}})
        self.session.flush()

    def _credit_code(self, region_code, taken):
        from server.demo.seed import demo_credit_code
        while True:
            code = demo_credit_code(self.rng, region_code)
            if code not in taken:
                taken.add(code)
                return code

    def _enterprises(self):
        taken = set()
        table = Enterprise.__table__
        for district in self.districts:
            district["enterprises"] = []
            for n in range(self.scale.enterprises_per_district):
                industry = self.rng.randrange(len(INDUSTRIES))
                code, name, hazards, noisy = INDUSTRIES[industry]
                size = self.rng.choices(("large", "medium", "small", "micro"), (5, 20, 45, 30))[0]
                workers = {"large": 1200, "medium": 300, "small": 60, "micro": 12}[size]
                workers = max(3, int(workers * self.rng.uniform(0.5, 1.5)))
                change_no = self.next_change()
                row = {"id": self.uuid(), "credit_code": self._credit_code(district["code"], taken),
                       "name": f"{district['name'][:-1]}{self.rng.choice(GIVEN)}{self.rng.choice(GIVEN)}{name[:2]}"
                               f"有限公司{n + 1}号",
                       "address": f"{district['name']}工业园{self.rng.randint(1, 300)}号",
                       "region_id": district["region_id"],
                       "industry_code": code, "industry_name": name, "size": size,
                       "legal_representative": self.person(), "contact_name": self.person(),
                       "contact_phone": f"13{self.rng.randint(100000000, 999999999)}",
                       "latitude": round(self.rng.uniform(20, 40), 6),
                       "longitude": round(self.rng.uniform(105, 122), 6),
                       "workers_total": workers, "workers_exposed": max(1, int(workers * self.rng.uniform(0.2, 0.7))),
                       "hazard_class": self.rng.choice(("甲", "乙", "丙")), "hazard_class_scheme": "zyb_fljd_2021",
                       "hazard_class_assessed_on": self.scale.start,
                       "declared_hazards": sorted({h[0] for h in hazards} | ({"noise"} if noisy else set())),
                       "change_no": change_no, "field_writers": {},
                       "created_at": self.moment(self.scale.start - dt.timedelta(days=30)),
                       "updated_at": self.moment(self.scale.start - dt.timedelta(days=30))}
                row["field_versions"] = {k: change_no for k in row if k not in (
                    "id", "change_no", "field_versions", "field_writers", "created_at", "updated_at")}
                self.sink.add(table, row)
                district["enterprises"].append((row["id"], industry, size))
        self.sink.flush()

    # the work ------------------------------------------------------------------------------------------------------
    def _plan(self):
        """Per district, the business dates of each kind of work, then everything ordered by month."""
        s = self.scale
        self.plan = {}
        for district in self.districts:
            rng = random.Random(f"{s.seed}/{district['number']}")  # each district its own dates
            for kind, per_year in (("sampling_visit", s.visits_per_year), ("inspection", s.inspections_per_year),
                                   ("assistance_visit", s.assistance_per_year), ("followup", s.followups_per_year)):
                for day in self.working_days(rng, self.yearly(rng, per_year)):
                    self.plan.setdefault((day.year, day.month), []).append((day, district["number"], kind))
            district["patients"] = [self._patient(district, n) for n in range(s.patients_per_district)]
            district["document_seq"] = {}
            district["task_seq"] = {}

    def _records(self):
        for month in sorted(self.plan):
            work = sorted(self.plan[month])
            for day, number, kind in work:
                district = self.districts[number]
                getattr(self, "_" + kind)(district, day)
            self.sink.flush()
            self.log(f"{month[0]}-{month[1]:02d}: {sum(self.counts.values())} records")

    def _review(self, day):
        """(review status, comment) for work done on `day`, as of the history's end."""
        age = (self.scale.end - day).days
        weights = (60, 28, 6, 6) if age <= 30 else (88, 9, 2, 1) if age <= 120 else (98.6, 1.0, 0.25, 0.15)
        status = self.rng.choices(("approved", "submitted", "returned", "draft"), weights)[0]
        return status, (self.rng.choice(REVIEW_COMMENTS) if status == "returned" else None)

    def _record(self, entity, data, *, district, day, agency_id, author, root=None, parent=None, enterprise_id=None,
                computed=None, review=None, record_id=None):
        change_no = self.next_change()
        created = self.moment(day, 9, 19, self.rng.choice((0, 0, 0, 1, 2)))
        is_root = root is None
        status, comment = review if is_root else (None, None)
        updated = min(created + dt.timedelta(days=self.rng.randint(1, 12), hours=self.rng.randint(0, 8)), self.now) \
            if status in ("approved", "returned") else created
        form_id, form_version = FORMS[entity]
        record_id = record_id or self.uuid()
        device = district["devices"][author]
        user_id = district["people"][author]
        if computed is None and form_id:
            computed = {"fields": compute(self.forms.get(form_id, form_version), entity, data,
                                          parent=parent["data"] if parent else None)}
        row = {"id": record_id, "entity": entity, "form_id": form_id, "form_version": form_version,
               "parent_id": parent["id"] if parent else None, "root_id": record_id if is_root else root["id"],
               "region_id": district["region_id"], "agency_id": agency_id, "enterprise_id": enterprise_id,
               **projected_columns(entity, data, computed), "blob_sha256": None,
               "data": data, "computed": computed or {}, "field_versions": {k: change_no for k in data},
               "field_writers": {}, "change_no": change_no, "created_change_no": change_no, "deleted": False,
               "review_status": status, "review_comment": comment,
               "locked_reason": "approved" if status == "approved" else None, "conflict_open": False,
               "created_by": user_id, "created_device": device, "created_at": created, "device_created_at": created,
               "updated_by": user_id, "updated_device": device, "updated_at": updated, "device_updated_at": created}
        self.sink.add(Record.__table__, row)
        self.counts[entity] = self.counts.get(entity, 0) + 1
        return row

    def _enterprise(self, district, small_first=False):
        if small_first:
            pool = [e for e in district["enterprises"] if e[2] in ("small", "micro")] or district["enterprises"]
            return self.rng.choice(pool)
        return self.rng.choice(district["enterprises"])

    # sampling ------------------------------------------------------------------------------------------------------
    def _concentration(self, hazard, condition=None, fraction=None):
        """A measured concentration around a third of the limit (about one in ten above it)."""
        limit = self.limits.get((hazard, condition, fraction)) or self.limits.get(hazard, 1.0)
        value = limit * math.exp(self.rng.gauss(math.log(0.3), 0.95))
        return float(f"{value:.3g}")

    def _sample(self, code, hazard, day, *, fraction, condition, limit_type, workshop, post, start_hour, result):
        collector = (COLLECTORS["dust"] if fraction else COLLECTORS["mac"] if limit_type == "mac" else
                     COLLECTORS["metal"] if hazard in METALS else COLLECTORS["organic"])
        minutes = 15 if limit_type == "mac" else self.rng.choice((120, 180, 240))
        start = dt.datetime.combine(day, dt.time(start_hour, self.rng.choice((0, 15, 30))), CHINA)
        flow = {"filter_membrane": 2.0, "activated_carbon_tube": 0.2, "absorption_tube": 0.5}[collector]
        data = {"sample_code": code, "sample_type": "field", "hazard_key": hazard, "workshop": workshop, "post": post,
                "sampling_point": f"{workshop}{post}岗位", "sampling_mode": self.rng.choice(("personal", "fixed_point")),
                "exposure_hours_per_day": self.rng.choice((4, 6, 8, 8, 8)),
                "duration_type": "short_time" if limit_type == "mac" else "long_time", "limit_type": limit_type,
                "collector": collector, "sampler_id": f"PUMP-{self.rng.randint(1, 30):02d}",
                "flow_before_l_min": flow, "flow_after_l_min": round(flow * self.rng.uniform(0.97, 1.03), 3),
                "start_time": start.isoformat(), "end_time": (start + dt.timedelta(minutes=minutes)).isoformat()}
        if fraction:
            data["dust_fraction"] = fraction
        if condition:
            data["oel_condition"] = condition
        if hazard == "silica_dust":
            data["free_sio2_pct"] = round(self.rng.uniform(10.5, 45), 1)
        if result:
            data["lab_concentration_mg_m3"] = self._concentration(hazard, condition, fraction)
        return data

    def _sampling_visit(self, district, day):
        enterprise_id, industry, _size = self._enterprise(district)
        _code, _name, hazards, noisy = INDUSTRIES[industry]
        seq = district["task_seq"][day.year] = district["task_seq"].get(day.year, 0) + 1
        task_no = f"{district['code']}-{day.year}-{seq:03d}"
        names = district["names"]
        data = {"task_no": task_no, "enterprise_id": enterprise_id,
                "monitoring_category": self.rng.choices(("periodic", "supervisory", "surveillance_project", "routine"),
                                                        (50, 20, 25, 5))[0],
                "sampling_date": day.isoformat(), "temperature_c": round(self.rng.uniform(-5, 35), 1),
                "pressure_kpa": round(self.rng.uniform(99.5, 102.5), 2),
                "humidity_pct": round(self.rng.uniform(30, 85), 1),
                "production_status": "正常生产，负荷约" + str(self.rng.choice((70, 80, 90, 100))) + "%，防护设施运行正常",
                "method_standards": ["gbz_159_2004"], "sampler_1_name": names[district["people"]["sampler"]],
                "sampler_2_name": names[district["people"]["sampler2"]], "checker_name": self.person(),
                "escort_name": self.person()}
        review = self._review(day)
        children = []  # (entity, data)
        results = (self.scale.end - day).days > 14 or self.rng.random() < 0.5  # the lab's results come in weeks
        total = self.rng.randint(self.scale.children_per_visit - 4, self.scale.children_per_visit + 4)
        noise = self.rng.randint(1, 3) if noisy else 0
        blanks = self.rng.choice((1, 2))
        field_samples = max(1, total - noise - blanks)
        n = 0
        while n < field_samples:
            hazard, fraction, condition, limit_type = self.rng.choice(hazards)
            workshop, post = self.rng.choice(WORKSHOPS), self.rng.choice(POSTS)
            for repeat in range(1 if limit_type == "mac" else min(2, field_samples - n)):
                n += 1
                children.append(("sample", self._sample(f"{task_no}-{n:02d}", hazard, day, fraction=fraction,
                                                        condition=condition, limit_type=limit_type, workshop=workshop,
                                                        post=post, start_hour=8 + 4 * repeat, result=results)))
        for b in range(blanks):
            hazard = self.rng.choice(hazards)[0]
            n += 1
            children.append(("sample", {"sample_code": f"{task_no}-{n:02d}", "sample_type": "blank",
                                        "hazard_key": hazard, "collector": "filter_membrane"}))
        for m in range(noise):
            children.append(("noise_measurement", {
                "calibrator_id": f"CAL-{self.rng.randint(1, 9):02d}", "calibration_before_db": 94.0,
                "calibration_after_db": round(94.0 + self.rng.uniform(-0.3, 0.3), 1),
                "workshop": self.rng.choice(WORKSHOPS), "post": self.rng.choice(POSTS),
                "measurement_point": f"测点{m + 1}", "measurement_mode": "dosimeter",
                "dosimeter_lex_8h_db": round(self.rng.gauss(82, 4.5), 1), "exposure_hours_per_day": 8,
                "days_per_week": self.rng.choice((5, 5, 6))}))
        # The ids first, so the evaluation names the children as the server's does.
        child_ids = [self.uuid() for _ in children]
        samples = [dict(d, id=i) for (entity, d), i in zip(children, child_ids) if entity == "sample"]
        measurements = [dict(d, id=i) for (entity, d), i in zip(children, child_ids) if entity == "noise_measurement"]
        evaluation = evaluate_visit(data, samples, measurements, self.reference)
        agency = district["cdc_id"]
        visit = self._record("sampling_visit", data, district=district, day=day, agency_id=agency, author="sampler",
                             enterprise_id=enterprise_id, computed={"fields": {}, "evaluation": evaluation},
                             review=review)
        for (entity, child), child_id in zip(children, child_ids):
            self._record(entity, child, district=district, day=day, agency_id=agency, author="sampler", root=visit,
                         parent=visit, enterprise_id=enterprise_id, record_id=child_id)
        if review[0] == "approved" and results and self.rng.random() < 0.93:
            entered = min(day + dt.timedelta(days=int(self.rng.triangular(3, 60, 15))), self.scale.end)
            self.sink.add(NationalEntry.__table__, {"visit_id": visit["id"], "region_id": district["region_id"],
                                                    "entered_on": entered,
                                                    "entered_by": district["people"]["cdc_supervisor"],
                                                    "recorded_at": self.moment(entered)})
            self.counts["national_entries"] = self.counts.get("national_entries", 0) + 1

    # enforcement ---------------------------------------------------------------------------------------------------
    def _inspection(self, district, day):
        enterprise_id, _industry, _size = self._enterprise(district)
        people, names = district["people"], district["names"]
        start = self.rng.choice(("09:00", "09:30", "10:00", "14:00", "14:30"))
        data = {"enterprise_id": enterprise_id, "inspection_date": day.isoformat(), "start_time": start,
                "end_time": f"{int(start[:2]) + self.rng.choice((1, 2))}:{start[3:]}", "place": "生产车间及职业卫生档案室",
                "officer_1_id": str(people["inspector"]), "officer_1_name": names[people["inspector"]],
                "officer_2_id": str(people["inspector2"]), "officer_2_name": names[people["inspector2"]],
                "party_rep_name": self.person(), "party_rep_title": self.rng.choice(("安全环保部经理", "厂长", "职业卫生管理员")),
                "refused_to_sign": False, "witness_name": self.person(),
                "summary": "按照双随机抽查计划开展职业卫生监督检查"}
        review = self._review(day)
        agency = district["supervision_id"]
        root = self._record("inspection", data, district=district, day=day, agency_id=agency, author="inspector",
                            enterprise_id=enterprise_id, review=review)
        findings = self.rng.choices(range(7), (10, 12, 18, 22, 18, 12, 8))[0]
        items = self.rng.sample(self.checklist, findings)
        issued = review[0] != "draft"
        if issued and findings:
            seq = district["document_seq"][day.year] = district["document_seq"].get(day.year, 0) + 1
            number = f"{district['short']}卫职责改〔{day.year}〕{seq}号"
            document_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"scale/{root['id']}/order"))
        for index, item in enumerate(items, start=1):
            days = item.get("default_deadline_days") or 30
            finding = {"item_key": item["key"], "fact": f"检查发现：{item.get('title_zh', '')}方面不符合要求",
                       "violated_article": self.articles.get(item.get("obligation_article")) or "《中华人民共和国职业病防治法》",
                       "penalty_article": self.articles.get(item.get("penalty_article")) or "《中华人民共和国职业病防治法》",
                       "requirement": item["requirement_zh"], "deadline_days": days}
            finding_row = self._record("finding", finding, district=district, day=day, agency_id=agency,
                                       author="inspector", root=root, parent=root, enterprise_id=enterprise_id)
            if issued:
                self._rectification_item(district, day, root, finding_row, finding, index, number, document_id, days,
                                         enterprise_id)

    def _rectification_item(self, district, day, root, finding_row, finding, index, number, document_id, days,
                            enterprise_id):
        deadline = day + dt.timedelta(days=days)
        end = self.scale.end
        data = {"document_id": document_id, "document_number": number, "finding_id": finding_row["id"],
                "number": index, "fact": finding["fact"], "requirement": finding["requirement"],
                "deadline": deadline.isoformat(), "status": "open"}
        roll = self.rng.random()
        if deadline < end:
            closed = roll < 0.93
            reinspecting = not closed and roll < 0.95 and (end - deadline).days < 60
        else:
            closed, reinspecting = roll < 0.3, roll > 0.9
        if closed:
            on = min(deadline + dt.timedelta(days=self.rng.randint(-days // 2, 12)), end)
            on = max(on, day + dt.timedelta(days=1)) if day < end else end
            data.update(status="closed", closed_on=on.isoformat(), reinspection_pending=[], reinspections=[{
                "reinspection_item_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"scale/{finding_row['id']}/re")),
                "on": on.isoformat(), "result": "rectified", "note": None}])
        elif reinspecting:
            data.update(status="reinspecting",
                        reinspection_pending=[str(uuid.uuid5(uuid.NAMESPACE_URL, f"scale/{finding_row['id']}/re"))])
        self._record("rectification_item", data, district=district, day=day, agency_id=district["supervision_id"],
                     author="inspector", root=root, parent=finding_row, enterprise_id=enterprise_id, computed={})

    # assistance and follow-ups -------------------------------------------------------------------------------------
    def _assistance_visit(self, district, day):
        enterprise_id, _industry, size = self._enterprise(district, small_first=True)
        workers = self.rng.randint(5, 80)
        due = self.rng.randint(max(1, workers // 2), workers)
        posts = self.rng.randint(1, 8)
        data = {"enterprise_id": enterprise_id, "visit_date": day.isoformat(),
                "staff_names": district["names"][district["people"]["assistant"]] + "、" + self.person(),
                "enterprise_rep_name": self.person(), "exposed_workers": workers, "workers_due_exam": due,
                "workers_examined": self.rng.randint(due // 2, due),
                "workers_trained": self.rng.randint(workers // 2, workers),
                "hazard_posts": posts, "hazard_posts_tested": self.rng.randint(posts // 2, posts),
                "problems_found": "职业病危害项目申报不完整，警示标识缺失", "guidance_given": "现场指导完成申报，讲解警示标识设置要求"}
        for aspect in ("declaration", "testing", "health_exam", "training", "protective_facilities", "ppe",
                       "warning_notice", "rules_records"):
            status = self.rng.choices(STATUSES, (70, 20, 10))[0]
            data[f"{aspect}_status"] = status
            if status != "done":
                data[f"{aspect}_note"] = "尚未完成，已指导整改"
        self._record("assistance_visit", data, district=district, day=day, agency_id=district["cdc_id"],
                     author="assistant", enterprise_id=enterprise_id, review=self._review(day))

    def _patient(self, district, n):
        diagnosed = self.scale.start - dt.timedelta(days=self.rng.randint(100, 6000))
        return {"case_no": f"{district['code']}-CF{n + 1:04d}", "patient_name": self.person(),
                "sex": self.rng.choices(("male", "female"), (92, 8))[0],
                "id_number": f"{district['code']}19{self.rng.randint(50, 85)}{self.rng.randint(1, 12):02d}"
                             f"{self.rng.randint(1, 28):02d}{self.rng.randint(100, 999)}{self.rng.randint(0, 9)}",
                "current_address": f"{district['name']}{self.rng.randint(1, 30)}村",
                "phone": f"13{self.rng.randint(100000000, 999999999)}",
                "diagnosis_date": diagnosed.isoformat(), "diagnosis_institution": f"{district['name'][:-3]}市职业病防治院",
                "pneumoconiosis_type": self.rng.choices(("silicosis", "coal_workers", "cement", "asbestosis"),
                                                        (60, 25, 10, 5))[0],
                "stage": self.rng.choices(("stage_1", "stage_2", "stage_3"), (60, 28, 12))[0],
                "employer_name": "某矿业有限公司", "dust_exposure_years": self.rng.randint(3, 30), "dead": False}

    def _followup(self, district, day):
        living = [p for p in district["patients"] if not p["dead"]]
        if not living:
            return
        patient = self.rng.choice(living)
        vital = self.rng.choices(("alive", "dead", "lost"), (93, 2, 5))[0]
        data = {k: v for k, v in patient.items() if k != "dead"}
        data.update(followup_date=day.isoformat(),
                    followup_method=self.rng.choices(("phone", "home_visit"), (70, 30))[0],
                    followup_staff=district["names"][district["people"]["followup"]], vital_status=vital,
                    dyspnea_grade=self.rng.choice(("none", "mild", "moderate", "severe")),
                    basic_medical_insurance=True, receiving_treatment=self.rng.random() < 0.6)
        if vital == "dead":
            patient["dead"] = True
            data.update(death_date=(day - dt.timedelta(days=self.rng.randint(1, 60))).isoformat(),
                        death_cause=self.rng.choice(("pneumoconiosis", "pneumoconiosis_complication", "other")))
        elif vital == "lost":
            data["lost_reason"] = self.rng.choice(("wrong_phone", "no_answer", "phone_off"))
        self._record("followup", data, district=district, day=day, agency_id=district["cdc_id"], author="followup",
                     review=self._review(day))


def generate(session, forms, scale, password_hash, log=None, defer_indexes=False):
    """Build the history of `scale` in the session's database (not committed); returns Built. `defer_indexes`
    (PostgreSQL): the records table's secondary indexes are dropped for the load and built after it, in the same
    transaction."""
    return Generator(session, forms, scale, password_hash, log, defer_indexes).build()
