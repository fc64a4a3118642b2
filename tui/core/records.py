"""Domain records stored in the history, and their validation.

Records travel as plain dicts (TinyDB documents, export files) and are used as
frozen dataclasses. ``*_from_dict`` functions validate everything and raise
:class:`RecordError`, whose message names the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

SOURCES = ("timer", "manual", "import")
SIDES = ("left", "right", "both")
MAX_DURATION_S = 24 * 3600
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IANA = re.compile(r"^[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*$")


class RecordError(ValueError):
    """A record failed validation; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"field '{field}': {problem}")


def parse_date(value: Any, field: str = "date") -> date:
    """A strict ``YYYY-MM-DD`` date (``date.fromisoformat`` alone also takes week dates)."""
    if not isinstance(value, str) or not _DATE.match(value):
        raise RecordError(field, f"must be a date like 2025-01-31, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RecordError(field, f"is not a real date: {value!r}") from None


def parse_timestamp(value: Any, field: str) -> datetime:
    """An ISO 8601 timestamp that carries its UTC offset."""
    if not isinstance(value, str) or len(value) > 40:
        raise RecordError(field, f"must be an ISO 8601 timestamp, not {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(field, f"must be an ISO 8601 timestamp, not {value!r}") from None
    if moment.tzinfo is None:  # fromisoformat gives a fixed offset whenever one is written
        raise RecordError(field, f"must include a UTC offset: {value!r}")
    return moment


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(field, f"must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise RecordError(field, f"must be from {low} to {high}, not {value}")
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise RecordError(field, f"must be true or false, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One hold within a session: a stretch on one side (or both legs).

    Immutable and hashable, so equal steps are shared (see :func:`steps_from_list`).
    """

    stretch: str
    side: str
    held_s: int
    skipped: bool

    def to_dict(self) -> dict[str, Any]:
        return {"stretch": self.stretch, "side": self.side, "held_s": self.held_s, "skipped": self.skipped}


_SIDE_SET = frozenset(SIDES)


_STEP_CACHE: dict[tuple[str, str, int, bool], StepRecord] = {}
_STEP_CACHE_LIMIT = 50_000


def steps_from_list(steps: list[Any]) -> tuple[StepRecord, ...]:
    """Validate a list of step dicts.

    A tight loop accepts the exact, common shape (this runs for every step of
    every session at load); anything else goes through :func:`step_from_dict`,
    which accepts or names the offending field. Equal steps share one
    (immutable) record: a ten-year history repeats the same few hundred.
    """
    built: list[StepRecord] = []
    append = built.append
    cache = _STEP_CACHE
    for raw in steps:
        try:
            if len(raw) != 4:
                break
            key = (raw["stretch"], raw["side"], raw["held_s"], raw["skipped"])
        except (TypeError, KeyError):
            break
        # Types first: True == 1 and 0 == False, so the cache alone cannot tell them apart.
        if type(key[0]) is not str or type(key[2]) is not int or type(key[3]) is not bool:
            break
        step = cache.get(key)
        if step is None:
            stretch, side, held, skipped = key
            if side not in _SIDE_SET or not 0 < len(stretch) <= 100 or not 0 <= held <= MAX_DURATION_S:
                break
            step = StepRecord(stretch, side, held, skipped)
            if len(cache) < _STEP_CACHE_LIMIT:
                cache[key] = step
        append(step)
    else:
        return tuple(built)
    return tuple(step_from_dict(raw, index) for index, raw in enumerate(steps))


def step_from_dict(raw: Any, index: int) -> StepRecord:
    prefix = f"steps[{index}]"
    if not isinstance(raw, Mapping):
        raise RecordError(prefix, "must be an object")
    for name in ("stretch", "side", "held_s", "skipped"):
        if name not in raw:
            raise RecordError(f"{prefix}.{name}", "is missing")
    stretch = raw["stretch"]
    if not isinstance(stretch, str) or not stretch or len(stretch) > 100:
        raise RecordError(f"{prefix}.stretch", f"must be a stretch id, not {stretch!r}")
    side = raw["side"]
    if side not in SIDES:
        raise RecordError(f"{prefix}.side", f"must be left, right or both, not {side!r}")
    return StepRecord(
        stretch=stretch,
        side=side,
        held_s=_int(raw["held_s"], f"{prefix}.held_s", 0, MAX_DURATION_S),
        skipped=_bool(raw["skipped"], f"{prefix}.skipped"),
    )


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One stretching session, finished or abandoned, as kept in the history."""

    id: str
    date: date
    started_at: datetime
    ended_at: datetime
    tz: str | None
    duration_s: int
    complete: bool
    source: str
    steps: tuple[StepRecord, ...] = field(default=())
    counts: bool = field(init=False, compare=False, repr=False)
    """Whether this session makes its day done: it reached the end and at least one
    hold was not skipped (a manual, step-less log counts when complete). Worked out
    once, as every streak and total asks it."""

    def __post_init__(self) -> None:
        counts = self.complete and (not self.steps or any(not step.skipped for step in self.steps))
        object.__setattr__(self, "counts", counts)

    @property
    def minutes(self) -> float:
        return self.duration_s / 60

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "tz": self.tz,
            "duration_s": self.duration_s,
            "complete": self.complete,
            "source": self.source,
            "steps": [step.to_dict() for step in self.steps],
        }


SESSION_FIELDS = ("id", "date", "started_at", "ended_at", "tz", "duration_s", "complete", "source", "steps")


def session_from_dict(raw: Any) -> SessionRecord:
    """Validate a session dict and build the record. Raises :class:`RecordError`."""
    if not isinstance(raw, Mapping):
        raise RecordError("session", "must be an object")
    for name in SESSION_FIELDS:
        if name not in raw:
            raise RecordError(name, "is missing")
    sid = raw["id"]
    if not isinstance(sid, str) or not _UUID.match(sid):
        raise RecordError("id", f"must be a UUID, not {sid!r}")
    started = parse_timestamp(raw["started_at"], "started_at")
    ended = parse_timestamp(raw["ended_at"], "ended_at")
    if ended < started:
        raise RecordError("ended_at", "is before started_at")
    tz = raw["tz"]
    if tz is not None and (not isinstance(tz, str) or len(tz) > 64 or not _IANA.match(tz)):
        raise RecordError("tz", f"must be a time zone name or null, not {tz!r}")
    source = raw["source"]
    if source not in SOURCES:
        raise RecordError("source", f"must be timer, manual or import, not {source!r}")
    steps = raw["steps"]
    if not isinstance(steps, list):
        raise RecordError("steps", "must be a list")
    if len(steps) > 1000:
        raise RecordError("steps", "has more than 1000 entries")
    return SessionRecord(
        id=sid.lower(),
        date=parse_date(raw["date"]),
        started_at=started,
        ended_at=ended,
        tz=tz,
        duration_s=_int(raw["duration_s"], "duration_s", 0, MAX_DURATION_S),
        complete=_bool(raw["complete"], "complete"),
        source=source,
        steps=steps_from_list(steps),
    )


def new_session_id() -> str:
    import uuid  # only needed when a session is made, not to read the history

    return str(uuid.uuid4())


def manual_session(day: date, minutes: int, now: datetime, tz: str | None) -> SessionRecord:
    """A complete session logged by hand for ``day`` (``now`` must be aware).

    Logged for today it ends now; for a past day it is placed at noon that day.
    """
    duration = minutes * 60
    end = now if day == now.date() else datetime.combine(day, time(12, 0), tzinfo=now.tzinfo)
    return SessionRecord(
        id=new_session_id(),
        date=day,
        started_at=end - timedelta(seconds=duration),
        ended_at=end,
        tz=tz,
        duration_s=duration,
        complete=True,
        source="manual",
        steps=(),
    )
