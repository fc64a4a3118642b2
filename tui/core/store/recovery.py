"""A damaged history: moved aside byte-identical, and what can be read of it salvaged.

The salvage reads records one at a time (:meth:`json.JSONDecoder.raw_decode`
from every ``"<id>": {`` in the text), so a torn or damaged file loses only the
records the damage touches, not the whole table after it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..document import Document
from ..files import describe
from .backups import utc_stamp
from .errors import StoreError

_DOCUMENT_START = re.compile(r'"\d+"\s*:\s*\{')


def aside_path(path: Path, clock: Callable[[], datetime]) -> Path:
    """A free ``<name>.corrupt-<UTC stamp>[-n]`` beside ``path``."""
    stamp = utc_stamp(clock())
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    return candidate


def move_aside(real: Path, shown: Path, reason: str, clock: Callable[[], datetime]) -> Path:
    """Rename the damaged file ``real`` (``shown`` is the name the user knows) to a free
    ``.corrupt-<stamp>`` name beside it, byte for byte; where it went, or :class:`StoreError`."""
    aside = aside_path(real, clock)
    try:
        os.rename(real, aside)
    except OSError as error:
        raise StoreError(f"{shown} is damaged ({reason}) and cannot be moved aside: {describe(error)}") from None
    return aside


def readable_documents(data: bytes) -> Iterator[dict[str, Any]]:
    """Every JSON object stored under a numeric key that can be read whole from ``data``."""
    try:
        text = data.decode("utf-8")
        lossy = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        lossy = True
    decoder = json.JSONDecoder()
    position = 0
    while (match := _DOCUMENT_START.search(text, position)) is not None:
        start = match.end() - 1
        try:
            found, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            position = match.end()
            continue
        if lossy and "\ufffd" in text[start:end]:  # a byte that was not UTF-8: the record is damaged
            position = match.end()
            continue
        if isinstance(found, dict):
            yield found
        position = end


def _same_session(raw: Any, parsed: Any) -> bool:
    from ..records import RecordError, session_from_dict

    try:
        return bool(session_from_dict(raw) == parsed)
    except RecordError:
        return False


def _salvage_kind(raw: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The table and the checked row for a record that is not a session, or None."""
    from ..checkins import CHECKIN_FIELDS, MEASUREMENT_FIELDS, checkin_from_dict, measurement_from_dict
    from ..records import RecordError
    from .kinds import rest_mark_of, tombstone_of

    keys = set(raw)
    try:
        if keys in ({"date"}, {"id", "date", "set_at"}):
            return "rest_days", rest_mark_of(raw)
        if keys == {"id", "deleted_at"}:
            rid, deleted_at = tombstone_of(raw)
            return "tombstones", {"id": rid, "deleted_at": deleted_at}
        if keys == set(CHECKIN_FIELDS):
            return "checkins", checkin_from_dict(raw).to_dict()
        if keys == set(MEASUREMENT_FIELDS):
            return "measurements", measurement_from_dict(raw).to_dict()
    except RecordError:
        return None
    return None


def salvage(bad_bytes: bytes, document: Document) -> int:
    """Copy the valid records readable from ``bad_bytes`` into ``document``.

    A session the document lacks is added; one it holds with other content is
    replaced by the damaged file's (the newer) copy. Rest marks, tombstones,
    check-ins and measurements are added by id; a record with a tombstone is
    dropped. Returns how many records were recovered.
    """
    from ..records import RecordError, session_from_dict

    sessions = document.setdefault("sessions", {})
    by_id = {raw.get("id"): key for key, raw in sessions.items()}
    next_session = max((int(key) for key in sessions), default=0) + 1
    recovered = 0
    for raw in readable_documents(bad_bytes):
        kind = _salvage_kind(raw)
        if kind is not None:
            table, row = kind
            rows = document.setdefault(table, {})
            if all(other.get("id") != row["id"] for other in rows.values()):
                rows[str(max((int(key) for key in rows), default=0) + 1)] = row
                recovered += 1
            continue
        try:
            parsed = session_from_dict(raw)
        except RecordError:
            continue
        key = by_id.get(parsed.id)
        if key is None:
            key = str(next_session)
            next_session += 1
            by_id[parsed.id] = key
        elif _same_session(sessions[key], parsed):
            continue
        sessions[key] = parsed.to_dict()
        recovered += 1
    return max(0, recovered - _drop_tombstoned(document))


def _drop_tombstoned(document: Document) -> int:
    """Remove the rows a tombstone deletes; returns how many."""
    dead = {raw.get("id") for raw in document.get("tombstones", {}).values()}
    dropped = 0
    for table in ("sessions", "rest_days", "checkins", "measurements"):
        rows = document.get(table, {})
        for key in [key for key, raw in rows.items() if raw.get("id") is not None and raw.get("id") in dead]:
            del rows[key]
            dropped += 1
    return dropped
