"""Loop Habit Tracker: its full backup (a SQLite ``.db``) and its CSV export (a zip).

Checked against iSoron/uhabits (uhabits-core, 2025-08, v2.3.1):

* ``resources/migrations/09.sql`` .. ``25.sql``: table ``Habits`` (``id``, ``name``,
  ``freq_num``, ``freq_den``, ``archived``, ``position``; ``type`` since 16, 0 yes/no and
  1 numerical; ``uuid`` since 24) and table ``Repetitions`` (``habit``, ``timestamp``;
  ``value`` since 16, older rows being checks; ``notes`` since 25).
* ``models/Timestamp.kt``: a timestamp is milliseconds at UTC midnight of the day (a value
  between two midnights counts for the earlier one).
* ``models/Entry.kt``: YES_MANUAL 2, YES_AUTO 1 (filled in by Loop for a non-daily
  habit, not a check), NO 0, SKIP 3, UNKNOWN -1.

Which format a file is comes from its first bytes, never from its name.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from typing import Any
from urllib.parse import quote

from .common import (
    MAX_ENTRIES,
    MAX_HABITS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    Entry,
    EntryKind,
    HabitInfo,
    ImportFormatError,
    ImportSource,
    choose_habit,
    clean_text,
    day_from_epoch_days,
    read_file,
    read_head,
    shown,
    sorted_entries,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip
DAY_MS = 86_400_000
YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN = 2, 1, 0, 3, -1
KIND_OF_VALUE: dict[int, EntryKind | None] = {YES_MANUAL: "done", SKIP: "skip", YES_AUTO: None, NO: None, UNKNOWN: None}
_SQL_STEPS = 50_000_000  # virtual machine steps a hostile database may cost before it is refused


def read_loop(path: str | os.PathLike[str], habit: str | None = None, *, today: date) -> ImportSource:
    """Read a Loop backup (``.db``) or CSV export (zip), whichever the file's content is."""
    name = shown(path)
    head = read_head(path, len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return read_loop_db(path, habit, today=today)
    if head[:4] in ZIP_MAGICS:
        from .loop_csv import read_loop_csv

        return read_loop_csv(path, read_file(path), habit, today=today)
    raise ImportFormatError(f"{name}: is neither a Loop Habit Tracker backup (.db) nor its CSV export (.zip)")


def read_loop_db(path: str | os.PathLike[str], habit: str | None = None, *, today: date) -> ImportSource:
    name = shown(path)
    # immutable=1: the backup is a finished file; SQLite then takes no lock and writes no
    # -wal/-shm beside it, so a backup in a read-only folder (or in WAL mode) still opens.
    uri = f"file:{quote(os.path.abspath(os.fspath(path)))}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=0)
    except sqlite3.Error as error:
        raise ImportFormatError(f"{name}: cannot be opened as a database ({clean_text(str(error), 120)})") from None
    steps = [0]

    def budget() -> int:
        steps[0] += 1_000
        return 1 if steps[0] > _SQL_STEPS else 0

    connection.set_progress_handler(budget, 1_000)
    try:
        connection.execute("PRAGMA query_only = ON")
        return _read_db(connection, name, habit, today)
    except sqlite3.OperationalError as error:
        if "interrupt" in str(error):
            raise ImportFormatError(f"{name}: the database is too large or too complex to read") from None
        raise ImportFormatError(
            f"{name}: is not a readable Loop Habit Tracker backup ({clean_text(str(error), 120)})"
        ) from None
    except sqlite3.Error as error:
        raise ImportFormatError(
            f"{name}: is not a readable Loop Habit Tracker backup ({clean_text(str(error), 120)})"
        ) from None
    except UnicodeDecodeError:
        raise ImportFormatError(
            f"{name}: is not a readable Loop Habit Tracker backup (text that is not UTF-8)"
        ) from None
    finally:
        connection.close()


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    rows = connection.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    return {row[0].lower() for row in rows if isinstance(row[0], str)}


def _read_db(connection: sqlite3.Connection, name: str, wanted: str | None, today: date) -> ImportSource:
    kinds = {
        row[0].lower(): row[1]
        for row in connection.execute("SELECT name, type FROM sqlite_master")
        if isinstance(row[0], str)
    }
    if kinds.get("habits") != "table" or kinds.get("repetitions") != "table":
        raise ImportFormatError(
            f"{name}: is a SQLite database but not a Loop Habit Tracker backup (no Habits and Repetitions tables)"
        )
    habit_columns = _columns(connection, "Habits")
    rep_columns = _columns(connection, "Repetitions")
    missing = ({"id", "name"} - habit_columns) | {f"Repetitions.{c}" for c in {"habit", "timestamp"} - rep_columns}
    if missing:
        raise ImportFormatError(f"{name}: is not a Loop Habit Tracker backup (missing {', '.join(sorted(missing))})")

    def column(col: str, default: str) -> str:
        return col if col in habit_columns else default

    order = "position, id" if "position" in habit_columns else "id"
    query = (
        f"SELECT id, name, {column('uuid', 'NULL')}, {column('type', '0')}, {column('archived', '0')}, "
        f"{column('freq_num', '1')}, {column('freq_den', '1')} FROM Habits ORDER BY {order} LIMIT {MAX_HABITS + 1}"
    )
    habits: list[HabitInfo] = []
    row_ids: list[Any] = []
    for number, row in enumerate(connection.execute(query), start=1):
        if number > MAX_HABITS:
            raise ImportFormatError(f"{name}: more than {MAX_HABITS} habits")
        info = _habit_from_row(row, name, number)
        habits.append(info)
        row_ids.append(row[0])
    chosen = choose_habit(tuple(habits), wanted, name)
    value = "value" if "value" in rep_columns else str(YES_MANUAL)  # before Loop 1.7 every row was a check
    notes = "notes" if "notes" in rep_columns else "NULL"
    reps = connection.execute(
        f"SELECT timestamp, {value}, {notes} FROM Repetitions WHERE habit = ? ORDER BY timestamp LIMIT {MAX_ENTRIES + 1}",
        (row_ids[next(i for i, info in enumerate(habits) if info is chosen)],),
    )
    by_day: dict[date, Entry] = {}
    seen: set[int] = set()
    where_habit = f"habit {chosen.name!r}"
    for number, (stamp, raw_value, raw_note) in enumerate(reps, start=1):
        where = f"{where_habit}, entry {number}"
        if number > MAX_ENTRIES:
            raise ImportFormatError(f"{name}: {where_habit} has more than {MAX_ENTRIES} entries")
        if not _is_int(stamp):
            raise ImportFormatError(
                f"{name}: {where}: the timestamp {clean_text(repr(stamp), 40)} is not a whole number"
            )
        if not _is_int(raw_value) or raw_value not in KIND_OF_VALUE:
            raise ImportFormatError(f"{name}: {where}: {clean_text(repr(raw_value), 40)} is not a Loop yes/no value")
        days = stamp // DAY_MS
        if days in seen:
            raise ImportFormatError(f"{name}: {where_habit} has two entries for day {days} after 1970-01-01")
        seen.add(days)
        kind = KIND_OF_VALUE[raw_value]
        if kind is None:
            continue  # no, unknown, or an automatic fill: nothing happened that day
        day = day_from_epoch_days(days, today, name, where)
        by_day[day] = Entry(day, kind, _note(raw_note, name, where))
    return ImportSource("loop", "loop-db", name, tuple(habits), chosen, sorted_entries(by_day, name))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _habit_from_row(row: tuple[Any, ...], file: str, number: int) -> HabitInfo:
    _id, raw_name, raw_uuid, raw_type, archived, freq_num, freq_den = row
    where = f"habit {number}"
    if not isinstance(raw_name, str):
        raise ImportFormatError(f"{file}: {where}: the name is not text")
    habit_name = clean_text(raw_name, MAX_NAME_CHARS)
    for label, value in (("type", raw_type), ("archived", archived), ("freq_num", freq_num), ("freq_den", freq_den)):
        if not _is_int(value):
            raise ImportFormatError(f"{file}: {where} ({habit_name!r}): {label} is not a whole number")
    if raw_type not in (0, 1):
        raise ImportFormatError(
            f"{file}: {where} ({habit_name!r}): type {raw_type} is neither yes/no (0) nor numerical (1)"
        )
    key = habit_name
    if isinstance(raw_uuid, str) and raw_uuid.strip():
        key = clean_text(raw_uuid, 100).lower()
    return HabitInfo(
        key=key,
        name=habit_name,
        archived=bool(archived),
        numeric=raw_type == 1,
        frequency=(freq_num, freq_den),
    )


def _note(raw: object, file: str, where: str) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ImportFormatError(f"{file}: {where}: the note is not text")
    return clean_text(raw, MAX_NOTE_CHARS) or None
