"""An :class:`ImportSource` as hamstring records: what ``hamstring import --from`` writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from ..records import SessionRecord, session_from_dict
from .common import ImportSource


def to_records(source: ImportSource) -> tuple[tuple[SessionRecord, ...], frozenset[date]]:
    """One complete, step-less session (``source: "import"``) per done day, with the id of
    :meth:`ImportSource.session_id`, and the skipped days as rest days.

    The session sits at noon UTC of its day, lasts 0 s and has no time zone: the trackers
    record days, not times. Each record goes through :func:`session_from_dict`, so what is
    written is what hamstring reads back. (A :class:`SessionRecord` has no note field yet:
    the entries' notes are not kept.)
    """
    sessions = []
    for entry in source.entries:
        if entry.kind != "done":
            continue
        at = datetime.combine(entry.day, time(12, 0), tzinfo=UTC)
        record = SessionRecord(
            id=source.session_id(entry.day),
            date=entry.day,
            started_at=at,
            ended_at=at,
            tz=None,
            duration_s=0,
            complete=True,
            source="import",
            steps=(),
        )
        sessions.append(session_from_dict(record.to_dict()))
    return tuple(sessions), source.rest_days
