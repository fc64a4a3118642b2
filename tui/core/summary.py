"""A small summary of the history, so `hamstring status` need not parse it all.

``history.json.summary`` holds the days done, the rest days, the counts and
the settings that streaks need, together with the identity (inode, size,
mtime, ctime) of the ``history.json`` it was computed from. It is only a
cache: when the identity differs, or the summary cannot be read, the caller
loads the history in full (with all its checks and recovery) and writes a new
one. Every write of the history replaces the file and so changes its identity.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

VERSION = 1
SUFFIX = ".summary"


@dataclass(frozen=True, slots=True)
class Summary:
    done: frozenset[date]
    rest: frozenset[date]  # rest days, and days that never existed in the sessions' zone
    total_sessions: int
    last_session_date: date | None
    settings: dict[str, Any]


def path_for(history: Path) -> Path:
    return history.with_name(history.name + SUFFIX)


def identity(history: Path) -> list[int] | None:
    try:
        stat = os.stat(history)
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def read_fresh(history: Path) -> Summary | None:
    """The summary if it belongs to the history file as it is now, else None."""
    current = identity(history)
    if current is None:
        return None
    try:
        raw = json.loads(path_for(history).read_bytes())
        if raw.get("version") != VERSION or raw.get("identity") != current:
            return None
        return Summary(
            done=frozenset(date.fromisoformat(d) for d in raw["done"]),
            rest=frozenset(date.fromisoformat(d) for d in raw["rest"]),
            total_sessions=int(raw["total_sessions"]),
            last_session_date=date.fromisoformat(raw["last_session_date"]) if raw["last_session_date"] else None,
            settings=dict(raw["settings"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(history: Path, file_identity: list[int] | None, summary: Summary) -> None:
    """Save the summary for the history file that had ``file_identity`` (best effort)."""
    if file_identity is None:
        return
    from .storage import StorageWriteError, atomic_write_bytes

    payload = {
        "version": VERSION,
        "identity": list(file_identity),
        "done": sorted(d.isoformat() for d in summary.done),
        "rest": sorted(d.isoformat() for d in summary.rest),
        "total_sessions": summary.total_sessions,
        "last_session_date": summary.last_session_date.isoformat() if summary.last_session_date else None,
        "settings": summary.settings,
    }
    try:
        atomic_write_bytes(path_for(history), json.dumps(payload, separators=(",", ":")).encode())
    except (OSError, StorageWriteError):
        pass  # only a cache: the next status computes it again


def summarise(sessions: Any, rest_days: frozenset[date], settings: dict[str, Any]) -> Summary:
    """The summary of a loaded history (see :class:`tui.core.store.HistorySnapshot`)."""
    from .streaks import done_days, skipped_days

    done = done_days(sessions)
    rest = set(rest_days) | skipped_days(sessions, done | set(rest_days))
    return Summary(
        done=frozenset(done),
        rest=frozenset(rest),
        total_sessions=sum(1 for s in sessions if s.counts),
        last_session_date=max((s.date for s in sessions), default=None),
        settings=dict(settings),
    )
