"""A draw's assignments reach the inspectors' tablets as records they pull (entity `assignment`)."""
import sqlalchemy as sa

from ..domain import audit
from ..domain.draw_ratios import district_ratios
from ..domain.draws import candidate_ids, draw, draw_inputs, inputs_hash, new_seed
from ..domain.errors import NotFound
from ..domain.permissions import require, require_supervision_agency
from ..models import Device, Draw, Enterprise, User, new_uuid
from ..models.transactions import begin_write
from .batch import Batch, NewRecord, allocate_and_resolve


def _assignment(batch, drawn, enterprise, item, names, labels):
    index = batch.next_index()
    record = NewRecord(id=new_uuid(), entity="assignment", root_id=None, region_id=enterprise.region_id,
                       agency_id=batch.actor.agency_id, enterprise_id=enterprise.id,
                       data={"draw_id": drawn.id, "title": drawn.title, "due_date": drawn.due_date.isoformat()
                             if drawn.due_date else None, "inspector_ids": item["inspector_ids"],
                             "inspector_names": [names.get(i) for i in item["inspector_ids"]],
                             "enterprise_name": enterprise.name, "hazard_class": labels.get(enterprise.id),
                             "scheme": drawn.scheme, "status": "assigned"},
                       computed={}, field_versions={}, field_writers={}, deleted=False, conflict_open=False,
                       created_by=batch.actor.user_id, created_device=batch.actor.device_id, created_at=batch.now,
                       updated_by=batch.actor.user_id, updated_device=batch.actor.device_id, updated_at=batch.now,
                       created_change_no=index)
    record.root_id = record.id
    batch.new_records.append(record)
    batch.touch(record, index)
    batch.log_change(record.id, index, "create", record.data)


def create_draw(session, actor, *, clock, title, region_id, scheme, due_date=None, ratios=None, inspector_ids=None,
                seed=None):
    """Draw enterprises and inspector pairs, record the draw, and assign each drawn enterprise to its pair."""
    require(actor, "draw.manage")
    require_supervision_agency(actor, "双随机抽查")
    inputs = draw_inputs(session, actor, region_id=region_id, scheme=scheme, ratios=ratios,
                         inspector_ids=inspector_ids, district_ratios=district_ratios(session, region_id, scheme))
    begin_write(session)
    seed = str(seed) if seed is not None else new_seed()
    drawn = Draw(id=new_uuid(), title=title, region_id=region_id, scheme=scheme, seed=seed, inputs=inputs,
                 inputs_hash=inputs_hash(inputs), result=draw(inputs, seed), due_date=due_date,
                 created_by=actor.user_id, created_at=clock.now())  # business time: the period's draws count it
    session.add(drawn)
    audit.record(session, actor, "draw.create", drawn.id, title=title, seed=seed, inputs_hash=drawn.inputs_hash,
                 ratios=inputs["ratios"], drawn={label: len(ids) for label, ids in drawn.result["enterprises"].items()})
    labels = {e: label for label, ids in candidate_ids(inputs).items() for e in ids}
    enterprises = {e.id: e for e in session.scalars(sa.select(Enterprise).where(
        Enterprise.id.in_([a["enterprise_id"] for a in drawn.result["assignments"]])))}
    names = dict(session.execute(sa.select(User.id, User.display_name).where(User.id.in_(inputs["inspectors"]))).all())
    batch = Batch(session=session, actor=actor, device=session.get(Device, actor.device_id), forms=None, entities=None,
                  clock=clock)
    with session.no_autoflush:
        for item in drawn.result["assignments"]:
            _assignment(batch, drawn, enterprises[item["enterprise_id"]], item, names, labels)
        allocate_and_resolve(batch)
        batch.write(session)
    return drawn


def get_draw(session, actor, draw_id):
    """A draw of the actor's jurisdiction."""
    drawn = session.get(Draw, draw_id)
    if drawn is None or not actor.covers_region(drawn.region_id):
        raise NotFound("抽取记录不存在")
    return drawn


def list_draws(session, actor):
    """Draws of the actor's jurisdiction, newest first."""
    return session.scalars(sa.select(Draw).where(Draw.region_id.in_(actor.region_ids))
                           .order_by(Draw.created_at.desc())).all()


def reproduce(drawn):
    """Compute the draw again from its published inputs and seed: equal means nobody changed it."""
    again = draw(drawn.inputs, drawn.seed)
    return {"reproduced": again == drawn.result and inputs_hash(drawn.inputs) == drawn.inputs_hash, "result": again}


def publication(session, draw_id):
    """What 一公开 publishes: every candidate (name and credit code, by class, in the order the procedure takes them),
    the ratios and counts per class, the seed and inputs hash, and the enterprises drawn with their inspector pairs."""
    drawn = session.get(Draw, draw_id)
    if drawn is None:
        raise NotFound("抽取记录不存在")
    inputs, result = drawn.inputs, drawn.result
    ids = [a["enterprise_id"] for a in result["assignments"]]
    for pool in inputs["enterprises"].values():
        ids += [c for c in pool if not isinstance(c, dict)]  # draws before version 2 stored ids only
    found = {row.id: row for row in session.execute(sa.select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                                                    .where(Enterprise.id.in_(ids)))}
    people = dict(session.execute(sa.select(User.id, User.display_name).where(
        User.id.in_(inputs["inspectors"]))).all())

    def candidate(item):
        if isinstance(item, dict):
            return {"name": item["name"], "credit_code": item["credit_code"]}
        row = found.get(item)
        return {"name": row.name if row else None, "credit_code": row.credit_code if row else None}

    drawn_ids = {label: set(members) for label, members in result["enterprises"].items()}
    classes = [{"label": label, "ratio_pct": inputs["ratios"].get(label, 0), "candidates": len(pool),
                "drawn": len(drawn_ids.get(label, ())), "candidate_list": [candidate(c) for c in pool]}
               for label, pool in sorted(inputs["enterprises"].items())]
    names = {e: candidate(e) for e in ids}
    names.update({c["id"]: candidate(c) for pool in inputs["enterprises"].values() for c in pool if isinstance(c, dict)})
    return {"draw_id": drawn.id, "title": drawn.title, "created_at": drawn.created_at, "scheme": drawn.scheme,
            "algorithm": inputs.get("algorithm") or "random-v1", "ratios": inputs["ratios"], "seed": drawn.seed,
            "inputs_hash": drawn.inputs_hash, "classes": classes,
            "candidates": {label: len(pool) for label, pool in inputs["enterprises"].items()},
            "assignments": [{"enterprise": names.get(a["enterprise_id"], {}).get("name"),
                             "credit_code": names.get(a["enterprise_id"], {}).get("credit_code"),
                             "inspectors": [people.get(i) for i in a["inspector_ids"]]}
                            for a in result["assignments"]]}
