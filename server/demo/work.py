"""Demo work: what the two districts' staff did over the past weeks, so a new user finds every lifecycle in motion.

Loaded by `flask seed-demo` after the demo city (seed.py). Nothing here writes a record, a document or a conflict
itself: the demo users' tablets push mutations through the sync protocol (server/sync/push.py), tablets pull
(so a second officer's tablet edits with real change numbers as its base), photos and signatures are uploaded
like a tablet uploads them, supervisors review, issue, resolve conflicts and issue 更正 through the same
functions the API views call. Derived state (evaluations, rectification items, locks, review states, the audit
chain) is therefore exactly what those actions produce.

Every date is relative to today on the business clock (server/clock.py): each step runs at its own instant in the
past weeks, on a clock set to that instant, so "received", "issued" and "reviewed" times read like a real month's
work; deadlines are judged against today. What each district ends with:

- sampling visits, assistance visits, follow-ups and inspections that are drafts, submitted, returned with the
  reviewer's comment, approved (and a sampling visit resubmitted after its return); sampling visits along the
  monitoring chain: handed over to the laboratory, received with part of the results, evaluated and in review,
  reported by an issued 检测报告 and entered into the national system;
- an issued 卫生监督意见书 whose rectification items are 待整改 (deadline ahead), overdue, and 复查中 (a draft
  re-inspection has looked at it), and an item 已整改 by an issued 复查意见书;
- an inspection on which the two officers' tablets disagree about a finding's deadline (an open conflict);
- a 卫生监督意见书 corrected by a 更正: a late edit from the second tablet reached the server after issuance, the
  supervisor settled it for the tablet's value, and the inspector issued the correction; both documents stay.

Each district's stories are scheduled on one timeline and run in time order. A step that does not end as written
(a push result, a refused command) stops the loading with DemoWorkError: the demo never shows half a story.
"""
import base64
import datetime as dt
import hashlib
import io
import random
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from PIL import Image, ImageDraw

from ..clock import CHINA, FrozenClock
from ..domain import audit
from ..domain.actors import Actor
from ..domain.reference_store import evaluation_reference, table_data
from ..domain.regions import region_subtree_ids
from ..domain.reviews import STATE_NAMES
from ..media import blob_storage, upload_staging
from ..models import Agency, Conflict, Document, Enterprise, Record, Region, SampleHandover, User
from ..sync import blobs, conflicts, documents, monitoring, pull, push, reviews
from ..sync.devices import register_device
from .campaigns import seed_campaigns, seed_declarations
from .cdc_registers import seed_cdc_registers
from .projects import seed_projects
from .radiology import seed_radiology
from .literacy import seed_literacy
from .year import seed_year


class DemoWorkError(RuntimeError):
    """A demo step did not have the outcome it was written for (the server refused or answered otherwise)."""


@dataclass(frozen=True)
class Services:
    """What the app hands to the code paths used below."""

    session: object
    clock: object
    forms: object
    entities: object
    base_url: str
    storage: object
    staging: object
    max_bytes: int
    max_pixels: int


def services_of(app, session):
    """The services of a Flask app (its business clock, form registry, entities, settings)."""
    return Services(session=session, clock=app.extensions["clock"], forms=app.extensions["forms"],
                    entities=app.extensions["entities"], base_url=app.config["PUBLIC_BASE_URL"],
                    storage=blob_storage(app.config), staging=upload_staging(app.config),
                    max_bytes=app.config["UPLOAD_MAX_BYTES"],
                    max_pixels=app.config["IMAGE_MAX_PIXELS"])


# ---------------------------------------------------------------------------------------------------------------
# The server as the demo users reach it


