"""The document types: one entry each, read by issuing (what it is issued from, by whom, how its snapshot is
built), by the renderer and its checks (template, the shape and dates of its context) and by devices (which
documents a record kind and a role have).

Spec language: None = a value must be present; a tuple = a dict with these keys; [tuple] = a list of such dicts;
[] = a list. Dates: (path, may be null, True = datetime with offset / False = date / None = either).
"""
from dataclasses import dataclass
from typing import Callable

from ..domain import document_contexts as build

FINDINGS = [("number", "fact", "violated_citation", "penalty_citation", "requirement", "deadline")]
ORDER = {"findings": FINDINGS, "inspection_date": None, "report_within_days": None, "relief_notice": None}
ORDER_DATES = (("inspection_date", False, False), ("findings[].deadline", True, False))


@dataclass(frozen=True)
class DocumentType:
    """What one kind of document is and how it is made."""

    key: str
    title_zh: str
    entity: str                 # the root record kind it is issued from
    role: str                   # the role that issues it
    spec: dict                  # the shape of its context
    dates: tuple                # the dates it prints
    build: Callable             # (base, root, children, inputs) → its context (domain/document_contexts.py)
    needs: tuple = ()           # the lookups `build` reads from inputs
    enforcement: bool = False   # two officers with certificate numbers
    order: bool = False         # an order to correct: one rectification item per finding
    evidence: bool = False      # prints the inspection's signatures and photos
    settles: bool = False       # its results settle the earlier notice's rectification items (销号)
    locks_results: bool = False  # it prints the laboratory's results: they are locked (corrections by 更正)
    shows: dict | None = None   # entity → the fields it prints, which its issuance locks (None: the whole record)

    @property
    def template(self):
        """The Jinja template (server/documents/templates, or a province's replacement of the same name)."""
        return f"{self.key}.html"


def _types(*entries):
    return {entry.key: entry for entry in entries}


TYPES = _types(
    DocumentType("supervision_opinion", "卫生监督意见书", "inspection", "inspector", ORDER, ORDER_DATES,
                 build.order_context, needs=("settings",), enforcement=True, order=True, evidence=True),
    DocumentType("rectification_notice", "责令改正通知书", "inspection", "inspector", ORDER, ORDER_DATES,
                 build.order_context, needs=("settings",), enforcement=True, order=True, evidence=True),
    DocumentType("onsite_record", "现场笔录", "inspection", "inspector",
                 {"inspection": ("start", "end", "place", "recorder"), "notification": None,
                  "observations": [], "party_statement": None},
                 (("inspection.start", False, True), ("inspection.end", False, True)),
                 build.onsite_record_context, needs=("checklist_items",), enforcement=True, evidence=True),
    DocumentType("assistance_feedback", "帮扶现场反馈单", "assistance_visit", "assistant",
                 {"aspects": [("title_zh", "status", "note")], "problems": None, "guidance": None,
                  "materials": None, "follow_up_date": None, "staff": [], "figures": [("label", "value")]},
                 (("follow_up_date", True, False),), build.assistance_context),
    DocumentType("sampling_record_sheet", "采样记录单", "sampling_visit", "sampler",
                 {"visit": ("task_no", "sampling_date", "monitoring_category_zh", "temperature_c", "pressure_kpa",
                            "humidity_pct", "method_standards", "samplers", "checker", "escort_name"),
                  "samples": [("sample_code", "sample_type_zh", "workshop", "post", "sampling_point", "hazard_zh",
                               "sampling_mode_zh", "flow_before", "flow_after", "start", "end", "minutes",
                               "volume_l", "standard_volume_l", "notes")],
                  "noise": [("post", "point", "laeq_readings", "exposure_hours", "lex_8h")]},
                 (("visit.sampling_date", False, False),),
                 build.sampling_sheet_context, needs=("definition", "hazards", "methods")),
    DocumentType("sampling_feedback", "检测现场反馈", "sampling_visit", "sampler",
                 {"visit": ("task_no", "sampling_date", "monitoring_category_zh", "samplers", "escort_name"),
                  "summary": [("workshop", "post", "hazard_zh", "sample_codes", "next_step")],
                  "next_steps": None, "report_due_date": None},
                 (("visit.sampling_date", False, False), ("report_due_date", True, False)),
                 build.sampling_feedback_context, needs=("hazards",), shows={
                     "sampling_visit": frozenset({"task_no", "enterprise_id", "sampling_date", "monitoring_category",
                                                  "sampler_1_name", "sampler_2_name", "sampler_3_name",
                                                  "sampler_4_name", "escort_name"}),
                     "sample": frozenset({"sample_code", "sample_type", "workshop", "post", "hazard_key"})}),
    DocumentType("monitoring_report", "检测报告", "sampling_visit", "supervisor",
                 {"visit": ("task_no", "sampling_date", "samplers"), "methods": [],
                  "results": [("workshop", "post", "hazard_zh", "measured", "limits", "result_zh")],
                  "noise": [("workshop", "post", "lex_8h", "result_zh")],
                  "mixtures": [("post", "label_zh", "index", "result_zh")], "below_lod_rule": None,
                  "conclusion": None, "people": ("analysts", "reviewer", "approver")},
                 (("visit.sampling_date", False, False),),
                 build.monitoring_report_context, needs=("hazards", "monitoring"), locks_results=True),
    DocumentType("reinspection_opinion", "复查意见书", "reinspection", "inspector",
                 {"original": ("number", "issued_at"), "inspection_date": None, "conclusion": None,
                  "relief_notice": None,
                  "items": [("number", "fact", "requirement", "deadline", "result_zh", "evidence")]},
                 (("inspection_date", False, False), ("items[].deadline", True, False),
                  ("original.issued_at", False, None)),
                 build.reinspection_context, needs=("original", "rectification_items"), enforcement=True,
                 settles=True),
)


def document_type(key):
    """The entry of a document type, or None."""
    return TYPES.get(key)


def types_for_kinds(kinds):
    """Keys of the types issued from the given record kinds (None: every kind, so every type)."""
    return [t.key for t in TYPES.values() if kinds is None or t.entity in kinds]


def types_of(entity=None, roles=None):
    """Keys of the types issued from a record kind and/or by any of the given roles, in registry order."""
    return [t.key for t in TYPES.values()
            if (entity is None or t.entity == entity) and (roles is None or t.role in roles)]
