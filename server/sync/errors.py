"""How a mutation can fail. A permanent failure is recorded and the device moves on; a transient one stops
the batch so the device retries it later (the prefix before it is committed)."""


class MutationFailed(Exception):
    """Base: `code` is stable, `details` field-level items like the API's envelope."""

    status = "rejected"

    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []


class Rejected(MutationFailed):
    """Bad data or a forbidden change: recorded as rejected with its payload; the sequence advances."""

    status = "rejected"


class Quarantined(MutationFailed):
    """Data the server cannot interpret now (e.g. an unknown form version): kept for a person to look at."""

    status = "quarantined"


class Transient(Exception):
    """A temporary failure (storage, lock timeout): stop here, commit the prefix, the device retries."""


class SequenceError(Exception):
    """The batch does not continue the device's sequence: answered 409, nothing applied."""

    def __init__(self, code, message, expected):
        super().__init__(message)
        self.code = code
        self.message = message
        self.expected = expected
