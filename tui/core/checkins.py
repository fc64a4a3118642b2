"""Check-ins (back pain and stiffness for a day) and measurements, and their validation.

Both travel as plain dicts (history documents, export files) and are used as
frozen dataclasses, like :mod:`tui.core.records`. ``*_from_dict`` validate
everything and raise :class:`~tui.core.records.RecordError`; the ``new_*``
builders take what a person typed (on the command line or in a dialog) and
raise :class:`InputError`, a ``RecordError`` whose ``str()`` is one line such
as ``pain must be from 0 to 10, not 11``.

Dates: nothing before 1970. A future date is refused where a person enters it
(the builders, and ``*_from_dict`` when given ``today``), never when the
history is read back, so a clock set back does not reject what was written.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .records import RecordError, new_session_id, parse_date, parse_timestamp

PAIN_MAX = 10
NOTE_MAX = 500
EARLIEST = date(1970, 1, 1)
KINDS = ("sit-and-reach", "slr")
MEASURE_SIDES = ("left", "right")
RANGES: dict[str, tuple[float, float, str]] = {
    "sit-and-reach": (-50.0, 80.0, "cm"),
    "slr": (0.0, 150.0, "degrees"),
}
CHECKIN_FIELDS = ("id", "date", "pain", "stiffness", "note", "recorded_at")
MEASUREMENT_FIELDS = ("id", "date", "kind", "value", "side", "recorded_at")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_WHOLE = re.compile(r"^[+-]?\d{1,6}$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,6}(?:\.\d*)?|\.\d+)$")
# Line and paragraph separators break a line like a newline; the bidirectional
# embeddings, overrides and isolates reorder what is shown (a "Trojan source" note).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InputError(RecordError):
    """Bad input from a person; ``str()`` is one line: ``pain must be from 0 to 10, not 11``."""

    def __str__(self) -> str:
        return f"{self.field} {self.problem}"


def _shown(value: Any) -> str:
    """A value for an error message: quoted with escapes, never over 40 characters."""
    try:
        text = repr(value)
    except ValueError:  # an int past Python's 4300-digit string limit
        return "a number too large to show"
    return text if len(text) <= 40 else text[:37] + "..."


# -- field rules ------------------------------------------------------------------------------
def check_note(text: Any, field: str = "note") -> str:
    """A note (on a check-in or a session): surrounding whitespace stripped, at most
    500 characters, no control characters, line breaks or bidirectional controls.

    The result may be empty; callers store an empty note as no note.
    """
    if not isinstance(text, str):
        raise RecordError(field, f"must be text, not {_shown(text)}")
    stripped = text.strip()
    if len(stripped) > NOTE_MAX:
        raise RecordError(field, f"must be at most {NOTE_MAX} characters, not {len(stripped)}")
    for char in stripped:
        if char in _BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise RecordError(field, f"must not contain control characters or line breaks (U+{ord(char):04X})")
    return stripped


def _optional_note(value: Any, field: str = "note") -> str | None:
    if value is None:
        return None
    return check_note(value, field) or None


def check_day(day: date, today: date | None = None, field: str = "date") -> date:
    """``day`` is 1970-01-01 or later and, when ``today`` is given, not after it."""
    if day < EARLIEST:
        raise RecordError(field, f"must be {EARLIEST.isoformat()} or later, not {day.isoformat()}")
    if today is not None and day > today:
        raise RecordError(field, f"must not be in the future, not {day.isoformat()} (today is {today.isoformat()})")
    return day


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        raise RecordError("id", f"must be a UUID, not {_shown(value)}")
    return value.lower()


def _score(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(field, f"must be a whole number from 0 to {PAIN_MAX}, not {_shown(value)}")
    if not 0 <= value <= PAIN_MAX:
        raise RecordError(field, f"must be from 0 to {PAIN_MAX}, not {_shown(value)}")
    return value


def _optional_score(value: Any, field: str) -> int | None:
    return None if value is None else _score(value, field)


def _value(kind: str, value: Any) -> float:
    low, high, unit = RANGES[kind]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(kind, f"must be a number of {unit}, not {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise RecordError(kind, f"must be a number of {unit}, not {value!r}")
    if not low <= value <= high:  # before float(): a huge int would overflow it
        shown = f"{value:g}" if isinstance(value, float) else _shown(value)
        raise RecordError(kind, f"must be from {low:g} to {high:g} {unit}, not {shown}")
    number = float(value)
    if round(number, 1) != number:
        raise RecordError(kind, f"must have at most one decimal, not {number!r}")
    return number


def _kind(value: Any) -> str:
    if value not in KINDS:
        raise RecordError("kind", f"must be sit-and-reach or slr, not {_shown(value)}")
    return str(value)


def _side(kind: str, value: Any) -> str | None:
    if kind == "slr":
        if value is None:
            raise RecordError("side", "is required for slr: left or right")
        if value not in MEASURE_SIDES:
            raise RecordError("side", f"must be left or right for slr, not {_shown(value)}")
        return str(value)
    if value is not None:
        raise RecordError("side", f"must be left out for {kind}, not {_shown(value)}")
    return None


def _fields(raw: Any, what: str, names: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise RecordError(what, "must be an object")
    for name in names:
        if name not in raw:
            raise RecordError(name, "is missing")
    return raw


# -- records ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CheckIn:
    """How the back felt on a day: pain 0..10, stiffness 0..10 or not given, a note."""

    id: str
    date: date
    pain: int
    stiffness: int | None
    note: str | None
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "pain": self.pain,
            "stiffness": self.stiffness,
            "note": self.note,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Measurement:
    """A flexibility measurement: sit-and-reach in cm, or a straight-leg raise in degrees on one side."""

    id: str
    date: date
    kind: str
    value: float
    side: str | None
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "value": self.value,
            "side": self.side,
            "recorded_at": self.recorded_at.isoformat(),
        }


def checkin_from_dict(raw: Any, *, today: date | None = None) -> CheckIn:
    """Validate a check-in dict (unknown keys are ignored). Raises ``RecordError``."""
    raw = _fields(raw, "checkin", CHECKIN_FIELDS)
    return CheckIn(
        id=_uuid(raw["id"]),
        date=check_day(parse_date(raw["date"]), today),
        pain=_score(raw["pain"], "pain"),
        stiffness=_optional_score(raw["stiffness"], "stiffness"),
        note=_optional_note(raw["note"]),
        recorded_at=parse_timestamp(raw["recorded_at"], "recorded_at"),
    )


def measurement_from_dict(raw: Any, *, today: date | None = None) -> Measurement:
    """Validate a measurement dict (unknown keys are ignored). Raises ``RecordError``."""
    raw = _fields(raw, "measurement", MEASUREMENT_FIELDS)
    kind = _kind(raw["kind"])
    return Measurement(
        id=_uuid(raw["id"]),
        date=check_day(parse_date(raw["date"]), today),
        kind=kind,
        value=_value(kind, raw["value"]),
        side=_side(kind, raw["side"]),
        recorded_at=parse_timestamp(raw["recorded_at"], "recorded_at"),
    )


def _newness(checkin: CheckIn) -> tuple[datetime, str, int, int, str, float]:
    """Orders the check-ins of a day: by time, then id; the rest only makes even
    duplicated ids (never written by hamstring) come out the same in any order."""
    offset = checkin.recorded_at.utcoffset()
    return (
        checkin.recorded_at,
        checkin.id,
        checkin.pain,
        -1 if checkin.stiffness is None else checkin.stiffness,
        checkin.note or "",
        0.0 if offset is None else offset.total_seconds(),
    )


def latest_per_day(checkins: Iterable[CheckIn]) -> dict[date, CheckIn]:
    """The check-in that counts for each day, oldest day first: a later check-in on the
    same day replaces an earlier one (newest ``recorded_at``; equal times, the larger id)."""
    latest: dict[date, CheckIn] = {}
    for checkin in checkins:
        held = latest.get(checkin.date)
        if held is None or _newness(checkin) > _newness(held):
            latest[checkin.date] = checkin
    return dict(sorted(latest.items()))


# -- builders for what a person types -----------------------------------------------------------
def _as_input(error: RecordError) -> InputError:
    return InputError(error.field, error.problem)


def _typed_day(day: date | str | None, now: datetime, today: date | None) -> date:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    today = now.date() if today is None else today
    if day is None:
        day = today
    elif isinstance(day, str):
        day = parse_date(day.strip())
    return check_day(day, today)


def _typed_score(value: int | str, field: str) -> int:
    if isinstance(value, str):
        if not _WHOLE.match(value.strip()):
            raise RecordError(field, f"must be a whole number from 0 to {PAIN_MAX}, not {_shown(value)}")
        value = int(value.strip())
    return _score(value, field)


def _typed_value(kind: str, value: float | str) -> float:
    if isinstance(value, str):
        if not _NUMBER.match(value.strip()):
            raise RecordError(kind, f"must be a number of {RANGES[kind][2]}, not {_shown(value)}")
        value = float(value.strip())
    if isinstance(value, float) and math.isfinite(value):
        value = round(value, 1)
    return _value(kind, value)


def new_checkin(
    day: date | str | None,
    pain: int | str,
    stiffness: int | str | None,
    note: str | None,
    now: datetime,
    *,
    today: date | None = None,
) -> CheckIn:
    """A new check-in for ``day`` (``None``: today) recorded ``now`` (aware).

    ``today`` is the day ``now`` counts for (after the day-start shift), by default
    ``now.date()``. Numbers may be given as typed text. Raises :class:`InputError`.
    """
    try:
        return CheckIn(
            id=new_session_id(),
            date=_typed_day(day, now, today),
            pain=_typed_score(pain, "pain"),
            stiffness=None if stiffness is None else _typed_score(stiffness, "stiffness"),
            note=_optional_note(note),
            recorded_at=now,
        )
    except RecordError as error:
        raise _as_input(error) from None


def new_measurement(
    day: date | str | None,
    kind: str,
    value: float | str,
    side: str | None,
    now: datetime,
    *,
    today: date | None = None,
) -> Measurement:
    """A new measurement for ``day`` (``None``: today) recorded ``now`` (aware).

    The value is rounded to one decimal. Raises :class:`InputError`.
    """
    try:
        kind = _kind(kind)
        return Measurement(
            id=new_session_id(),
            date=_typed_day(day, now, today),
            kind=kind,
            value=_typed_value(kind, value),
            side=_side(kind, side),
            recorded_at=now,
        )
    except RecordError as error:
        raise _as_input(error) from None
