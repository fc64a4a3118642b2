"""Deterministic, realistic session records for tests, benchmarks and reliability runs.

``make_sessions(3650, end=...)`` gives ten years of a daily routine: mostly one
session a day, some missed days, some days with two, a few abandoned runs;
``make_checkins(3650, end=...)`` ten years of daily check-ins.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .records import SessionRecord, StepRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .checkins import CheckIn

ROUTINE = (
    ("reclined-strap-stretch", True, 30),
    ("active-forward-fold", False, 45),
    ("half-splits", True, 30),
    ("active-leg-raise", True, 30),
    ("downward-dog", False, 45),
    ("pyramid-pose", True, 30),
    ("seated-forward-fold", False, 60),
)


def _steps(rng: random.Random, complete: bool) -> tuple[StepRecord, ...]:
    steps = []
    for stretch, one_sided, hold in ROUTINE:
        for side in ("left", "right") if one_sided else ("both",):
            skipped = rng.random() < 0.03
            held = 0 if skipped else max(1, hold + rng.randint(-3, 5))
            steps.append(StepRecord(stretch=stretch, side=side, held_s=held, skipped=skipped))
    if not complete:
        steps = steps[: rng.randint(1, len(steps) - 1)]
    return tuple(steps)


def make_session(rng: random.Random, day: date, tz_name: str = "Europe/Berlin") -> SessionRecord:
    """One realistic timer session on ``day`` (seeded by ``rng``)."""
    zone = ZoneInfo(tz_name)
    start_local = datetime.combine(day, time(rng.choice((6, 7, 7, 8, 12, 18, 21)), rng.randint(0, 59)), tzinfo=zone)
    complete = rng.random() > 0.04
    steps = _steps(rng, complete)
    held = sum(step.held_s for step in steps)
    transitions = 5 * len(steps)
    started = start_local.astimezone(UTC).astimezone(zone)
    return SessionRecord(
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        date=day,
        started_at=started,
        ended_at=started + timedelta(seconds=held + transitions),
        tz=tz_name,
        duration_s=held,
        complete=complete,
        source="timer",
        steps=steps,
    )


def make_sessions(count: int, end: date, seed: int = 1, tz_name: str = "Europe/Berlin") -> list[SessionRecord]:
    """``count`` sessions on days up to ``end``, oldest first."""
    rng = random.Random(seed)
    days: list[date] = []
    day = end
    while len(days) < count:
        roll = rng.random()
        if roll < 0.08:  # a missed day
            day -= timedelta(days=1)
            continue
        days.append(day)
        if roll > 0.97 and len(days) < count:  # two sessions that day
            days.append(day)
        day -= timedelta(days=1)
    days.reverse()
    sessions = [make_session(rng, d, tz_name) for d in days]
    sessions.sort(key=lambda s: (s.date, s.started_at))
    return sessions


def make_checkins(count: int, end: date, seed: int = 1) -> list[CheckIn]:
    """``count`` daily check-ins on the days up to ``end``, oldest first: pain easing
    over the years, stiffness most days, a short note now and then."""
    from .checkins import CheckIn

    rng = random.Random(seed)
    checkins = []
    for back in range(count - 1, -1, -1):
        day = end - timedelta(days=back)
        trend = 7 - 5 * (count - back) / max(count, 1)
        pain = max(0, min(10, round(trend + rng.gauss(0, 1.5))))
        checkins.append(
            CheckIn(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                date=day,
                pain=pain,
                stiffness=max(0, min(10, pain + rng.randint(-2, 2))) if rng.random() < 0.8 else None,
                note=rng.choice(("tight after sitting", "better", "stiff morning")) if rng.random() < 0.1 else None,
                recorded_at=datetime.combine(day, time(21, rng.randint(0, 59)), tzinfo=UTC),
            )
        )
    return checkins
