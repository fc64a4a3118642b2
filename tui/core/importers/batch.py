"""An :class:`ImportSource` as hamstring records: what ``hamstring import --from`` writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from ..records import SessionRecord, session_from_dict
from .common import ImportSource


def to_records(source: ImportSource) -> tuple[tuple[SessionRecord, ...], frozenset[date]]:
    """One complete, step-less session (``source: "import"``) per done day, with the id of
    :meth:`ImportSource.session_id`, and the skipped days as rest days.

    The session sits at noon UTC of its day, lasts 0 s and has no time zone: the trackers
    record days, not times. The entry's note is carried (cut to a session note's 500
    characters). Each record goes through :func:`session_from_dict`, so what is written
    is what hamstring reads back.
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
            note=_note(entry.note),
        )
        sessions.append(session_from_dict(record.to_dict()))
    return tuple(sessions), source.rest_days


def _note(text: str | None) -> str | None:
    """A tracker's note as a session note (one line, at most 500 characters), or None."""
    from ..checkins import check_note
    from ..records import RecordError

    if not text:
        return None
    try:
        return check_note(text[:NOTE_MAX].strip()) or None
    except RecordError:  # the importer already removed control characters; anything else: no note
        return None


NOTE_MAX = 500
