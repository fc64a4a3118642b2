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

from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from .values import Value

TYPE_CHECKING = False  # not typing's: `status` imports this module (see tui.core.values)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence, Set

    from .digest import Digest
    from .records import SessionRecord

STRENGTH_MULTIPLIER = 0.5 ** (1 / 13)
ONE_DAY = timedelta(days=1)
_FIRST = date.min.toordinal()
_LAST = date.max.toordinal()


class Streak(Value):
    __slots__ = ("end", "length", "start")
    start: date
    end: date
    length: int  # done days in the run (rest days bridge but do not count)

    def __init__(self, start: date, end: date, length: int) -> None:
        self._fill(start=start, end=end, length=length)


class CurrentStreak(Value):
    __slots__ = ("at_risk", "length", "start")
    length: int
    at_risk: bool  # today is not done yet, but yesterday's run can still go on
    start: date | None

    def __init__(self, length: int, at_risk: bool, start: date | None) -> None:
        self._fill(length=length, at_risk=at_risk, start=start)


class Totals(Value):
    __slots__ = (
        "days_this_month",
        "days_this_week",
        "days_this_year",
        "minutes_held",
        "per_side_s",
        "per_stretch_s",
        "seconds_held",
        "sessions",
    )
    sessions: int
    minutes_held: float
    days_this_week: int
    days_this_month: int
    days_this_year: int
    per_stretch_s: dict[str, int]
    per_side_s: dict[str, int]
    seconds_held: int  # the exact figure behind minutes_held: show it with text.format_minutes

    def __init__(
        self,
        sessions: int,
        minutes_held: float,
        days_this_week: int,
        days_this_month: int,
        days_this_year: int,
        per_stretch_s: dict[str, int] | None = None,
        per_side_s: dict[str, int] | None = None,
        seconds_held: int = 0,
    ) -> None:
        self._fill(
            sessions=sessions,
            minutes_held=minutes_held,
            days_this_week=days_this_week,
            days_this_month=days_this_month,
            days_this_year=days_this_year,
            per_stretch_s={} if per_stretch_s is None else per_stretch_s,
            per_side_s={} if per_side_s is None else per_side_s,
            seconds_held=seconds_held,
        )


class Stats(Value):
    __slots__ = (
        "best",
        "current",
        "last_session_date",
        "longest",
        "streak_days",
        "strength",
        "today",
        "today_done",
        "totals",
    )
    today: date
    today_done: bool
    current: CurrentStreak
    longest: Streak | None
    best: tuple[Streak, ...]
    strength: float
    totals: Totals
    last_session_date: date | None
    streak_days: Set[date]  # every day inside a run of two or more done days

    def __init__(
        self,
        today: date,
        today_done: bool,
        current: CurrentStreak,
        longest: Streak | None,
        best: tuple[Streak, ...],
        strength: float,
        totals: Totals,
        last_session_date: date | None,
        streak_days: Set[date] = frozenset(),
    ) -> None:
        self._fill(
            today=today,
            today_done=today_done,
            current=current,
            longest=longest,
            best=best,
            strength=strength,
            totals=totals,
            last_session_date=last_session_date,
            streak_days=streak_days,
        )


def skipped_days(sessions: Iterable[SessionRecord], marked: Set[date]) -> set[date]:
    """Single-day gaps that never existed in the zone of the sessions around them.

    Such a day (Pacific/Apia skipped 2011-12-30 crossing the date line) bridges
    a streak like a rest day: nobody could have stretched on it.
    """
    from .days import day_exists

    gaps = []
    for day in marked:
        if day.toordinal() + 2 > _LAST:
            continue  # no gap and day after it within the dates a file can hold
        gap = day + ONE_DAY
        if gap not in marked and gap + ONE_DAY in marked:
            gaps.append(gap)
    if not gaps:
        return set()
    around = {gap - ONE_DAY for gap in gaps} | {gap + ONE_DAY for gap in gaps}
    zones_by_day: dict[date, set[str]] = {}
    for session in sessions:
        if session.tz and session.date in around:
            zones_by_day.setdefault(session.date, set()).add(session.tz)
    bridged = set()
    for gap in gaps:
        zones = zones_by_day.get(gap - ONE_DAY, set()) | zones_by_day.get(gap + ONE_DAY, set())
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


def _runs(done: Set[date], rest: Set[date]) -> list[tuple[int, int, int]]:
    """Every run of done days (bridged by rest days) as ``(length, first, last)``, the
    first and last done days as ordinals, in date order."""
    done_ordinals = _ordinals(done)
    rest_ordinals = _ordinals(rest)
    days = sorted(set(done_ordinals).union(rest_ordinals)) if rest_ordinals else done_ordinals
    # Where a run breaks: a day that is not the day after the one before it.
    breaks = [index for index in range(1, len(days)) if days[index] != days[index - 1] + 1]
    runs = []
    for begin, stop in zip([0, *breaks], [*breaks, len(days)], strict=True):
        if begin == stop:
            continue  # no days at all
        first_done = bisect_left(done_ordinals, days[begin])
        after_done = bisect_right(done_ordinals, days[stop - 1])
        if after_done > first_done:  # not a run of rest days alone
            runs.append((after_done - first_done, done_ordinals[first_done], done_ordinals[after_done - 1]))
    return runs


def all_streaks(done: Set[date], rest: Set[date]) -> list[Streak]:
    """Every run of done days (bridged by rest days), in date order."""
    return [
        Streak(date.fromordinal(first), date.fromordinal(last), length) for length, first, last in _runs(done, rest)
    ]


def best_streaks(done: Set[date], rest: Set[date], count: int = 5) -> tuple[Streak, ...]:
    """The longest runs, longest first (the more recent first on a tie)."""
    best = sorted(_runs(done, rest), key=lambda run: (run[0], run[2]), reverse=True)[:count]
    return tuple(Streak(date.fromordinal(first), date.fromordinal(last), length) for length, first, last in best)


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
    # A rest day is left out of the count, as if it had not been; a done day that is
    # also a rest day counts as done.
    resting = _ordinals(rest)
    if resting:
        resting = sorted(set(resting).difference(done_ordinals))
    score = 0.0
    multiplier = STRENGTH_MULTIPLIER
    gain = 1 - multiplier
    # Walk only the done days; the missed days since the one before decay the score
    # day by day, as a loop over every day would, but without one (a history may
    # hold year 1 and year 9999).
    previous = start - 1  # the last day scored
    for ordinal in done_ordinals[bisect_left(done_ordinals, start) : bisect_right(done_ordinals, end)]:
        missed = ordinal - previous - 1
        if missed and resting:
            missed -= bisect_left(resting, ordinal) - bisect_right(resting, previous)
        if missed:
            score = _decayed(score, multiplier, missed)
        score = score * multiplier + gain
        previous = ordinal
    missed = end - previous
    if resting:
        missed -= bisect_right(resting, end) - bisect_right(resting, previous)
    return _decayed(score, multiplier, missed)


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
