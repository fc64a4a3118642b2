"""Changes that go through the replicated form of the history (see :mod:`.kinds`):
deletions that leave tombstones, moves and notes on sessions, rest marks,
check-ins and measurements. Each is one locked, validated, atomic write."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from .base import StoreBase
from .errors import DeletedRecordError, StoreError, UnknownRecord

if TYPE_CHECKING:
    from ..checkins import CheckIn, Measurement
    from ..document import RowTexts
    from ..sync import Replica

T = TypeVar("T")


def _short(record_id: str) -> str:
    """An id as a message shows it: control characters and length made harmless."""
    shown = "".join(char if char.isprintable() else "?" for char in record_id)
    return shown if len(shown) <= 40 else shown[:37] + "..."


class StoreEdits(StoreBase):
    """Edits of the history kept as records by id, with tombstones for deletions."""

    def _now(self) -> str:
        return self.clock().isoformat()

    def _replica_change(self, change: Callable[[Replica], tuple[Replica, T]]) -> T:
        """Run ``change`` on the history as a replica, in one locked write when it changed it."""
        from .kinds import apply, replica_from

        def run() -> T:
            document = self._storage.read()
            state = replica_from(document)
            new, result = change(state)
            if new is not state:
                apply(document, new)
                self._storage.write(document)
            return result

        return self._mutate(run)

    def replica(self) -> Replica:
        """The whole history as a replica (what the sync folder and an export hold)."""
        from .kinds import replica_from

        with self._guard:
            return replica_from(self._document())

    def replica_and_texts(self) -> tuple[Replica, RowTexts]:
        """:meth:`replica`, and the JSON text of its rows as the file holds them (see
        :meth:`tui.core.storage.AtomicJSONStorage.row_texts`): writing them again needs no encoding."""
        from .kinds import replica_from

        with self._guard:
            document = self._document()
            return replica_from(document), self._storage.row_texts(document)

    def tombstones(self) -> dict[str, str]:
        """Every deleted record's id and the time it was deleted."""
        return dict(self.replica().tombstones)

    def _tombstoned(self, record_id: str) -> bool:
        return any(raw.get("id") == record_id for raw in self._storage.read().get("tombstones", {}).values())

    def _refuse_deleted(self, record_id: str, what: str) -> None:
        if self._tombstoned(record_id):
            raise DeletedRecordError(f"not saved: this {what} ({_short(record_id)}) was deleted")

    # -- sessions --------------------------------------------------------------
    def delete_sessions(self, session_ids: Iterable[str]) -> int:
        """Delete every session named, leaving tombstones; all or nothing.

        An id that is not a live session raises :class:`UnknownRecord` and nothing changes.
        """
        from .. import sync

        wanted = list(dict.fromkeys(sid.strip().lower() for sid in session_ids))
        now = self._now()

        def change(state: Replica) -> tuple[Replica, int]:
            for sid in wanted:
                if sid not in state.sessions:
                    gone = "was deleted" if sid in state.tombstones else "is not in your history"
                    raise UnknownRecord(f"no session {_short(sid)}: it {gone}; nothing deleted")
            if not wanted:
                return state, 0
            return sync.merge(state, sync.Replica(tombstones=dict.fromkeys(wanted, now))).state, len(wanted)

        return self._replica_change(change)

    def delete_session(self, session_id: str) -> bool:
        """Delete one session (it leaves a tombstone); False when there was none by that id."""
        try:
            return self.delete_sessions([session_id]) == 1
        except UnknownRecord:
            return False

    def _edit_session(self, session_id: str, edit: Callable[[Replica, str, str], Replica]) -> None:
        from .. import sync

        sid = session_id.strip().lower()
        now = self._now()

        def change(state: Replica) -> tuple[Replica, None]:
            if sid not in state.sessions:
                gone = "was deleted" if sid in state.tombstones else "is not in your history"
                raise UnknownRecord(f"no session {_short(sid)}: it {gone}")
            try:
                return edit(state, sid, now), None
            except (OverflowError, ValueError) as error:
                if isinstance(error, sync.DeletedRecord):
                    raise DeletedRecordError(f"not saved: {error}") from None
                raise StoreError(f"not saved: {error}") from None

        self._replica_change(change)

    def move_session(self, session_id: str, day: date, today: date | None = None) -> None:
        """Move a session to ``day`` (1970-01-01 to tomorrow); its start and end move with it."""
        from .. import sync
        from ..records import RecordError, check_session_date

        try:
            check_session_date(day, today or self.clock().date())
        except RecordError as error:
            raise StoreError(f"not moved: {error.problem}") from None
        self._edit_session(session_id, lambda state, sid, now: sync.move_session(state, sid, day, now))

    def set_session_note(self, session_id: str, note: str | None) -> None:
        """Set (or with None or blank text, remove) a session's note: one line, 500 characters at most."""
        from .. import sync
        from ..checkins import check_note
        from ..records import RecordError

        try:
            text = check_note(note) if note is not None else ""
        except RecordError as error:
            raise StoreError(f"not saved: the note {error.problem}") from None

        def edit(state: Replica, sid: str, now: str) -> Replica:
            session = {key: value for key, value in state.sessions[sid].items() if key != "note"}
            return sync.put_session(state, {**session, **({"note": text} if text else {}), "edited_at": now})

        self._edit_session(session_id, edit)

    # -- rest days ---------------------------------------------------------------
    def set_rest_day(self, day: date, rest: bool) -> None:
        """Mark ``day`` as a rest day, or remove it (its marks get tombstones)."""
        from .. import sync

        now = self._now()

        def change(state: Replica) -> tuple[Replica, None]:
            if rest:
                return sync.mark_rest(state, day, now), None
            if day not in state.rest_days():
                return state, None
            return sync.unmark_rest(state, day, now), None

        self._replica_change(change)

    # -- check-ins and measurements --------------------------------------------------
    def add_checkin(self, checkin: CheckIn) -> None:
        """Keep a check-in. Another one the same day is kept too; the latest counts
        (:func:`tui.core.checkins.latest_per_day`), and both sync as they are."""
        from .. import sync
        from ..checkins import checkin_from_dict

        record = checkin_from_dict(checkin.to_dict()).to_dict()  # exactly what a load reads back

        def change(state: Replica) -> tuple[Replica, None]:
            try:
                return sync.put_checkin(state, record), None
            except sync.DeletedRecord as error:
                raise DeletedRecordError(f"not saved: {error}") from None

        self._replica_change(change)

    def add_measurement(self, measurement: Measurement) -> None:
        from .. import sync
        from ..checkins import measurement_from_dict

        record = measurement_from_dict(measurement.to_dict()).to_dict()

        def change(state: Replica) -> tuple[Replica, None]:
            try:
                return sync.put_measurement(state, record), None
            except sync.DeletedRecord as error:
                raise DeletedRecordError(f"not saved: {error}") from None

        self._replica_change(change)

    def delete_checkin(self, checkin_id: str) -> None:
        """Delete a check-in or a measurement by id (it leaves a tombstone)."""
        from .. import sync

        rid = checkin_id.strip().lower()
        now = self._now()

        def change(state: Replica) -> tuple[Replica, None]:
            if rid not in state.checkins and rid not in state.measurements:
                raise UnknownRecord(f"no check-in or measurement {_short(rid)}")
            return sync.delete(state, rid, now), None

        self._replica_change(change)

    def checkins(self, start: date | None = None, end: date | None = None) -> list[CheckIn]:
        """Every check-in (several a day may be kept: the latest counts), oldest first."""
        from ..checkins import checkin_from_dict

        with self._guard:
            rows = list(self._document().get("checkins", {}).values())
        found = [checkin_from_dict(raw) for raw in rows]
        found = [c for c in found if (start is None or c.date >= start) and (end is None or c.date <= end)]
        return sorted(found, key=lambda c: (c.date, c.recorded_at, c.id))

    def checkins_on(self, day: date) -> list[CheckIn]:
        """The check-ins of one day, oldest first (for the Calendar's day detail)."""
        return self.checkins(day, day)

    def measurements(self, start: date | None = None, end: date | None = None) -> list[Measurement]:
        """Every measurement, oldest first."""
        from ..checkins import measurement_from_dict

        with self._guard:
            rows = list(self._document().get("measurements", {}).values())
        found = [measurement_from_dict(raw) for raw in rows]
        found = [m for m in found if (start is None or m.date >= start) and (end is None or m.date <= end)]
        return sorted(found, key=lambda m: (m.date, m.recorded_at, m.id))
