"""One renderer for the whole run (as in a worker process), and every demo document rendered once.

PDFs and their 150 dpi page images are kept in test-artifacts/documents/ for reviewers to look at.
"""
import shutil
from pathlib import Path

import pytest

from server.documents import DocumentRenderer

from . import demo
from .pdf_tools import Pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


@pytest.fixture(scope="session")
def artifacts():
    """A clean artifact directory for this run."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def renderer():
    return DocumentRenderer()


class Rendered:
    """A demo document: its context, its PDF and its page images."""

    def __init__(self, context, pdf, pngs):
        self.context = context
        self.pdf = pdf
        self.pngs = pngs


@pytest.fixture(scope="session")
def render(renderer, artifacts):
    """render(name, doc_type, context) → Rendered, with PDF and page PNGs saved as artifacts."""
    def _render(name, doc_type, context, dpi=150):
        pdf = Pdf(renderer.render_pdf(doc_type, context), artifacts / f"{name}.pdf")
        return Rendered(context, pdf, pdf.page_pngs(artifacts / name, dpi=dpi))
    return _render


@pytest.fixture(scope="session")
def demo_documents(render):
    """Every document type rendered from its demo context."""
    return {doc_type: render(doc_type, doc_type, build()) for doc_type, build in demo.BUILDERS.items()}
