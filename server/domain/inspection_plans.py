"""What an inspector checks at one enterprise: the checklist items its declared hazards make applicable."""
from .checklists import applicable_items, conditions_for_factors, group_items, resolve_items
from .enterprises import get_enterprise
from .errors import invalid
from .reference_store import table_data


def enterprise_checklist(session, actor, enterprise_id, *, has_construction_project=False, campaign_industry=None):
    """Applicable checklist items of an enterprise, grouped in the national order, with their citations. An
    inspection of a 专项治理 campaign adds the items of its industry's typical hazards and marks its focus items
    (reference table campaign_checklists; the tablet's twin is checklist.js enterpriseChecklist)."""
    enterprise = get_enterprise(session, actor, enterprise_id)
    campaign = None
    if campaign_industry:
        campaign = next((row for row in table_data(session, "campaign_checklists") if row["key"] == campaign_industry),
                        None)
        if campaign is None:
            raise invalid("没有这个专项治理行业", "campaign_industry", "one_of", "没有这个专项治理行业",
                          "No campaign checklist for this industry")
    declared = conditions_for_factors(enterprise.declared_hazards, table_data(session, "hazard_factors"))
    declared = list(dict.fromkeys([*declared, *((campaign or {}).get("conditions") or [])]))
    items = applicable_items(table_data(session, "checklist_items"), table_data(session, "checklist_conditions"),
                             declared, has_construction_project)
    resolved = resolve_items(items, table_data(session, "law_articles"))
    focus = set((campaign or {}).get("focus_items") or ())
    marked = [{**item, "campaign_focus": True} if item["key"] in focus else item for item in resolved.values()]
    return {"enterprise_id": enterprise.id, "conditions": declared,
            "groups": group_items(marked, table_data(session, "checklist_groups")),
            "campaign": None if campaign is None else {"key": campaign["key"], "title_zh": campaign["title_zh"],
                                                       "points_zh": campaign.get("points_zh") or []}}
