"""Typed domain errors. No HTTP here: server/api/errors.py maps them to the JSON envelope."""


class DomainError(Exception):
    """Base class. `code` is a stable machine-readable name; `details` a list of field-level items."""

    code = "DOMAIN_ERROR"

    def __init__(self, message, details=None, code=None):
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class Invalid(DomainError):
    """Input breaks a rule. details: [{"field", "message", "message_en"?, "code"?, "row"?}]."""

    code = "VALIDATION_ERROR"


class NotFound(DomainError):
    """Missing, or outside the actor's jurisdiction (the two are indistinguishable on purpose)."""

    code = "NOT_FOUND"


class Forbidden(DomainError):
    """The actor's role does not allow the action."""

    code = "FORBIDDEN"


class Conflict(DomainError):
    """The action contradicts stored state (duplicate key, locked record, wrong state)."""

    code = "CONFLICT"


class Unauthenticated(DomainError):
    """Credentials or token missing, wrong or expired."""

    code = "UNAUTHENTICATED"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    code = "RATE_LIMITED"


def problem(field, code, zh, en, **extra):
    """One field-level item of an error's details: where (`field`), what (`code`), the Chinese message a person
    reads and its English text; extra keys (e.g. `row` of an import) only when given."""
    return {"field": field, "code": code, "message": zh, "message_en": en,
            **{key: value for key, value in extra.items() if value is not None}}


def invalid(message, field, code, zh, en, **extra):
    """Invalid with one field-level problem."""
    return Invalid(message, details=[problem(field, code, zh, en, **extra)])
