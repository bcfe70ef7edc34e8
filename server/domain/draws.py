"""双随机、一公开: enterprises drawn at random from the registry by class, inspector pairs drawn at random.

The draw is a pure function of its inputs (the candidates per class, the ratios, the inspector pool) and a seed.
Both are stored and published with every candidate's name and credit code, so anyone can compute the draw again
without this server (tools/recompute_draw.py; README "复核双随机抽取 / Recomputing a draw").

The procedure (ALGORITHM "sha256-rank-v2"), plain enough to re-implement in a spreadsheet:
1. Classes are taken in the order of their labels' Unicode code points (丙 乙 未分类 甲).
2. How many of a class: a class of n candidates at r % (a whole number 0–100) gives exactly
   round-half-even(n·r/100), computed on whole numbers: q, rest = divmod(n·r, 100); q + 1 when rest > 50, or when
   rest = 50 and q is odd. Never rounded up: 10 % of a class of 1 (0.1) draws none, 10 % of 5 (0.5) draws none (the
   even 0), 10 % of 15 (1.5) draws 2, 30 % of 3 (0.9) draws 1. The whole of a one-enterprise class is drawn only at
   a ratio above 50 %. (The first version rounded up: 10 % of the single 甲 enterprise drew it — issue 19.)
3. Which ones: every candidate's rank is the SHA-256 (hex) of the UTF-8 text "<seed>|<credit code>"; candidates are
   sorted by (rank, credit code) and the first q are drawn.
4. Inspectors: ranked by SHA-256 of "<seed>|inspector|<user id>", paired in that order (an odd one out stays home);
   the drawn enterprises, class by class in rank order, go to the pairs in turn.
Draws made before version 2 (no "algorithm" in their inputs) are reproduced with the procedure they were made with.
"""
import hashlib
import json
import math
import random
import secrets

import sqlalchemy as sa

from ..models import Agency, Enterprise, Region, User, UserRole
from .errors import Invalid, problem
from .reference_store import table_data

UNCLASSIFIED = "未分类"
ALGORITHM = "sha256-rank-v2"


def inputs_hash(inputs):
    """SHA-256 of the canonical inputs (published with the seed)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                          .encode()).hexdigest()


def quota(n, ratio_pct):
    """How many of a class of n are drawn at ratio_pct %: round-half-even(n·r/100) in whole-number arithmetic."""
    whole, rest = divmod(n * int(ratio_pct), 100)
    return whole + 1 if rest > 50 or (rest == 50 and whole % 2 == 1) else whole


def rank(seed, text):
    """A candidate's place in the draw: SHA-256 hex of "<seed>|<text>" (text: the credit code)."""
    return hashlib.sha256(f"{seed}|{text}".encode("utf-8")).hexdigest()


def draw(inputs, seed):
    """The drawn enterprises per class, the inspector pairs and who inspects which enterprise."""
    if inputs.get("algorithm") != ALGORITHM:
        return _draw_v1(inputs, seed)
    seed = str(seed)
    chosen, quotas, order = {}, {}, []
    for label in sorted(inputs["enterprises"]):
        pool = inputs["enterprises"][label]
        quotas[label] = quota(len(pool), inputs["ratios"].get(label, 0))
        ranked = sorted(pool, key=lambda c: (rank(seed, c["credit_code"]), c["credit_code"]))[:quotas[label]]
        chosen[label] = [c["id"] for c in ranked]
        order += chosen[label]
    inspectors = sorted(inputs["inspectors"], key=lambda i: (rank(seed, f"inspector|{i}"), i))
    pairs = [inspectors[i:i + 2] for i in range(0, len(inspectors) - 1, 2)]
    assignments = [{"enterprise_id": e, "inspector_ids": pairs[i % len(pairs)]} for i, e in enumerate(order)]
    return {"enterprises": chosen, "quotas": quotas, "pairs": pairs, "assignments": assignments}


def _draw_v1(inputs, seed):
    """The first procedure (random.Random, ratios rounded up), kept only to reproduce the draws made with it."""
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


def candidate_ids(inputs):
    """{label: [enterprise id]} of a draw's inputs, whichever version made it."""
    return {label: [c["id"] if isinstance(c, dict) else c for c in pool]
            for label, pool in inputs["enterprises"].items()}


def check_district(session, actor, region_id):
    """The district, or Invalid when it is not a district of the actor's jurisdiction."""
    region = session.get(Region, region_id)
    if region is None or region.level != "district" or not actor.covers_region(region_id):
        raise Invalid("请选择本辖区内的区县", details=[problem("region_id", "not_district", "应为本辖区内的区县",
                                                       "A district you supervise")])
    return region


def policy_ratios(session, scheme):
    """{label: %} of the reference table inspection_sampling_policy for a scheme, unclassified at the highest
    (an employer nobody has assessed is treated as the riskiest); Invalid for an unknown scheme."""
    policy = {row["label"]: int(row["ratio_pct"]) for row in table_data(session, "inspection_sampling_policy")
              if row["scheme"] == scheme}
    if not policy:
        raise Invalid("未知的分类方案", details=[problem("scheme", "choice", "未知的分类方案",
                                                   "Unknown classification scheme")])
    return {**policy, UNCLASSIFIED: max(policy.values())}


def _inspector_pool(session, region_id, inspector_ids):
    eligible = set(session.scalars(sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
                                   .join(Agency, Agency.id == User.agency_id)
                                   .where(UserRole.role == "inspector", User.active.is_(True),
                                          Agency.region_id == region_id)))
    pool = sorted(set(inspector_ids)) if inspector_ids else sorted(eligible)
    if set(pool) - eligible:
        raise Invalid("执法人员名录中没有这些人员", details=[problem("inspector_ids", "not_inspector",
                                                           "只能从本区县执法人员名录中抽取",
                                                           "Only inspectors of this district")])
    if len(pool) < 2:
        raise Invalid("至少需要两名执法人员", details=[problem("inspector_ids", "min_count", "执法检查须两人以上",
                                                      "At least two inspectors")])
    return pool


def draw_inputs(session, actor, *, region_id, scheme, ratios=None, inspector_ids=None, district_ratios=None):
    """Candidates of a district by class (id, credit code, name; by credit code), the ratios (the district's, else
    the policy table's, unless given) and the inspector pool."""
    check_district(session, actor, region_id)
    chosen_ratios = {**policy_ratios(session, scheme), **(district_ratios or {})}
    unknown = sorted(set(ratios or {}) - set(chosen_ratios))
    if unknown:
        raise Invalid("抽查比例中有未知的类别", details=[problem(f"ratios.{label}", "unknown_label",
                                                          f"类别“{label}”不属于该分类方案", "Not a class of the scheme")
                                                  for label in unknown])
    chosen_ratios.update(ratios or {})
    pools = {}
    for row in session.execute(sa.select(Enterprise.id, Enterprise.credit_code, Enterprise.name,
                                         Enterprise.hazard_class, Enterprise.hazard_class_scheme)
                               .where(Enterprise.region_id == region_id)):
        label = row.hazard_class if row.hazard_class and row.hazard_class_scheme == scheme else UNCLASSIFIED
        pools.setdefault(label, []).append({"id": row.id, "credit_code": row.credit_code, "name": row.name})
    return {"algorithm": ALGORITHM, "region_id": region_id, "scheme": scheme, "ratios": chosen_ratios,
            "enterprises": {label: sorted(pool, key=lambda c: c["credit_code"]) for label, pool in pools.items()},
            "inspectors": _inspector_pool(session, region_id, inspector_ids)}


def new_seed():
    """A fresh random seed (published with the draw)."""
    return str(secrets.randbits(63))
