"""双随机、一公开: enterprises drawn at random from the registry by class, inspector pairs drawn at random.

The draw is a pure function of its inputs (the candidate enterprises per class, the ratios, the inspector
pool) and a seed. Both are stored and published, so anyone can compute the same draw again.
"""
import hashlib
import json
import math
import random
import secrets

import sqlalchemy as sa

from ..models import Agency, Enterprise, Region, User, UserRole
from .errors import Invalid
from .reference_store import table_data

UNCLASSIFIED = "未分类"


def inputs_hash(inputs):
    """SHA-256 of the canonical inputs (published with the seed)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                          .encode()).hexdigest()


def draw(inputs, seed):
    """The drawn enterprises per class, the inspector pairs and who inspects which enterprise."""
    rng = random.Random(str(seed))
    chosen = {}
    for label in sorted(inputs["enterprises"]):
        pool = sorted(inputs["enterprises"][label])
        count = math.ceil(len(pool) * inputs["ratios"].get(label, 0) / 100)
        chosen[label] = sorted(rng.sample(pool, count))
    inspectors = sorted(inputs["inspectors"])
    rng.shuffle(inspectors)
    pairs = [inspectors[i:i + 2] for i in range(0, len(inspectors) - 1, 2)]
    drawn = [enterprise for label in sorted(chosen) for enterprise in chosen[label]]
    rng.shuffle(drawn)
    assignments = [{"enterprise_id": e, "inspector_ids": pairs[i % len(pairs)]} for i, e in enumerate(drawn)]
    return {"enterprises": chosen, "pairs": pairs, "assignments": assignments}


def draw_inputs(session, actor, *, region_id, scheme, ratios=None, inspector_ids=None):
    """Candidates of a district by class, the ratios (policy table unless given) and the inspector pool."""
    region = session.get(Region, region_id)
    if region is None or region.level != "district" or not actor.covers_region(region_id):
        raise Invalid("请选择本辖区内的区县", details=[{"field": "region_id", "code": "not_district",
                                                "message": "应为本辖区内的区县", "message_en": "A district you supervise"}])
    policy = {row["label"]: row["ratio_pct"] for row in table_data(session, "inspection_sampling_policy")
              if row["scheme"] == scheme}
    if not policy:
        raise Invalid("未知的分类方案", details=[{"field": "scheme", "code": "choice", "message": "未知的分类方案",
                                             "message_en": "Unknown classification scheme"}])
    pools = {}
    for enterprise_id, label, enterprise_scheme in session.execute(sa.select(
            Enterprise.id, Enterprise.hazard_class, Enterprise.hazard_class_scheme).where(Enterprise.region_id == region_id)):
        pools.setdefault(label if label and enterprise_scheme == scheme else UNCLASSIFIED, []).append(enterprise_id)
    chosen_ratios = {**policy, UNCLASSIFIED: max(policy.values())}  # unclassified employers are treated as the riskiest
    chosen_ratios.update(ratios or {})
    eligible = set(session.scalars(sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
                                   .join(Agency, Agency.id == User.agency_id)
                                   .where(UserRole.role == "inspector", User.active.is_(True),
                                          Agency.region_id == region_id)))
    pool = sorted(set(inspector_ids)) if inspector_ids else sorted(eligible)
    if set(pool) - eligible:
        raise Invalid("执法人员名录中没有这些人员", details=[{"field": "inspector_ids", "code": "not_inspector",
                                                    "message": "只能从本区县执法人员名录中抽取",
                                                    "message_en": "Only inspectors of this district"}])
    if len(pool) < 2:
        raise Invalid("至少需要两名执法人员", details=[{"field": "inspector_ids", "code": "min_count",
                                               "message": "执法检查须两人以上", "message_en": "At least two inspectors"}])
    return {"region_id": region_id, "scheme": scheme, "ratios": chosen_ratios,
            "enterprises": {label: sorted(ids) for label, ids in pools.items()}, "inspectors": sorted(pool)}


def new_seed():
    """A fresh random seed (published with the draw)."""
    return str(secrets.randbits(63))
