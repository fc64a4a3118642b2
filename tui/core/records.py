"""Domain records stored in the history, and their validation.

Records travel as plain dicts (TinyDB documents, export files) and are used as
frozen dataclasses. ``*_from_dict`` functions validate everything and raise
:class:`RecordError`, whose message names the field.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from . import rules
from .text import control_problem

SOURCES = ("timer", "manual", "import")
SIDES = ("left", "right", "both")
MAX_DURATION_S = 24 * 3600
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IANA = re.compile(r"^[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*$")
TZ_NAME_MAX = 64
STEP_STRETCH_MAX = 100


class RecordError(ValueError):
    """A record failed validation; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"field '{field}': {problem}")


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = 60
_SHOWN.maxother = 60


def _shown(value: Any) -> str:
    """A value for a one-line message: a short Python repr, control characters escaped."""
    return _SHOWN.repr(value)


def tz_name_ok(name: object) -> bool:
    """Whether a session's ``tz`` field may hold ``name`` (the pattern only: loading stays wide)."""
    return isinstance(name, str) and len(name) <= TZ_NAME_MAX and _IANA.match(name) is not None


def parse_date(value: Any, field: str = "date") -> date:
    """A strict ``YYYY-MM-DD`` date (``date.fromisoformat`` alone also takes week dates)."""
    if not isinstance(value, str) or not _DATE.match(value):
        raise RecordError(field, f"must be a date like 2025-01-31, not {_shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RecordError(field, f"is not a real date: {_shown(value)}") from None


def parse_timestamp(value: Any, field: str) -> datetime:
    """An ISO 8601 timestamp that carries its UTC offset."""
    if not isinstance(value, str) or len(value) > 40:
        raise RecordError(field, f"must be an ISO 8601 timestamp, not {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(field, f"must be an ISO 8601 timestamp, not {_shown(value)}") from None
    if moment.tzinfo is None:  # fromisoformat gives a fixed offset whenever one is written
        raise RecordError(field, f"must include a UTC offset: {_shown(value)}")
    return moment


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(field, f"must be a whole number, not {_shown(value)}")
    if not low <= value <= high:
        raise RecordError(field, f"must be from {low} to {high}, not {value}")
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise RecordError(field, f"must be true or false, not {_shown(value)}")
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
            if (
                side not in _SIDE_SET
                or not 0 < len(stretch) <= STEP_STRETCH_MAX
                or not 0 <= held <= MAX_DURATION_S
                or control_problem(stretch) is not None
            ):
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
    if not isinstance(stretch, str) or not stretch or len(stretch) > STEP_STRETCH_MAX:
        raise RecordError(f"{prefix}.stretch", f"must be a stretch id, not {_shown(stretch)}")
    problem = control_problem(stretch)
    if problem is not None:
        raise RecordError(f"{prefix}.stretch", problem)
    side = raw["side"]
    if side not in SIDES:
        raise RecordError(f"{prefix}.side", f"must be left, right or both, not {_shown(side)}")
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
    note: str | None = None
    """What the person wrote about it (at most 500 characters, one line); None: no note."""
    edited_at: datetime | None = None
    """When it was last changed after it was recorded (moved, a note); None: never.
    Between two versions of one session, sync keeps the later edit."""
    counts: bool = field(init=False, compare=False, repr=False)
    """Whether this session makes its day done: it is ``complete`` (hamstring now judges
    that when the session ends: the end reached and at least half the planned hold
    seconds held) and something was held: a hold not skipped, or one held for a while
    before it was skipped (a manual, step-less log counts when complete). A session
    whose every hold was skipped at once never counts, as before. Worked out once,
    as every streak and total asks it."""

    def __post_init__(self) -> None:
        counts = self.complete and (not self.steps or any(not step.skipped or step.held_s > 0 for step in self.steps))
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
            # Only when set: a session never edited is written as it always was.
            **({"note": self.note} if self.note is not None else {}),
            **({"edited_at": self.edited_at.isoformat()} if self.edited_at is not None else {}),
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
        raise RecordError("id", f"must be a UUID, not {_shown(sid)}")
    started = parse_timestamp(raw["started_at"], "started_at")
    ended = parse_timestamp(raw["ended_at"], "ended_at")
    if ended < started:
        raise RecordError("ended_at", "is before started_at")
    tz = raw["tz"]
    if tz is not None and not tz_name_ok(tz):
        raise RecordError("tz", f"must be a time zone name or null, not {_shown(tz)}")
    source = raw["source"]
    if source not in SOURCES:
        raise RecordError("source", f"must be timer, manual or import, not {_shown(source)}")
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
        note=_session_note(raw.get("note")),
        edited_at=None if raw.get("edited_at") is None else parse_timestamp(raw["edited_at"], "edited_at"),
    )


def _session_note(value: Any) -> str | None:
    """A session's optional note, by the check-in note's rule; an empty note is no note."""
    if value is None:
        return None
    from .checkins import check_note  # checkins builds on this module

    return check_note(value) or None


def new_session_id() -> str:
    import uuid  # only needed when a session is made, not to read the history

    return str(uuid.uuid4())


def validate_session(record: SessionRecord) -> SessionRecord:
    """``record`` exactly as loading it back would see it (raises :class:`RecordError`).

    Call it before writing a record: hamstring must never write what it would
    later refuse to read.
    """
    return session_from_dict(record.to_dict())


def _day_range(day: date, earliest: date, latest: date, what: str) -> None:
    if not earliest <= day <= latest:
        raise RecordError("date", f"{what} {day.isoformat()} is outside {earliest.isoformat()} to {latest.isoformat()}")


def _ahead(today: date, days: int) -> date:
    return today + timedelta(days=days) if date.max - today >= timedelta(days=days) else date.max


def check_session_date(day: date, today: date) -> date:
    """``day`` when a new or imported session may be dated so: 1970-01-01 to tomorrow.

    Raises :class:`RecordError` with a one-line message. Loading an existing
    history does not apply this (it takes any date a file can hold).
    """
    _day_range(day, date(rules.EARLIEST_YEAR, 1, 1), _ahead(today, rules.SESSION_DAYS_AHEAD), "a session's date")
    return day


def check_rest_date(day: date, today: date) -> date:
    """``day`` when a rest day may be marked or imported for it: 1970-01-01 to a year ahead."""
    _day_range(day, date(rules.EARLIEST_YEAR, 1, 1), _ahead(today, rules.REST_DAYS_AHEAD), "a rest day")
    return day


def manual_session(day: date, minutes: int, now: datetime, tz: str | None) -> SessionRecord:
    """A complete session logged by hand for ``day`` (``now`` must be aware).

    Logged for today it ends now; for another day it is placed at noon that day,
    in ``now``'s zone. A ``tz`` that a record cannot hold is stored as ``None``.
    The result is checked with :func:`validate_session`: :class:`RecordError`
    (never another exception) when it could not be stored.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise RecordError("started_at", "needs a clock that knows its UTC offset")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise RecordError("duration_s", f"minutes must be a whole number, not {_shown(minutes)}")
    if not rules.LOG_MINUTES_MIN <= minutes <= rules.LOG_MINUTES_MAX:
        raise RecordError(
            "duration_s", f"minutes must be from {rules.LOG_MINUTES_MIN} to {rules.LOG_MINUTES_MAX}, not {minutes}"
        )
    duration = minutes * 60
    try:
        end = now if day == now.date() else datetime.combine(day, time(12, 0), tzinfo=now.tzinfo)
        start = end - timedelta(seconds=duration)
    except OverflowError:
        raise RecordError("started_at", f"cannot be placed on {day.isoformat()}") from None
    record = SessionRecord(
        id=new_session_id(),
        date=day,
        started_at=start,
        ended_at=end,
        tz=tz if tz_name_ok(tz) else None,
        duration_s=duration,
        complete=True,
        source="manual",
        steps=(),
    )
    return validate_session(record)
