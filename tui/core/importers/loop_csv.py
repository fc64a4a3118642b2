"""Loop Habit Tracker's CSV export: ``Loop Habits CSV YYYY-MM-DD.zip``, read from memory.

Checked against iSoron/uhabits ``io/HabitsCSVExporter.kt`` and ``models/HabitList.kt``
(``writeCSV``): ``Habits.csv`` has a header row; since v2.3.1 it is
``Position,Name,Type,Question,Description,FrequencyNumerator,FrequencyDenominator,Color,
Unit,Target Type,Target Value,Archived?`` (before: ``Position,Name,[Question,]Description,
NumRepetitions,Interval,Color``). Each exported habit has a folder ``NNN Name/`` (NNN its
position, the name cut to safe characters) with ``Checkmarks.csv``: since v2.3.1 a header
``Date,Value,Notes`` and values YES_MANUAL, YES_AUTO, NO, SKIP, UNKNOWN; before, no header
and ``Date,Value`` with the numbers 2, 1, 0, 3, -1. Dates are ``yyyy-MM-dd``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from datetime import date

from .common import (
    MAX_FILE_BYTES,
    MAX_HABITS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    Entry,
    HabitInfo,
    ImportFormatError,
    ImportSource,
    choose_habit,
    clean_text,
    parse_iso_day,
    shown,
    sorted_entries,
)
from .loop import KIND_OF_VALUE

MAX_MEMBERS = 10_000
VALUE_NAMES = {"YES_MANUAL": 2, "YES_AUTO": 1, "NO": 0, "SKIP": 3, "UNKNOWN": -1}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError, ValueError)
_POSITION = re.compile(r"[0-9]{1,6}")


class _Budget:
    """How many uncompressed bytes may still be read from the zip (a zip bomb stops here)."""

    def __init__(self, total: int):
        self.left = total


def read_loop_csv(path_name: object, data: bytes, habit: str | None = None, *, today: date) -> ImportSource:
    name = shown(str(path_name))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _ZIP_ERRORS as error:
        raise ImportFormatError(f"{name}: is not a readable zip ({clean_text(str(error), 120)})") from None
    if len(members) > MAX_MEMBERS:
        raise ImportFormatError(f"{name}: the zip has more than {MAX_MEMBERS} files")
    by_name = {member.filename: member for member in members}
    if "Habits.csv" not in by_name:
        raise ImportFormatError(f"{name}: is a zip without Habits.csv, not a Loop Habit Tracker CSV export")
    budget = _Budget(MAX_FILE_BYTES)
    habits, positions = _habits(_text(archive, by_name["Habits.csv"], budget, name), name)
    chosen = choose_habit(habits, habit, name)
    position = positions[next(i for i, info in enumerate(habits) if info is chosen)]
    folder = [
        member
        for member in by_name
        if member.endswith("/Checkmarks.csv")
        and member.count("/") == 1
        and member.startswith((position + " ", position + "/"))
    ]
    if not folder:
        raise ImportFormatError(
            f"{name}: has no '{position} …/Checkmarks.csv' for habit {chosen.name!r} (was it selected when exporting?)"
        )
    if len(folder) > 1:
        raise ImportFormatError(f"{name}: has {len(folder)} folders for position {position}")
    member = folder[0]
    where_file = clean_text(member, 200)
    text = _text(archive, by_name[member], budget, name)
    entries = _checkmarks(text, f"{name}: {where_file}", chosen, today)
    return ImportSource("loop", "loop-csv", name, habits, chosen, sorted_entries(entries, name))


def _text(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _Budget, name: str) -> str:
    where = clean_text(member.filename, 200)
    if member.file_size > budget.left:
        raise ImportFormatError(f"{name}: {where} is too large (over {MAX_FILE_BYTES // (1024 * 1024)} MB in all)")
    try:
        with archive.open(member) as stream:
            raw = stream.read(budget.left + 1)
    except _ZIP_ERRORS as error:
        raise ImportFormatError(
            f"{name}: {where} cannot be read from the zip ({clean_text(str(error), 120)})"
        ) from None
    if len(raw) > budget.left:
        raise ImportFormatError(f"{name}: {where} is too large (over {MAX_FILE_BYTES // (1024 * 1024)} MB in all)")
    budget.left -= len(raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"{name}: {where} is not UTF-8 text (byte {error.start})") from None


def _rows(text: str, where: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ImportFormatError(f"{where}: line {reader.line_num}: {clean_text(str(error), 120)}") from None


def _habits(text: str, name: str) -> tuple[tuple[HabitInfo, ...], list[str]]:
    where = f"{name}: Habits.csv"
    rows = _rows(text, where)
    if not rows:
        raise ImportFormatError(f"{where} is empty")
    header = [cell.strip() for cell in rows[0][1]]
    if "Name" not in header or "Position" not in header:
        raise ImportFormatError(f"{where}: the first line has no Position and Name columns; not a Loop export")
    col = {label: index for index, label in reversed(list(enumerate(header)))}
    habits: list[HabitInfo] = []
    positions: list[str] = []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(habits) >= MAX_HABITS:
            raise ImportFormatError(f"{where}: more than {MAX_HABITS} habits")
        if len(row) < len(header):
            raise ImportFormatError(f"{where}: line {line} has {len(row)} fields, the header {len(header)}")
        position = row[col["Position"]].strip()
        if not _POSITION.fullmatch(position):
            raise ImportFormatError(f"{where}: line {line}: position {clean_text(position, 20)!r} is not a number")
        if position in positions:
            raise ImportFormatError(f"{where}: line {line}: position {position} appears twice")
        kind = row[col["Type"]].strip() if "Type" in col else "YES_NO"
        if kind not in ("YES_NO", "NUMERICAL"):
            raise ImportFormatError(
                f"{where}: line {line}: type {clean_text(kind, 20)!r} is neither YES_NO nor NUMERICAL"
            )
        archived = row[col["Archived?"]].strip().lower() if "Archived?" in col else "false"
        if archived not in ("true", "false"):
            raise ImportFormatError(
                f"{where}: line {line}: Archived? {clean_text(archived, 20)!r} is neither true nor false"
            )
        habit_name = clean_text(row[col["Name"]], MAX_NAME_CHARS)
        habits.append(
            HabitInfo(
                key=habit_name,
                name=habit_name,
                archived=archived == "true",
                numeric=kind == "NUMERICAL",
                frequency=_frequency(row, col),
            )
        )
        positions.append(position)
    return tuple(habits), positions


def _frequency(row: list[str], col: dict[str, int]) -> tuple[int, int]:
    for num, den in (("FrequencyNumerator", "FrequencyDenominator"), ("NumRepetitions", "Interval")):
        if num in col and den in col:
            try:
                return int(row[col[num]]), int(row[col[den]])
            except ValueError:
                return (1, 1)
    return (1, 1)


def _checkmarks(text: str, where: str, habit: HabitInfo, today: date) -> dict[date, Entry]:
    rows = _rows(text, where)
    if rows and rows[0][1][:1] == ["Date"]:
        rows = rows[1:]
    entries: dict[date, Entry] = {}
    seen: set[date] = set()
    for line, row in rows:
        if not row:
            continue
        at = f"{where}: line {line}"
        if len(row) < 2:
            raise ImportFormatError(f"{at}: expected Date,Value[,Notes]")
        token = row[1].strip()
        value = VALUE_NAMES.get(token)
        if value is None:
            try:
                value = int(token)
            except ValueError:
                raise ImportFormatError(f"{at}: {clean_text(token, 20)!r} is not a Loop value") from None
        if value not in KIND_OF_VALUE:
            # Only a numeric habit has other values (its amount times 1000); the old
            # Habits.csv did not say a habit was numeric, so this is where it shows.
            raise ImportFormatError(
                f"{where}: habit {habit.name!r} counts a number (a numeric habit); hamstring imports only yes/no habits"
            )
        day = parse_iso_day(row[0].strip(), None if KIND_OF_VALUE[value] is None else today, where, f"line {line}")
        if day in seen:
            raise ImportFormatError(f"{at}: {day.isoformat()} appears twice")
        seen.add(day)
        kind = KIND_OF_VALUE[value]
        if kind is None:
            continue
        note = clean_text(row[2], MAX_NOTE_CHARS) if len(row) > 2 else ""
        entries[day] = Entry(day, kind, note or None)
    return entries
