"""The running session, saved at every phase change so a crash loses nothing.

``current-session.json`` sits beside the history. It holds the timer's
snapshot and what the session record needs (id, start time, zone, day). It is
written atomically; the next start offers to resume or discard it.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import StorageWriteError, atomic_write_bytes

if TYPE_CHECKING:
    from .records import SessionRecord

FILENAME = "current-session.json"


@dataclass(frozen=True, slots=True)
class Interrupted:
    """A session that was running when hamstring stopped."""

    session_id: str
    routine: str
    started_at: datetime
    tz: str | None
    day: date
    timer: dict[str, Any]

    @property
    def finished(self) -> bool:
        return self.timer.get("phase") == "done"

    def describe(self) -> str:
        plan = self.timer.get("plan", [])
        index = int(self.timer.get("index", 0))
        where = plan[index]["name"] if 0 <= index < len(plan) else "?"
        return f"the {self.routine} routine started {self.started_at:%a %d %b %H:%M}, at step {index + 1} of {len(plan)} ({where})"


def path_in(data_dir: Path) -> Path:
    return data_dir / FILENAME


def save(
    data_dir: Path,
    session_id: str,
    routine: str,
    started_at: datetime,
    tz: str | None,
    day: date,
    timer: dict[str, Any],
) -> None:
    """Write the snapshot; raises :class:`StorageWriteError` when it cannot be saved."""
    payload = {
        "session_id": session_id,
        "routine": routine,
        "started_at": started_at.isoformat(),
        "tz": tz,
        "date": day.isoformat(),
        "timer": timer,
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path_in(data_dir), json.dumps(payload).encode("utf-8"))


def load(data_dir: Path) -> Interrupted | None:
    """The interrupted session, or ``None``; raises ``ValueError`` for an unreadable file."""
    path = path_in(data_dir)
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} cannot be read: {error}") from None
    from .records import RecordError, parse_date, parse_timestamp

    try:
        return Interrupted(
            session_id=str(raw["session_id"]),
            routine=str(raw["routine"]),
            started_at=parse_timestamp(raw["started_at"], "started_at"),
            tz=raw.get("tz") if isinstance(raw.get("tz"), str) else None,
            day=parse_date(raw["date"]),
            timer=dict(raw["timer"]),
        )
    except (KeyError, TypeError, ValueError, RecordError) as error:
        raise ValueError(f"{path} is not a saved session: {error}") from None


def clear(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_in(data_dir).unlink()


def record_from(interrupted: Interrupted, steps: tuple, ended_at: datetime, complete: bool) -> SessionRecord:
    from .records import SessionRecord

    return SessionRecord(
        id=interrupted.session_id,
        date=interrupted.day,
        started_at=interrupted.started_at,
        ended_at=max(ended_at, interrupted.started_at),
        tz=interrupted.tz,
        duration_s=sum(step.held_s for step in steps),
        complete=complete,
        source="timer",
        steps=steps,
    )


__all__ = ["FILENAME", "Interrupted", "StorageWriteError", "clear", "load", "path_in", "record_from", "save"]
