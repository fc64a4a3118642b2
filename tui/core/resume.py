"""The running session, saved at every phase change so a crash loses nothing.

``current-session.json`` sits beside the history. It holds the timer's
snapshot, what the session record needs (id, start time, zone, day) and its
owner (the process id and a token of the copy running it). It is written
atomically; the next start offers to resume or discard it.

A running session is owned by its process: the copy running it holds
``current-session.json.lock`` (see :class:`SessionClaim`) from the start to
the moment the history has it. Another copy cannot take that lock, so it never
offers to resume a session that is still running. The lock belongs to the open
file, so a copy that dies (even by SIGKILL) gives it back.

Everything read from the file is checked against exactly the shape written
(:func:`parse`); anything else is a ``ValueError`` with a one-line message,
and the file is moved aside byte for byte (:func:`set_aside`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import StorageWriteError as StorageWriteError  # raised by save(); named here for callers
from .files import atomic_write_bytes
from .text import json_reason

if TYPE_CHECKING:
    from .records import SessionRecord, StepRecord

FILENAME = "current-session.json"
LOCK_SUFFIX = ".lock"
ASIDE_SUFFIX = ".unreadable"
MAX_BYTES = 1 << 20
MAX_STEPS = 1000
MAX_TEXT = 200
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FIELDS = {"session_id", "routine", "started_at", "tz", "date", "timer"}
OWNER_FIELD = "owner"
TIMER_FIELDS = {"version", "plan", "holds", "results", "index", "phase", "elapsed", "complete"}


@dataclass(frozen=True, slots=True)
class Owner:
    """The copy of hamstring running a session: its process id and a token of that run."""

    pid: int
    token: str


@dataclass(frozen=True, slots=True)
class Interrupted:
    """A session that was running when hamstring stopped."""

    session_id: str
    routine: str
    started_at: datetime
    tz: str | None
    day: date
    timer: dict[str, Any]
    owner: Owner | None = None

    @property
    def finished(self) -> bool:
        return bool(self.timer["phase"] == "done")

    def describe(self) -> str:
        plan = self.timer["plan"]
        index = int(self.timer["index"])
        where = plan[index]["name"]
        return f"the {self.routine} routine started {self.started_at:%a %d %b %H:%M}, at step {index + 1} of {len(plan)} ({where})"


@dataclass(frozen=True, slots=True)
class Resumable:
    """What the start-up found in ``current-session.json``."""

    interrupted: Interrupted | None = None
    notice: str | None = None  # a one-line message for the user, if any


def path_in(data_dir: Path) -> Path:
    return data_dir / FILENAME


# -- checking ---------------------------------------------------------------------------
def _text(value: Any, name: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty) or len(value) > MAX_TEXT:
        raise ValueError(f"'{name}' is not a short text")
    if _CONTROL.search(value):
        raise ValueError(f"'{name}' holds control characters")
    return value


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"'{name}' is not a whole number from {low} to {high}")
    return value


def _exact(raw: Any, fields: set[str], name: str, optional: frozenset[str] = frozenset()) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"'{name}' is not an object")
    keys = set(raw)
    if not fields <= keys or not keys <= fields | optional:
        raise ValueError(f"'{name}' does not have exactly the fields written")
    return raw


def check_timer(raw: Any) -> dict[str, Any]:
    """The timer snapshot, checked by the timer's own loader (one rule for what a
    snapshot may hold, every version it ever wrote) plus the text rules of this file."""
    from .timer_state import load_state

    timer = _exact(raw, TIMER_FIELDS, "timer")
    try:
        state = load_state(dict(timer))
    except (KeyError, TypeError) as error:
        raise ValueError(f"the timer snapshot is incomplete ({error})") from None
    if len(state.plan) > MAX_STEPS:
        raise ValueError(f"'plan' has more than {MAX_STEPS} steps")
    for step in state.plan:
        _text(step.stretch, "stretch")
        _text(step.name, "name")
        if step.position is not None:
            _text(step.position, "position")
    return dict(timer)


def parse(raw: Any) -> Interrupted:
    """An :class:`Interrupted` from the decoded JSON, or ``ValueError`` (one line)."""
    from .days import local_now
    from .records import RecordError, check_session_date, parse_date, parse_timestamp

    payload = _exact(raw, FIELDS, "session", frozenset({OWNER_FIELD}))
    session_id = payload["session_id"]
    if not isinstance(session_id, str) or not _UUID.match(session_id):
        raise ValueError("'session_id' is not a session id")
    tz = payload["tz"]
    if tz is not None:
        tz = _text(tz, "tz")
    owner = None
    if OWNER_FIELD in payload:
        raw_owner = _exact(payload[OWNER_FIELD], {"pid", "token"}, "owner")
        owner = Owner(_whole(raw_owner["pid"], "pid", 1, 2**31), _text(raw_owner["token"], "token"))
    try:
        started_at = parse_timestamp(payload["started_at"], "started_at")
        day = check_session_date(parse_date(payload["date"]), local_now().date())
    except RecordError as error:
        raise ValueError(str(error)) from None
    return Interrupted(
        session_id=session_id,
        routine=_text(payload["routine"], "routine"),
        started_at=started_at,
        tz=tz,
        day=day,
        timer=check_timer(payload["timer"]),
        owner=owner,
    )


def decode(data: bytes) -> Interrupted:
    """Any bytes: the interrupted session, or ``ValueError`` with a one-line reason."""
    if len(data) > MAX_BYTES:
        raise ValueError("it is too large to be a saved session")
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as error:
        reason = json_reason(error.msg) if isinstance(error, json.JSONDecodeError) else type(error).__name__
        raise ValueError(f"it is not valid JSON ({reason})") from None
    return parse(raw)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def payload_of(interrupted: Interrupted) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "session_id": interrupted.session_id,
        "routine": interrupted.routine,
        "started_at": interrupted.started_at.isoformat(),
        "tz": interrupted.tz,
        "date": interrupted.day.isoformat(),
        "timer": interrupted.timer,
    }
    if interrupted.owner is not None:
        payload[OWNER_FIELD] = {"pid": interrupted.owner.pid, "token": interrupted.owner.token}
    return payload


# -- the file -------------------------------------------------------------------------------
def save(
    data_dir: Path,
    session_id: str,
    routine: str,
    started_at: datetime,
    tz: str | None,
    day: date,
    timer: dict[str, Any],
    owner: Owner | None = None,
) -> None:
    """Write the snapshot, checked first (hamstring never writes what it would refuse).

    Raises ``ValueError`` for a snapshot that does not check, :class:`StorageWriteError`
    (an ``OSError``) when it cannot be written.
    """
    interrupted = Interrupted(session_id, routine, started_at, tz, day, timer, owner)
    data = json.dumps(payload_of(interrupted)).encode("utf-8")
    decode(data)
    data_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path_in(data_dir), data)


def load(data_dir: Path) -> Interrupted | None:
    """The interrupted session, or ``None``; raises ``ValueError`` for an unreadable file."""
    path = path_in(data_dir)
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ValueError(f"{path} cannot be read: {error.strerror or error}") from None
    try:
        return decode(data)
    except ValueError as error:
        raise ValueError(f"{path} is not a saved session: {error}") from None


def set_aside(data_dir: Path) -> Path | None:
    """Move an unreadable file out of the way, byte for byte, never over an earlier one.

    Returns where it went, or None when it could not be moved.
    """
    path = path_in(data_dir)
    for number in range(1, 100):
        aside = path.with_name(path.name + ASIDE_SUFFIX + ("" if number == 1 else f"-{number}"))
        if aside.exists() or aside.is_symlink():
            continue
        try:
            os.rename(path, aside)
        except OSError:
            return None
        return aside
    return None


def clear(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_in(data_dir).unlink()


def clear_if(data_dir: Path, session_id: str) -> None:
    """Remove the file when it still holds ``session_id`` (or cannot be read at all)."""
    try:
        found = load(data_dir)
    except ValueError:
        return
    if found is not None and found.session_id == session_id:
        clear(data_dir)


class SessionClaim:
    """``current-session.json.lock``: held by the copy that runs (or resumes) a session."""

    def __init__(self, data_dir: Path) -> None:
        from .lock import FileLock

        self.path = path_in(data_dir).with_name(FILENAME + LOCK_SUFFIX)
        self._lock = FileLock(self.path, timeout=0)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def take(self) -> bool:
        """Take the claim now if no other copy holds it. An unusable lock file (a
        read-only place) counts as taken: there is then no other copy to keep out."""
        from .lock import LockTimeout

        if self._lock.is_locked:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire(0)
        except LockTimeout:
            return False
        except OSError:
            return True
        return True

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self._lock.release()


def timed_record(
    session_id: str,
    day: date,
    started_at: datetime,
    ended_at: datetime,
    tz: str | None,
    steps: tuple[StepRecord, ...],
    complete: bool,
) -> SessionRecord:
    """The history record of a timed session (the one place one is built).

    Checked as the history will check it; a zone name the history would refuse
    (a POSIX rule in ``TZ``) is left out rather than written.
    """
    from .records import SessionRecord

    record = SessionRecord(
        id=session_id,
        date=day,
        started_at=started_at,
        ended_at=max(ended_at, started_at),
        tz=tz,
        duration_s=sum(step.held_s for step in steps),
        complete=complete,
        source="timer",
        steps=steps,
    )
    return checked(record)


def checked(record: SessionRecord) -> SessionRecord:
    """``record`` as the history will read it back, checked before it is written.

    A zone name the history would refuse (a POSIX rule in ``TZ``) is left out
    rather than written; anything else wrong raises ``RecordError``.
    """
    from .records import RecordError, session_from_dict

    try:
        return session_from_dict(record.to_dict())
    except RecordError as error:
        if error.field != "tz":
            raise
    return session_from_dict({**record.to_dict(), "tz": None})


def record_from(
    interrupted: Interrupted, steps: tuple[StepRecord, ...], ended_at: datetime, complete: bool
) -> SessionRecord:
    return timed_record(
        interrupted.session_id, interrupted.day, interrupted.started_at, ended_at, interrupted.tz, steps, complete
    )
