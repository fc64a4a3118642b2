"""Calendar days: which day a moment counts for, and the local time zone's name.

A session counts for the local calendar date at the moment it started, shifted
by the "day starts at" hour (0..6): with day-start 3, 01:30 belongs to the day
before. The shift is wall-clock arithmetic on the local time, so a 23- or
25-hour DST day is still exactly one day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

DAY_START_MIN = 0
DAY_START_MAX = 6


def session_day(local_moment: datetime, day_start_hour: int = 0) -> date:
    """The calendar day a session started at ``local_moment`` (local wall time) counts for."""
    if not DAY_START_MIN <= day_start_hour <= DAY_START_MAX:
        raise ValueError(f"day start hour must be from {DAY_START_MIN} to {DAY_START_MAX}, not {day_start_hour}")
    naive_wall = local_moment.replace(tzinfo=None)
    if naive_wall - datetime.min < timedelta(hours=day_start_hour):
        return naive_wall.date()  # a clock at the very start of year 1 has no day before
    return (naive_wall - timedelta(hours=day_start_hour)).date()


def tz_problem() -> str | None:
    """One line saying why the local time zone cannot be used (then hamstring uses UTC), or ``None``.

    ``TZ=UTC+25`` and the like give an offset of a day or more, which Python's
    ``astimezone()`` refuses with ``ValueError``.
    """
    try:
        datetime.now().astimezone()
    except (ValueError, OverflowError, OSError):
        shown = os.environ.get("TZ")
        if shown is None:
            return "the local time zone is not usable; using UTC"
        return f"TZ={_quoted(shown)} is not a usable time zone; using UTC"
    name = os.environ.get("TZ", "").removeprefix(":")
    if name and not name.startswith("/") and not any(c.isdigit() for c in name):
        # A zone name (a POSIX rule has an offset, so a digit): the C library reads its file
        # from $TZDIR or the system zone folder, and quietly uses UTC when there is none.
        folder = os.environ.get("TZDIR") or "/usr/share/zoneinfo"
        if os.path.isdir(folder) and not os.path.isfile(os.path.join(folder, name)):
            return f"TZ={_quoted(name)} names no time zone this machine knows; using UTC"
    return None


def _quoted(text: str) -> str:
    """``text`` in quotes with anything unprintable escaped (it came from the environment)."""
    shown = ascii(text[:80])
    return shown if len(text) <= 80 else shown[:-1] + "...'"


def local_now() -> datetime:
    """Now, as an aware datetime in the machine's local time zone (UTC when that zone is unusable).

    See :func:`tz_problem` for the one-line notice to show when it is.
    """
    now = datetime.now(UTC)
    try:
        return now.astimezone()
    except (ValueError, OverflowError, OSError):
        return now


def local_tz_name() -> str | None:
    """The IANA name of the local time zone when it can be known, else ``None``.

    A name is returned only when :func:`usable_tz_name` accepts it, so it can
    always be stored in a session record. ``TZ`` naming a zone (``Europe/Berlin``,
    ``:Europe/Berlin``) gives that name; ``TZ`` naming a zone file
    (``:/etc/localtime``) or unset gives the name of the file it links to. ``TZ``
    holding a POSIX rule (``CET-1CEST,M3.5.0,M10.5.0/3``), an unusable offset
    (``UTC+25``) or anything else has no IANA name: ``None``.
    """
    env = os.environ.get("TZ")
    if env is None:
        return _zone_file_name("/etc/localtime") or _etc_timezone()
    env = env[1:] if env.startswith(":") else env
    if env.startswith("/"):
        return _zone_file_name(env)
    return env if usable_tz_name(env) else None


def _zone_file_name(path: str) -> str | None:
    from pathlib import Path  # not at module level: `status` never needs it

    try:
        target = str(Path(path).resolve())
    except (OSError, RuntimeError, ValueError):
        return None
    marker = "zoneinfo/"
    if marker not in target:
        return None
    name = target.rsplit(marker, 1)[1]
    return name if usable_tz_name(name) else None


def _etc_timezone(path: str = "/etc/timezone") -> str | None:
    """Debian's ``/etc/timezone`` (one name), for an ``/etc/localtime`` copied rather than linked."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            name = file.read(200).strip()
    except OSError:
        return None
    return name if usable_tz_name(name) else None


def usable_tz_name(name: str) -> bool:
    """Whether ``name`` is an IANA zone name that this machine can load and a session record accepts."""
    from zoneinfo import ZoneInfo

    from .records import tz_name_ok  # not at module level: the quick status path never loads records

    if not tz_name_ok(name):
        return False
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found (a KeyError), a bad key or file, a directory
        return False
    return True


def day_exists(day: date, tz_name: str) -> bool:
    """Whether ``day`` had any hours in the zone (Pacific/Apia skipped 2011-12-30)."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return True
    try:
        start = datetime.combine(day, time(0), zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    except (OverflowError, ValueError):
        return True  # the first or last day a date can hold: no zone rule skipped it
    return end > start


# -- month pages (what the calendar module gives, without loading it and its locale code) ---------
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` (1..12) of ``year`` has."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def month_weeks(year: int, month: int, first_weekday: int = 0) -> list[list[date]]:
    """The weeks that show ``month`` on a page, each of 7 days from ``first_weekday``
    (0 is Monday), with the days of the months around it that share its first and last
    week; days before 0001-01-01 or after 9999-12-31 are the nearest day that exists."""
    first = date(year, month, 1).toordinal()
    last = first + days_in_month(year, month) - 1
    start = first - (date.fromordinal(first).weekday() - first_weekday) % 7
    end = last + (first_weekday - 1 - date.fromordinal(last).weekday()) % 7
    lowest, highest = date.min.toordinal(), date.max.toordinal()
    days = [date.fromordinal(min(max(ordinal, lowest), highest)) for ordinal in range(start, end + 1)]
    return [days[index : index + 7] for index in range(0, len(days), 7)]
