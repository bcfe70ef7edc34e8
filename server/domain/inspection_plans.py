"""What an inspector checks at one enterprise: the checklist items its declared hazards make applicable."""
from .checklists import applicable_items, conditions_for_factors, group_items, resolve_items
from .enterprises import get_enterprise
from .reference_store import table_data


def enterprise_checklist(session, actor, enterprise_id, *, has_construction_project=False):
    """Applicable checklist items of an enterprise, grouped in the national order, with their citations."""
    enterprise = get_enterprise(session, actor, enterprise_id)
    declared = conditions_for_factors(enterprise.declared_hazards, table_data(session, "hazard_factors"))
    items = applicable_items(table_data(session, "checklist_items"), table_data(session, "checklist_conditions"),
                             declared, has_construction_project)
    resolved = resolve_items(items, table_data(session, "law_articles"))
    return {"enterprise_id": enterprise.id, "conditions": declared,
            "groups": group_items(list(resolved.values()), table_data(session, "checklist_groups"))}
