"""The year-end summary's data annex (年度职业健康工作总结 数据附件): every catalogue figure of the year beside the year
before, the tables and the charts, as a Word document to write the prose around and as a PDF."""
import io

from flask import send_file
from flask_smorest import Blueprint

from ..documents import publishing
from ..documents.year_summary import charts, summary_docx, summary_pdf
from ..domain.year_summary import summary_context, summary_file_name
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .schemas.kpis import YearSummaryArgsSchema

blp = Blueprint("summaries", __name__, url_prefix="/api/summaries", description="年度工作总结 Year-end summary")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(args):
    clock = current_clock()
    return summary_context(db.session, current_actor(), today=clock.today(), now=clock.now(), **args)


@blp.route("/year.docx", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(YearSummaryArgsSchema, location="query")
@blp.response(200, content_type=DOCX)
def year_docx(args):
    """The year's data annex as a Word document (.docx)."""
    context = _context(args)
    return send_file(io.BytesIO(summary_docx(context)), mimetype=DOCX, as_attachment=True,
                     download_name=summary_file_name(context, "docx"))


@blp.route("/year.pdf", methods=["GET"])
@authenticated("kpi.read")
@blp.arguments(YearSummaryArgsSchema, location="query")
@blp.response(200, content_type="application/pdf")
def year_pdf(args):
    """The same annex as an A4 PDF."""
    context = _context(args)
    pdf = summary_pdf(publishing.renderer(), context, charts(context))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=summary_file_name(context, "pdf"))
