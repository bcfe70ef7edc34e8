"""Values as records and reference rows carry them, read leniently where a figure or a list only needs them when
they are valid (a date typed as text, a count): what is not valid reads as nothing, never as an error or a 0 made up
from a wrong type. Validation with messages is the forms' (form_registry) and the imports' work."""
import datetime as dt


def day_or_none(value):
    """A date from a date or an ISO text (YYYY-MM-DD); None for anything else."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def whole_number(value):
    """A count as a whole number: a number (not a yes/no) rounded down, 0 for anything else."""
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
