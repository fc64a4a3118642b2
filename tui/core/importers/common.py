"""What every importer shares: the neutral result, the one error type, limits and checks.

An importer reads another tracker's file read-only and returns an :class:`ImportSource`:
the habits the file holds and the entries of the ONE habit chosen. Nothing here writes.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

EntryKind = Literal["done", "skip"]

MAX_FILE_BYTES = 50 * 1024 * 1024  # a file (or all the zip members read) larger than this is refused
MAX_ENTRIES = 200_000  # entries of one habit (more than 500 years of days)
MAX_HABITS = 10_000
MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 1_000
EPOCH = date(1970, 1, 1)

# The fixed namespace of imported session ids: uuid5(NAMESPACE_URL, "hamstring:import").
# Never change it, or re-importing a file would add every session a second time.
IMPORT_NAMESPACE = uuid.UUID("e48490fe-9134-5aa3-882a-2e07776811a9")

# Bidirectional overrides and isolates reorder what the terminal shows; drop them with the
# control characters (categories Cc, Cs) so no name or note can fake or hide text.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")


class ImportFormatError(ValueError):
    """The file cannot be imported; ``str()`` is one line naming the file and the problem."""


class HabitChoiceError(ImportFormatError):
    """The file holds several habits and none (or an unknown one) was chosen."""

    def __init__(self, message: str, habits: tuple[HabitInfo, ...]):
        super().__init__(message)
        self.habits = habits


@dataclass(frozen=True, slots=True)
class HabitInfo:
    key: str  # the source's stable id of the habit: Loop's uuid when the file has one, else the name
    name: str  # safe to print: control and bidi characters removed
    archived: bool = False
    numeric: bool = False
    frequency: tuple[int, int] = (1, 1)  # Loop's times per days; (1, 1) is daily

    @property
    def label(self) -> str:
        marks = [mark for mark, on in (("archived", self.archived), ("numeric", self.numeric)) if on]
        return f"{self.name!r}" + (f" ({', '.join(marks)})" if marks else "")


@dataclass(frozen=True, slots=True)
class Entry:
    day: date
    kind: EntryKind  # "done": a session that day; "skip": a rest day
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ImportSource:
    source: str  # "loop" or "harsh": with habit.key it seeds the session ids
    format: str  # "loop-db", "loop-csv" or "harsh-log"
    file: str  # the file's name as given, safe to print
    habits: tuple[HabitInfo, ...]  # every habit in the file, in the file's order
    habit: HabitInfo  # the one imported
    entries: tuple[Entry, ...]  # of that habit, by date, one per day

    @property
    def done_days(self) -> frozenset[date]:
        return frozenset(entry.day for entry in self.entries if entry.kind == "done")

    @property
    def rest_days(self) -> frozenset[date]:
        return frozenset(entry.day for entry in self.entries if entry.kind == "skip")

    def session_id(self, day: date) -> str:
        return import_session_id(self.source, self.habit.key, day)


def import_session_id(source: str, habit_key: str, day: date) -> str:
    """The id of the session imported for ``day``: the same for the same source, habit and day."""
    return str(uuid.uuid5(IMPORT_NAMESPACE, f"{source}\x1f{habit_key}\x1f{day.isoformat()}"))


def clean_text(value: str, limit: int) -> str:
    """``value`` safe for a terminal: line breaks and tabs become one space, control and
    bidi characters go, surrounding space is trimmed, and it is cut to ``limit`` characters."""
    value = _SPACES.sub(" ", value)
    kept = "".join(ch for ch in value if ch not in _BIDI and unicodedata.category(ch) not in ("Cc", "Cs"))
    kept = kept.strip()
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def shown(path: str | os.PathLike[str]) -> str:
    """A path as it may be printed in a message."""
    return clean_text(os.fspath(path), 300) or "(unnamed file)"


def check_day(day: date, today: date, file: str, where: str) -> date:
    """Refuse a day before 1970 or after tomorrow: no tracker recorded it."""
    if not EPOCH <= day <= today + timedelta(days=1):
        raise ImportFormatError(
            f"{file}: {where}: the date {day.isoformat()} is outside 1970-01-01..{today + timedelta(days=1)}"
        )
    return day


def day_from_epoch_days(days: int, today: date, file: str, where: str) -> date:
    if not 0 <= days <= (today - EPOCH).days + 1:
        raise ImportFormatError(
            f"{file}: {where}: day {days} after 1970-01-01 is outside 1970-01-01..{today + timedelta(days=1)}"
        )
    return EPOCH + timedelta(days=days)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_day(text: str, today: date | None, file: str, where: str) -> date:
    """A strict ``YYYY-MM-DD`` date, in range unless ``today`` is None (a day not imported)."""
    if not _ISO_DAY.fullmatch(text):
        raise ImportFormatError(f"{file}: {where}: {clean_text(text, 40)!r} is not a YYYY-MM-DD date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ImportFormatError(f"{file}: {where}: {text!r} is not a calendar date") from None
    return day if today is None else check_day(day, today, file, where)


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of a regular file (see :func:`read_file`)."""
    return read_file(path, size, whole=False)


