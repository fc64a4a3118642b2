"""The history's tables (schema 3) as a :class:`~tui.core.sync.Replica`, and back.

Schema 3 keeps, beside ``sessions``:

* ``rest_days``: rest-day marks ``{id, date, set_at}`` (a schema-2 row
  ``{date}`` reads as :func:`~tui.core.sync.legacy_rest_mark`, the same id on
  every computer);
* ``tombstones``: ``{id, deleted_at}`` for every deleted session, check-in,
  measurement or removed rest mark, so no import or sync brings one back;
* ``checkins`` and ``measurements`` (:mod:`tui.core.checkins`).

The document holds only live records: deleting one removes its row and adds
its tombstone in the same write. Import and sync both read the document with
:func:`replica_from`, join with :func:`tui.core.sync.merge`, and write the
result back with :func:`apply`, which touches only the rows that changed (so
only those are checked again before the write).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..checkins import checkin_from_dict, measurement_from_dict
from ..document import CorruptHistory, Document
from ..records import RecordError, parse_date, parse_timestamp
from ..sync import UUID_PATTERN, Record, Replica, legacy_rest_mark

#: The tables schema 3 adds (``rest_days`` is older, with a new shape).
NEW_TABLES = ("tombstones", "checkins", "measurements")


def _uuid(value: Any, field: str = "id") -> str:
    if not isinstance(value, str) or not UUID_PATTERN.match(value.lower()):
        raise RecordError(field, f"must be a UUID, not {value!r}"[:120])
    return value.lower()


def rest_mark_of(raw: Any) -> Record:
    """A rest-day row as a mark; a schema-2 ``{date}`` row gets its legacy mark. Raises ``RecordError``."""
    if not isinstance(raw, Mapping):
        raise RecordError("date", "a rest day must be an object")
    day = parse_date(raw.get("date"))
    if "id" not in raw and "set_at" not in raw:
        return legacy_rest_mark(day)
    mark_id = _uuid(raw.get("id"))
    parse_timestamp(raw.get("set_at"), "set_at")
    if raw["id"] == mark_id and len(raw) == 3:
        return dict(raw)
    return {"id": mark_id, "date": day.isoformat(), "set_at": raw["set_at"]}


def tombstone_of(raw: Any) -> tuple[str, str]:
    """``(id, deleted_at)`` of a tombstone row. Raises ``RecordError``."""
    if not isinstance(raw, Mapping):
        raise RecordError("tombstone", "must be an object")
    rid = _uuid(raw.get("id"))
    parse_timestamp(raw.get("deleted_at"), "deleted_at")
    return rid, raw["deleted_at"]


def validate_kinds(document: Document) -> None:
    """Check the rest marks, tombstones, check-ins and measurements. Raises ``CorruptHistory``."""
    checks: tuple[tuple[str, str, Any], ...] = (
        ("rest_days", "rest day", rest_mark_of),
        ("tombstones", "tombstone", tombstone_of),
        ("checkins", "check-in", checkin_from_dict),
        ("measurements", "measurement", measurement_from_dict),
    )
    for table, what, check in checks:
        for doc_id, doc in document.get(table, {}).items():
            try:
                check(doc)
            except RecordError as error:
                raise CorruptHistory(f"{what} {doc_id}: {error}") from None


def _keyed(raw: Record) -> tuple[str, Record]:
    rid = str(raw["id"]).lower()
    return rid, raw if raw["id"] == rid else {**raw, "id": rid}


def replica_from(document: Document) -> Replica:
    """The (validated) document's records by id. Rows are shared, never changed here."""
    sessions = dict(_keyed(raw) for raw in document.get("sessions", {}).values())
    marks = {}
    for raw in document.get("rest_days", {}).values():
        mark = rest_mark_of(raw)
        marks[mark["id"]] = mark
    tombstones = dict(tombstone_of(raw) for raw in document.get("tombstones", {}).values())
    checkins = dict(_keyed(raw) for raw in document.get("checkins", {}).values())
    measurements = dict(_keyed(raw) for raw in document.get("measurements", {}).values())
    return Replica(sessions, marks, tombstones, checkins, measurements)


def _row_id(table: str, raw: Record) -> str:
    if table == "rest_days":
        return str(rest_mark_of(raw)["id"])
    return str(raw.get("id", "")).lower()


def _apply_table(document: Document, table: str, records: Mapping[str, Record]) -> None:
    rows = document.setdefault(table, {})
    kept: dict[str, str] = {}
    for key, raw in list(rows.items()):
        rid = _row_id(table, raw)
        record = records.get(rid)
        if record is None or rid in kept:
            del rows[key]
            continue
        kept[rid] = key
        if raw is not record and raw != record:
            rows[key] = dict(record)
    next_key = max((int(key) for key in rows), default=0) + 1
    for rid, record in records.items():
        if rid not in kept:
            rows[str(next_key)] = dict(record)
            next_key += 1


def apply(document: Document, state: Replica) -> None:
    """Make ``document``'s tables hold exactly ``state`` (live records only), in place,
    changing only the rows that differ."""
    live = state.live()
    _apply_table(document, "sessions", live.sessions)
    _apply_table(document, "rest_days", live.rest_marks)
    _apply_table(document, "checkins", live.checkins)
    _apply_table(document, "measurements", live.measurements)
    tombstones = {rid: {"id": rid, "deleted_at": at} for rid, at in live.tombstones.items()}
    _apply_table(document, "tombstones", tombstones)
