"""What may be done to a day: one rule set for rest days and manual logs, for the shell and the app.

Each check returns ``None`` when the change is allowed, else one line saying why
not (to print in the shell or show as a notice). They only decide; the caller
writes. Streak math is not changed by them: a rest day neither breaks nor
extends a streak.

* A rest day may be marked from 1970-01-01 to a year ahead, never on a day that
  already has a counting session, and at most ``rest-budget`` rest days may fall
  in any 7 consecutive days (so rest days cannot rescue a streak without limit).
  Unmarking a rest day is always allowed.
* A day may be logged by hand from 1970-01-01 to today, once: a second manual
  log for the same day is refused (remove the first one to change it).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import rules

if TYPE_CHECKING:
    from .records import SessionRecord

WINDOW_DAYS = 7


def _shown(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _earliest() -> date:
    return date(rules.EARLIEST_YEAR, 1, 1)


def _latest(today: date, days_ahead: int) -> date:
    return today + timedelta(days=days_ahead) if date.max - today >= timedelta(days=days_ahead) else date.max


def rest_days_near(day: date, rest_days: Set[date]) -> int:
    """The most rest days (other than ``day``) in any 7-day window that holds ``day``."""
    most = 0
    first = day.toordinal() - (WINDOW_DAYS - 1)
    ordinals = {other.toordinal() for other in rest_days if other != day and abs((other - day).days) < WINDOW_DAYS}
    for start in range(first, day.toordinal() + 1):
        most = max(most, sum(1 for ordinal in ordinals if start <= ordinal < start + WINDOW_DAYS))
    return most


def can_mark_rest(
    day: date, today: date, sessions_that_day: Iterable[SessionRecord], rest_days: Set[date], budget: int
) -> str | None:
    """``None`` when ``day`` may be marked as a rest day, else the reason it may not."""
    if day in rest_days:
        return None  # already one: marking it again changes nothing
    latest = _latest(today, rules.REST_DAYS_AHEAD)
    if day < _earliest():
        return f"{_shown(day)} is before {_earliest().isoformat()}: too early for a rest day"
    if day > latest:
        return f"{_shown(day)} is more than a year ahead: rest days can be planned up to {latest.isoformat()}"
    if any(session.counts for session in sessions_that_day):
        return f"{_shown(day)} is already done: a rest day is only for a day without a finished session"
    if budget <= 0:
        return "rest days are turned off (rest-budget is 0; hamstring config rest-budget N turns them on)"
    if rest_days_near(day, rest_days) >= budget:
        plural = "day" if budget == 1 else "days"
        return (
            f"{_shown(day)} would make more than {budget} rest {plural} in 7 days "
            f"(rest-budget is {budget}; hamstring config rest-budget N changes it)"
        )
    return None


def can_log_day(day: date, today: date, sessions_that_day: Iterable[SessionRecord]) -> str | None:
    """``None`` when ``day`` may be logged by hand, else the reason it may not."""
    if day < _earliest():
        return f"{_shown(day)} is before {_earliest().isoformat()}: too early to log"
    if day > today:
        return f"{_shown(day)} is in the future (today is {today.isoformat()}): only days up to today can be logged"
    if any(session.source == "manual" for session in sessions_that_day):
        return f"{_shown(day)} is already logged by hand: remove that log first to log it again"
    return None


def can_move_session(
    session: SessionRecord, day: date, today: date, sessions_that_day: Iterable[SessionRecord]
) -> str | None:
    """``None`` when ``session`` may be moved to ``day``, else the reason it may not: as for a
    log, no day in the future, and no second manual log on a day (a timed session may join one)."""
    if day < _earliest():
        return f"{_shown(day)} is before {_earliest().isoformat()}: too early"
    if day > today:
        return f"{_shown(day)} is in the future (today is {today.isoformat()}): sessions move to days up to today"
    if session.source == "manual" and any(
        other.source == "manual" and other.id != session.id for other in sessions_that_day
    ):
        return f"{_shown(day)} is already logged by hand: one manual log a day"
    return None
