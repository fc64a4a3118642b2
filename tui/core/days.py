"""Calendar days: which day a moment counts for, and the local time zone's name.

A session counts for the local calendar date at the moment it started, shifted
by the "day starts at" hour (0..6): with day-start 3, 01:30 belongs to the day
before. The shift is wall-clock arithmetic on the local time, so a 23- or
25-hour DST day is still exactly one day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

DAY_START_MIN = 0
DAY_START_MAX = 6


def session_day(local_moment: datetime, day_start_hour: int = 0) -> date:
    """The calendar day a session started at ``local_moment`` (local wall time) counts for."""
    if not DAY_START_MIN <= day_start_hour <= DAY_START_MAX:
        raise ValueError(f"day start hour must be from {DAY_START_MIN} to {DAY_START_MAX}, not {day_start_hour}")
    naive_wall = local_moment.replace(tzinfo=None)
    return (naive_wall - timedelta(hours=day_start_hour)).date()


def local_now() -> datetime:
    """Now, as an aware datetime in the machine's local time zone."""
    return datetime.now().astimezone()


def local_tz_name() -> str | None:
    """The IANA name of the local time zone, when it can be known."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and "/" in env and not env.startswith("/"):
        return env
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return None


def day_exists(day: date, tz_name: str) -> bool:
    """Whether ``day`` had any hours in the zone (Pacific/Apia skipped 2011-12-30)."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return True
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return end > start


def tz_problem() -> str | None:
    """Why $TZ cannot be used (then it is read as UTC), or None.

    Placeholder for the command line until the days/TZ work lands: it never
    finds a problem.
    """
    return None
