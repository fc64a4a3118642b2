"""Export and import of the history: JSON (everything) and CSV (one row a session).

Importing validates the whole file before anything is written; a problem is
one :class:`ImportProblem` naming the line (CSV) or record (JSON) and field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .document import first_line
from .records import (
    RecordError,
    SessionRecord,
    StepRecord,
    parse_date,
    session_from_dict,
)
from .text import json_reason

if TYPE_CHECKING:
    from .sync import Replica

EXPORT_FORMAT = "hamstring-history"
EXPORT_VERSION = 1
CSV_FIELDS = ("id", "date", "started_at", "ended_at", "tz", "duration_s", "complete", "source", "stretches")


class ImportProblem(ValueError):
    """The file cannot be imported; ``str()`` is one line naming where and what."""


@dataclass(frozen=True, slots=True)
class ImportBatch:
    format: str
    sessions: tuple[SessionRecord, ...]
    rest_days: frozenset[date]
    replica: Replica | None = None
    """Everything a JSON export holds (rest marks, tombstones, check-ins, measurements), validated."""


# -- export ---------------------------------------------------------------------------------
def to_json(exported: dict[str, Any]) -> str:
    """The export document (from :meth:`HistoryStore.export_all`) as JSON text."""
    return json.dumps(exported, indent=2, ensure_ascii=False) + "\n"


def csv_stretches(steps: list[dict[str, Any]]) -> str:
    """The stretch ids of a session, in order, each once, joined with ';'."""
    seen: dict[str, None] = {}
    for step in steps:
        seen.setdefault(step["stretch"], None)
    return ";".join(seen)


#: A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One CSV cell, made inert as OWASP recommends: a cell that a spreadsheet
    would read as a formula gets a leading single quote (and is quoted)."""
    text = str(value)
    # A value that would read back changed (a quote before a formula start) is escaped too.
    return "'" + text if text.startswith(FORMULA_STARTS) or csv_uncell(text) != text else text


def csv_uncell(text: str) -> str:
    """The value of a cell written by :func:`csv_cell`."""
    return text[1:] if text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'")) else text


