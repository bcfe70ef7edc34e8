"""The pneumoconiosis patients' register 一人一档: who is due or overdue a follow-up, for the worker and the office."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain import patients
from ..extensions import db
from ..sync import register_imports
from .access import authenticated, current_actor, current_clock
from .uploads import uploaded_file
from .schemas.enterprises import ImportConfirmArgsSchema, ImportFileSchema
from .schemas.patients import PatientArgsSchema, PatientListSchema
from .schemas.registers import RegisterImportSchema

# The register as a sheet reads it: a file by its case number, new files alive (在世) unless the sheet says otherwise.
SHEET = register_imports.Sheet(form_id=patients.FORM_ID, entity=patients.REGISTER, key="case_no",
                               name_field="patient_name", verb="patient.import", what_zh="患者档案",
                               new_defaults={"status": "alive"})

blp = Blueprint("patients", __name__, url_prefix="/api/patients", description="尘肺病患者档案 Patients' register")


@blp.route("", methods=["GET"])
@authenticated("patient.read")
@blp.arguments(PatientArgsSchema, location="query")
@blp.response(200, PatientListSchema)
def index(args):
    """The register with each patient's follow-up state today, most urgent first (逾期, 待随访, 已随访, 不再随访)."""
    return patients.register_page(db.session, current_actor(), current_clock().today(), current_app.extensions["forms"],
                                  state=args["state"], worker_id=args["worker_id"], query=args["q"],
                                  page=args["page"], per_page=args["per_page"])


@blp.route("/import/preview", methods=["POST"])
@authenticated("patient.import")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def preview_import_file(files):
    """What importing an XLSX or CSV of patients' files would do, row by row (a new file, the changes to the file of
    that case number, no change); writes nothing. One bad row: 422 listing every problem with its row and column."""
    return register_imports.preview(db.session, current_actor(), current_app.extensions["forms"], SHEET,
                                    *uploaded_file(files), max_rows=current_app.config["IMPORT_MAX_ROWS"])


@blp.route("/import", methods=["POST"])
@authenticated("patient.import")
@blp.arguments(ImportConfirmArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def import_file(args, files):
    """Apply a previewed file with the preview's digest; 409 when the file or the register changed since."""
    report = register_imports.apply(db.session, current_actor(), current_app.extensions["forms"], SHEET,
                                    current_clock(), *uploaded_file(files), args["digest"],
                                    max_rows=current_app.config["IMPORT_MAX_ROWS"])
    db.session.commit()
    return report
