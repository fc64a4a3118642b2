"""The digest of a history: what the calendar, the header and ``status`` show.

Ten years of sessions are about 10 MB of JSON and 60 MiB once parsed, yet
everything on the Calendar is a function of a few numbers per day. A
:class:`Digest` keeps exactly those, in arrays of day ordinals (4 or 8 bytes a
day), plus the totals that need the steps (time per stretch and per side).
The settings are not part of it (they live in ``settings.json``, so changing
one never makes the digest stale); :meth:`HistoryStore.digest` fills in
:attr:`Digest.settings` with the settings as they are.

It is saved next to the history as ``history.json.digest`` together with the
identity (inode, size, mtime, ctime) of the ``history.json`` it was computed
from, so the app and ``status`` can start without parsing the history. It is
only a cache: when the identity differs or the file cannot be read, the
history is loaded in full (with all its checks and recovery) and a new digest
is written. Every write of the history replaces the file, so changes its
identity.
"""

from __future__ import annotations

import binascii
import json
import operator
import os
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Set
from datetime import date
from itertools import islice

from .values import Value

TYPE_CHECKING = False  # not typing's: `status` reads the digest on every shell prompt
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from .records import SessionRecord

VERSION = 4  # 3: no settings in the file; 4: a session judged complete counts even if its holds were cut with n
SUFFIX = ".digest"
MAX_ORDINAL = date.max.toordinal()
CODE = "i"  # days and per-day numbers as 4-byte integers (ordinals end at 3,652,059)
MAX_VALUE = 2**31 - 1


class DaySet(Set[date]):
    """An immutable set of days stored as a sorted array of ordinals."""

    __slots__ = ("_ordinals",)

    def __init__(self, days: Iterable[date] = ()) -> None:
        self._ordinals = array(CODE, sorted({day.toordinal() for day in days}))

    @classmethod
    def from_ordinals(cls, ordinals: Iterable[int]) -> DaySet:
        """From ordinals already sorted and distinct."""
        found = cls.__new__(cls)
        found._ordinals = array(CODE, ordinals)
        return found

    @classmethod
    def _from_iterable(cls, iterable: Iterable[date]) -> DaySet:  # type: ignore[override]  # sets of days make sets of days
        return cls(iterable)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        ordinal = day.toordinal()
        ordinals = self._ordinals
        index = bisect_left(ordinals, ordinal)
        return index < len(ordinals) and ordinals[index] == ordinal

    def __iter__(self) -> Iterator[date]:
        return map(date.fromordinal, self._ordinals)

    def __len__(self) -> int:
        return len(self._ordinals)

    def __or__(self, other: Iterable[Any]) -> DaySet:
        if isinstance(other, DaySet):
            return DaySet.from_ordinals(sorted(set(self._ordinals).union(other._ordinals)))
        return DaySet([*self, *other])

    __ror__ = __or__

    def __hash__(self) -> int:
        return hash(self._ordinals.tobytes())

    def __repr__(self) -> str:
        return f"DaySet({len(self)} days)"

    @property
    def ordinals(self) -> array[int]:
        return self._ordinals

    def count_between(self, start: date, end: date) -> int:
        """How many days fall within ``start..end`` (inclusive)."""
        return bisect_right(self._ordinals, end.toordinal()) - bisect_left(self._ordinals, start.toordinal())

    def without(self, day: date) -> DaySet:
        return DaySet.from_ordinals(o for o in self._ordinals if o != day.toordinal())


class DayValues(Mapping[date, int]):
    """An immutable mapping of days to small integers, as two parallel arrays."""

    __slots__ = ("_ordinals", "_values")

    def __init__(self, values: Mapping[date, int] | None = None) -> None:
        items = sorted((day.toordinal(), value) for day, value in (values or {}).items())
        self._ordinals = array(CODE, (ordinal for ordinal, _ in items))
        self._values = array(CODE, (value for _, value in items))

    @classmethod
    def from_arrays(cls, ordinals: Iterable[int], values: Iterable[int]) -> DayValues:
        found = cls.__new__(cls)
        found._ordinals = array(CODE, ordinals)
        found._values = array(CODE, values)
        if len(found._ordinals) != len(found._values):
            raise ValueError("days and values differ in length")
        return found

    def __getitem__(self, day: date) -> int:
        ordinal = day.toordinal()
        index = bisect_left(self._ordinals, ordinal)
        if index < len(self._ordinals) and self._ordinals[index] == ordinal:
            return self._values[index]
        raise KeyError(day)

    def __iter__(self) -> Iterator[date]:
        return map(date.fromordinal, self._ordinals)

    def __len__(self) -> int:
        return len(self._ordinals)


