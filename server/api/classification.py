"""分类监督执法: an enterprise's class (assess from the scheme's inputs, history, next reassessment), the register
of classes and due dates, import of assessments from XLSX/CSV, and each district's 双随机 ratio per class."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain import class_assessments, draw_ratios
from ..domain.class_imports import import_classes, preview_class_import
from ..extensions import db
from .access import authenticated, current_actor, current_clock
from .uploads import uploaded_file
from .schemas.classification import (ClassAssessmentCreateSchema, ClassFileSchema, ClassImportPreviewSchema,
                                     ClassImportReportSchema, DrawRatioArgsSchema, DrawRatioTableSchema, DrawRatioUpdateSchema,
                                     ClassRegisterArgsSchema, ClassRegisterSchema)
from .schemas.enterprises import ImportConfirmArgsSchema, ImportFileSchema

blp = Blueprint("classification", __name__, url_prefix="/api", description="分类监督执法 Classified supervision")


@blp.route("/classification/enterprises/<string:enterprise_id>", methods=["GET"])
@authenticated("class.read")
@blp.response(200, ClassFileSchema)
def class_file(enterprise_id):
    """An enterprise's class: current, next reassessment and its status, history, the inputs the scheme asks for."""
    return class_assessments.class_file(db.session, current_actor(), enterprise_id, today=current_clock().today())


@blp.route("/classification/enterprises/<string:enterprise_id>/assessments", methods=["POST"])
@authenticated("class.assess")
@blp.arguments(ClassAssessmentCreateSchema)
@blp.response(201, ClassFileSchema)
def assess(data, enterprise_id):
    """Assess the class from the inputs; the enterprise's class follows its latest assessment."""
    result = class_assessments.assess(db.session, current_actor(), enterprise_id, data, clock=current_clock())
    db.session.commit()
    return result


@blp.route("/classification/register", methods=["GET"])
@authenticated("class.read")
@blp.arguments(ClassRegisterArgsSchema, location="query")
@blp.response(200, ClassRegisterSchema)
def register(args):
    """Every enterprise of your jurisdiction with its class and next reassessment; overdue first."""
    return class_assessments.register(db.session, current_actor(), today=current_clock().today(), **args)


@blp.route("/classification/import/preview", methods=["POST"])
@authenticated("class.assess")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ClassImportPreviewSchema)
def preview_import(files):
    """What importing the file would do, row by row (the class each row gives, the change from what to what);
    writes nothing. One bad row: 422 listing every problem with its row and column."""
    return preview_class_import(db.session, current_actor(), *uploaded_file(files), today=current_clock().today(),
                                max_rows=current_app.config["IMPORT_MAX_ROWS"])


@blp.route("/classification/import", methods=["POST"])
@authenticated("class.assess")
@blp.arguments(ImportConfirmArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ClassImportReportSchema)
def import_file(args, files):
    """Apply a previewed file with the preview's digest; 409 when the file or a class changed since."""
    report = import_classes(db.session, current_actor(), *uploaded_file(files), args["digest"], clock=current_clock(),
                            max_rows=current_app.config["IMPORT_MAX_ROWS"])
    db.session.commit()
    return report


@blp.route("/draw-ratios", methods=["GET"])
@authenticated("draw.manage")
@blp.arguments(DrawRatioArgsSchema, location="query")
@blp.response(200, DrawRatioTableSchema)
def ratios(args):
    """A district's ratio per class (its own or the policy default), who set it and why, and its changes."""
    return draw_ratios.ratio_table(db.session, current_actor(), **args)


@blp.route("/draw-ratios", methods=["PUT"])
@authenticated("draw.ratio.edit")
@blp.arguments(DrawRatioUpdateSchema)
@blp.response(200, DrawRatioTableSchema)
def set_ratio(data):
    """Set a district's ratio for one class (its supervision agency's supervisors); audited with the reason."""
    table = draw_ratios.set_ratio(db.session, current_actor(), now=current_clock().now(), **data)
    db.session.commit()
    return table
