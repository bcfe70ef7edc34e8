"""Shapes of the kpis endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .common import Int


class KpiArgsSchema(Schema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    region_id = Int(load_default=None)
    team_id = Int(load_default=None, validate=validate.Range(min=1))
    yoy = fields.Boolean(load_default=False, metadata={"description": "add `previous`: the same period a year earlier"})

    @validates_schema
    def _ordered(self, data, **_):
        if data["date_from"] > data["date_to"]:
            raise ValidationError("开始日期不能晚于结束日期", field_name="date_to")


class KpiReportArgsSchema(KpiArgsSchema):
    """The printable report and the workbook always carry the same period last year."""

    class Meta:
        exclude = ("yoy",)


class KpiSchema(Schema):
    period = fields.Dict()
    targets = fields.Dict()
    sampling = fields.Dict()
    enforcement = fields.Dict()
    followup = fields.Dict()
    assistance = fields.Dict()
    classification = fields.Dict(allow_none=True, metadata={
        "description": "分类监督执法: share of the registry with a current class assessment, 双随机 draws of the period "
                       "and the drawn enterprises inspected, each against its target (null for the CDC)"})
    declarations = fields.Dict(allow_none=True, metadata={
        "description": "职业病危害项目申报: first declarations in the period and in the same dates of the base year, "
                       "employers declared by the period's end against the base year's end (target kpi_targets "
                       "declaration_growth), the declared share of the registry, overdue updates (null for the CDC)"})
    ledgers = fields.List(fields.Dict(), metadata={
        "description": "the registers kept as ledgers the user reads (三同时, 放射诊疗, 专项治理): [{kind, title_zh, "
                       "tiles: [{key, label_zh, value, unit count|pct, target_pct, meets_target, detail_zh}]}]; a "
                       "rate with nothing to divide by has value null"})
    literacy = fields.Dict(allow_none=True, metadata={
        "description": "职业健康素养监测 (domain/literacy.py): surveys, enterprises, respondents, 知晓率 awareness_pct, "
                       "具备率 literacy_pct, by dimension, industry, size, sex and age band (null for the supervision "
                       "agency)"})
    catalogue = fields.List(fields.Dict(), metadata={
        "description": "every figure of the KPI catalogue (reference table kpi_catalogue) the user's agency reports: "
                       "[{key, title_zh, section_zh, unit, value, text, status ok|not_collected|not_by_team, status_zh, "
                       "target_pct, meets_target, previous, previous_text, change, as_of period|today, seed_zh}]; a "
                       "figure not collected says so (status, text 未采集) instead of 0"})
    districts = fields.List(fields.Dict())
    teams = fields.List(fields.Dict(), metadata={
        "description": "per team within its district (team_id, name, region_id, district): teams of the same name in "
                       "two districts are two rows; authors without a team are 未分组 (team_id null) of their district"})
    counted = fields.Dict(metadata={"description": "计入统计的审核状态（草稿不计），以及退回待改的记录数（另列）"})
    previous = fields.Dict(metadata={"description": "with yoy: the same figures for the same dates a year earlier"})


class YearSummaryArgsSchema(Schema):
    year = Int(required=True, validate=validate.Range(min=2000, max=2999),
               metadata={"description": "the calendar year (not after this year on the business clock)"})
    region_id = Int(load_default=None)
