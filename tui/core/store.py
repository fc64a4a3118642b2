"""The history store: every session, rest day and setting, kept safe.

:class:`HistoryStore` is the one public entry point the timer, the calendar
and the CLI use. It guarantees:

* every change is one atomic write (see :mod:`tui.core.storage`) made under an
  inter-process lock on ``history.json.lock``, after a fresh read inside that
  lock, so two running copies never lose each other's writes;
* a damaged file is moved aside byte-identical, the newest good backup (or an
  empty history) takes its place, valid records are salvaged, and the user is
  told both paths through :attr:`HistoryStore.notices`;
* a file from a newer hamstring is opened read-only and never overwritten;
* one daily backup after a validated load, 14 daily and 12 monthly kept.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import paths
from .document import (
    CorruptHistory,
    Document,
    decode_document,
    empty_document,
    schema_version_of,
    serialise,
)
from .files import (
    StorageWriteError,
    atomic_copy,
    atomic_write_bytes,
    remove_stale_temps,
)
from .schema import SCHEMA_VERSION

LOCK_TIMEOUT_S = 5.0
KEEP_DAILY = 14
KEEP_MONTHLY = 12
BACKUP_PATTERN = re.compile(r"^history-(\d{4}-\d{2}-\d{2})\.json$")

if TYPE_CHECKING:
    from tinydb.table import Table

    from .digest import Digest
    from .records import SessionRecord
    from .storage import AtomicJSONStorage

T = TypeVar("T")

#: Upgrades from schema N to N+1, applied in order to an older file at start-up.
MIGRATIONS: dict[int, Callable[[Document], Document]] = {}


class StoreError(Exception):
    """Something the user must be told; ``str(error)`` is one line."""


class StoreBusy(StoreError):
    """Another hamstring held the lock for longer than the timeout."""


class StoreReadOnly(StoreError):
    """The history cannot be changed (newer schema, or an unwritable place)."""


@dataclass(frozen=True, slots=True)
class HistorySnapshot:
    """Everything the calendar and status need, from one read of the file."""

    sessions: tuple[SessionRecord, ...]
    rest_days: frozenset[date]
    settings: dict[str, Any] = field(default_factory=dict)


def _local_now() -> datetime:
    return datetime.now().astimezone()


class HistoryStore:
    """The user's history file and everything done to it."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
        clock: Callable[[], datetime] = _local_now,
    ):
        self.data_dir = paths.data_dir(data_dir)
        self.path = self.data_dir / paths.HISTORY_FILENAME
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = self.data_dir / "backups"
        self.lock_timeout = lock_timeout
        self.clock = clock
        self.notices: list[str] = []
        self.read_only_reason: str | None = None
        self._storage_made: AtomicJSONStorage | None = None
        self._lock: Any = None
        self._lock_depth = 0
        # Threads of one process (the app saves from workers) take turns here first;
        # the file lock then keeps other processes out.
        self._guard = threading.RLock()
        self._digest: tuple[list[int], Digest] | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> HistoryStore:
        """Open the store and run the start-up checks (see :meth:`startup`)."""
        store = cls(data_dir, **kwargs)
        store.startup()
        return store

    @property
    def _storage(self) -> AtomicJSONStorage:
        """The TinyDB storage, made (and TinyDB loaded) the first time the file is parsed."""
        if self._storage_made is None:
            from .storage import AtomicJSONStorage

            self._storage_made = AtomicJSONStorage(self.path)
        return self._storage_made

    def _loaded_document(self) -> Document | None:
        """The parsed history if it is loaded and still what the file holds, else None."""
        return self._storage_made.cached_if_fresh() if self._storage_made is not None else None

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # -- locking -------------------------------------------------------------
    def _acquire(self, timeout: float | None = None) -> None:
        from .lock import FileLock, LockTimeout

        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the data directory {self.data_dir}: {error.strerror}") from None
        if self._lock is None:
            self._lock = FileLock(self.lock_path, timeout=self.lock_timeout)
        try:
            self._lock.acquire(timeout)
        except LockTimeout:
            raise StoreBusy(
                f"another hamstring is saving to {self.path}; nothing was changed, try again in a moment"
            ) from None
        except OSError as error:
            raise StoreError(f"cannot lock {self.lock_path}: {error.strerror or error}") from None

    class _Locked:
        def __init__(self, store: HistoryStore, timeout: float | None):
            self.store = store
            self.timeout = timeout

        def __enter__(self) -> None:
            self.store._guard.acquire()
            try:
                if self.store._lock_depth == 0:
                    self.store._acquire(self.timeout)
            except BaseException:
                self.store._guard.release()
                raise
            self.store._lock_depth += 1

        def __exit__(self, *exc: object) -> None:
            try:
                self.store._lock_depth -= 1
                if self.store._lock_depth == 0:
                    self.store._lock.release()
            finally:
                self.store._guard.release()

    def locked(self, timeout: float | None = None) -> HistoryStore._Locked:
        """Hold the inter-process lock (re-entrant within this store, one thread at a time).

        ``timeout`` overrides the store's wait for another process's lock.
        """
        return HistoryStore._Locked(self, timeout)

    # -- start-up --------------------------------------------------------------
    def startup(self) -> None:
        """Clean stale temp files, load and validate (recovering if needed),
        migrate an older schema, and make today's backup.

        When ``history.json.digest`` belongs to the file as it is (the file has
        not been written since a validated load made the digest), the file is
        not parsed at all: the digest has what the app shows first, and the
        backup is a byte copy.
        """
        try:
            with self.locked():
                if self._start_from_digest():
                    return
                remove_stale_temps(self.path)
                document = self._load_or_recover()
                version = schema_version_of(document)
                if version > SCHEMA_VERSION:
                    self._open_newer(version)
                    return
                if version < SCHEMA_VERSION:
                    document = self._migrate(document, version)
                self._daily_backup(document)
        except StoreBusy:
            # Another copy is mid-write; reads still work and writes will wait their turn.
            self._load_for_reading()
        except (StoreError, OSError) as error:
            reason = (
                str(error) if isinstance(error, StoreError) else f"cannot use {self.path}: {error.strerror or error}"
            )
            self.read_only_reason = reason
            self.notices.append(f"{reason}; changes cannot be saved")
            self._load_for_reading()

    def quick_start(self) -> bool:
        """:meth:`startup` when it can finish at once: the digest is fresh and no
        other copy holds the lock. Returns False (having changed nothing) when the
        full :meth:`startup` is needed, which may parse the history or wait."""
        try:
            with self.locked(timeout=0):
                return self._start_from_digest()
        except (StoreError, OSError):
            return False

    def _start_from_digest(self) -> bool:
        """The start-up when the digest is fresh (lock held): clean stale temp
        files and make today's backup as a byte copy. False, having done
        nothing, when the digest is not fresh."""
        if self._fresh_digest() is None:
            return False
        remove_stale_temps(self.path)
        self._daily_backup_copy()
        return True

    def _load_for_reading(self) -> None:
        try:
            version = schema_version_of(self._storage.load())
        except OSError as error:
            self.notices.append(f"cannot read {self.path}: {error.strerror or error}")
            self.read_only_reason = self.read_only_reason or f"cannot read {self.path}"
            self._storage.read_only = True
            return
        except CorruptHistory as error:
            self.notices.append(f"{self.path} is damaged ({error.reason}) and could not be repaired")
            self.read_only_reason = self.read_only_reason or f"{self.path} is damaged and could not be repaired"
            self._storage.read_only = True
            return
        if version > SCHEMA_VERSION:
            self._open_newer(version)

    def _open_newer(self, version: int) -> None:
        self.read_only_reason = (
            f"{self.path} was written by a newer hamstring (history schema {version}, this one knows "
            f"{SCHEMA_VERSION}); it is open read-only, upgrade hamstring to make changes"
        )
        self._storage.read_only = True
        self.notices.append(self.read_only_reason)

    def _migrate(self, document: Document, version: int) -> Document:
        stamp = self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = self.backup_dir / f"history-v{version}-before-migration-{stamp}.json"
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(backup, self.path.read_bytes())
        while version < SCHEMA_VERSION:
            document = MIGRATIONS[version](document)
            version += 1
        document.setdefault("_meta", {})["1"] = {"schema_version": SCHEMA_VERSION}
        from .storage import validate_document

        validate_document(document)
        self._write_whole(document)
        self.notices.append(f"upgraded the history to schema {SCHEMA_VERSION}; the old file is kept as {backup}")
        return document

    # -- corruption ----------------------------------------------------------
    def _load_or_recover(self) -> Document:
        """The validated document; a damaged file is recovered first. Lock held."""
        try:
            return self._storage.load()
        except CorruptHistory as error:
            self._recover(error)
            return self._storage.load()

    def _aside_path(self) -> Path:
        stamp = self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        candidate = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while candidate.exists():
            candidate = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        return candidate

    def _recover(self, error: CorruptHistory) -> None:
        """Move the bad file aside untouched, restore a backup, salvage what is valid."""
        try:
            bad_bytes = self.path.read_bytes()
        except OSError:
            bad_bytes = b""
        aside = self._aside_path()
        try:
            os.rename(self.path, aside)
        except OSError as rename_error:
            raise StoreError(
                f"{self.path} is damaged ({error.reason}) and cannot be moved aside: {rename_error.strerror}"
            ) from None
        restored_from, document = self._newest_good_backup()
        salvaged = _salvage(bad_bytes, document)
        self._write_whole(document)
        outcome = f"restored the backup {restored_from}" if restored_from is not None else "started a new history"
        if salvaged:
            outcome += f" and recovered {salvaged} record{'s' if salvaged != 1 else ''} from the damaged file"
        self.notices.append(f"{self.path} was damaged ({error.reason}): moved it to {aside}, {outcome}")

    def _newest_good_backup(self) -> tuple[Path | None, Document]:
        from .storage import validate_document

        for _day, backup in sorted(self._backups(), reverse=True):
            try:
                document = decode_document(backup.read_bytes())
                if schema_version_of(document) != SCHEMA_VERSION:
                    continue
                validate_document(document)
            except (OSError, CorruptHistory):
                continue
            return backup, document
        return None, empty_document()

    def _write_whole(self, document: Document) -> None:
        try:
            self._storage.write_document(document)
        except StorageWriteError as error:
            raise StoreError(f"{error.strerror}; your history is unchanged") from None

    # -- backups -------------------------------------------------------------
    def _backups(self) -> list[tuple[date, Path]]:
        found = []
        try:
            entries = list(self.backup_dir.iterdir())
        except OSError:
            return found
        for entry in entries:
            match = BACKUP_PATTERN.match(entry.name)
            if match:
                try:
                    found.append((date.fromisoformat(match.group(1)), entry))
                except ValueError:
                    continue
        return found

    def _daily_backup(self, document: Document) -> None:
        self._write_daily_backup(lambda target: atomic_write_bytes(target, serialise(document)))

    def _daily_backup_copy(self) -> None:
        """Today's backup as a copy of the file, known good (its digest is fresh)."""
        self._write_daily_backup(lambda target: atomic_copy(self.path, target))

    def _write_daily_backup(self, write: Callable[[Path], None]) -> None:
        if not self.path.exists():
            return
        today = self.clock().date()
        target = self.backup_dir / f"history-{today.isoformat()}.json"
        if target.exists():
            return
        try:
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            write(target)
        except (OSError, StorageWriteError) as error:
            self.notices.append(f"could not write the daily backup {target}: {error}")
            return
        self._prune_backups()

    def _prune_backups(self) -> None:
        backups = sorted(self._backups(), reverse=True)
        keep = {path for _, path in backups[:KEEP_DAILY]}
        newest_per_month: dict[tuple[int, int], Path] = {}
        for day, path in backups:
            newest_per_month.setdefault((day.year, day.month), path)
        keep.update(list(newest_per_month.values())[:KEEP_MONTHLY])
        for _, path in backups:
            if path not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()

    # -- the read-modify-write core -------------------------------------------
    def _mutate(self, change: Callable[[], T]) -> T:
        """Run ``change`` (TinyDB operations) as one locked, fresh, atomic write."""
        if self.read_only_reason is not None:
            raise StoreReadOnly(self.read_only_reason)
        with self.locked():
            for attempt in range(2):
                try:
                    with self._storage.transaction() as document:
                        if schema_version_of(document) != SCHEMA_VERSION:
                            raise StoreReadOnly(f"{self.path} changed to another schema; restart hamstring")
                        return change()
                except CorruptHistory as error:
                    if attempt:
                        raise StoreError(f"{self.path} is damaged ({error.reason})") from None
                    self._recover(error)
                except StorageWriteError as error:
                    raise StoreError(f"{error.strerror}; your history is unchanged") from None
        raise AssertionError("unreachable")

    def _document(self) -> Document:
        """A validated document for reading; recovers a damaged file first.

        Callers hold ``self._guard`` while they use it: a write in another
        thread changes the cached document in place.
        """
        try:
            return self._storage.load()
        except OSError as error:
            raise StoreError(f"cannot read {self.path}: {error.strerror or error}") from None
        except CorruptHistory:
            if self.read_only_reason is not None:
                return empty_document()
            with self.locked():
                return self._load_or_recover()

    def _table(self, name: str) -> Table:
        """A fresh TinyDB table over the storage.

        Fresh on purpose: a long-lived table caches its next document id and
        query results, which go stale when another process writes the file.
        """
        from tinydb.table import Table

        return Table(self._storage, name, cache_size=0)

    # -- sessions --------------------------------------------------------------
    def record_session(self, session: SessionRecord) -> None:
        """Save a finished (or abandoned) session; saving the same id again replaces it."""
        data = session.to_dict()

        def change() -> None:
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

    def delete_session(self, session_id: str) -> bool:
        from tinydb import Query

        removed = self._mutate(lambda: self._table("sessions").remove(Query().id == session_id))
        return bool(removed)

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
        """Remove the manual sessions of ``day``; returns how many were removed."""
        from tinydb import Query

        query = Query()
        removed = self._mutate(
            lambda: self._table("sessions").remove((query.date == day.isoformat()) & (query.source == "manual"))
        )
        return len(removed)

    # -- rest days -------------------------------------------------------------
    def rest_days(self) -> frozenset[date]:
        with self._guard:
            document = self._loaded_document()
            if document is None:
                return frozenset(self.digest().rest)
            return _rest_days_from(document)

    def set_rest_day(self, day: date, rest: bool) -> None:
        from tinydb import Query

        query = Query().date == day.isoformat()

        def change() -> None:
            table = self._table("rest_days")
            if rest:
                table.upsert({"date": day.isoformat()}, query)
            else:
                table.remove(query)

        self._mutate(change)

    # -- settings --------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The saved settings: from the parsed history when it is loaded, else from the digest."""
        with self._guard:
            document = self._loaded_document()
            if document is None:
                return dict(self.digest().settings)
            return _settings_from(document)

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self.settings().get(key, default)

    def update_setting(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Read-modify-write one setting under the lock: ``change`` gets the value
        as it is in the file now (None when unset) and returns the new one, which
        is saved and returned. Two copies editing at once never lose each other's change."""
        from tinydb import Query

        def apply() -> Any:
            table = self._table("settings")
            found = table.get(Query().key == key)
            current = found.get("value") if isinstance(found, dict) else None
            value = change(current)
            table.upsert({"key": key, "value": value}, Query().key == key)
            return value

        return self._mutate(apply)

    def set_setting(self, key: str, value: Any) -> None:
        from tinydb import Query

        self._mutate(lambda: self._table("settings").upsert({"key": key, "value": value}, Query().key == key))

    # -- the digest ----------------------------------------------------------------
    def _fresh_digest(self) -> Digest | None:
        """The saved digest when it belongs to the file as it is now (kept in memory)."""
        from . import digest as digests

        current = digests.identity(self.path)
        if current is None:
            return None
        if self._digest is not None and self._digest[0] == current:
            return self._digest[1]
        found = digests.read_fresh(self.path, SCHEMA_VERSION, current)
        if found is not None:
            self._digest = (current, found)
        return found

    def digest(self) -> Digest:
        """What the calendar, the header and ``status`` show (see :mod:`tui.core.digest`).

        Read from ``history.json.digest`` when it belongs to the file as it is;
        otherwise computed from the history, loaded with every check, and saved
        for the next start.
        """
        from . import digest as digests

        with self._guard:
            found = self._fresh_digest()
            if found is not None:
                return found
            document = self._document()
            snapshot = self._snapshot_of(document)
            found = digests.digest_of(snapshot.sessions, snapshot.rest_days, snapshot.settings)
            identity = self._storage.identity_of(document)
            if identity is not None and self.read_only_reason is None:
                digests.write(self.path, identity, found, SCHEMA_VERSION)
            self._digest = (identity, found) if identity is not None else None
            return found

    def renew_digest(self) -> None:
        """Work out (and save) the digest now, best effort: after a write, from a
        worker thread or a command, so the next reader finds it ready. An error
        is left for :meth:`digest` to raise where it can be told."""
        with contextlib.suppress(StoreError):
            self.digest()

    # -- whole history ---------------------------------------------------------
    def snapshot(self) -> HistorySnapshot:
        with self._guard:
            return self._snapshot_of(self._document())

    def _snapshot_of(self, document: Document) -> HistorySnapshot:
        return HistorySnapshot(
            sessions=tuple(self._storage.sessions_of(document)),
            rest_days=_rest_days_from(document),
            settings=_settings_from(document),
        )

    def snapshot_with_identity(self) -> tuple[HistorySnapshot, list[int] | None]:
        """A snapshot and the identity (inode, size, mtime, ctime) of the file it came from."""
        with self._guard:
            document = self._document()
            return self._snapshot_of(document), self._storage.identity_of(document)

    def export_all(self, exported_at: datetime | None = None) -> dict[str, Any]:
        from .transfer import EXPORT_FORMAT, EXPORT_VERSION

        with self._guard:
            document = self._document()
            sessions = sorted(
                (dict(raw) for raw in document.get("sessions", {}).values()),
                key=lambda raw: (raw.get("date", ""), raw.get("started_at", "")),
            )
            rest_days = _rest_days_from(document)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": (exported_at or self.clock()).isoformat(timespec="seconds"),
            "sessions": sessions,
            "rest_days": sorted(day.isoformat() for day in rest_days),
        }

    def import_many(self, sessions: Iterable[SessionRecord], rest_days: Iterable[date] = ()) -> tuple[int, int]:
        """Merge sessions (skipping ids already present) and rest days in one write.

        Returns ``(added, skipped)``.
        """
        incoming = list(sessions)
        incoming_rest = sorted(set(rest_days))

        def change() -> tuple[int, int]:
            table = self._table("sessions")
            present = {doc["id"] for doc in table.all()}
            fresh = []
            for session in incoming:
                if session.id not in present:
                    present.add(session.id)
                    fresh.append(session.to_dict())
            if fresh:
                table.insert_multiple(fresh)
            rest_table = self._table("rest_days")
            known = {doc["date"] for doc in rest_table.all()}
            new_rest = [{"date": d.isoformat()} for d in incoming_rest if d.isoformat() not in known]
            if new_rest:
                rest_table.insert_multiple(new_rest)
            return len(fresh), len(incoming) - len(fresh)

        return self._mutate(change)


