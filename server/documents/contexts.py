"""Checks of the plain-dict context each document is rendered from; a ContextError names the offending key."""
import re
from datetime import date, datetime

from .types import TYPES

STATUSES = {"issued", "amended", "voided", "preview"}
ASPECT_STATUSES = {"done", "partly", "not_done", "not_applicable"}
# Images reach WeasyPrint only as inline PNG/JPEG: no SVG (it could reference other resources), no URLs.
IMAGE_URI = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]+")

# Spec language: None = a value must be present; a tuple = a dict with these keys; [tuple] = a list of such dicts;
# [] = a list.
COMMON = {
    "document": ("type", "number", "title_zh", "issued_at", "status"),
    "agency": ("name", "address", "phone"),
    "party": ("name", "credit_code", "address", "legal_representative", "contact_name", "contact_phone"),
    "officers": [("name",)],
    "signatures": (),
    "verification": ("url",),
}
SIGNATURE_DEFAULTS = {"officers": [], "party": None, "party_name": None, "party_title": None,
                      "party_refused": False, "witness_name": None, "witness_signature": None, "signed_at": None}


class ContextError(ValueError):
    """The context lacks a key or holds a value the document cannot print."""

    def __init__(self, key, problem="缺少必填项", detail="missing required key"):
        super().__init__(f"文书数据{problem}：{key}（{detail}: {key}）")
        self.key = key


def _check_shape(value, spec, path):
    if spec is None:
        return
    if isinstance(spec, list):
        if not isinstance(value, list):
            raise ContextError(path, "应为列表", "must be a list")
        for index, item in enumerate(value):
            _check_shape(item, spec[0] if spec else None, f"{path}[{index}]")
        return
    if not isinstance(value, dict):
        raise ContextError(path, "应为对象", "must be an object")
    for key in spec:
        if key not in value:
            raise ContextError(f"{path}.{key}")


def _check_keys(context, spec, prefix=""):
    for key, sub in spec.items():
        if key not in context:
            raise ContextError(prefix + key)
        _check_shape(context[key], sub, prefix + key)


def _check_date(value, path, allow_none=False, with_time=False):
    """with_time: True = ISO datetime with offset, False = ISO date, None = either."""
    if value is None and allow_none:
        return
    if with_time is None:
        with_time = "T" in str(value)
    try:
        parsed = datetime.fromisoformat(value) if with_time else date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ContextError(path, "日期格式错误", "not an ISO date" + ("time" if with_time else "")) from None
    if with_time and parsed.tzinfo is None:
        raise ContextError(path, "时间缺少时区", "datetime without UTC offset")


def _values(context, path):
    """(value, concrete path) for a path such as "findings[].deadline" (every row) or "visit.sampling_date"."""
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        for index, row in enumerate(context[head[:-2]]):
            for value, where in _values(row, rest):
                yield value, f"{head[:-2]}[{index}].{where}"
    elif rest:
        for value, where in _values(context[head], rest):
            yield value, f"{head}.{where}"
    else:
        yield context[head], head


def _check_image(value, path, allow_none=True):
    if value is None and allow_none:
        return
    if not isinstance(value, str) or not IMAGE_URI.fullmatch(value):
        raise ContextError(path, "图片应为 PNG/JPEG 的 data: URI", "image must be a PNG or JPEG data: URI")


def _check_required_text(context, paths):
    for path in paths:
        value = context
        for part in path.split("."):
            value = value[part]
        if not isinstance(value, str) or not value.strip():
            raise ContextError(path, "不能为空", "must be non-empty text")


def _check_document(doc_type, context):
    document = context["document"]
    if document["type"] != doc_type:
        raise ContextError("document.type", f"与文书类型 {doc_type} 不符", f"does not match {doc_type}")
    if document["status"] not in STATUSES:
        raise ContextError("document.status", "取值无效", "must be issued, amended, voided or preview")
    if document["status"] == "amended" and not document.get("amended_by_number"):
        raise ContextError("document.amended_by_number")
    _check_date(document["issued_at"], "document.issued_at", with_time=True)
    _check_required_text(context, ["document.number", "document.title_zh", "agency.name", "party.name"])
    url = context["verification"]["url"]
    if not isinstance(url, str) or not re.fullmatch(r"https?://\S+", url):
        raise ContextError("verification.url", "应为 http(s) 链接", "must be an http(s) URL")


def _check_people(doc_type, context):
    officers = context["officers"]
    if TYPES[doc_type].enforcement:
        if len(officers) < 2:
            raise ContextError("officers", "执法人员不少于两名", "enforcement needs two officers")
        for index, officer in enumerate(officers):
            if not str(officer.get("cert_no") or "").strip():
                raise ContextError(f"officers[{index}].cert_no")
    signatures = {**SIGNATURE_DEFAULTS, **context["signatures"]}
    for index, uri in enumerate(signatures["officers"]):
        _check_image(uri, f"signatures.officers[{index}]")
    _check_image(signatures["party"], "signatures.party")
    _check_image(signatures["witness_signature"], "signatures.witness_signature")
    if signatures["signed_at"] is not None:
        _check_date(signatures["signed_at"], "signatures.signed_at", with_time=True)
    for index, photo in enumerate(context.get("photos") or []):
        _check_shape(photo, ("data_uri", "caption", "taken_at"), f"photos[{index}]")
        _check_image(photo["data_uri"], f"photos[{index}].data_uri", allow_none=False)
        _check_date(photo["taken_at"], f"photos[{index}].taken_at", allow_none=True, with_time=True)
    return signatures


def _check_specific(doc_type, context):
    if "relief_notice" in TYPES[doc_type].spec and context["relief_notice"]:
        _check_keys(context, {"relief": ("government", "court")})
    for path, allow_none, with_time in TYPES[doc_type].dates:
        for value, where in _values(context, path):
            _check_date(value, where, allow_none, with_time)
    if doc_type == "assistance_feedback":
        for index, aspect in enumerate(context["aspects"]):
            if aspect["status"] not in ASPECT_STATUSES:
                raise ContextError(f"aspects[{index}].status", "取值无效",
                                   "must be done, partly, not_done or not_applicable")


def validate_context(doc_type, context):
    """A checked copy of `context` with optional keys filled in; ContextError (a ValueError) otherwise."""
    if doc_type not in TYPES:
        raise ValueError(f"未知的文书类型：{doc_type}（unknown document type: {doc_type}）")
    if not isinstance(context, dict):
        raise ContextError("context", "应为对象", "must be an object")
    _check_keys(context, COMMON)
    _check_keys(context, TYPES[doc_type].spec)
    _check_document(doc_type, context)
    signatures = _check_people(doc_type, context)
    _check_specific(doc_type, context)
    document = {"amends_number": None, "amended_by_number": None, **context["document"]}
    return {**context, "document": document, "signatures": signatures, "photos": context.get("photos") or []}
