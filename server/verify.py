"""The public page a document's QR code opens: is this document genuine, and is it still valid?

It shows what the paper already shows to its holder (number, type, issuing agency, party, date) plus the
status and the PDF hash — no findings, no officers' details, nothing private.
"""
from flask import Blueprint, current_app, render_template

from .documents import publishing
from .domain.errors import NotFound
from .extensions import db, limiter
from .media import blob_storage
from .sync.documents import verification

bp = Blueprint("verify", __name__, template_folder="templates", static_folder="verify_static",
               static_url_path="/verify-static")
STATUS_ZH = {"valid": "有效", "amended": "已更正", "voided": "已作废"}


@bp.get("/verify/<string:token>")
@limiter.limit("60 per minute")
def page(token):
    """The verification page; an unknown token gets a page saying so (404)."""
    try:
        document, shown = verification(db.session, token)
    except NotFound:
        return render_template("verify_unknown.html"), 404
    stored = publishing.issued_file(db.session, blob_storage(current_app.config), document)
    db.session.commit()
    return render_template("verify.html", **shown, status_zh=STATUS_ZH[shown["status"]], pdf_hash=stored.pdf_sha256)
