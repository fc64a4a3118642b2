"""Streaks, habit strength and totals: pure functions of the history and ``today``.

* A day is *done* when it has a counting session (see
  :attr:`SessionRecord.counts`); a *rest* day neither breaks nor extends a streak.
* Streaks are runs of consecutive calendar dates (date arithmetic only); the
  length counts done days, rest days inside a run bridge it.
* The current streak ends today, or yesterday when today is not done yet: then
  it is *at risk*, not broken.
* Habit strength follows Loop Habit Tracker for a daily habit:
  ``score = previous * m + done * (1 - m)`` with ``m = 0.5 ** (1 / 13)``, per
  day from the first recorded day to today; rest days leave it unchanged.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import SessionRecord

STRENGTH_MULTIPLIER = 0.5 ** (1 / 13)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Streak:
    start: date
    end: date
    length: int  # done days in the run (rest days bridge but do not count)


@dataclass(frozen=True, slots=True)
class CurrentStreak:
    length: int
    at_risk: bool  # today is not done yet, but yesterday's run can still go on
    start: date | None


@dataclass(frozen=True, slots=True)
class Totals:
    sessions: int
    minutes_held: float
    days_this_week: int
    days_this_month: int
    days_this_year: int
    per_stretch_s: dict[str, int] = field(default_factory=dict)
    per_side_s: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stats:
    today: date
    today_done: bool
    current: CurrentStreak
    longest: Streak | None
    best: tuple[Streak, ...]
    strength: float
    totals: Totals
    last_session_date: date | None


def done_days(sessions: Iterable[SessionRecord]) -> set[date]:
    return {session.date for session in sessions if session.counts}


def skipped_days(sessions: Iterable[SessionRecord], marked: Set[date]) -> set[date]:
    """Single-day gaps that never existed in the zone of the sessions around them.

    Such a day (Pacific/Apia skipped 2011-12-30 crossing the date line) bridges
    a streak like a rest day: nobody could have stretched on it.
    """
    from .days import day_exists

    zones_by_day: dict[date, set[str]] = {}
    for session in sessions:
        if session.tz:
            zones_by_day.setdefault(session.date, set()).add(session.tz)
    bridged = set()
    for day in marked:
        gap = day + ONE_DAY
        if gap in marked or gap + ONE_DAY not in marked:
            continue
        zones = zones_by_day.get(day, set()) | zones_by_day.get(gap + ONE_DAY, set())
        if any(not day_exists(gap, zone) for zone in zones):
            bridged.add(gap)
    return bridged


def current_streak(done: Set[date], rest: Set[date], today: date) -> CurrentStreak:
    day = today
    at_risk = False
    if day not in done and day not in rest:
        at_risk = True
        day -= ONE_DAY
    length = 0
    start = None
    while day in done or day in rest:
        if day in done:
            length += 1
            start = day
        day -= ONE_DAY
    return CurrentStreak(length, at_risk and length > 0, start)


def all_streaks(done: Set[date], rest: Set[date]) -> list[Streak]:
    """Every run of done days (bridged by rest days), in date order."""
    streaks = []
    run: list[date] = []
    previous = None
    for day in sorted(done | rest):
        if previous is not None and day - previous != ONE_DAY:
            streaks.extend(_run_to_streak(run, done))
            run = []
        run.append(day)
        previous = day
    streaks.extend(_run_to_streak(run, done))
    return streaks


def _run_to_streak(run: list[date], done: Set[date]) -> list[Streak]:
    done_in_run = [day for day in run if day in done]
    if not done_in_run:
        return []
    return [Streak(done_in_run[0], done_in_run[-1], len(done_in_run))]


def best_streaks(done: Set[date], rest: Set[date], count: int = 5) -> tuple[Streak, ...]:
    """The longest runs, longest first (the more recent first on a tie)."""
    ranked = sorted(all_streaks(done, rest), key=lambda s: (s.length, s.end), reverse=True)
    return tuple(ranked[:count])


def strength(done: Set[date], rest: Set[date], today: date, first_day: date | None = None) -> float:
    """Loop Habit Tracker's score for a daily habit, 0..1, as of the end of ``today``."""
    start = first_day if first_day is not None else min(done, default=None)
    if start is None or start > today:
        return 0.0
    score = 0.0
    multiplier = STRENGTH_MULTIPLIER
    day = start
    while day <= today:
        if day in done:
            score = score * multiplier + (1 - multiplier)
        elif day not in rest:
            score = score * multiplier
        day += ONE_DAY
    return score


def week_start(day: date, first_weekday: int = 0) -> date:
    """The first day of ``day``'s week; ``first_weekday`` 0 is Monday, 6 Sunday."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def totals(sessions: Iterable[SessionRecord], today: date, first_weekday: int = 0) -> Totals:
    sessions = list(sessions)
    done = done_days(sessions)
    monday = week_start(today, first_weekday)
    per_stretch: Counter[str] = Counter()
    per_side: Counter[str] = Counter()
    held = sum(session.duration_s for session in sessions)
    # Equal steps are shared records: count them first, then add up the few distinct ones.
    for step, times in Counter(chain.from_iterable(session.steps for session in sessions)).items():
        per_stretch[step.stretch] += step.held_s * times
        per_side[step.side] += step.held_s * times
    return Totals(
        sessions=sum(1 for s in sessions if s.counts),
        minutes_held=held / 60,
        days_this_week=sum(1 for d in done if monday <= d <= today),
        days_this_month=sum(1 for d in done if d.year == today.year and d.month == today.month and d <= today),
        days_this_year=sum(1 for d in done if d.year == today.year and d <= today),
        per_stretch_s=dict(per_stretch),
        per_side_s=dict(per_side),
    )


def compute_stats(
    sessions: Iterable[SessionRecord], rest: Set[date], today: date, first_weekday: int = 0
) -> Stats:
    """Everything the calendar, the session summary and ``hamstring status`` show."""
    sessions = list(sessions)
    done = done_days(sessions)
    rest = set(rest) | skipped_days(sessions, done | set(rest))
    best = best_streaks(done, rest)
    return Stats(
        today=today,
        today_done=today in done,
        current=current_streak(done, rest, today),
        longest=best[0] if best else None,
        best=best,
        strength=strength(done, rest, today),
        totals=totals(sessions, today, first_weekday),
        last_session_date=max((s.date for s in sessions), default=None),
    )
