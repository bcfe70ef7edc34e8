"""Importing this module registers every ledger (domain/ledgers.py): one line per ledger module."""
from . import radiology  # noqa: E402,F401
from . import projects  # noqa: E402,F401
from . import campaigns  # noqa: E402,F401
from . import exam_institutions  # noqa: E402,F401
from . import trainings  # noqa: E402,F401
from . import health_exams  # noqa: E402,F401