class Office:
    """Logged-in demo users (one device each) and the commands they run, each at its own past instant."""

    def __init__(self, services):
        self.services = services
        self.session = services.session
        self.today = services.clock.today()
        self.actors = {}
        self.tablets = {}
        self.versions = {summary["form_id"]: summary["version"] for summary in services.forms.current()}
        self.storage = services.storage
        self.staging = services.staging

    def day(self, days_ago):
        """A date `days_ago` days before today (China time), as ISO text."""
        return (self.today - dt.timedelta(days=days_ago)).isoformat()

    def instant(self, days_ago, hhmm):
        """That day at hh:mm China time."""
        hour, minute = (int(part) for part in hhmm.split(":"))
        return dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time(hour, minute), CHINA)

    def clock_at(self, when):
        return FrozenClock(when)

    def actor(self, username):
        """The user signed in on their own device (registered at the first sign-in, like a login does)."""
        if username not in self.actors:
            session = self.session
            user = session.scalar(sa.select(User).where(User.username == username))
            if user is None:
                raise DemoWorkError(f"演示用户不存在: {username}")
            agency = session.get(Agency, user.agency_id)
            device = register_device(session, user, name=f"{user.display_name}的{_device_kind(user)}",
                                     user_agent="demo")
            audit.record_login(session, user.username, device.id, succeeded=True)
            session.commit()
            self.actors[username] = Actor(
                user_id=user.id, username=user.username, roles=frozenset(user.roles), agency_id=user.agency_id,
                region_id=agency.region_id, region_ids=region_subtree_ids(session, agency.region_id),
                device_id=device.id, display_name=user.display_name, agency_kind=agency.kind)
        return self.actors[username]

    def tablet(self, username):
        """The user's one tablet (its device keeps one sequence of mutations)."""
        if username not in self.tablets:
            self.tablets[username] = DemoTablet(self, username)
        return self.tablets[username]

    def user(self, username):
        return self.session.scalar(sa.select(User).where(User.username == username))

    def enterprise(self, name):
        found = self.session.scalar(sa.select(Enterprise).where(Enterprise.name == name))
        if found is None:
            raise DemoWorkError(f"用人单位不在名录中: {name}")
        return found

    def review(self, username, record_id, action, when, comment=None):
        record = reviews.review_record(self.session, self.actor(username), record_id, action, comment,
                                       clock=self.clock_at(when))
        self.session.commit()
        return record

    def issue(self, username, record_id, doc_type, when, amends_id=None):
        services = self.services
        document = documents.issue_online(self.session, self.actor(username), clock=self.clock_at(when),
                                          forms=services.forms, base_url=services.base_url,
                                          document_id=str(uuid.uuid4()), record_id=record_id, doc_type=doc_type,
                                          amends_id=amends_id)
        self.session.commit()
        return {"id": document.id, "number": document.number}

    def hand_over(self, username, visit_id, when):
        monitoring.hand_over(self.session, self.actor(username), visit_id, {}, None, clock=self.clock_at(when))

    def receive(self, username, visit_id, when):
        """The laboratory scans every label of the visit's open handover."""
        handover = self.session.scalar(sa.select(SampleHandover).where(SampleHandover.visit_id == visit_id,
                                                                       SampleHandover.received_at.is_(None)))
        codes = [item["sample_code"] for item in handover.items]
        monitoring.receive(self.session, self.actor(username), handover.id, codes, [], None, clock=self.clock_at(when))

    def enter_result(self, username, sample_id, concentration, when):
        clock = self.clock_at(when)
        sample = self.session.get(Record, sample_id)
        dust = sample.data.get("collector") == "filter_membrane"
        user = self.user(username)
        values = {"result_kind": "concentration", "concentration_mg_m3": concentration, "lod": 0.01,
                  "method_standard": "GBZ/T 192.1-2007" if dust else "GBZ/T 300.66-2017",
                  "instrument": "XS205 电子天平" if dust else "GC-2014 气相色谱仪", "analyst": user.display_name,
                  "analysis_date": when.astimezone(CHINA).date().isoformat()}
        if dust and sample.data.get("hazard_key") == "silica_dust":
            values["free_sio2_pct"] = 28.0
        monitoring.enter_result(self.session, self.actor(username), sample_id, values, clock=clock,
                                reference_loader=lambda: evaluation_reference(self.session, clock.today()))

    def national_entry(self, username, visit_id, when):
        monitoring.record_national_entry(self.session, self.actor(username), visit_id,
                                         when.astimezone(CHINA).date(), clock=self.clock_at(when))

    def open_conflicts(self, username, record_id):
        found = conflicts.list_conflicts(self.session, self.actor(username), record_id=record_id)
        self.session.rollback()
        return [conflict.id for conflict in found]

    def resolve(self, username, conflict_id, choice, when, value=None):
        conflicts.resolve_conflict(self.session, self.actor(username), conflict_id, clock=self.clock_at(when),
                                   choice=choice, value=value, forms=self.services.forms)
        self.session.commit()

    def upload(self, username, data, mime, when):
        """Upload bytes as a tablet does: start (deduplicated when already held), one chunk, finish."""
        services, actor = self.services, self.actor(username)
        sha = hashlib.sha256(data).hexdigest()
        upload = blobs.start_upload(self.session, actor, self.staging, sha256=sha, size=len(data), mime=mime,
                                    max_bytes=services.max_bytes)
        self.session.commit()
        if upload is not None:
            upload_id = upload.id
            checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
            blobs.append_chunk(self.session, actor, self.staging, upload_id, 0, data, checksum)
            blobs.finish_upload(self.session, actor, self.storage, self.staging, upload_id,
                                clock=self.clock_at(when), max_bytes=services.max_bytes,
                                max_pixels=services.max_pixels)
            self.session.commit()
        return sha


def _device_kind(user):
    return "办公电脑" if set(user.roles) & {"laboratory", "supervisor", "admin"} else "平板"


class DemoTablet:
    """A field tablet: records into an outbox, pushes it through the sync protocol, pulls what others did."""

    def __init__(self, office, username):
        self.office = office
        self.username = username
        self.seq = 0
        self.outbox = []
        self.entities = {}
        self.versions = {}
        self.data = {}
        self.cursor = None
        self.files = []  # (bytes, mime) not uploaded yet

    @property
    def actor(self):
        return self.office.actor(self.username)

    def _mutation(self, entity, record_id, op, fields=None, parent=None, base=None):
        self.seq += 1
        form_id = self.office.services.forms.form_for_entity(entity) if entity != "attachment" else None
        self.outbox.append({"client_seq": self.seq, "mutation_id": str(uuid.uuid4()), "entity": entity,
                            "id": record_id, "op": op,
                            "form_version": self.office.versions.get(form_id) if form_id else None,
                            "fields": fields, "base": base, "parent": parent})

    def create(self, entity, fields, parent=None):
        record_id = str(uuid.uuid4())
        self.entities[record_id] = entity
        self._mutation(entity, record_id, "create", dict(fields), parent=parent)
        return record_id

    def attach(self, parent, field, data, mime, **extra):
        """An attachment record for a photo or signature; its bytes are uploaded before the next push."""
        self.files.append((data, mime))
        return self.create("attachment", {"field": field, "sha256": hashlib.sha256(data).hexdigest(), "mime": mime,
                                          **extra}, parent=parent)

    def photo(self, parent, label, taken, caption):
        """A photo taken on the tablet at `taken` (China time, stamped on the picture as the camera screen does)."""
        return self.attach(parent, "photos", site_photo(label, taken.strftime("%Y-%m-%d %H:%M")), "image/jpeg",
                           kind="photo", caption=caption, captured_at=taken.isoformat())

    def update(self, record_id, fields):
        known = self.versions.get(record_id, {})
        self._mutation(self.entities[record_id], record_id, "update", dict(fields),
                       base={name: known.get(name, 0) for name in fields})

    def submit(self, record_id):
        self._mutation(self.entities[record_id], record_id, "submit")

    def push(self, when, expect=("applied",)):
        """Upload pending files, then push the outbox at `when`; every result must have an expected status."""
        office = self.office
        for data, mime in self.files:
            office.upload(self.username, data, mime, when)
        self.files = []
        device_time = when.isoformat()
        for mutation in self.outbox:
            mutation.setdefault("device_time", device_time)
        services, session = office.services, office.session
        clock = office.clock_at(when)
        body = push.push(session, self.actor, {"protocol": 1, "device_id": self.actor.device_id,
                                               "mutations": self.outbox},
                         clock=clock, forms=services.forms, entities=services.entities,
                         reference_loader=lambda: evaluation_reference(session, clock.today()),
                         base_url=services.base_url)
        session.commit()
        unexpected = [r for r in body["results"] if r["status"] not in expect]
        if unexpected or body["stopped_early"]:
            raise DemoWorkError(f"{self.username} 推送结果不符合预期: {unexpected or body}")
        self.outbox = []
        return body["results"]

    def pull(self):
        """Pull until nothing more: the tablet then knows each record's field versions (the base of its edits)."""
        session = self.office.session
        while True:
            body = pull.pull(session, self.actor, self.actor.device_id, cursor=self.cursor, limit=500)
            session.rollback()
            for change in body["changes"]:
                if change["kind"] == "record":
                    self.entities[change["id"]] = change["entity"]
                    self.versions[change["id"]] = dict(change["field_versions"] or {})
                    self.data[change["id"]] = dict(change["data"] or {})
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return