def read_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES, *, whole: bool = True) -> bytes:
    """Read a regular file, at most ``limit`` bytes; with ``whole`` a larger file is refused.

    Opened non-blocking so a FIFO or device named like a backup cannot hang the import.
    """
    name = shown(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ImportFormatError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ImportFormatError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise ImportFormatError(f"{name}: permission denied") from None
    except (OSError, ValueError) as error:
        raise ImportFormatError(f"{name}: cannot be opened ({_reason(error)})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ImportFormatError(f"{name}: is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise ImportFormatError(f"{name}: is not a regular file")
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if not whole and got >= limit:
                break
    except OSError as error:
        raise ImportFormatError(f"{name}: cannot be read ({_reason(error)})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if whole and len(data) > limit:
        raise ImportFormatError(f"{name}: is larger than {limit // (1024 * 1024)} MB")
    return data[:limit]


def _reason(error: BaseException) -> str:
    return clean_text(getattr(error, "strerror", None) or str(error) or type(error).__name__, 120)


def choose_habit(habits: tuple[HabitInfo, ...], wanted: str | None, file: str) -> HabitInfo:
    """The habit named ``wanted`` (exactly, else the one matching without regard to case),
    or the only habit when ``wanted`` is None. Refuses a numeric habit."""
    if not habits:
        raise ImportFormatError(f"{file}: holds no habits")
    if wanted is None:
        if len(habits) == 1:
            return _yes_no(habits[0], file)
        raise HabitChoiceError(
            f"{file} holds {len(habits)} habits; choose one with --habit: {_listing(habits)}", habits
        )
    wanted = clean_text(wanted, MAX_NAME_CHARS)
    exact = [habit for habit in habits if habit.name == wanted]
    loose = [habit for habit in habits if habit.name.casefold() == wanted.casefold()]
    found = exact or loose
    if len(found) == 1:
        return _yes_no(found[0], file)
    if len(found) > 1:
        raise HabitChoiceError(
            f"{file} holds {len(found)} habits named {wanted!r}; rename one in the tracker first", habits
        )
    raise HabitChoiceError(f"{file} has no habit named {wanted!r}; it holds: {_listing(habits)}", habits)


def _yes_no(habit: HabitInfo, file: str) -> HabitInfo:
    if habit.numeric:
        raise ImportFormatError(
            f"{file}: habit {habit.name!r} counts a number (a numeric habit); hamstring imports only yes/no habits"
        )
    return habit


def _listing(habits: tuple[HabitInfo, ...], most: int = 20) -> str:
    shown_part = ", ".join(habit.label for habit in habits[:most])
    return shown_part + (f" and {len(habits) - most} more" if len(habits) > most else "")


def sorted_entries(by_day: dict[date, Entry], file: str) -> tuple[Entry, ...]:
    if len(by_day) > MAX_ENTRIES:
        raise ImportFormatError(f"{file}: more than {MAX_ENTRIES} entries for one habit")
    return tuple(by_day[day] for day in sorted(by_day))
