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

from bisect import bisect_left
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .digest import Digest
    from .records import SessionRecord

STRENGTH_MULTIPLIER = 0.5 ** (1 / 13)
ONE_DAY = timedelta(days=1)
_FIRST = date.min.toordinal()
_LAST = date.max.toordinal()


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
    seconds_held: int = 0  # the exact figure behind minutes_held: show it with text.format_minutes


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
    streak_days: Set[date] = frozenset()  # every day inside a run of two or more done days


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
        if day.toordinal() + 2 > _LAST:
            continue  # no gap and day after it within the dates a file can hold
        gap = day + ONE_DAY
        if gap in marked or gap + ONE_DAY not in marked:
            continue
        zones = zones_by_day.get(day, set()) | zones_by_day.get(gap + ONE_DAY, set())
        if any(not day_exists(gap, zone) for zone in zones):
            bridged.add(gap)
    return bridged


def current_streak(done: Set[date], rest: Set[date], today: date) -> CurrentStreak:
    ordinal = today.toordinal()
    at_risk = False
    if today not in done and today not in rest:
        at_risk = True
        ordinal -= 1
    length = 0
    start = None
    while ordinal >= _FIRST:  # the first day a date can hold ends every run
        day = date.fromordinal(ordinal)
        if day in done:
            length += 1
            start = day
        elif day not in rest:
            break
        ordinal -= 1
    return CurrentStreak(length, at_risk and length > 0, start)


def _ordinals(days: Set[date]) -> Sequence[int]:
    """The days as sorted ordinals (a :class:`DaySet` has them already)."""
    from .digest import DaySet

    if isinstance(days, DaySet):
        return days.ordinals
    return sorted(day.toordinal() for day in days)


def all_streaks(done: Set[date], rest: Set[date]) -> list[Streak]:
    """Every run of done days (bridged by rest days), in date order."""
    from heapq import merge

    done_ordinals = _ordinals(done)
    streaks = []
    first = last = length = 0
    previous = None
    next_done = 0  # index of the first done day not behind us
    for ordinal in merge(done_ordinals, _ordinals(rest)):
        if ordinal == previous:
            continue  # a done day that is also a rest day
        if previous is not None and ordinal != previous + 1:
            if length:
                streaks.append(Streak(date.fromordinal(first), date.fromordinal(last), length))
            length = 0
        while next_done < len(done_ordinals) and done_ordinals[next_done] < ordinal:
            next_done += 1
        if next_done < len(done_ordinals) and done_ordinals[next_done] == ordinal:
            if not length:
                first = ordinal
            last = ordinal
            length += 1
        previous = ordinal
    if length:
        streaks.append(Streak(date.fromordinal(first), date.fromordinal(last), length))
    return streaks


def best_streaks(done: Set[date], rest: Set[date], count: int = 5) -> tuple[Streak, ...]:
    """The longest runs, longest first (the more recent first on a tie)."""
    return longest_of(all_streaks(done, rest), count)


def longest_of(runs: Iterable[Streak], count: int = 5) -> tuple[Streak, ...]:
    return tuple(sorted(runs, key=lambda s: (s.length, s.end), reverse=True)[:count])


def strength(done: Set[date], rest: Set[date], today: date, first_day: date | None = None) -> float:
    """Loop Habit Tracker's score for a daily habit, 0..1, as of the end of ``today``."""
    done_ordinals = _ordinals(done)
    if first_day is not None:
        start = first_day.toordinal()
    elif done_ordinals:
        start = done_ordinals[0]
    else:
        return 0.0
    end = today.toordinal()
    if start > end:
        return 0.0
    rest_ordinals = _ordinals(rest)
    score = 0.0
    multiplier = STRENGTH_MULTIPLIER
    gain = 1 - multiplier
    # Walk only the done and rest days (with a finger in each sorted list); the
    # missed days between them decay the score day by day, as a loop over every
    # day would, but without one (a history may hold year 1 and year 9999).
    next_done = bisect_left(done_ordinals, start)
    next_rest = bisect_left(rest_ordinals, start)
    ordinal = start  # the next day not yet scored
    while True:
        upcoming_done = done_ordinals[next_done] if next_done < len(done_ordinals) else end + 1
        upcoming_rest = rest_ordinals[next_rest] if next_rest < len(rest_ordinals) else end + 1
        marked = min(upcoming_done, upcoming_rest, end + 1)
        score = _decayed(score, multiplier, marked - ordinal)
        if marked > end:
            return score
        if marked == upcoming_done:
            score = score * multiplier + gain
            next_done += 1
        # else a rest day leaves the score as it is
        if marked == upcoming_rest:
            next_rest += 1
        ordinal = marked + 1


def _decayed(score: float, multiplier: float, days: int) -> float:
    """``score`` after ``days`` missed days: multiplied by ``multiplier`` once per day.

    Day by day while it matters (so short gaps give exactly the per-day loop's
    figure); a long gap takes the score below any float, to 0.
    """
    if days > 20_000:
        return 0.0
    for _ in range(days):
        score *= multiplier
        if not score:
            break
    return score


def week_start(day: date, first_weekday: int = 0) -> date:
    """The first day of ``day``'s week; ``first_weekday`` 0 is Monday, 6 Sunday.

    The first week a date can hold starts on 0001-01-01 whatever the weekday.
    """
    back = (day.weekday() - first_weekday) % 7
    return date.fromordinal(max(_FIRST, day.toordinal() - back))


def totals(digest: Digest, today: date, first_weekday: int = 0) -> Totals:
    done = digest.done
    return Totals(
        sessions=digest.counting_sessions,
        minutes_held=digest.seconds_held / 60,
        days_this_week=done.count_between(week_start(today, first_weekday), today),
        days_this_month=done.count_between(today.replace(day=1), today),
        days_this_year=done.count_between(today.replace(month=1, day=1), today),
        per_stretch_s=dict(digest.per_stretch_s),
        per_side_s=dict(digest.per_side_s),
        seconds_held=digest.seconds_held,
    )


def stats_from_digest(digest: Digest, today: date, first_weekday: int = 0) -> Stats:
    """Everything the calendar, the session summary and ``hamstring status`` show."""
    from array import array

    from .digest import DaySet

    done = digest.done
    rest = digest.resting
    runs = all_streaks(done, rest)
    best = longest_of(runs)
    streak_days = array("i")
    for run in runs:
        if run.length > 1:
            streak_days.extend(range(run.start.toordinal(), run.end.toordinal() + 1))
    return Stats(
        today=today,
        today_done=today in done,
        current=current_streak(done, rest, today),
        longest=best[0] if best else None,
        best=best,
        strength=strength(done, rest, today),
        totals=totals(digest, today, first_weekday),
        last_session_date=digest.last_session_date,
        streak_days=DaySet.from_ordinals(streak_days),
    )


def compute_stats(sessions: Iterable[SessionRecord], rest: Set[date], today: date, first_weekday: int = 0) -> Stats:
    """The statistics of parsed sessions (through their digest)."""
    from .digest import digest_of

    return stats_from_digest(digest_of(sessions, rest, {}), today, first_weekday)
