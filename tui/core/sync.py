"""The replicated history that several computers keep in step through a synced folder.

Pure functions over plain data (no files here: see :mod:`tui.core.sync_files`).
A :class:`Replica` holds every record by id: sessions, rest-day marks,
check-ins and measurements (plain dicts, as in the history and the export), and tombstones,
``id -> deleted_at``, for anything deleted. :func:`merge` is a join: it is
commutative, associative and idempotent, so every computer that has seen the
same files holds the same history, whatever the order it saw them in.

The rules, per id:

- a tombstone wins over any record with that id, so a deleted session never
  comes back from an old export or from a computer that has not heard yet;
  two tombstones for one id keep the earliest deletion time;
- two different versions of one record keep the later ``edited_at`` (a missing
  ``edited_at`` is older than any), then the larger canonical JSON. Moving a
  session to another day is an edit (same id, new date, new ``edited_at``);
- a rest day is a mark ``{id, date, set_at}``; a date is a rest day while any
  of its marks is not tombstoned. Removing a rest day tombstones the marks this
  computer knows of; a mark set elsewhere at the same time survives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

Record = dict[str, Any]
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Rest days from before marks had ids (an old history or export) get an id made
# from their date, the same on every computer, so they merge into one mark.
LEGACY_REST_NAMESPACE = "6b1b7f0e-2c59-4c8e-9d1a-5f3e0a7c4d21"


@dataclass(frozen=True, slots=True)
class Replica:
    """One computer's whole history as plain data, each kind by id.

    Records are values: they are shared between states and documents and never
    changed in place (build a new dict to change one).
    """

    sessions: dict[str, Record] = field(default_factory=dict)
    rest_marks: dict[str, Record] = field(default_factory=dict)
    tombstones: dict[str, str] = field(default_factory=dict)
    checkins: dict[str, Record] = field(default_factory=dict)
    measurements: dict[str, Record] = field(default_factory=dict)

    def rest_days(self) -> frozenset[date]:
        """The dates with at least one mark that is not tombstoned."""
        return frozenset(
            date.fromisoformat(mark["date"]) for mid, mark in self.rest_marks.items() if mid not in self.tombstones
        )

    def live(self) -> Replica:
        """The same state without records that a tombstone of its own deletes."""
        return merge(self).state


# -- the order that decides between two versions of a record ------------------------------
_NO_TIME = datetime.min


def _instant(value: Any) -> datetime | None:
    """``value`` as a naive UTC datetime, or None when it is not an aware ISO timestamp."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
        offset = moment.utcoffset()
        if offset is None:
            return None
        return moment.replace(tzinfo=None) - offset
    except (ValueError, OverflowError):
        return None


def canonical(record: Any) -> str:
    """The record as JSON with sorted keys and no spaces: equal text, equal record."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def version_key(record: Record) -> tuple[int, datetime, str]:
    """Which of two versions of one record is kept: the larger key."""
    moment = _instant(record.get("edited_at"))
    if moment is None:
        return (0, _NO_TIME, canonical(record))
    return (1, moment, canonical(record))


def tombstone_key(deleted_at: str) -> tuple[int, datetime, str]:
    moment = _instant(deleted_at)
    return (0, _NO_TIME, deleted_at) if moment is None else (1, moment, deleted_at)


# -- merge --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged state and what changed in it compared with the local one."""

    state: Replica
    added_sessions: tuple[str, ...] = ()
    changed_sessions: tuple[str, ...] = ()
    removed_by_tombstone: tuple[str, ...] = ()
    added_rest: tuple[date, ...] = ()
    removed_rest: tuple[date, ...] = ()
    added_checkins: tuple[str, ...] = ()
    changed_checkins: tuple[str, ...] = ()
    removed_checkins: tuple[str, ...] = ()
    added_measurements: tuple[str, ...] = ()
    removed_measurements: tuple[str, ...] = ()
    new_tombstones: int = 0
    changed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {
            "sessions": len(self.added_sessions),
            "edited_sessions": len(self.changed_sessions),
            "deleted_sessions": len(self.removed_by_tombstone),
            "rest_days": len(self.added_rest),
            "removed_rest_days": len(self.removed_rest),
            "checkins": len(self.added_checkins) + len(self.changed_checkins),
            "deleted_checkins": len(self.removed_checkins),
            "measurements": len(self.added_measurements),
            "deleted_measurements": len(self.removed_measurements),
            "tombstones": self.new_tombstones,
        }