def to_csv(exported: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for raw in exported["sessions"]:
        row = [
            raw["id"],
            raw["date"],
            raw["started_at"],
            raw["ended_at"],
            raw["tz"] or "",
            raw["duration_s"],
            "true" if raw["complete"] else "false",
            raw["source"],
            csv_stretches(raw["steps"]),
        ]
        cells = [csv_cell(value) for value in row]
        if cells == [str(value) for value in row]:
            writer.writerow(cells)
        else:  # quote the escaped row's cells, so each quote and what follows stay one text cell
            _write_quoted(out, cells)
    return out.getvalue()


CHECKIN_CSV_FIELDS = ("id", "date", "pain", "stiffness", "note", "recorded_at")
MEASUREMENT_CSV_FIELDS = ("id", "date", "kind", "side", "value", "recorded_at")


def _rows_csv(fields: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    for raw in rows:
        _write_quoted(out, [csv_cell("" if raw.get(name) is None else raw[name]) for name in fields])
    return out.getvalue()


def checkins_csv(exported: dict[str, Any]) -> str:
    """One row a check-in (every cell quoted, formulas made inert: notes are free text)."""
    return _rows_csv(CHECKIN_CSV_FIELDS, exported.get("checkins", []))


def measurements_csv(exported: dict[str, Any]) -> str:
    return _rows_csv(MEASUREMENT_CSV_FIELDS, exported.get("measurements", []))


def _write_quoted(out: io.StringIO, cells: list[str]) -> None:
    out.write(",".join('"' + cell.replace('"', '""') + '"' for cell in cells) + "\n")


# -- import -----------------------------------------------------------------------------------
def parse_import(data: bytes, name: str = "the file", today: date | None = None) -> ImportBatch:
    """Detect the format and validate everything. Raises :class:`ImportProblem` only.

    With ``today``, dates are held to what may be recorded now (sessions 1970 to
    tomorrow, rest days up to a year ahead, no check-in or measurement in the
    future), as for anything entered by hand: an import is input, not history."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(f"{name} is not UTF-8 text (bad byte at offset {error.start})") from None
    stripped = text.lstrip()
    if not stripped:
        raise ImportProblem(f"{name} is empty")
    batch = _parse_json(text, name, today) if stripped[0] in "{[" else _parse_csv(text, name)
    if today is not None:
        _check_dates(batch, name, today)
    return batch


def _check_dates(batch: ImportBatch, name: str, today: date) -> None:
    from .records import check_rest_date, check_session_date

    try:
        for index, session in enumerate(batch.sessions, start=1):
            try:
                check_session_date(session.date, today)
            except RecordError as error:
                raise ImportProblem(f"{name}: session {index}: {error}") from None
        rest = set(batch.rest_days)
        if batch.replica is not None:
            rest.update(batch.replica.rest_days())
        for day in sorted(rest):
            check_rest_date(day, today)
    except RecordError as error:
        raise ImportProblem(f"{name}: rest day: {error}") from None


def _parse_json(text: str, name: str, today: date | None = None) -> ImportBatch:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem(f"{name} line {error.lineno}: not valid JSON ({json_reason(error.msg)})") from None
    except RecursionError:
        raise ImportProblem(f"{name}: not valid JSON (nested too deeply)") from None
    except ValueError as error:  # a number too long to convert, say
        raise ImportProblem(f"{name}: not valid JSON ({first_line(error)})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportProblem(f"{name}: not a hamstring export (field 'format' must be {EXPORT_FORMAT!r})")
    version = document.get("version")
    if version != EXPORT_VERSION or isinstance(version, bool):
        raise ImportProblem(f"{name}: field 'version': this hamstring reads version {EXPORT_VERSION}, not {version!r}")
    raw_sessions = document.get("sessions")
    if not isinstance(raw_sessions, list):
        raise ImportProblem(f"{name}: field 'sessions' must be a list")
    sessions = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sessions, start=1):
        try:
            session = session_from_dict(raw)
        except RecordError as error:
            raise ImportProblem(f"{name}: session {index}: {error}") from None
        if session.id in seen:
            raise ImportProblem(f"{name}: session {index}: field 'id': {session.id} appears twice")
        seen.add(session.id)
        sessions.append(session)
    raw_rest = document.get("rest_days", [])
    if not isinstance(raw_rest, list):
        raise ImportProblem(f"{name}: field 'rest_days' must be a list of dates")
    rest = set()
    for index, raw in enumerate(raw_rest, start=1):
        try:
            rest.add(parse_date(raw, "rest_days"))
        except RecordError as error:
            raise ImportProblem(f"{name}: rest day {index}: {error}") from None
    return ImportBatch("json", tuple(sessions), frozenset(rest), _replica(document, name, today))


def checkin_record(raw: Any, today: date | None = None) -> dict[str, Any]:
    """A check-in dict from a file, checked and in the form the history keeps."""
    from .checkins import checkin_from_dict

    return checkin_from_dict(raw, today=today).to_dict()


def measurement_record(raw: Any, today: date | None = None) -> dict[str, Any]:
    from .checkins import measurement_from_dict

    return measurement_from_dict(raw, today=today).to_dict()


def _replica(document: dict[str, Any], name: str, today: date | None = None) -> Replica:
    """The whole export as a replica; a bad record refuses the whole file."""
    from functools import partial

    from .sync_files import replica_of

    try:
        return replica_of(document, partial(checkin_record, today=today), partial(measurement_record, today=today))
    except RecordError as error:
        raise ImportProblem(f"{name}: {error}") from None


def _parse_csv(text: str, name: str) -> ImportBatch:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportProblem(f"{name} line 1: not a hamstring CSV export") from None
    if tuple(cell.strip() for cell in header) != CSV_FIELDS:
        raise ImportProblem(f"{name} line 1: not a hamstring export (expected the header {','.join(CSV_FIELDS)})")
    sessions = []
    seen: set[str] = set()
    try:
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(CSV_FIELDS):
                raise ImportProblem(f"{name} line {line}: expected {len(CSV_FIELDS)} fields, found {len(row)}")
            values = dict(zip(CSV_FIELDS, (csv_uncell(cell) for cell in row), strict=False))
            session = _csv_session(values, name, line)
            if session.id in seen:
                raise ImportProblem(f"{name} line {line}: field 'id': {session.id} appears twice")
            seen.add(session.id)
            sessions.append(session)
    except csv.Error as error:
        raise ImportProblem(f"{name} line {reader.line_num}: {error}") from None
    return ImportBatch("csv", tuple(sessions), frozenset())


def _csv_session(values: dict[str, str], name: str, line: int) -> SessionRecord:
    def problem(field: str, what: str) -> ImportProblem:
        return ImportProblem(f"{name} line {line}: field '{field}': {what}")

    try:
        duration = int(values["duration_s"])
    except ValueError:
        raise problem("duration_s", f"must be a whole number, not {values['duration_s']!r}") from None
    complete_text = values["complete"].strip().lower()
    if complete_text not in ("true", "false"):
        raise problem("complete", f"must be true or false, not {values['complete']!r}")
    stretches = [s for s in values["stretches"].split(";") if s]
    raw = {
        "id": values["id"],
        "date": values["date"],
        "started_at": values["started_at"],
        "ended_at": values["ended_at"],
        "tz": values["tz"] or None,
        "duration_s": duration,
        "complete": complete_text == "true",
        "source": values["source"],
        # CSV keeps which stretches were done, not the holds: one step each, time unknown.
        "steps": [StepRecord(s, "both", 0, False).to_dict() for s in stretches],
    }
    try:
        return session_from_dict(raw)
    except RecordError as error:
        raise ImportProblem(f"{name} line {line}: {error}") from None
