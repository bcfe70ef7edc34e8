"""Issued documents as PDF files: rendered once from the snapshot, stored, then served from storage.

The stored PDF is the document as issued; its SHA-256 is what the verification page shows. An amended or
voided document is rendered on request with its mark (已更正 / 已作废), without replacing the issued file.
"""
import base64
import copy
import hashlib
import threading

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from ..models import Document, DocumentFile
from .renderer import DocumentRenderer

_renderer = None
_renderer_lock = threading.Lock()
IMAGE_PREFIX = "sha256:"


def renderer():
    """The process's renderer (one shared font configuration per worker, built on first use)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = DocumentRenderer()
        return _renderer


def image_uri(storage, ref):
    """A snapshot's image reference as a data URI of its display copy; None while the bytes are missing."""
    if not isinstance(ref, str) or not ref.startswith(IMAGE_PREFIX):
        return ref
    sha256 = ref[len(IMAGE_PREFIX):]
    if not storage.exists(sha256, "display"):
        return None
    return "data:image/jpeg;base64," + base64.b64encode(storage.read(sha256, "display")).decode()


def materialize(snapshot, storage, *, status="issued", amended_by_number=None):
    """The render context of a snapshot: images from storage, the status mark to print."""
    context = copy.deepcopy(snapshot)
    signatures = context.setdefault("signatures", {})
    signatures["officers"] = [image_uri(storage, ref) for ref in signatures.get("officers") or []]
    for key in ("party", "witness_signature"):
        signatures[key] = image_uri(storage, signatures.get(key))
    context["photos"] = [dict(photo, data_uri=uri) for photo in context.get("photos") or []
                         for uri in [image_uri(storage, photo.get("data_uri"))] if uri]
    context["document"] = dict(context["document"], status=status, amended_by_number=amended_by_number)
    return context


def _store(session, storage, document, pdf):
    sha256 = hashlib.sha256(pdf).hexdigest()
    storage.put_bytes(sha256, "original", pdf)
    try:
        with session.begin_nested():
            session.add(DocumentFile(document_id=document.id, pdf_sha256=sha256, size=len(pdf),
                                     pages=pdf.count(b"/Type /Page\n") or None))
    except IntegrityError:
        pass  # another worker rendered it at the same moment: the first stored file stands
    except OperationalError:
        # Busy database (SQLite, another writer): hand out this render now; a later request records the file.
        return DocumentFile(document_id=document.id, pdf_sha256=sha256, size=len(pdf))
    return session.get(DocumentFile, document.id)


def issued_file(session, storage, document):
    """The stored PDF of a document as issued (rendering and storing it the first time)."""
    stored = session.get(DocumentFile, document.id)
    if stored is None:
        pdf = renderer().render_pdf(document.doc_type, materialize(document.snapshot, storage))
        stored = _store(session, storage, document, pdf)
    return stored


def pdf_bytes(session, storage, document, status):
    """The PDF to hand out now: the stored issued file, or a marked render of an amended or voided document."""
    if status == "valid":
        return storage.read(issued_file(session, storage, document).pdf_sha256, "original")
    amendment = session.scalar(sa.select(Document.number).where(Document.amends_id == document.id)
                               .order_by(Document.issued_at.desc()))
    context = materialize(document.snapshot, storage, status="amended" if status == "amended" else "voided",
                          amended_by_number=amendment)
    return renderer().render_pdf(document.doc_type, context)
