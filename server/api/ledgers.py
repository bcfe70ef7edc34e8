"""The registers kept as ledgers (domain/ledgers.py): each ledger's files with their states today, the import of the
sheet it was kept in, for the supervision side's office and inspectors."""
from flask import current_app
from flask_smorest import Blueprint

from ..domain import ledger_registry  # noqa: F401  (registers every ledger)
from ..domain.errors import invalid
from ..domain.ledgers import LEDGERS, ledger_of, ledger_page, readable
from ..extensions import db
from ..form_registry import entity_spec, field_map
from ..sync import register_imports
from .access import authenticated, current_actor, current_clock
from .schemas.enterprises import ImportConfirmArgsSchema, ImportFileSchema
from .schemas.registers import LedgerArgsSchema, LedgerPageSchema, LedgerSchema, RegisterImportSchema
from .uploads import uploaded_file

blp = Blueprint("ledgers", __name__, url_prefix="/api/ledgers", description="台账 Registers kept as ledgers")


def sheet_of(ledger):
    """The ledger as an imported sheet reads it."""
    return register_imports.Sheet(form_id=ledger.form_id, entity=ledger.entity, key=ledger.key,
                                  name_field=ledger.columns[0].key if ledger.columns else ledger.key,
                                  verb=ledger.import_verb, what_zh=ledger.title_zh,
                                  new_defaults=ledger.new_defaults)


@blp.route("", methods=["GET"])
@authenticated("record.read")
@blp.response(200, LedgerSchema(many=True))
def index():
    """The ledgers the user reads (their name in URLs and their title)."""
    actor = current_actor()
    return [{"kind": ledger.kind, "title_zh": ledger.title_zh, "form_id": ledger.form_id, "entity": ledger.entity}
            for ledger in LEDGERS.values() if readable(actor, ledger)]


@blp.route("/<kind>", methods=["GET"])
@authenticated("record.read")
@blp.arguments(LedgerArgsSchema, location="query")
@blp.response(200, LedgerPageSchema)
def ledger(args, kind):
    """A page of the ledger's files with each file's state today, most urgent first, and the counts by state."""
    ledger = ledger_of(kind)
    states = [state for state, _name in ledger.states]
    if args["state"] and args["state"] not in states:
        raise invalid("没有这个状态", "state", "one_of", "状态应为：" + "、".join(n for _s, n in ledger.states),
                      "Unknown state")
    page = ledger_page(db.session, current_actor(), ledger, current_clock().today(), state=args["state"],
                       query=args["q"], page=args["page"], per_page=args["per_page"])
    forms = current_app.extensions["forms"]
    definition = forms.get(ledger.form_id, forms.versions(ledger.form_id)[-1])
    key = field_map(entity_spec(definition, ledger.entity)).get(ledger.key, {})
    return {**page, "key_label_zh": (key.get("label_zh") or ledger.key).split("（")[0]}


@blp.route("/<kind>/import/preview", methods=["POST"])
@authenticated("record.read")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def preview_import(files, kind):
    """What importing an XLSX or CSV of the ledger's files would do, row by row; writes nothing. One bad row: 422
    listing every problem with its row and column."""
    return register_imports.preview(db.session, current_actor(), current_app.extensions["forms"],
                                    sheet_of(ledger_of(kind)), *uploaded_file(files),
                                    max_rows=current_app.config["IMPORT_MAX_ROWS"])


@blp.route("/<kind>/import", methods=["POST"])
@authenticated("record.read")
@blp.arguments(ImportConfirmArgsSchema, location="query")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, RegisterImportSchema)
def import_file(args, files, kind):
    """Apply a previewed file with the preview's digest; 409 when the file or the ledger changed since."""
    report = register_imports.apply(db.session, current_actor(), current_app.extensions["forms"],
                                    sheet_of(ledger_of(kind)), current_clock(), *uploaded_file(files),
                                    args["digest"], max_rows=current_app.config["IMPORT_MAX_ROWS"])
    db.session.commit()
    return report
