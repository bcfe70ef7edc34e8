"""Business time: one clock, in China Standard Time.

Dates that matter to the work — a document's year and number, deadlines (限期 N 日), overdue and due-soon, KPI
periods, the year of a number block, follow-up due dates, "entered within a month" — are dates in China Standard
Time (Asia/Shanghai, UTC+8; China has kept no daylight saving since 1991, so the offset is fixed) and come from
one clock object, never from the host's timezone or wall clock directly.

The app holds its clock in ``app.extensions["clock"]``; views hand it (or what it says) to domain and sync code.
Tests freeze it (``FrozenClock``); a deployment may start it at a given instant (``BUSINESS_TIME_START``, refused in
production) for rehearsals and demonstrations. This module is the only one that reads the host's clock.
"""
import datetime as dt
import time

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
UTC = dt.timezone.utc


def parse_instant(value):
    """An aware datetime from an aware datetime or an ISO text with its offset; ValueError otherwise."""
    instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(instant, dt.datetime) or instant.tzinfo is None:
        raise ValueError("a business instant needs its UTC offset, e.g. 2027-01-04T10:00:00+08:00")
    return instant.astimezone(UTC)


def months_before(day, months):
    """The same day `months` earlier (the 28th where that month is shorter): the start of a period of months."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


class Clock:
    """Business time: ``now()`` (aware, UTC), ``local_now()`` (China time), ``today()`` and ``year()`` in China."""

    def now(self):
        raise NotImplementedError

    def local_now(self):
        """Now in China Standard Time."""
        return self.now().astimezone(CHINA)

    def today(self):
        """The date in China Standard Time."""
        return self.local_now().date()

    def year(self):
        """The year in China Standard Time (document numbers, number blocks)."""
        return self.local_now().year


class SystemClock(Clock):
    """The host's clock, read as an instant (its timezone setting plays no part)."""

    def now(self):
        return dt.datetime.now(UTC)


class FrozenClock(Clock):
    """A clock set to an instant; with ``ticking`` it runs on from there at the host's pace (browser tests,
    rehearsals), otherwise it stands still until ``set`` or ``advance`` moves it."""

    def __init__(self, at, *, ticking=False):
        self.ticking = ticking
        self.set(at)

    def set(self, at):
        """Move the clock to an instant (aware datetime or ISO text with offset)."""
        self._at = parse_instant(at)
        self._since = time.monotonic()
        return self

    def advance(self, **delta):
        """Move the clock on by a timedelta's keywords (days=1, hours=2, …)."""
        return self.set(self.now() + dt.timedelta(**delta))

    def now(self):
        if self.ticking:
            return self._at + dt.timedelta(seconds=time.monotonic() - self._since)
        return self._at


SYSTEM = SystemClock()


def host_now():
    """The host's real time, for stamps that are not business dates: token expiry, lockouts, audit and housekeeping
    times, file names of backups."""
    return SYSTEM.now()


def clock_from_config(config):
    """The app's clock: the host's, or one started at BUSINESS_TIME_START (not allowed in production)."""
    start = config.get("BUSINESS_TIME_START")
    if not start:
        return SYSTEM
    return FrozenClock(start, ticking=True)
