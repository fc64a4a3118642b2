"""harsh's log (``~/.config/harsh/log``), read-only.

Checked against wakatara/harsh ``internal/storage/log.go`` (LoadLog, WriteHabitLog) and its
README's "Log File Format" (2026-05): one entry a line,
``YYYY-MM-DD : Habit Name : y|n|s[ : comment[ : amount]]``, fields split on exactly
``" : "``; empty lines and lines starting with ``#`` are ignored; the result is trimmed;
a later line for the same day and habit replaces an earlier one; a line is at most 64 KiB
(Go's ``bufio.Scanner``). harsh skips a malformed line with a warning; hamstring refuses the
file and names the lines, as it refuses any bad record. The amount is not imported.
"""

from __future__ import annotations

import os
from datetime import date

from .common import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    Entry,
    EntryKind,
    HabitInfo,
    ImportFormatError,
    ImportSource,
    check_day,
    choose_habit,
    clean_text,
    parse_iso_day,
    read_file,
    shown,
    sorted_entries,
)

MAX_LINE_BYTES = 64 * 1024
EXPECTED = "'YYYY-MM-DD : Habit : y|n|s[ : comment[ : amount]]'"
KIND_OF_RESULT: dict[str, EntryKind | None] = {"y": "done", "s": "skip", "n": None}


def read_harsh(path: str | os.PathLike[str], habit: str | None = None, *, today: date) -> ImportSource:
    name = shown(path)
    data = read_file(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    bad: list[int] = []
    # (line number, day, habit name, result, comment) of every good entry line
    parsed: list[tuple[int, date, str, str, str | None]] = []
    for number, raw in enumerate(lines, start=1):
        try:
            entry = _parse_line(raw, name, number)
        except _BadLine:
            bad.append(number)
            continue
        if entry is not None:
            parsed.append(entry)
    if bad:
        listed = ", ".join(str(number) for number in bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        plural = "lines" if len(bad) > 1 else "line"
        raise ImportFormatError(f"{name}: {plural} {listed} not {EXPECTED}; not a harsh log?")
    if not parsed:
        raise ImportFormatError(f"{name}: holds no harsh entries")
    names = list(dict.fromkeys(habit_name for _, _, habit_name, _, _ in parsed))
    habits = tuple(HabitInfo(key=habit_name, name=habit_name) for habit_name in names)
    chosen = choose_habit(habits, habit, name)
    latest: dict[date, tuple[int, str, str | None]] = {}
    for number, day, habit_name, result, comment in parsed:
        if habit_name == chosen.name:
            latest[day] = (number, result, comment)  # the last line for a day wins, as in harsh
    by_day: dict[date, Entry] = {}
    for day, (number, result, comment) in latest.items():
        kind = KIND_OF_RESULT[result]
        if kind is not None:
            by_day[day] = Entry(check_day(day, today, name, f"line {number}"), kind, comment)
    return ImportSource("harsh", "harsh-log", name, habits, chosen, sorted_entries(by_day, name))


class _BadLine(Exception):
    pass


def _parse_line(raw: bytes, name: str, number: int) -> tuple[int, date, str, str, str | None] | None:
    """The entry of one line, None for a blank or comment line; raises :class:`_BadLine`."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if len(raw) > MAX_LINE_BYTES:
        raise _BadLine
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _BadLine from None
    if not text.strip() or text.startswith("#"):
        return None
    fields = text.split(" : ")
    if not 3 <= len(fields) <= 5:
        raise _BadLine
    try:
        day = parse_iso_day(fields[0].strip(), None, name, f"line {number}")
    except ImportFormatError:
        raise _BadLine from None
    habit_name = clean_text(fields[1], MAX_NAME_CHARS)
    result = fields[2].strip()
    if not habit_name or result not in KIND_OF_RESULT:
        raise _BadLine
    comment = clean_text(fields[3], MAX_NOTE_CHARS) if len(fields) > 3 else ""
    return number, day, habit_name, result, comment or None
