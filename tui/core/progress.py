"""Progress: weekly pain and days done, the plain-words sentence, chart series and the text table.

Everything here is a pure function of the check-ins, the done days and
``today`` (the day the local clock counts for), so the Progress screen, the
``hamstring progress`` command and the tests all see the same figures. Only the
latest check-in of a day counts (:func:`~tui.core.checkins.latest_per_day`) and
nothing after ``today``. The wording states figures only: it never reads as
advice or as a verdict on health.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from .checkins import KINDS, CheckIn, Measurement, latest_per_day

WINDOW_DAYS = 28
"""The sentence compares 4-week windows."""
MIN_CHECKINS = 3
"""A 4-week average needs at least this many check-ins in the window."""
BAR_WIDTH = 30
"""Columns of the pain bar in :func:`progress_table` for pain 10 (3 per point)."""
EMPTY_SENTENCE = (
    "No check-ins yet: after a session, rate your back pain from 0 to 10, or run `hamstring checkin --pain N`."
)


@dataclass(frozen=True, slots=True)
class Week:
    """One week of progress: ``start`` is its first day; averages are exact (unrounded)."""

    start: date
    days_done: int
    pain_avg: float | None
    stiffness_avg: float | None
    checkins: int


def round1(value: float) -> float:
    """``value`` to one decimal, halves away from zero on the decimal written (2.25 -> 2.3)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def first_day_of_week(day: date, first_weekday: int) -> date:
    """The first day of ``day``'s week; ``first_weekday`` 0 is Monday .. 6 Sunday."""
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def weekly_progress(
    checkins: Iterable[CheckIn],
    done_days: Iterable[date],
    *,
    today: date,
    weeks: int,
    week_start: int,
) -> list[Week]:
    """The last ``weeks`` weeks, oldest first, the week holding ``today`` last.

    Weeks begin on ``week_start`` (0 Monday .. 6 Sunday, as :mod:`calendar`). A week
    counts the distinct done days and the day's latest check-in, up to ``today``.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, not {weeks}")
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be from 0 to 6, not {week_start}")
    current = first_day_of_week(today, week_start)
    first = current - timedelta(days=7 * (weeks - 1))
    done = [0] * weeks
    for day in set(done_days):
        if first <= day <= today:
            done[(day - first).days // 7] += 1
    pains: list[list[int]] = [[] for _ in range(weeks)]
    stiffness: list[list[int]] = [[] for _ in range(weeks)]
    for day, checkin in latest_per_day(c for c in checkins if first <= c.date <= today).items():
        index = (day - first).days // 7
        pains[index].append(checkin.pain)
        if checkin.stiffness is not None:
            stiffness[index].append(checkin.stiffness)
    return [
        Week(
            start=first + timedelta(days=7 * index),
            days_done=done[index],
            pain_avg=_mean(pains[index]),
            stiffness_avg=_mean(stiffness[index]),
            checkins=len(pains[index]),
        )
        for index in range(weeks)
    ]


def _side_key(side: str | None) -> str:
    return side or ""


def _measurement_order(measurement: Measurement) -> tuple[date, str, str, datetime, str]:
    return (measurement.date, measurement.kind, _side_key(measurement.side), measurement.recorded_at, measurement.id)


def progress_json(weeks: Iterable[Week], measurements: Iterable[Measurement]) -> dict[str, Any]:
    """What ``hamstring progress --json`` prints: averages to one decimal, measurements
    sorted by date, kind and side."""
    return {
        "weeks": [
            {
                "start": week.start.isoformat(),
                "days_done": week.days_done,
                "pain_avg": None if week.pain_avg is None else round1(week.pain_avg),
                "stiffness_avg": None if week.stiffness_avg is None else round1(week.stiffness_avg),
                "checkins": week.checkins,
            }
            for week in weeks
        ],
        "measurements": [
            {"date": m.date.isoformat(), "kind": m.kind, "side": m.side, "value": round1(m.value)}
            for m in sorted(measurements, key=_measurement_order)
        ],
    }


# -- the sentence -----------------------------------------------------------------------------
def _count(number: int) -> str:
    return f"{number} check-in" if number == 1 else f"{number} check-ins"


def _figure(values: Sequence[int]) -> str:
    return f"{round1(sum(values) / len(values)):.1f}"


def _pains(latest: dict[date, CheckIn], first: date, last: date) -> list[int]:
    return [checkin.pain for day, checkin in latest.items() if first <= day <= last]


def progress_sentence(checkins: Iterable[CheckIn], done_days: Iterable[date], today: date) -> str:
    """One sentence of figures about back pain over time, for the Progress screen and the shell.

    In order of preference: the 4 weeks before the first session against the last
    4 weeks (or, when the first session is recent, the days since it); the first
    4 weeks of check-ins against the last 4; the last 4 weeks alone; then what
    little there is. A 4-week figure needs :data:`MIN_CHECKINS` check-ins. The
    count in brackets is the number of check-ins behind the figures given.
    """
    latest = {day: c for day, c in latest_per_day(checkins).items() if day <= today}
    if not latest:
        return EMPTY_SENTENCE
    recent_start = today - timedelta(days=WINDOW_DAYS - 1)
    recent = _pains(latest, recent_start, today)
    done = [day for day in done_days if day <= today]
    first_session = min(done, default=None)
    if first_session is not None:
        before = _pains(latest, first_session - timedelta(days=WINDOW_DAYS), first_session - timedelta(days=1))
        if len(before) >= MIN_CHECKINS:
            if first_session <= recent_start:
                after, words = recent, "in the last 4 weeks"
            else:
                after, words = _pains(latest, first_session, today), "since then"
            if len(after) >= MIN_CHECKINS:
                return (
                    f"Average pain {_figure(before)} in the 4 weeks before your first session, "
                    f"{_figure(after)} {words} ({_count(len(before) + len(after))})."
                )
    first_checkin = next(iter(latest))
    early_end = first_checkin + timedelta(days=WINDOW_DAYS - 1)
    early = _pains(latest, first_checkin, early_end)
    if early_end < recent_start and len(early) >= MIN_CHECKINS and len(recent) >= MIN_CHECKINS:
        return (
            f"Average pain {_figure(early)} in your first 4 weeks of check-ins, "
            f"{_figure(recent)} in the last 4 weeks ({_count(len(early) + len(recent))})."
        )
    if len(recent) >= MIN_CHECKINS:
        return f"Average pain {_figure(recent)} in the last 4 weeks ({_count(len(recent))})."
    if recent:
        figure = f"pain {recent[0]}" if len(recent) == 1 else f"average pain {_figure(recent)}"
        return (
            f"Only {_count(len(recent))} in the last 4 weeks ({figure}); "
            f"a 4-week average needs at least {MIN_CHECKINS}."
        )
    day, checkin = next(reversed(latest.items()))
    return (
        f"No check-ins in the last 4 weeks; the latest, on {day.isoformat()}, had pain {checkin.pain} "
        f"({_count(len(latest))} in all)."
    )


# -- chart series -----------------------------------------------------------------------------
def pain_series(weeks: Iterable[Week]) -> list[tuple[date, float]]:
    """(week start, average pain) for the weeks that have a check-in."""
    return [(week.start, week.pain_avg) for week in weeks if week.pain_avg is not None]


def done_series(weeks: Iterable[Week]) -> list[tuple[date, int]]:
    """(week start, days done) for every week."""
    return [(week.start, week.days_done) for week in weeks]


def measurement_series(measurements: Iterable[Measurement], kind: str) -> dict[str | None, list[tuple[date, float]]]:
    """The points of one kind, oldest first: for ``slr`` a ``"left"`` and a ``"right"``
    series (both always present), for ``sit-and-reach`` one series under ``None``."""
    if kind not in KINDS:
        raise ValueError(f"unknown measurement kind {kind!r}")
    series: dict[str | None, list[tuple[date, float]]] = {"left": [], "right": []} if kind == "slr" else {None: []}
    for measurement in sorted(measurements, key=_measurement_order):
        if measurement.kind == kind and measurement.side in series:
            series[measurement.side].append((measurement.date, measurement.value))
    return series


# -- the text table ---------------------------------------------------------------------------
_EIGHTHS = " ▏▎▍▌▋▊▉"


def pain_bar(pain: float | None, style: Literal["ascii", "unicode"] = "ascii") -> str:
    """A bar of pain 0..10 over :data:`BAR_WIDTH` columns: ``#`` or Unicode blocks."""
    if pain is None:
        return ""
    cells = min(max(pain, 0.0), 10.0) * BAR_WIDTH / 10
    if style == "ascii":
        return "#" * int(Decimal(repr(cells)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    eighths = int(Decimal(repr(cells * 8)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    full, part = divmod(eighths, 8)
    return ("█" * full + _EIGHTHS[part]).rstrip()


def progress_table(weeks: Iterable[Week], style: Literal["ascii", "unicode"] = "ascii") -> list[str]:
    """The weekly table ``hamstring progress`` prints, at most 73 columns wide:
    week start, days done, average pain, check-ins and a pain bar (0 to 10)."""
    lines = [f"{'Week of':<10}  {'Days done':>9}  {'Pain':>4}  {'Check-ins':>9}  Pain 0-10"]
    for week in weeks:
        pain = "-" if week.pain_avg is None else f"{round1(week.pain_avg):.1f}"
        bar = pain_bar(week.pain_avg, style)
        lines.append(
            f"{week.start.isoformat():<10}  {week.days_done:>9}  {pain:>4}  {week.checkins:>9}  {bar}".rstrip()
        )
    return lines