def _join_tombstones(local: dict[str, str], peers: Iterable[dict[str, str]]) -> dict[str, str]:
    out = dict(local)
    for tombstones in peers:
        for rid, deleted_at in tombstones.items():
            current = out.get(rid)
            if current is None or (current != deleted_at and tombstone_key(deleted_at) < tombstone_key(current)):
                out[rid] = deleted_at
    return out


def _join_records(
    local: dict[str, Record], peers: Iterable[dict[str, Record]], tombstones: dict[str, str]
) -> dict[str, Record]:
    out = dict(local)
    for records in peers:
        for rid, record in records.items():
            current = out.get(rid)
            if current is None or (
                current is not record and current != record and version_key(record) > version_key(current)
            ):
                out[rid] = record
    if len(tombstones) < len(out):
        for rid in tombstones:
            out.pop(rid, None)
    else:
        out = {rid: record for rid, record in out.items() if rid not in tombstones}
    return out


def _differences(before: dict[str, Record], after: dict[str, Record]) -> tuple[list[str], list[str], list[str]]:
    added = [rid for rid in after if rid not in before]
    changed = [rid for rid, rec in after.items() if rid in before and before[rid] is not rec and before[rid] != rec]
    removed = [rid for rid in before if rid not in after]
    return sorted(added), sorted(changed), sorted(removed)


def merge(local: Replica, *peers: Replica) -> MergeResult:
    """Join ``local`` with every peer; the counts say what is new to ``local``."""
    tombstones = _join_tombstones(local.tombstones, (peer.tombstones for peer in peers))
    sessions = _join_records(local.sessions, (peer.sessions for peer in peers), tombstones)
    marks = _join_records(local.rest_marks, (peer.rest_marks for peer in peers), tombstones)
    checkins = _join_records(local.checkins, (peer.checkins for peer in peers), tombstones)
    measurements = _join_records(local.measurements, (peer.measurements for peer in peers), tombstones)
    state = Replica(sessions, marks, tombstones, checkins, measurements)
    added_s, changed_s, removed_s = _differences(local.sessions, sessions)
    added_c, changed_c, removed_c = _differences(local.checkins, checkins)
    added_m, changed_m, removed_m = _differences(local.rest_marks, marks)
    added_v, changed_v, removed_v = _differences(local.measurements, measurements)
    rest_before, rest_after = local.rest_days(), state.rest_days()
    new_tombstones = sum(1 for rid in tombstones if rid not in local.tombstones)
    changed = (
        bool(
            added_s or changed_s or removed_s or added_c or changed_c or removed_c or added_m or changed_m or removed_m
        )
        or bool(added_v or changed_v or removed_v)
        or any(local.tombstones.get(rid) != at for rid, at in tombstones.items())
    )
    return MergeResult(
        state=state,
        added_sessions=tuple(added_s),
        changed_sessions=tuple(changed_s),
        removed_by_tombstone=tuple(removed_s),
        added_rest=tuple(sorted(rest_after - rest_before)),
        removed_rest=tuple(sorted(rest_before - rest_after)),
        added_checkins=tuple(added_c),
        changed_checkins=tuple(changed_c),
        removed_checkins=tuple(removed_c),
        added_measurements=tuple(added_v + changed_v),
        removed_measurements=tuple(removed_v),
        new_tombstones=new_tombstones,
        changed=changed,
    )


# -- a computer's own changes ----------------------------------------------------------------
class DeletedRecord(ValueError):
    """The record's id has a tombstone: it was deleted and cannot be written again."""


def put_session(state: Replica, session: Record) -> Replica:
    """Add or replace a session (an edit should carry a new ``edited_at``)."""
    if session["id"] in state.tombstones:
        raise DeletedRecord(f"session {session['id']} was deleted")
    return replace(state, sessions={**state.sessions, session["id"]: session})


def edit_session(state: Replica, session_id: str, changes: Record, now: str) -> Replica:
    """The session with ``changes`` applied and ``edited_at`` set to ``now``."""
    return put_session(state, {**state.sessions[session_id], **changes, "edited_at": now})


