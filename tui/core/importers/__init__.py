"""Importers of other trackers' histories: Loop Habit Tracker (backup .db or CSV zip) and harsh.

Each reads its file read-only and returns an :class:`ImportSource` for one habit, or raises
:class:`ImportFormatError` with one printable line. Nothing here writes to the history.
"""

from __future__ import annotations

import os
from datetime import date

from .batch import to_records
from .common import (
    Entry,
    HabitChoiceError,
    HabitInfo,
    ImportFormatError,
    ImportSource,
    import_session_id,
)
from .harsh import read_harsh
from .loop import read_loop

__all__ = [
    "SOURCES",
    "Entry",
    "HabitChoiceError",
    "HabitInfo",
    "ImportFormatError",
    "ImportSource",
    "import_session_id",
    "read_harsh",
    "read_loop",
    "read_source",
    "to_records",
]


SOURCES = ("loop", "harsh")


def read_source(kind: str, path: str | os.PathLike[str], habit: str | None = None, *, today: date) -> ImportSource:
    """What ``hamstring import --from KIND FILE [--habit NAME]`` reads."""
    if kind == "loop":
        return read_loop(path, habit, today=today)
    if kind == "harsh":
        return read_harsh(path, habit, today=today)
    raise ImportFormatError(f"unknown source {kind!r}; use loop or harsh")