def _rest_days_from(document: Document) -> frozenset[date]:
    from .records import RecordError, parse_date

    days = set()
    for raw in document.get("rest_days", {}).values():
        try:
            days.add(parse_date(raw.get("date")))
        except RecordError:
            continue
    return frozenset(days)


def _settings_from(document: Document) -> dict[str, Any]:
    return {
        raw["key"]: raw["value"] for raw in document.get("settings", {}).values() if isinstance(raw.get("key"), str)
    }


def _salvage(bad_bytes: bytes, document: Document) -> int:
    """Copy the valid sessions and rest days of a damaged file into ``document``.

    Only records whose ids (or dates) ``document`` lacks are added. Returns how
    many records were recovered.
    """
    from .records import RecordError, parse_date, session_from_dict

    try:
        damaged = decode_document(bad_bytes)
    except CorruptHistory:
        return 0
    recovered = 0
    sessions = document.setdefault("sessions", {})
    present = {raw.get("id") for raw in sessions.values()}
    next_id = max((int(key) for key in sessions), default=0) + 1
    for raw in damaged.get("sessions", {}).values():
        try:
            record = session_from_dict(raw)
        except RecordError:
            continue
        if record.id in present:
            continue
        sessions[str(next_id)] = record.to_dict()
        present.add(record.id)
        next_id += 1
        recovered += 1
    rest = document.setdefault("rest_days", {})
    known = {raw.get("date") for raw in rest.values()}
    next_id = max((int(key) for key in rest), default=0) + 1
    for raw in damaged.get("rest_days", {}).values():
        try:
            day = parse_date(raw.get("date")).isoformat()
        except RecordError:
            continue
        if day not in known:
            rest[str(next_id)] = {"date": day}
            known.add(day)
            next_id += 1
            recovered += 1
    return recovered