def move_session(state: Replica, session_id: str, day: date, now: str) -> Replica:
    """Move a session to ``day``: its start and end move by the same number of days."""
    session = state.sessions[session_id]
    delta = day - date.fromisoformat(session["date"])

    def shift(stamp: str) -> str:
        return (datetime.fromisoformat(stamp) + timedelta(days=delta.days)).isoformat()

    changes = {"date": day.isoformat(), "started_at": shift(session["started_at"])}
    changes["ended_at"] = shift(session["ended_at"])
    return edit_session(state, session_id, changes, now)


def delete(state: Replica, record_id: str, now: str) -> Replica:
    """Tombstone a session, check-in or rest mark (an earlier deletion time is kept)."""
    return merge(state, Replica(tombstones={record_id: now})).state


def mark_rest(state: Replica, day: date, now: str, mark_id: str | None = None) -> Replica:
    """Mark ``day`` as a rest day (unchanged when this computer already has a mark for it)."""
    if day in state.rest_days():
        return state
    if mark_id is None:
        import uuid  # only to make a new mark; reading and merging never need it

        mark_id = str(uuid.uuid4())
    mark = {"id": mark_id, "date": day.isoformat(), "set_at": now}
    if mark["id"] in state.tombstones:
        raise DeletedRecord(f"rest mark {mark['id']} was removed")
    return replace(state, rest_marks={**state.rest_marks, mark["id"]: mark})


def unmark_rest(state: Replica, day: date, now: str) -> Replica:
    """Remove the rest day: tombstone every mark this computer has for ``day``."""
    marks = [mid for mid, mark in state.rest_marks.items() if mark["date"] == day.isoformat()]
    return merge(state, Replica(tombstones=dict.fromkeys(marks, now))).state


def put_checkin(state: Replica, checkin: Record) -> Replica:
    if checkin["id"] in state.tombstones:
        raise DeletedRecord(f"check-in {checkin['id']} was deleted")
    return replace(state, checkins={**state.checkins, checkin["id"]: checkin})


def put_measurement(state: Replica, measurement: Record) -> Replica:
    if measurement["id"] in state.tombstones:
        raise DeletedRecord(f"measurement {measurement['id']} was deleted")
    return replace(state, measurements={**state.measurements, measurement["id"]: measurement})


def legacy_rest_mark(day: date) -> Record:
    """The mark for a rest day kept without an id (the same on every computer)."""
    import uuid

    mark_id = str(uuid.uuid5(uuid.UUID(LEGACY_REST_NAMESPACE), f"rest-day:{day.isoformat()}"))
    return {"id": mark_id, "date": day.isoformat(), "set_at": f"{day.isoformat()}T00:00:00+00:00"}


# -- what ``hamstring sync`` prints ----------------------------------------------------------
def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def summary(result: MergeResult, computers: int, skipped: int = 0, skipped_reason: str = "damaged") -> str:
    """One line, e.g. "from 2 other computers: 5 sessions, 1 rest day, 2 deletions; skipped 1 damaged file"."""
    parts: list[str] = []
    counts = result.counts
    pieces: list[tuple[int, Callable[[int], str]]] = [
        (counts["sessions"], lambda n: _plural(n, "session")),
        (counts["edited_sessions"], lambda n: _plural(n, "edited session")),
        (counts["rest_days"], lambda n: _plural(n, "rest day")),
        (counts["removed_rest_days"], lambda n: _plural(n, "rest day removed", "rest days removed")),
        (counts["checkins"], lambda n: _plural(n, "check-in")),
        (counts["measurements"], lambda n: _plural(n, "measurement")),
        (
            counts["deleted_sessions"] + counts["deleted_checkins"] + counts["deleted_measurements"],
            lambda n: _plural(n, "deletion"),
        ),
    ]
    for count, text in pieces:
        if count:
            parts.append(text(count))
    if computers == 0 and skipped:
        line = "no other computer's file could be read"
    elif computers == 0:
        line = "no other computer has written to the sync folder yet"
    else:
        line = f"from {_plural(computers, 'other computer')}: {', '.join(parts) if parts else 'nothing new'}"
    if skipped:
        line += f"; skipped {_plural(skipped, f'{skipped_reason} file')}"
    return line
