"""Official field documents as PDF: templates, renderer, restricting fetcher, QR codes. No Flask here."""
from .native import import_weasyprint

import_weasyprint()  # first, so that the modules below find it imported quickly (native.py)
from .contexts import ContextError
from .fetcher import AssetFetcher, FetchRefused
from .qr import label_payload, qr_data_uri
from .renderer import LABEL_LAYOUTS, DocumentRenderer
from .subsetting import FontSubsettingUnavailable
from .types import TYPES, DocumentType, document_type, types_of

__all__ = ["LABEL_LAYOUTS", "AssetFetcher", "ContextError", "DocumentRenderer", "FetchRefused",
           "FontSubsettingUnavailable", "TYPES", "DocumentType", "document_type", "label_payload", "qr_data_uri",
           "types_of"]
