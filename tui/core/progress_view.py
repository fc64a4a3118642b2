"""What the Progress screen and the check-in dialog pass around: plain data, no widgets.

:class:`ProgressData` is everything the Progress screen draws from (the app builds
it with :meth:`tui.core.service.HistoryService.progress_data`; tests build it by
hand). :class:`CheckInAnswer` is what the check-in dialog gives back: the caller
turns it into a :class:`~tui.core.checkins.CheckIn` (with
:func:`~tui.core.checkins.new_checkin`) and saves it.
"""

from __future__ import annotations

import random
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .checkins import PAIN_MAX, CheckIn, Measurement, check_note, new_checkin, new_measurement

WEEK_SPANS = (4, 12, 52)
"""The weeks the Progress screen's pain chart can show; a key cycles through them."""


@dataclass(frozen=True, slots=True)
class ProgressData:
    """The check-ins, measurements and done days the Progress screen shows, as of ``today``."""

    today: date
    checkins: tuple[CheckIn, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    done_days: Set[date] = field(default_factory=frozenset)
    week_start: int = 0  # 0 Monday .. 6 Sunday

    @property
    def empty(self) -> bool:
        """Nothing recorded yet that the charts could show."""
        return not self.checkins and not self.measurements


def next_span(weeks: int) -> int:
    """The span after ``weeks`` in :data:`WEEK_SPANS` (back to the first after the last)."""
    if weeks not in WEEK_SPANS:
        return WEEK_SPANS[0]
    return WEEK_SPANS[(WEEK_SPANS.index(weeks) + 1) % len(WEEK_SPANS)]


@dataclass(frozen=True, slots=True)
class CheckInAnswer:
    """A check-in as given in the dialog: pain 0..10, stiffness 0..10 or None, a note or None."""

    pain: int
    stiffness: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        for name, value in (("pain", self.pain), ("stiffness", self.stiffness)):
            if value is None and name == "stiffness":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PAIN_MAX:
                raise ValueError(f"{name} must be from 0 to {PAIN_MAX}, not {value!r}")
        if self.note is not None:
            object.__setattr__(self, "note", check_note(self.note) or None)


def sample_progress_data(today: date, weeks: int = 12, seed: int = 15) -> ProgressData:
    """A made-up but plausible history for the screenshots, snapshots and the bench:
    ``weeks`` weeks of sessions on most days, a check-in every other day with pain
    easing from about 6 to about 3, and a sit-and-reach and both straight-leg raises
    every two weeks. The same arguments give the same data."""
    rnd = random.Random(seed)
    recorded = datetime.combine(today, time(20, 0), tzinfo=UTC)
    days = weeks * 7
    checkins: list[CheckIn] = []
    measurements: list[Measurement] = []
    done: set[date] = set()
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        progress = 1 - back / days  # 0 at the start, 1 today
        if rnd.random() < 0.55 + 0.35 * progress:
            done.add(day)
        if back % 2 == 0:
            pain = round(6 - 3 * progress + rnd.uniform(-1.2, 1.2))
            stiffness = round(5 - 2 * progress + rnd.uniform(-1, 1))
            checkins.append(
                new_checkin(day, max(0, min(10, pain)), max(0, min(10, stiffness)), None, recorded, today=today)
            )
        if back % 14 == 0:
            for kind, value, side in (
                ("sit-and-reach", -9 + 8 * progress, None),
                ("slr", 58 + 20 * progress, "left"),
                ("slr", 54 + 18 * progress, "right"),
            ):
                measurements.append(new_measurement(day, kind, round(value, 1), side, recorded, today=today))
    return ProgressData(today, tuple(checkins), tuple(measurements), frozenset(done), 0)
