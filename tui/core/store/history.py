"""The history store: every session and rest day (and, beside them, the settings), kept safe.

:class:`HistoryStore` is the one public entry point the timer, the calendar
and the CLI use. It guarantees:

* every change is one atomic write (see :mod:`tui.core.files`) made under an
  inter-process lock on ``history.json.lock``, after a fresh read inside that
  lock, and checked with the load's own validators before it is written, so
  two running copies never lose each other's writes and hamstring never
  writes a file it would refuse;
* a damaged file is moved aside byte-identical, the newest good backup (or an
  empty history) takes its place, every readable valid record is salvaged,
  and the user is told (:meth:`HistoryStore.take_notices`);
* a file from a newer hamstring is opened read-only and never overwritten;
* one daily backup after a validated load, 14 daily and 12 monthly kept;
* the settings live in ``settings.json`` (:mod:`.settings_store`): changing
  one never touches ``history.json``;
* every failure is a :class:`StoreError` with a one-line message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import schema
from ..document import Document
from .errors import StoreError
from .exchange import StoreExchange

if TYPE_CHECKING:
    from ..digest import Digest
    from ..records import SessionRecord


@dataclass(frozen=True, slots=True)
class HistorySnapshot:
    """Everything the calendar and status need, from one read of the file."""

    sessions: tuple[SessionRecord, ...]
    rest_days: frozenset[date]
    settings: dict[str, Any] = field(default_factory=dict)


class HistoryStore(StoreExchange):
    """The user's history file and everything done to it."""

    @classmethod
    def open(cls, data_dir: Any = None, **kwargs: Any) -> HistoryStore:
        """Open the store and run the start-up checks (see :meth:`startup`)."""
        store = cls(data_dir, **kwargs)
        store.startup()
        return store

    # -- sessions --------------------------------------------------------------
    def record_session(self, session: SessionRecord) -> None:
        """Save a finished (or abandoned) session; saving the same id again replaces it.

        A deleted session's id is refused (:class:`DeletedRecordError`): it stays deleted.
        """
        data = session.to_dict()

        def change() -> None:
            self._refuse_deleted(session.id, "session")
            # Find the id in the raw table (a plain loop) rather than through a TinyDB
            # query, which costs a call chain per session: 20 ms at 10,000 sessions.
            table = self._table("sessions")
            raw = self._storage.read().get("sessions", {})
            existing = [int(key) for key, value in raw.items() if value.get("id") == session.id]
            if existing:
                table.update(data, doc_ids=existing)
            else:
                table.insert(data)

        self._mutate(change)

    def sessions(self, start: date | None = None, end: date | None = None) -> list[SessionRecord]:
        """Sessions whose day is within ``start..end`` (inclusive), oldest first."""
        with self._guard:
            records = self._storage.sessions_of(self._document())
        return [s for s in records if (start is None or s.date >= start) and (end is None or s.date <= end)]

    def sessions_on(self, day: date) -> list[SessionRecord]:
        return self.sessions(day, day)

    def get_session(self, session_id: str) -> SessionRecord | None:
        for session in self.sessions():
            if session.id == session_id:
                return session
        return None

    def mark_day(self, session: SessionRecord) -> None:
        """Mark a day done with a manual session (see :func:`records.manual_session`)."""
        if session.source != "manual":
            raise ValueError("mark_day takes a manual session")
        self.record_session(session)

    def unmark_day(self, day: date) -> int:
        """Delete the manual sessions of ``day`` (they leave tombstones); returns how many."""
        ids = [s.id for s in self.sessions_on(day) if s.source == "manual"]
        return self.delete_sessions(ids) if ids else 0

    # -- rest days -------------------------------------------------------------
    def rest_days(self) -> frozenset[date]:
        with self._guard:
            document = self._loaded_document()
            if document is None:
                return frozenset(self.digest().rest)
            return _rest_days_from(document)

    # -- settings (settings.json; history.json is never touched) ----------------
    def settings(self) -> dict[str, Any]:
        """The saved settings that can be used (a damaged file: none, and a notice)."""
        return self.settings_file.values()

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self.settings().get(key, default)

    def update_setting(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Read-modify-write one setting under the settings' lock: ``change`` gets
        the value as it is in the file now (None when unset) and returns the new
        one, which is saved and returned. Two copies editing at once never lose
        each other's change."""
        return self.settings_file.update(key, change)

    def set_setting(self, key: str, value: Any) -> None:
        self.settings_file.update(key, lambda _current: value)

    # -- the digest ----------------------------------------------------------------
    def _fresh_digest(self) -> Digest | None:
        """The saved digest when it belongs to the file as it is now (kept in memory)."""
        from .. import digest as digests

        current = digests.identity(self.path)
        if current is None:
            return None
        if self._digest is not None and self._digest[0] == current:
            return self._digest[1]
        found = digests.read_fresh(self.path, schema.SCHEMA_VERSION, current)
        if found is not None:
            self._digest = (current, found)
        return found

    def digest(self) -> Digest:
        """What the calendar, the header and ``status`` show (see :mod:`tui.core.digest`).

        Read from ``history.json.digest`` when it belongs to the file as it is;
        otherwise computed from the history, loaded with every check, and saved
        for the next start. Its ``settings`` are the settings as they are now
        (they are not part of the saved digest).
        """
        return self._history_digest().replace(settings=self.settings())

    def _history_digest(self) -> Digest:
        from .. import digest as digests

        with self._guard:
            found = self._fresh_digest()
            if found is not None:
                return found
            document = self._document()
            snapshot = self._snapshot_of(document)
            found = digests.digest_of(snapshot.sessions, snapshot.rest_days)
            identity = self._storage.identity_of(document)
            if identity is not None and self.read_only_reason is None:
                digests.write(self.path, identity, found, schema.SCHEMA_VERSION)
            self._digest = (identity, found) if identity is not None else None
            return found

    def renew_digest(self) -> None:
        """Work out (and save) the digest now, best effort: after a write, from a
        worker thread or a command, so the next reader finds it ready. An error
        is left for :meth:`digest` to raise where it can be told."""
        with contextlib.suppress(StoreError):
            self._history_digest()

    # -- whole history ---------------------------------------------------------
    def snapshot(self) -> HistorySnapshot:
        with self._guard:
            return self._snapshot_of(self._document())

    def _snapshot_of(self, document: Document) -> HistorySnapshot:
        return HistorySnapshot(
            sessions=tuple(self._storage.sessions_of(document)),
            rest_days=_rest_days_from(document),
            settings=self.settings(),
        )


def _rest_days_from(document: Document) -> frozenset[date]:
    from ..records import RecordError
    from ..storage import rest_day_of

    days = set()
    for raw in document.get("rest_days", {}).values():
        try:
            days.add(rest_day_of(raw))
        except RecordError:
            continue
    return frozenset(days)
