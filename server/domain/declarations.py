"""职业病危害项目申报 on the registry: each enterprise's first and latest declaration, the next one due, and the
figures the work plans count (seed 001: "初次申报用人单位数在2023年底基础上增加20%以上").

The next due date is the latest declaration (or its update) plus the annual interval of the reference table
declaration_rules (reference/declarations/rules.json) in force on that date. It is stored with the enterprise when a
declaration date is written, so that devices read it offline and the figures count the overdue in SQL; a later
change of the interval applies to declarations made after it takes effect, as a rule in force on a date does.
"""
import datetime as dt

import sqlalchemy as sa

from ..models import Enterprise
from .classification import add_months
from .errors import problem
from .reference_store import rows_in_force
from .references import in_period, parse_date

DATE_FIELDS = ("first_declared_on", "last_declared_on")
# The status people read (已申报 / 未申报 / 申报逾期) is worked out where it is shown, from the due date stored here and
# the business date: on the tablet (controllers/enterprises.js declarationOf), in the figures in SQL (overdue below).


def annual_months(session, on):
    """The update interval in months in force on a declaration date, or None when no annual rule applies."""
    for row in rows_in_force(session, "declaration_rules", on):
        if row.get("kind") == "annual" and row.get("interval_months") and in_period(
                on, parse_date(row.get("effective_from")), parse_date(row.get("effective_to"))):
            return row["interval_months"]
    return None


def latest_declaration(first, last):
    """The date the declaration was last made or updated (the first one when no update is on file)."""
    return max(d for d in (first, last) if d is not None) if (first or last) else None


def next_due(session, first, last):
    """The date the next declaration (annual update) is due; None when never declared or no interval applies."""
    latest = latest_declaration(first, last)
    months = annual_months(session, latest) if latest else None
    return add_months(latest, months) if months else None


def declaration_problems(first, last, today=None):
    """Field-level problems of the two dates: the first declaration after the latest, a date after `today` (the
    business clock's date; None when the caller has no clock)."""
    problems = []
    if first is not None and last is not None and first > last:
        problems.append(problem("first_declared_on", "after_latest", "初次申报日期不能晚于最近申报/变更日期",
                                "The first declaration cannot be after the latest one"))
    for field, word in (("first_declared_on", "初次申报日期"), ("last_declared_on", "最近申报/变更日期")):
        value = first if field == "first_declared_on" else last
        if today is not None and value is not None and value > today:
            problems.append(problem(field, "future", f"{word}不能晚于今天（{today.isoformat()}）",
                                    "A declaration date cannot be in the future"))
    return problems


def check_declaration(enterprise, data, today=None):
    """Problems of a change `data` to the declaration dates of `enterprise` (None: a new one), judged with the dates
    it keeps: a PATCH of one date is checked against the other one on file."""
    if not any(field in data for field in DATE_FIELDS):
        return []
    merged = {field: data[field] if field in data else getattr(enterprise, field, None) for field in DATE_FIELDS}
    return declaration_problems(merged["first_declared_on"], merged["last_declared_on"], today)


def refresh_due(session, enterprise):
    """Set the enterprise's next due date from its declaration dates (after they were written)."""
    enterprise.declaration_due_on = next_due(session, enterprise.first_declared_on, enterprise.last_declared_on)


def same_dates_in(year, date_from, date_to):
    """The period's dates moved to the base year (the period's end falls in `year`); 29 February becomes the 28th."""
    shift = year - date_to.year

    def moved(day):
        return day.replace(year=day.year + shift, day=28 if (day.month, day.day) == (2, 29) else day.day)
    return moved(date_from), moved(date_to)


def _count_of(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _pct(part, whole):
    return round(part / whole * 100, 1) if whole else None


def declaration_figures(session, regions, *, date_from, date_to, today, targets):
    """The registry's declarations in the districts `regions`: first declarations in the period and in the same
    dates of the base year, employers declared by the period's end against the base year's end (the target),
    the declared share of the registry and the declarations overdue as of `today`. An employer declared with no
    first date on file counts as declared, never as a first declaration of a year."""
    target = targets.get("declaration_growth") or {}
    base_year = target.get("base_year") or date_to.year - 1
    base_from, base_to = same_dates_in(base_year, date_from, date_to)
    first_on = Enterprise.first_declared_on
    declared = sa.or_(first_on.is_not(None), Enterprise.last_declared_on.is_not(None))
    # One statement whatever the size of the registry: each figure a conditional count over the districts' rows.
    counts = session.execute(sa.select(
        sa.func.count(),
        _count_of(declared),
        _count_of(sa.and_(declared, Enterprise.declaration_due_on < today)),
        _count_of(first_on.between(date_from, date_to)),
        _count_of(first_on.between(base_from, base_to)),
        _count_of(first_on <= date_to),
        _count_of(first_on <= dt.date(base_year, 12, 31)),
    ).where(Enterprise.region_id.in_(sorted(regions)))).one()
    registry, declared_now, overdue, first, first_base, by_end, by_base_end = (int(n or 0) for n in counts)
    growth = _pct(by_end - by_base_end, by_base_end)
    target_pct = target.get("target_pct", 20)
    return {"first_declarations": first, "base_year": base_year,
            "base_period": {"from": base_from.isoformat(), "to": base_to.isoformat()},
            "first_declarations_base": first_base, "first_change_pct": _pct(first - first_base, first_base),
            "declared_by_end": by_end, "declared_by_base_end": by_base_end, "declared_growth_pct": growth,
            "growth_target_pct": target_pct, "growth_meets_target": None if growth is None else growth >= target_pct,
            "registry_enterprises": registry, "declared": declared_now, "undeclared": registry - declared_now,
            "declared_pct": _pct(declared_now, registry), "overdue": overdue}