NO_DAYS = DaySet()
NO_VALUES = DayValues()


class Digest(Value):
    """Per day and in total, what the history adds up to."""

    __slots__ = (
        "bridged",
        "counting_sessions",
        "done",
        "logged",
        "per_side_s",
        "per_stretch_s",
        "rest",
        "seconds",
        "seconds_held",
        "settings",
    )
    done: DaySet  # days with a session that counts
    logged: DayValues  # sessions per day, counting or not
    seconds: DayValues  # seconds held per day
    rest: DaySet  # planned rest days
    bridged: DaySet  # days that never existed in the sessions' zone
    counting_sessions: int
    seconds_held: int
    per_stretch_s: dict[str, int]
    per_side_s: dict[str, int]
    settings: dict[str, Any]  # not saved; see the module's text

    def __init__(
        self,
        done: DaySet = NO_DAYS,
        logged: DayValues = NO_VALUES,
        seconds: DayValues = NO_VALUES,
        rest: DaySet = NO_DAYS,
        bridged: DaySet = NO_DAYS,
        counting_sessions: int = 0,
        seconds_held: int = 0,
        per_stretch_s: dict[str, int] | None = None,
        per_side_s: dict[str, int] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self._fill(
            done=done,
            logged=logged,
            seconds=seconds,
            rest=rest,
            bridged=bridged,
            counting_sessions=counting_sessions,
            seconds_held=seconds_held,
            per_stretch_s={} if per_stretch_s is None else per_stretch_s,
            per_side_s={} if per_side_s is None else per_side_s,
            settings={} if settings is None else settings,
        )

    @property
    def last_session_date(self) -> date | None:
        return date.fromordinal(self.logged._ordinals[-1]) if len(self.logged) else None

    @property
    def resting(self) -> DaySet:
        """Days that neither break nor extend a streak: rest days, and days that never existed."""
        return self.rest | self.bridged

    @property
    def partial(self) -> DaySet:
        """Days with sessions of which none counts."""
        done = self.done
        return DaySet.from_ordinals(o for o in self.logged._ordinals if date.fromordinal(o) not in done)


def digest_of(
    sessions: Iterable[SessionRecord], rest_days: Iterable[date], settings: Mapping[str, Any] | None = None
) -> Digest:
    """The digest of parsed sessions (see :class:`tui.core.store.HistorySnapshot`)."""
    from collections import Counter
    from itertools import chain

    from .streaks import skipped_days

    sessions = list(sessions)
    done = {s.date for s in sessions if s.counts}
    logged = Counter(s.date for s in sessions)
    totals: dict[date, int] = {}
    total = totals.get
    for session in sessions:
        totals[session.date] = total(session.date, 0) + session.duration_s
    seconds = {day: min(MAX_VALUE, value) for day, value in totals.items()}  # durations are never negative
    per_stretch: Counter[str] = Counter()
    per_side: Counter[str] = Counter()
    # Equal steps are mostly shared records: count them by identity first (no hashing of
    # their fields), then add up the few distinct ones.
    steps = list(chain.from_iterable(session.steps for session in sessions))
    distinct = dict(zip(map(id, steps), steps, strict=True))
    for key, times in Counter(map(id, steps)).items():
        step = distinct[key]
        per_stretch[step.stretch] += step.held_s * times
        per_side[step.side] += step.held_s * times
    rest = set(rest_days)
    return Digest(
        done=DaySet(done),
        logged=DayValues(logged),
        seconds=DayValues(seconds),
        rest=DaySet(rest),
        bridged=DaySet(skipped_days(sessions, done | rest)),
        counting_sessions=sum(1 for s in sessions if s.counts),
        seconds_held=sum(totals.values()),
        per_stretch_s=dict(per_stretch),
        per_side_s=dict(per_side),
        settings=dict(settings or {}),
    )


# -- the file next to the history -------------------------------------------------------
def path_for(history: Path) -> Path:
    return history.with_name(history.name + SUFFIX)


def identity(history: str | os.PathLike[str]) -> list[int] | None:
    try:
        stat = os.stat(history)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def read_fresh(history: str | os.PathLike[str], schema: int, current: list[int] | None = None) -> Digest | None:
    """The saved digest if it belongs to the history file as it is now, else None.

    ``schema`` is the history schema this hamstring writes: a digest of a file
    in another schema is never trusted (the full load decides what to do).
    """
    current = current if current is not None else identity(history)
    if current is None:
        return None
    try:
        with open(os.fspath(history) + SUFFIX, "rb") as file:  # path_for, without loading pathlib
            raw = json.loads(file.read())
        if raw.get("version") != VERSION or raw.get("identity") != current or raw.get("schema") != schema:
            return None
        return from_json(raw)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return None


def _pack(ordinals: array[int]) -> str:
    """Day ordinals (or values) as base64 of 4-byte little-endian integers: compact to
    store, and read back without making a Python object per day."""
    packed = array("i", ordinals)
    if sys.byteorder != "little":
        packed.byteswap()
    return binascii.b2a_base64(packed.tobytes(), newline=False).decode("ascii")


def _unpack(text: Any) -> array[int]:
    if not isinstance(text, str):
        raise TypeError("not a packed array")
    data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    if len(data) % 4:
        raise ValueError("packed array of a wrong length")
    unpacked = array("i")
    unpacked.frombytes(data)
    if sys.byteorder != "little":
        unpacked.byteswap()
    return unpacked


#: More sessions than anyone records (one a minute for 20 years): a digest claiming more is damaged.
MAX_SESSIONS = 10**7


def from_json(raw: Mapping[str, Any]) -> Digest:
    """Raises ``ValueError``, ``KeyError`` or ``TypeError`` for a malformed digest."""

    def days(key: str) -> DaySet:
        ordinals = _unpack(raw[key])
        if ordinals and not 1 <= ordinals[0] <= ordinals[-1] <= MAX_ORDINAL:
            raise ValueError(f"{key} holds a day outside the calendar")
        if not all(map(operator.lt, ordinals, islice(ordinals, 1, None))):
            raise ValueError(f"{key} is not a sorted list of days")
        return DaySet.from_ordinals(ordinals)

    logged_days = days("logged_days")

    def counts(name: str) -> dict[str, int]:
        value = raw[name]
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in value.items()):
            raise TypeError(f"{name} is not a map of counts")
        return dict(value)

    def count(name: str, high: int) -> int:
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            raise ValueError(f"{name} is not a count from 0 to {high}")
        return value

    return Digest(
        done=days("done"),
        logged=DayValues.from_arrays(logged_days.ordinals, _unpack(raw["logged"])),
        seconds=DayValues.from_arrays(logged_days.ordinals, _unpack(raw["seconds"])),
        rest=days("rest"),
        bridged=days("bridged"),
        counting_sessions=count("counting_sessions", MAX_SESSIONS),
        seconds_held=count("seconds_held", MAX_SESSIONS * 24 * 3600),
        per_stretch_s=counts("per_stretch_s"),
        per_side_s=counts("per_side_s"),
    )


def to_json(digest: Digest, file_identity: list[int], schema: int) -> bytes:
    payload = {
        "version": VERSION,
        "identity": list(file_identity),
        "schema": schema,
        "done": _pack(digest.done.ordinals),
        "logged_days": _pack(digest.logged._ordinals),
        "logged": _pack(digest.logged._values),
        "seconds": _pack(digest.seconds._values),
        "rest": _pack(digest.rest.ordinals),
        "bridged": _pack(digest.bridged.ordinals),
        "counting_sessions": digest.counting_sessions,
        "seconds_held": digest.seconds_held,
        "per_stretch_s": digest.per_stretch_s,
        "per_side_s": digest.per_side_s,
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def write(history: Path, file_identity: list[int] | None, digest: Digest, schema: int) -> None:
    """Save the digest for the history file that had ``file_identity`` (best effort)."""
    if file_identity is None:
        return
    from contextlib import suppress

    from .files import StorageWriteError, atomic_write_bytes

    # Only a cache: when it cannot be saved, the next start computes it again.
    with suppress(OSError, StorageWriteError, TypeError, ValueError):
        atomic_write_bytes(path_for(history), to_json(digest, file_identity, schema))
