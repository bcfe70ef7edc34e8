"""Dashboards: the work plans' figures for a period, by district and team, with the same period last year; the same
as a printable PDF and an XLSX workbook."""
import io

from flask import send_file
from flask_smorest import Blueprint

from ..documents import publishing
from ..domain.kpi_reports import report_context, report_file_name, report_workbook
from ..domain.kpis import kpis
from ..extensions import db
from .schemas.kpis import KpiArgsSchema, KpiReportArgsSchema, KpiSchema
from .access import authenticated, current_actor, current_clock

blp = Blueprint("kpis", __name__, url_prefix="/api/kpis", description="统计指标 KPIs")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(KpiArgsSchema, location="query")
@blp.response(200, KpiSchema)
def index(args):
    """Monitoring, exceedance, timeliness, coverage, rectification, assistance rates and follow-ups."""
    return kpis(db.session, current_actor(), today=current_clock().today(), **args)


def _report(args):
    clock = current_clock()
    return report_context(db.session, current_actor(), today=clock.today(), now=clock.now(), **args)


@blp.route("/report.pdf", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(KpiReportArgsSchema, location="query")
@blp.response(200, content_type="application/pdf")
def report_pdf(args):
    """The figures beside the same period last year, per district and per team, as an A4 PDF."""
    context = _report(args)
    pdf = publishing.renderer().render_sheet("kpi_report.html", context)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=report_file_name(context, "pdf"),
                     as_attachment=True)


@blp.route("/report.xlsx", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(KpiReportArgsSchema, location="query")
@blp.response(200, content_type=XLSX)
def report_xlsx(args):
    """The same report as an XLSX workbook with Chinese headers (numbers stay numbers)."""
    context = _report(args)
    return send_file(io.BytesIO(report_workbook(context)), mimetype=XLSX,
                     download_name=report_file_name(context, "xlsx"), as_attachment=True)
