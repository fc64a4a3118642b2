"""The whole history in and out: export, import and the sync merge share one join
(:func:`tui.core.sync.merge`) over the replicated form (:mod:`.kinds`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from .edits import StoreEdits

if TYPE_CHECKING:
    from ..records import SessionRecord
    from ..storage import Vouched
    from ..sync import MergeResult, Record, Replica


class ImportOutcome(NamedTuple):
    """What :meth:`HistoryStore.import_many` did with the sessions it was given."""

    added: int  # new to the history
    skipped: int  # already present, the same
    conflicted: int  # present with other content: the local copy was kept


@dataclass(frozen=True, slots=True)
class ImportDetail:
    """Everything an import changed, beyond the sessions' :class:`ImportOutcome`."""

    outcome: ImportOutcome
    merged: MergeResult


def _sort_key(raw: Record) -> tuple[str, str, str]:
    return (str(raw.get("date", "")), str(raw.get("started_at", raw.get("recorded_at", ""))), str(raw.get("id")))


class StoreExchange(StoreEdits):
    """Export, import and the sync merge."""

    def export_all(self, exported_at: datetime | None = None) -> dict[str, Any]:
        """The whole history in the export format: sessions, rest days (as dates, for older
        importers, and as marks), tombstones, check-ins and measurements."""
        from ..transfer import EXPORT_FORMAT, EXPORT_VERSION

        state = self.replica()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": (exported_at or self.clock()).isoformat(timespec="seconds"),
            "sessions": sorted((dict(raw) for raw in state.sessions.values()), key=_sort_key),
            "rest_days": sorted(day.isoformat() for day in state.rest_days()),
            "rest_marks": sorted((dict(raw) for raw in state.rest_marks.values()), key=_sort_key),
            "tombstones": [{"id": rid, "deleted_at": state.tombstones[rid]} for rid in sorted(state.tombstones)],
            "checkins": sorted((dict(raw) for raw in state.checkins.values()), key=_sort_key),
            "measurements": sorted((dict(raw) for raw in state.measurements.values()), key=_sort_key),
        }

    def import_many(
        self, sessions: Iterable[SessionRecord], rest_days: Iterable[date] = (), *, incoming: Replica | None = None
    ) -> ImportOutcome:
        """Merge sessions, rest days and (``incoming``) every other kind in one write.

        Merged by id, tombstones winning either way, so importing twice changes
        nothing the second time. A session whose id is present keeps the local
        copy (``skipped`` when the same, ``conflicted`` when not) unless the
        incoming one is a later edit of it.
        """
        return self.import_detail(sessions, rest_days, incoming=incoming).outcome

    def import_detail(
        self, sessions: Iterable[SessionRecord], rest_days: Iterable[date] = (), *, incoming: Replica | None = None
    ) -> ImportDetail:
        from .. import sync

        given = sync.Replica() if incoming is None else incoming
        extra_sessions = {s.id: s.to_dict() for s in sessions}
        # plain dates (an older export) become legacy marks, unless the marks came along
        plain = set(rest_days) - given.rest_days()
        extra_marks = {mark["id"]: mark for mark in map(sync.legacy_rest_mark, plain)}
        given = sync.merge(given, sync.Replica(sessions=extra_sessions, rest_marks=extra_marks)).state

        def change(local: Replica) -> tuple[Replica, ImportDetail]:
            from ..records import RecordError, session_from_dict

            offered: dict[str, Record] = {}
            added = skipped = conflicted = 0
            for sid, raw in given.sessions.items():
                mine = local.sessions.get(sid)
                if mine is None:
                    added += sid not in local.tombstones
                    offered[sid] = raw
                    continue
                try:
                    same = session_from_dict(mine) == session_from_dict(raw)
                except RecordError:
                    same = False
                if same:
                    skipped += 1
                elif sync.version_key(raw)[:2] > sync.version_key(mine)[:2]:
                    offered[sid] = raw  # a later edit of it
                else:
                    conflicted += 1
            result = sync.merge(
                local, sync.Replica(offered, given.rest_marks, given.tombstones, given.checkins, given.measurements)
            )
            detail = ImportDetail(ImportOutcome(added, skipped, conflicted), result)
            return (result.state if result.changed else local), detail

        return self._replica_change(change)

    def merge_peers(self, peers: Sequence[Replica], checked: Vouched | None = None) -> MergeResult:
        """Join every peer's replica into the history (sync): one locked write, or none
        when nothing is new. ``checked``: the peers' sessions as their read checked them
        (see :func:`tui.core.storage.validated_sessions`): those are not checked twice."""
        from .. import sync

        def change(local: Replica) -> tuple[Replica, MergeResult]:
            result = sync.merge(local, *peers)
            return (result.state if result.changed else local), result

        storage = self._storage
        storage.vouched = checked
        try:
            return self._replica_change(change)
        finally:
            storage.vouched = None
