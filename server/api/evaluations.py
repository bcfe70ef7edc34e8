"""Exposure evaluation of sampling inputs (the PWA's online preview; the server stores the same result)."""
from flask import current_app
from flask_smorest import Blueprint

from ..form_registry.submissions import evaluate_sampling_inputs
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .schemas.forms import EvaluationRequestSchema, EvaluationSchema

blp = Blueprint("evaluations", __name__, url_prefix="/api/evaluations", description="评价 Exposure evaluation")


@blp.route("", methods=["POST"])
@authenticated("evaluation.preview")
@blp.arguments(EvaluationRequestSchema)
@blp.response(200, EvaluationSchema)
def evaluate(payload):
    """Concentrations, flow checks and verdicts (符合/不符合/不判定) with the limits used."""
    return evaluate_sampling_inputs(db.session, current_app.extensions["forms"], current_actor(), payload,
                                    today=current_clock().today())
