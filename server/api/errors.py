"""One error envelope for every failure: {"error": {"code", "message", "details", "request_id"}}."""
import logging

from flask import g, jsonify, request
from flask_smorest import Api
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError, Forbidden, Invalid, NotFound, RateLimited, Unauthenticated, problem
from ..sync.errors import SequenceError
from ..sync.faults import InjectedCrash

log = logging.getLogger("server.errors")

STATUS = {Invalid: 422, NotFound: 404, Forbidden: 403, Unauthenticated: 401, RateLimited: 429}
HTTP_CODES = {400: ("BAD_REQUEST", "请求格式错误"), 401: ("UNAUTHENTICATED", "请先登录"),
              403: ("FORBIDDEN", "无权访问"), 404: ("NOT_FOUND", "资源不存在"),
              405: ("METHOD_NOT_ALLOWED", "不支持此请求方法"), 409: ("CONFLICT", "与现有数据冲突"),
              413: ("PAYLOAD_TOO_LARGE", "请求内容过大"), 415: ("UNSUPPORTED_MEDIA_TYPE", "不支持的内容类型"),
              422: ("VALIDATION_ERROR", "提交的数据有误"), 429: ("RATE_LIMITED", "请求过于频繁，请稍后再试"),
              500: ("INTERNAL_ERROR", "服务器内部错误，请稍后再试")}
# Marshmallow's English messages, with the Chinese a field worker reads.
MESSAGES_ZH = {
    "Missing data for required field.": "必填字段缺失",
    "Unknown field.": "未知字段",
    "Field may not be null.": "不能为空值",
    "Not a valid integer.": "应为整数",
    "Not a valid number.": "应为数字",
    "Not a valid string.": "应为文本",
    "Not a valid boolean.": "应为是/否",
    "Not a valid date.": "日期格式错误（YYYY-MM-DD）",
    "Not a valid datetime.": "日期时间格式错误（ISO 8601）",
    "Not a valid UUID.": "应为 UUID",
    "Not a valid list.": "应为列表",
    "Not a valid mapping type.": "应为对象",
    "Invalid input type.": "输入类型错误",
    "Invalid JSON body.": "JSON 格式错误",
    "Invalid value.": "取值无效",
}
MESSAGE_PREFIXES_ZH = (("Must be one of", "取值不在允许范围内"), ("Length must be", "长度不符合要求"),
                       ("Shorter than minimum length", "长度过短"), ("Longer than maximum length", "长度过长"),
                       ("Must be greater than or equal to", "数值过小"), ("Must be less than or equal to", "数值过大"),
                       ("Must be greater than", "数值过小"), ("Must be less than", "数值过大"))


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable machine-readable code"})
    message = fields.String(required=True, metadata={"description": "Human-readable message (zh-CN)"})
    details = fields.List(fields.Dict(), metadata={"description": "Field-level items: field, code, message, "
                                                                  "message_en, row"})
    request_id = fields.String(metadata={"description": "Quote it when reporting a problem"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


def envelope(status, code, message, details=None, headers=None):
    """The JSON error response every endpoint uses."""
    body = {"code": code, "message": message, "details": details or [],
            "request_id": getattr(g, "request_id", None)}
    response = jsonify({"error": body})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _zh(message):
    if message in MESSAGES_ZH:
        return MESSAGES_ZH[message]
    for prefix, zh in MESSAGE_PREFIXES_ZH:
        if message.startswith(prefix):
            return zh
    return message


def flatten_messages(messages, prefix=""):
    """Marshmallow's nested {field: [msg]} → [{"field": "a.b", "code", "message", "message_en"}]."""
    items = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            items += flatten_messages(value, "" if key in ("json", "query", "form", "files", "_schema") and not prefix
                                      else name)
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                items += flatten_messages(message, prefix)
            else:
                code = "unknown_field" if message == "Unknown field." else (
                    "required" if message.startswith("Missing data") else "invalid")
                items.append({"field": prefix or None, "code": code, "message": _zh(str(message)),
                              "message_en": str(message)})
    return items


class EnvelopeApi(Api):
    """flask-smorest's Api, with its error payload replaced by the envelope (also in the OpenAPI docs)."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        status = error.code or 500
        code, message = HTTP_CODES.get(status, ("HTTP_" + str(status), error.name))
        data = getattr(error, "data", None) or {}
        details = flatten_messages(data.get("messages") or data.get("errors") or {})
        if status == 400 and details:
            # Malformed JSON and wrong types are the same mistake to a client: the data is invalid.
            code, message = "MALFORMED_REQUEST", "请求格式错误：" + details[0]["message"]
        if status == 429:
            details = [{"field": None, "code": "rate_limit", "message": "请求过于频繁，请稍后再试",
                        "message_en": f"Rate limit exceeded: {error.description}"}]
        headers = dict(data.get("headers") or {})
        if status == 429 and getattr(error, "retry_after", None):
            headers["Retry-After"] = str(error.retry_after)
        if status >= 500:
            log.exception("unhandled error", exc_info=getattr(error, "original_exception", error))
            details = []
        return envelope(status, code, message, details, headers)


def handle_domain_error(error):
    """Typed domain errors → their HTTP status."""
    status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 409)
    return envelope(status, error.code, error.message, error.details)


def handle_database_busy(error):
    """A database too busy to answer in time (or a write that could not commit): nothing of the request was
    kept, and the client retries it — a temporary condition, not a crash. A broken constraint is a bug: 500."""
    if isinstance(error, IntegrityError):
        return handle_unexpected(error)
    log.warning("not committed on %s %s: %s", request.method, request.path, error.__class__.__name__)
    message = "服务器繁忙，请稍后重试" if request.method == "GET" else "服务器暂时无法保存，请稍后自动重试"
    return envelope(503, "RETRY_LATER", message, headers={"Retry-After": "2"})


def handle_sequence_error(error):
    """A push that does not continue the device's sequence: nothing applied, the expected number given."""
    return envelope(409, error.code, error.message, [problem(
        "client_seq", error.code.lower(), f"下一个序号应为 {error.expected}", f"Expected {error.expected}",
        expected=error.expected)])


def handle_unexpected(error):
    """Anything unforeseen: logged with the request id, never a stack trace to the client."""
    if isinstance(error, HTTPException):
        return error
    log.exception("unhandled error on %s %s", request.method, request.path)
    code, message = HTTP_CODES[500]
    return envelope(500, code, message)


def register_error_handlers(app):
    """Attach the envelope handlers (HTTP errors are handled by EnvelopeApi)."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_database_busy)
    app.register_error_handler(DBAPIError, handle_database_busy)
    app.register_error_handler(InjectedCrash, handle_database_busy)
    app.register_error_handler(SequenceError, handle_sequence_error)
    app.register_error_handler(Exception, handle_unexpected)