class Timeline:
    """Steps of several stories, run in the order of their instants (change numbers then follow time)."""

    def __init__(self, office):
        self.office = office
        self.steps = []

    def at(self, days_ago, hhmm):
        """Decorator: run the function at that instant; it receives the instant."""
        def schedule(step):
            self.steps.append((self.office.instant(days_ago, hhmm), len(self.steps), step))
            return step
        return schedule

    def run(self):
        for when, _, step in sorted(self.steps, key=lambda item: item[:2]):
            step(when)


# ---------------------------------------------------------------------------------------------------------------
# Pictures: a tablet's signatures and site photos, drawn once per person or finding (deterministic)


def signature_png(name):
    """A handwritten-looking signature on white (PNG)."""
    rng = random.Random(f"signature/{name}")
    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    x = 30
    for _ in name:
        points, y = [], rng.randint(60, 100)
        for _step in range(rng.randint(5, 8)):
            points.append((x, y))
            x += rng.randint(6, 16)
            y = max(20, min(140, y + rng.randint(-40, 40)))
        draw.line(points, fill=(20, 30, 90), width=4, joint="curve")
        x += rng.randint(10, 25)
    draw.line([(25, 135), (min(x, 455), 128)], fill=(20, 30, 90), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def site_photo(label, stamp):
    """A workshop photo (JPEG) with the capture time stamped in the corner, as the tablet's camera screen does."""
    rng = random.Random(f"photo/{label}")
    width, height = 1024, 768
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    wall = tuple(rng.randint(150, 200) for _ in range(3))
    for y in range(height // 2):
        shade = int(y / (height / 2) * 30)
        draw.line([(0, y), (width, y)], fill=tuple(max(0, c - shade) for c in wall))
    draw.rectangle([0, height // 2, width, height], fill=(110, 108, 100))
    for _ in range(rng.randint(3, 5)):
        left, top = rng.randint(0, width - 260), rng.randint(height // 3, height // 2 + 60)
        colour = rng.choice([(40, 90, 150), (60, 120, 70), (150, 70, 40), (90, 90, 95)])
        draw.rectangle([left, top, left + rng.randint(120, 260), top + rng.randint(120, 240)], fill=colour,
                       outline=(30, 30, 30), width=3)
    pipe_y = rng.randint(60, 140)
    draw.rectangle([0, pipe_y, width, pipe_y + 24], fill=(170, 170, 160), outline=(80, 80, 80), width=2)
    for _ in range(40):
        cx, cy, r = rng.randint(0, width), rng.randint(150, 420), rng.randint(8, 30)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(230, 230, 225))
    draw.rectangle([width - 250, height - 44, width - 10, height - 10], fill=(0, 0, 0))
    draw.text((width - 240, height - 36), stamp, fill=(255, 200, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# What each district did


@dataclass(frozen=True)
class SamplingVisit:
    enterprise: str
    workshop: str
    post: str
    point: str
    hazards: tuple        # (hazard key, lab concentration mg/m³) per field sample
    noise_post: str = ""  # a noise measurement at this post (L_EX,8h from a dosimeter)
    noise_db: float = 0.0


@dataclass(frozen=True)
class Finding:
    item_key: str
    fact: str
    deadline_days: int


@dataclass(frozen=True)
class District:
    prefix: str
    code: str                 # the sample-code and task-number prefix
    samplers: tuple           # names printed on the sampling record
    checker: str
    sampling: dict            # approved, returned, resubmitted, submitted, draft → SamplingVisit
    assistance: dict          # approved, returned, submitted, draft → enterprise name
    followups: dict           # approved, returned, submitted, draft →
    #                           (case serial, years since diagnosis, patient, sex, type, stage, former employer)
    notice: tuple             # (enterprise, (overdue, open, under re-inspection) findings)
    amended: tuple            # (enterprise, finding corrected later, its corrected fact, a finding re-inspected later)
    returned_inspection: str  # an enterprise where everything conformed (no notice), returned for its record
    conflict: tuple           # (enterprise, finding, officer 1's deadline days, officer 2's)
    draft_inspection: str


DUST = {"cement_dust", "silica_dust", "limestone_dust", "hardwood_dust", "man_made_mineral_fibre", "other_dust"}

LINHE = District(
    prefix="lh", code="LH", samplers=("王海燕", "李明"), checker="马骏",
    sampling={
        "approved": SamplingVisit("青川鑫源化工有限公司", "合成车间", "反应釜操作工", "反应釜投料口",
                                  (("benzene", 4.2), ("toluene", 18.5))),
        "returned": SamplingVisit("临河美居家具有限公司", "涂装车间", "喷漆工", "1号喷漆房",
                                  (("benzene", 1.1), ("xylene", 35.0))),
        "resubmitted": SamplingVisit("临河彩虹印务有限公司", "印刷车间", "凹印机长", "3号凹印机操作位",
                                     (("toluene", 26.0), ("ethyl_acetate", 95.0))),
        "submitted": SamplingVisit("青川鲁峰水泥有限公司", "包装车间", "包装工", "2号包装机",
                                   (("cement_dust", 2.6),), noise_post="磨机巡检工", noise_db=91.0),
        "draft": SamplingVisit("青川洪基铸造有限公司", "清理车间", "清砂工", "抛丸清理工位",
                               (("silica_dust", None),)),
    },
    assistance={"approved": "临河绿源塑料制品厂", "returned": "临河步步高鞋业有限公司",
                "submitted": "临河润泽精细化学品有限公司", "draft": "临河通达机械制造有限公司"},
    followups={
        "approved": ("011", 10, "宋金山", "male", "silicosis", "stage_2", "青川金岭矿业有限公司"),
        "returned": ("004", 7, "吕长顺", "male", "foundry_workers", "stage_1", "青川洪基铸造有限公司"),
        "submitted": ("023", 12, "孟庆林", "male", "potters", "stage_1", "临河华美陶瓷有限公司"),
        "draft": ("002", 6, "郭秀英", "female", "cement", "stage_1", "青川鲁峰水泥有限公司"),
    },
    notice=("临河亮光电镀有限公司", (
        Finding("warning_signs", "镀铬槽区及酸洗间入口未设置警示标识和中文警示说明", 15),
        Finding("periodic_testing", "近两年未委托有资质的职业卫生技术服务机构对工作场所铬酸雾、硫酸雾进行定期检测",
                60),
        Finding("ppe_chemical", "镀铬岗位6名劳动者未配备防毒口罩，现场作业人员仅佩戴普通纱布口罩", 30),
    )),
    amended=("青川重汽零部件有限公司",
             Finding("health_exam_noise", "冲压车间接触噪声作业的36名劳动者未进行在岗期间职业健康检查", 30),
             "冲压车间接触噪声作业的48名劳动者未进行在岗期间职业健康检查",
             Finding("ppe_noise", "冲压工位劳动者未佩戴护听器，企业未发放耳塞", 15)),
    returned_inspection="青川新闻印刷有限公司",
    conflict=("临河华美陶瓷有限公司",
              Finding("health_exam_dust", "压制、施釉岗位接触矽尘的22名劳动者未进行在岗期间职业健康检查", 30), 20, 45),
    draft_inspection="青川金岭矿业有限公司",
)

DONGGANG = District(
    prefix="dg", code="DG", samplers=("杨帆", "黄磊"), checker="罗兰",
    sampling={
        "approved": SamplingVisit("东港宏泰化学工业有限公司", "氯化车间", "氯化工", "氯化釜巡检点",
                                  (("benzene", 2.1), ("toluene", 9.6))),
        "returned": SamplingVisit("东港匠心木业有限公司", "机加工车间", "砂光工", "宽带砂光机",
                                  (("hardwood_dust", 4.8),)),
        "resubmitted": SamplingVisit("东港文华包装印刷厂", "印刷车间", "印刷工", "胶印机操作位",
                                     (("toluene", 31.0), ("ethyl_acetate", 120.0))),
        "submitted": SamplingVisit("东港恒固新型建材有限公司", "成型车间", "搅拌工", "搅拌机投料口",
                                   (("cement_dust", 3.4),), noise_post="振动台操作工", noise_db=88.0),
        "draft": SamplingVisit("东港石门石灰石矿", "破碎车间", "破碎工", "颚式破碎机", (("limestone_dust", None),)),
    },
    assistance={"approved": "东港精工表面处理厂", "returned": "东港健足鞋材厂",
                "submitted": "青川舒适软体家具厂", "draft": "青川瑞达涂料有限公司"},
    followups={
        "approved": ("006", 11, "彭志国", "male", "silicosis", "stage_1", "东港石门石灰石矿"),
        "returned": ("013", 8, "邱大勇", "male", "welders", "stage_1", "东港驰远汽车部件有限公司"),
        "submitted": ("002", 14, "谭永福", "male", "cement", "stage_2", "东港恒固新型建材有限公司"),
        "draft": ("009", 5, "殷桂兰", "female", "other", "stage_1", "青川晶石玻璃纤维有限公司"),
    },
    notice=("青川永兴镀锌有限公司", (
        Finding("protective_facilities", "酸洗槽上方局部排风罩损坏停用，酸雾直接逸散至车间", 15),
        Finding("training", "新入职的9名酸洗工、镀锌工未接受上岗前职业卫生培训", 60),
        Finding("testing_results_published", "公告栏未公布最近一次工作场所职业病危害因素检测结果", 30),
    )),
    amended=("东港驰远汽车部件有限公司",
             Finding("health_exam_noise", "冲焊车间接触噪声作业的25名劳动者未进行在岗期间职业健康检查", 30),
             "冲焊车间接触噪声作业的31名劳动者未进行在岗期间职业健康检查",
             Finding("warning_signs", "冲焊车间入口未设置“噪声有害”警示标识", 15)),
    returned_inspection="东港海润食品有限公司",
    conflict=("青川晶石玻璃纤维有限公司",
              Finding("ppe_dust", "拉丝、短切岗位劳动者未佩戴防尘口罩，企业未建立防护用品发放登记", 15), 10, 20),
    draft_inspection="青川蓝海纺织有限公司",
)

RETURN_COMMENTS = {
    "sampling": "各样品的采样前后流量与采样泵校准记录不一致，请核对；并补充采样时的现场风速后重新提交",
    "sampling_fix": "已核对采样泵校准记录，流量记录无误；补充现场风速",
    "assistance": "“培训情况”填写为已完成，但培训人数少于接害人数，请核实后修改",
    "followup": "随访方式为电话随访，请补充患者目前的吸氧治疗及医保报销情况后重新提交",
    "inspection": "检查情况未写明职业病危害因素定期检测报告的编号和检测日期，请补充后重新提交",
}


class DistrictWork:
    """One district's month of work, scheduled on the timeline."""

    def __init__(self, office, timeline, district):
        self.office = office
        self.timeline = timeline
        self.d = district
        p = district.prefix
        self.names = {role: office.user(f"{p}_{role}").display_name
                      for role in ("sampler", "sampler2", "inspector", "inspector2", "assistant", "followup")}
        self.items = {row["key"]: row for row in table_data(office.session, "checklist_items")}
        self.articles = {row["key"]: row["citation_zh"] for row in table_data(office.session, "law_articles")}
        self.sample_no = 0

    def tablet(self, role):
        return self.office.tablet(f"{self.d.prefix}_{role}")

    def schedule(self):
        self.sampling()
        self.assistance()
        self.patients()
        self.followups()
        seed_campaigns(self)
        seed_declarations(self)
        seed_projects(self)
        seed_radiology(self)
        if self.d is LINHE:  # one district keeps a whole year (and the year before) for the year-end summary
            seed_year(self)
            seed_cdc_registers(self)
            seed_literacy(self)
        self.notice_with_rectification()
        self.amended_notice()
        self.returned_inspection()
        self.conflicting_inspection()
        self.draft_inspection()

    # -- sampling visits (采样, reviewed by the CDC's 科长) --------------------------------------------------------

    def _visit(self, tablet, spec, days_ago, task_no):
        """A sampling visit as recorded on site; returns (visit, enterprise, [(sample, lab result)])."""
        office, d = self.office, self.d
        day = office.day(days_ago)
        enterprise = office.enterprise(spec.enterprise)
        visit = tablet.create("sampling_visit", {
            "task_no": task_no, "enterprise_id": enterprise.id, "monitoring_category": "periodic",
            "sampling_date": day, "temperature_c": 18.5, "pressure_kpa": 101.2, "humidity_pct": 52,
            "method_standards": ["gbz_159_2004"], "production_status": "正常生产，负荷约85%",
            "sampler_1_name": d.samplers[0], "sampler_2_name": d.samplers[1], "checker_name": d.checker,
            "escort_name": enterprise.contact_name or "安全员"})
        results = []
        for hazard, concentration in spec.hazards:
            self.sample_no += 1
            dust = hazard in DUST
            fields = {"sample_code": f"{d.code}-{day.replace('-', '')[2:]}-{self.sample_no:03d}",
                      "sample_type": "field", "hazard_key": hazard, "workshop": spec.workshop, "post": spec.post,
                      "sampling_point": spec.point, "sampling_mode": "personal", "duration_type": "long_time",
                      "limit_type": "pc_twa", "collector": "filter_membrane" if dust else "activated_carbon_tube",
                      "flow_before_l_min": 2.0 if dust else 0.2, "flow_after_l_min": 2.0 if dust else 0.2,
                      "start_time": f"{day}T08:00:00+08:00", "end_time": f"{day}T16:00:00+08:00",
                      "exposure_hours_per_day": 8, "sampler_id": f"PUMP-{self.sample_no % 9 + 1:02d}"}
            if dust:
                fields["dust_fraction"] = "total"
            if hazard == "silica_dust":
                fields["free_sio2_pct"] = 28.0
            results.append((tablet.create("sample", fields, parent=visit), concentration))
        if spec.noise_post:
            tablet.create("noise_measurement", {
                "post": spec.noise_post, "measurement_point": f"{spec.workshop}巡检路线",
                "measurement_mode": "dosimeter", "dosimeter_lex_8h_db": spec.noise_db, "calibration_before_db": 94.0,
                "calibration_after_db": 94.1, "calibrator_id": "CAL-02", "exposure_hours_per_day": 8,
                "days_per_week": 5}, parent=visit)
        return visit, enterprise, results

    def sampling(self):
        """Sampled on site (escort signs, 检测现场反馈 issued, which hands the visit in), samples handed to the
        laboratory and received by their codes, results entered by the laboratory; the 科长 approves or returns;
        the 检测报告 issued and the entry into the national system recorded. Two later visits are still in the
        laboratory (one received with part of its results, one handed over and not yet received)."""
        d, at, office = self.d, self.timeline.at, self.office
        cdc, lab = f"{d.prefix}_cdc_supervisor", f"{d.prefix}_lab"
        tablet, second = self.tablet("sampler"), self.tablet("sampler2")
        year = office.today.year
        stories = {  # state → days ago: sampled, handed over, received with results, reviewed, fixed and resubmitted
            "approved": (35, 34, 31, 28, None), "returned": (24, 23, 20, 17, None),
            "resubmitted": (18, 17, 15, 12, 11), "submitted": (9, 8, 6, None, None),
            "laboratory": (4, 3, 2, None, None), "handed_over": (2, 1, None, None, None)}
        for number, (state, (sampled, handed, analysed, reviewed, fixed)) in enumerate(stories.items(), start=1):
            visit = {}
            # The two visits still in the laboratory sample again at enterprises sampled before (two hazards each).
            spec = d.sampling.get(state) or d.sampling["resubmitted" if state == "laboratory" else "returned"]

            def record(when, spec=spec, sampled=sampled, number=number, visit=visit):
                visit["id"], enterprise, visit["results"] = self._visit(
                    tablet, spec, sampled, f"{d.code}-{year}-{number:03d}")
                escort = enterprise.contact_name or enterprise.name
                tablet.attach(visit["id"], "escort_signature", signature_png(escort), "image/png", kind="signature")
                tablet.push(when)
                office.issue(f"{d.prefix}_sampler", visit["id"], "sampling_feedback", when)

            def hand_over(when, visit=visit):
                office.hand_over(f"{d.prefix}_sampler", visit["id"], when)

            def analyse(when, visit=visit, partial=state == "laboratory"):
                office.receive(lab, visit["id"], when)
                for index, (sample, concentration) in enumerate(visit["results"]):
                    if partial and index:
                        break  # the rest is still on the bench
                    office.enter_result(lab, sample, concentration, when)

            at(sampled, "17:30")(record)
            at(handed, "09:10")(hand_over)
            if analysed is not None:
                at(analysed, "15:40")(analyse)
            if state == "approved":
                at(reviewed, "15:20")(lambda when, visit=visit: office.review(cdc, visit["id"], "approve", when))
                at(reviewed - 1, "10:30")(lambda when, visit=visit: office.issue(cdc, visit["id"], "monitoring_report",
                                                                                 when))
                at(reviewed - 6, "16:00")(lambda when, visit=visit: office.national_entry(cdc, visit["id"], when))
            elif reviewed is not None:
                at(reviewed, "14:40")(lambda when, visit=visit: office.review(
                    cdc, visit["id"], "return", when, RETURN_COMMENTS["sampling"]))
            if fixed is not None:
                def fix(when, visit=visit):
                    tablet.update(visit["id"], {"wind_speed_m_s": 0.6, "notes": RETURN_COMMENTS["sampling_fix"]})
                    tablet.submit(visit["id"])
                    tablet.push(when)
                at(fixed, "10:05")(fix)

        @at(1, "16:45")
        def draft(when):  # still being filled in: no escort signature yet, nothing issued
            self._visit(second, d.sampling["draft"], 1, f"{d.code}-{year}-{len(stories) + 1:03d}")
            second.push(when)

    # -- assistance visits (帮扶) ----------------------------------------------------------------------------------

    def _assistance_fields(self, enterprise, days_ago, trained):
        return {"enterprise_id": enterprise.id, "visit_date": self.office.day(days_ago),
                "staff_names": f"{self.names['assistant']}、{self.names['followup']}",
                "enterprise_rep_name": enterprise.contact_name, "declaration_status": "done",
                "testing_status": "partly_done", "testing_note": "粉尘已检测，噪声尚未检测",
                "health_exam_status": "done", "training_status": "done", "protective_facilities_status": "partly_done",
                "protective_facilities_note": "打磨工位局部排风风量不足", "ppe_status": "done",
                "warning_notice_status": "not_done", "warning_notice_note": "车间未设置公告栏",
                "rules_records_status": "partly_done", "rules_records_note": "职业卫生档案缺少检测报告和培训记录",
                "exposed_workers": 18, "workers_due_exam": 18,
                "workers_examined": 18, "workers_trained": trained, "hazard_posts": 5, "hazard_posts_tested": 3,
                "problems_found": "噪声岗位未检测；车间未设置职业卫生公告栏；职业卫生档案不全",
                "guidance_given": "现场讲解公告栏及警示标识设置要求，提供职业卫生档案模板，协助联系检测机构",
                "followup_date": self.office.day(days_ago - 30)}

    def _handed_in(self, role, entity, fields_of, comment, plan):
        """Records made and handed in (except the draft) by one field user; the CDC's 科长 approves or returns."""
        at, office = self.timeline.at, self.office
        cdc = f"{self.d.prefix}_cdc_supervisor"
        tablet = self.tablet(role)
        for state, (made, reviewed) in plan.items():
            holder = {}

            def make(when, state=state, made=made, holder=holder):
                holder["id"] = tablet.create(entity, fields_of(state, made))
                if state != "draft":
                    tablet.submit(holder["id"])
                tablet.push(when)

            at(made, "16:00")(make)
            if state == "approved":
                at(reviewed, "10:30")(lambda when, holder=holder: office.review(cdc, holder["id"], "approve", when))
            elif state == "returned":
                at(reviewed, "10:30")(lambda when, holder=holder: office.review(
                    cdc, holder["id"], "return", when, comment))

    def assistance(self):
        d, office = self.d, self.office

        def fields_of(state, days_ago):
            enterprise = office.enterprise(d.assistance[state])
            return self._assistance_fields(enterprise, days_ago, trained=12 if state == "returned" else 18)

        self._handed_in("assistant", "assistance_visit", fields_of, RETURN_COMMENTS["assistance"],
                        {"approved": (28, 25), "returned": (14, 11), "submitted": (4, None), "draft": (1, None)})

    # -- pneumoconiosis follow-ups (尘肺病患者随访) -----------------------------------------------------------------

    def patients(self):
        """The district's patients' files (一人一档), opened before their follow-ups, and one more file opened 40 days
        ago whose patient nobody has followed up yet (overdue)."""
        d, office, tablet = self.d, self.office, self.tablet("followup")
        self.patient_ids = {}

        def file_of(serial, years, patient, sex, kind, stage, employer):
            diagnosed = office.today.year - years
            fields = {"case_no": f"{d.code}-CF-{diagnosed}-{serial}", "patient_name": patient, "sex": sex,
                      "pneumoconiosis_type": kind, "stage": stage, "diagnosis_date": f"{diagnosed}-06-15",
                      "employer_name": employer, "status": "alive", "registered_on": office.day(40)}
            if kind == "other":
                fields["pneumoconiosis_type_other"] = "玻璃纤维尘肺"
            return fields

        def make(when):
            for state, plan in d.followups.items():
                self.patient_ids[state] = tablet.create("patient", file_of(*plan))
            tablet.create("patient", file_of("031", 3, "于德水", "male", "silicosis", "stage_1",
                                             d.followups["approved"][-1]))
            tablet.push(when)

        self.timeline.at(40, "09:00")(make)

    def followups(self):
        d, office = self.d, self.office

        def fields_of(state, days_ago):
            serial, years, patient, sex, kind, stage, employer = d.followups[state]
            diagnosed = office.today.year - years
            fields = {"case_no": f"{d.code}-CF-{diagnosed}-{serial}", "patient_name": patient, "sex": sex,
                      "patient_id": self.patient_ids[state],
                      "pneumoconiosis_type": kind, "stage": stage, "diagnosis_date": f"{diagnosed}-06-15",
                      "employer_name": employer, "followup_date": office.day(days_ago),
                      "followup_method": "phone" if state == "returned" else "home_visit",
                      "followup_staff": self.names["followup"], "vital_status": "alive",
                      "complications": ["copd"] if stage == "stage_2" else ["none"],
                      "dyspnea_grade": "moderate" if stage == "stage_2" else "mild"}
            if kind == "other":
                fields["pneumoconiosis_type_other"] = "玻璃纤维尘肺"
            return fields

        self._handed_in("followup", "followup", fields_of, RETURN_COMMENTS["followup"],
                        {"approved": (26, 24), "returned": (12, 10), "submitted": (3, None), "draft": (1, None)})

    # -- inspections (监督检查, reviewed by the 执法大队's 审核人) ------------------------------------------------------

    def _finding_fields(self, finding):
        item = self.items[finding.item_key]
        return {"item_key": finding.item_key, "fact": finding.fact,
                "violated_article": self.articles[item["obligation_article"]],
                "penalty_article": self.articles[item["penalty_article"]],
                "requirement": item["requirement_zh"], "deadline_days": finding.deadline_days}

    def _inspection(self, tablet, enterprise_name, days_ago, findings=(), conform=("org_management", "training"),
                    signed=True):
        """An inspection as the two officers record it: checklist, findings with a photo each, signatures."""
        office, p = self.office, self.d.prefix
        enterprise = office.enterprise(enterprise_name)
        first, second = office.user(f"{p}_inspector"), office.user(f"{p}_inspector2")
        inspection = tablet.create("inspection", {
            "enterprise_id": enterprise.id, "inspection_date": office.day(days_ago), "start_time": "09:00",
            **({"end_time": "10:45"} if signed else {}), "place": "生产车间及职业卫生档案室",
            "officer_1_id": str(first.id),
            "officer_1_name": first.display_name, "officer_2_id": str(second.id),
            "officer_2_name": second.display_name, "party_rep_name": enterprise.contact_name or "负责人",
            "party_rep_title": "安全环保部负责人", "refused_to_sign": False,
            "summary": "检查了职业卫生管理机构设置、职业病危害项目申报、定期检测、职业健康检查、警示标识及个人防护用品配备情况。"})
        for key in conform:
            if key not in {f.item_key for f in findings}:
                tablet.create("checklist_result", {"item_key": key, "result": "conform"}, parent=inspection)
        ids = []
        for number, finding in enumerate(findings, start=1):
            tablet.create("checklist_result", {"item_key": finding.item_key, "result": "nonconform",
                                               "note": finding.fact}, parent=inspection)
            finding_id = tablet.create("finding", self._finding_fields(finding), parent=inspection)
            tablet.photo(finding_id, f"{enterprise.name}/{finding.item_key}",
                         office.instant(days_ago, f"10:{10 + number * 7:02d}"), f"问题{number}现场照片")
            ids.append(finding_id)
        if signed:
            for field, name in (("officer_1_signature", first.display_name),
                                ("officer_2_signature", second.display_name),
                                ("party_signature", enterprise.contact_name or enterprise.name)):
                tablet.attach(inspection, field, signature_png(name), "image/png", kind="signature")
        return inspection, ids, enterprise

    def notice_with_rectification(self):
        """Inspected 40 days ago, 意见书 issued on site, approved; its items: overdue, 待整改, 复查中."""
        d, at, office = self.d, self.timeline.at, self.office
        inspector, supervisor = f"{d.prefix}_inspector", f"{d.prefix}_supervisor"
        tablet = self.tablet("inspector")
        state = {}

        @at(40, "11:05")
        def inspect(when):
            state["inspection"], state["findings"], state["enterprise"] = self._inspection(
                tablet, d.notice[0], 40, d.notice[1])
            tablet.push(when)

        @at(40, "11:15")
        def issue(when):
            state["document"] = office.issue(inspector, state["inspection"], "supervision_opinion", when)

        @at(38, "16:10")
        def approve(when):
            office.review(supervisor, state["inspection"], "approve", when)

        @at(2, "10:20")
        def reinspect(when):
            # The re-inspection of the third item is under way on the tablet: recorded, not yet issued (复查中).
            self._reinspection(tablet, state["document"], state["enterprise"], state["findings"][2], 2)
            tablet.push(when)

    def _reinspection(self, tablet, notice, enterprise, finding_id, days_ago, signed=False):
        """A re-inspection of the rectification item made from `finding_id` (found by the tablet's pull), rectified."""
        office, p = self.office, self.d.prefix
        tablet.pull()
        item = next(rid for rid, entity in tablet.entities.items()
                    if entity == "rectification_item" and tablet.data[rid].get("finding_id") == finding_id)
        first, second = office.user(f"{p}_inspector"), office.user(f"{p}_inspector2")
        party = enterprise.contact_name or "负责人"
        reinspection = tablet.create("reinspection", {
            "enterprise_id": enterprise.id, "notice_document_id": notice["id"], "notice_number": notice["number"],
            "reinspection_date": office.day(days_ago), "officer_1_id": str(first.id),
            "officer_1_name": first.display_name, "officer_2_id": str(second.id), "officer_2_name": second.display_name,
            "party_rep_name": party, **({"conclusion": "经复查，该项已按要求整改完毕。"} if signed else {})})
        checked = tablet.create("reinspection_item", {"rectification_item_id": item, "result": "rectified",
                                                      "evidence_note": "现场核实已整改到位，查阅了整改记录和照片"},
                                parent=reinspection)
        tablet.photo(checked, f"{enterprise.name}/{item}/复查", office.instant(days_ago, "10:02"), "整改后现场照片")
        if signed:
            tablet.attach(reinspection, "party_signature", signature_png(party), "image/png", kind="signature")
        return reinspection

    def amended_notice(self):
        """意见书 issued; the second officer's tablet, which had not heard of it, corrected a finding's fact; the
        supervisor settled the conflict for the tablet's value and the inspector issued the 更正. Later one item was
        re-inspected and its 复查意见书 issued: that item is 已整改."""
        d, at, office = self.d, self.timeline.at, self.office
        inspector, supervisor = f"{d.prefix}_inspector", f"{d.prefix}_supervisor"
        tablet, late = self.tablet("inspector"), self.tablet("inspector2")
        enterprise, finding, corrected, other = d.amended
        state = {}

        @at(20, "10:50")
        def inspect(when):
            state["inspection"], state["findings"], state["enterprise"] = self._inspection(
                tablet, enterprise, 20, (finding, other))
            tablet.push(when)

        @at(20, "10:55")
        def second_tablet_syncs(when):
            late.pull()

        @at(20, "11:10")
        def issue(when):
            state["document"] = office.issue(inspector, state["inspection"], "supervision_opinion", when)

        @at(19, "08:40")
        def late_correction(when):
            # Checked against the roster after leaving the site; the tablet was offline when the notice was issued.
            late.update(state["findings"][0], {"fact": corrected})
            late.push(when, expect=("conflict",))

        @at(19, "14:30")
        def settle(when):
            conflict, = office.open_conflicts(supervisor, state["findings"][0])
            office.resolve(supervisor, conflict, "client", when)

        @at(18, "09:20")
        def correct(when):
            state["correction"] = office.issue(inspector, state["inspection"], "supervision_opinion", when,
                                               amends_id=state["document"]["id"])

        @at(4, "14:10")
        def reinspect(when):
            reinspection = self._reinspection(tablet, state["correction"], state["enterprise"],
                                              state["findings"][1], 4, signed=True)
            tablet.push(when)
            office.issue(inspector, reinspection, "reinspection_opinion", when)

    def returned_inspection(self):
        d, at, office = self.d, self.timeline.at, self.office
        supervisor = f"{d.prefix}_supervisor"
        tablet = self.tablet("inspector")
        state = {}

        @at(12, "15:40")
        def inspect(when):  # everything conformed: no notice; the record goes to review
            state["inspection"], _, _ = self._inspection(
                tablet, d.returned_inspection, 12,
                conform=("org_management", "hazard_declaration", "periodic_testing", "warning_signs", "training"))
            tablet.submit(state["inspection"])
            tablet.push(when)

        @at(10, "11:00")
        def send_back(when):
            office.review(supervisor, state["inspection"], "return", when, RETURN_COMMENTS["inspection"])

    def conflicting_inspection(self):
        """Both officers' tablets changed the same finding's deadline: the conflict waits for the supervisor."""
        d, at = self.d, self.timeline.at
        enterprise, finding, first_days, second_days = d.conflict
        tablet, other = self.tablet("inspector"), self.tablet("inspector2")
        state = {}

        @at(3, "11:30")
        def inspect(when):
            state["inspection"], state["findings"], _ = self._inspection(tablet, enterprise, 3, (finding,))
            tablet.push(when)

        @at(3, "11:40")
        def second_tablet_syncs(when):
            other.pull()

        @at(2, "08:50")
        def first_edit(when):
            tablet.update(state["findings"][0], {"deadline_days": first_days})
            tablet.push(when)

        @at(2, "09:15")
        def second_edit(when):
            other.update(state["findings"][0], {"deadline_days": second_days})
            other.push(when, expect=("conflict",))

    def draft_inspection(self):
        d, at = self.d, self.timeline.at
        tablet = self.tablet("inspector")

        @at(1, "10:40")
        def inspect(when):  # begun on site: checklist half done, not yet signed
            self._inspection(tablet, d.draft_inspection, 1, conform=("org_management", "hazard_declaration"),
                             signed=False)
            tablet.push(when)


def seed_demo_work(services):
    """Play the demo districts' past weeks through the server; returns a summary of what now exists."""
    office = Office(services)
    timeline = Timeline(office)
    for district in (LINHE, DONGGANG):
        DistrictWork(office, timeline, district).schedule()
    timeline.run()
    return summary(services.session)


def summary(session):
    """What the demo work left, per district: root records by kind and review state, documents, conflicts, items."""
    names = dict(session.execute(sa.select(Region.id, Region.name)).all())
    rows = session.execute(sa.select(Record.region_id, Record.entity, Record.review_status, sa.func.count())
                           .where(Record.parent_id.is_(None), Record.deleted.is_(False))
                           .group_by(Record.region_id, Record.entity, Record.review_status)).all()
    result = {}
    for region_id, entity, status, count in rows:
        district = result.setdefault(names[region_id], {"records": {}, "documents": 0, "corrections": 0,
                                                         "open_conflicts": 0, "rectification_items": 0})
        district["records"].setdefault(entity, {})[status] = count
    for region_id, amends, count in session.execute(
            sa.select(Document.region_id, Document.amends_id.is_not(None), sa.func.count())
            .group_by(Document.region_id, Document.amends_id.is_not(None))).all():
        result[names[region_id]]["documents"] += count
        if amends:
            result[names[region_id]]["corrections"] += count
    for region_id, count in session.execute(sa.select(Conflict.region_id, sa.func.count())
                                            .where(Conflict.status == "open").group_by(Conflict.region_id)).all():
        result[names[region_id]]["open_conflicts"] = count
    for region_id, count in session.execute(sa.select(Record.region_id, sa.func.count())
                                            .where(Record.entity == "rectification_item")
                                            .group_by(Record.region_id)).all():
        result[names[region_id]]["rectification_items"] = count
    session.rollback()
    return result


KIND_NAMES = {"sampling_visit": "采样", "assistance_visit": "帮扶", "followup": "随访", "inspection": "监督检查",
              "reinspection": "复查"}


def describe(result):
    """The summary as the progress lines `flask seed-demo` prints, one per district."""
    lines = []
    for district, done in result.items():
        kinds = []
        for entity in sorted(done["records"], key=lambda e: list(KIND_NAMES).index(e) if e in KIND_NAMES else 99):
            states = done["records"][entity]
            shown = "、".join(f"{STATE_NAMES[s][0]} {states[s]}" for s in STATE_NAMES if s in states)
            kinds.append(f"{KIND_NAMES.get(entity, entity)} {sum(states.values())}（{shown}）")
        total = sum(sum(states.values()) for states in done["records"].values())
        lines.append(f"演示工作记录：{district} {total} 条 — {'；'.join(kinds)}")
        lines.append(f"  文书 {done['documents']} 份（其中更正 {done['corrections']} 份），整改项 {done['rectification_items']} 项，"
                     f"未处理的同步冲突 {done['open_conflicts']} 处")
    return lines
