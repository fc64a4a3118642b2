"""The history file's life cycle: start-up, migration, recovery and the locked,
validated read-modify-write every change goes through (see :mod:`.history`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import paths, schema
from ..days import local_now
from ..document import CorruptHistory, Document, empty_document, schema_version_of
from ..files import StorageWriteError, real_path, remove_stale_temps
from .backups import Backups
from .errors import StoreBusy, StoreError, StoreReadOnly, os_failure
from .locking import StoreLock
from .migration import upgraded
from .recovery import move_aside, salvage
from .settings_store import SettingsStore

if TYPE_CHECKING:
    from ..digest import Digest
    from ..storage import AtomicJSONStorage

LOCK_TIMEOUT_S = 5.0
T = TypeVar("T")


class StoreBase:
    """Where the files are, the lock, start-up and the write path."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
        clock: Callable[[], datetime] = local_now,
    ):
        self.data_dir = paths.data_dir(data_dir)
        self.path = self.data_dir / paths.HISTORY_FILENAME
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = self.data_dir / "backups"
        self.lock_timeout = lock_timeout
        self.clock = clock
        #: Every notice raised so far (recovery, read-only, backups); see :meth:`take_notices`.
        self.notices: list[str] = []
        self._notices_taken = 0
        self.read_only_reason: str | None = None
        # Why the history file could not be used at start-up, as told then: a later read that
        # fails the same way says the same line (the shell prints a line once).
        self._unusable: str | None = None
        self._storage_made: AtomicJSONStorage | None = None
        self._lock = StoreLock(
            self.lock_path,
            self.data_dir,
            lock_timeout,
            f"another hamstring is saving to {self.path}; nothing was changed, try again in a moment",
        )
        # Readers in this process take the lock's thread guard: a write in another
        # thread changes the cached document in place.
        self._guard = self._lock.guard
        self.backups = Backups(self.backup_dir, self.path, clock, self.notices)
        self.settings_file = SettingsStore(
            self.data_dir,
            lock_timeout=lock_timeout,
            clock=clock,
            notices=self.notices,
            read_only=lambda: self.read_only_reason,
        )
        self._digest: tuple[list[int], Digest] | None = None

    def take_notices(self) -> list[str]:
        """The notices not taken yet, oldest first: show them, and later ones are kept for the next call."""
        with self._guard:
            fresh = self.notices[self._notices_taken :]
            self._notices_taken = len(self.notices)
            return fresh

    @property
    def _storage(self) -> AtomicJSONStorage:
        """The TinyDB storage, made (and TinyDB loaded) the first time the file is parsed."""
        if self._storage_made is None:
            from ..storage import AtomicJSONStorage

            self._storage_made = AtomicJSONStorage(self.path)
        return self._storage_made

    def _loaded_document(self) -> Document | None:
        """The parsed history if it is loaded and still what the file holds, else None."""
        if self._storage_made is None:
            return None
        try:
            return self._storage_made.cached_if_fresh()
        except OSError:
            return None

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the history's lock (re-entrant within a thread, one thread at a time).

        ``timeout`` overrides the store's wait for another process's lock.
        """
        with self._lock.held(timeout):
            yield

    # -- start-up --------------------------------------------------------------
    def startup(self) -> None:
        """Clean stale temp files, load and validate (recovering if needed),
        migrate an older schema, and make today's backup.

        When ``history.json.digest`` belongs to the file as it is (the file has
        not been written since a validated load made the digest), the file is
        not parsed at all: the digest has what the app shows first, and the
        backup is a byte copy.
        """
        if os.path.exists(self.data_dir) and not os.path.isdir(self.data_dir):  # neither raises
            raise StoreError(f"{self.data_dir} is not a directory: give --data-dir a folder for the history")
        try:
            with self.locked():
                if self._start_from_digest():
                    return
                self._remove_stale_temps()
                document = self._load_or_recover()
                version = schema_version_of(document)
                if version > schema.SCHEMA_VERSION:
                    self._open_newer(version)
                    return
                if version < schema.SCHEMA_VERSION:
                    document = self._migrate(document, version)
                if self._storage.cached_if_fresh() is document:
                    self.backups.daily_copy()  # the file as it was just read and checked: a byte copy
                else:
                    self.backups.daily(document)
        except StoreBusy:
            # Another copy is mid-write; reads still work and writes will wait their turn.
            self._load_for_reading()
        except (StoreError, OSError) as error:
            reason = str(error) if isinstance(error, StoreError) else str(os_failure("use", self.path, error))
            self.read_only_reason = reason
            self._unusable = f"{reason}; changes cannot be saved"
            self.notices.append(self._unusable)
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

    def _remove_stale_temps(self) -> None:
        remove_stale_temps(self.path)
        try:
            target = real_path(self.path)
        except OSError:
            return
        if target != self.path:
            remove_stale_temps(target)

    def _start_from_digest(self) -> bool:
        """The start-up when the digest is fresh (lock held): clean stale temp
        files and make today's backup as a byte copy. False, having done
        nothing, when the digest is not fresh."""
        if self._fresh_digest() is None:
            return False
        self._remove_stale_temps()
        self.backups.daily_copy()
        return True

    def _fresh_digest(self) -> Digest | None:
        raise NotImplementedError

    def _load_for_reading(self) -> None:
        """Load what can be read; a problem is told once (not again when start-up told it)."""
        try:
            version = schema_version_of(self._storage.load())
        except OSError as error:
            if self.read_only_reason is None:
                self.notices.append(str(os_failure("read", self.path, error)))
                self.read_only_reason = f"cannot read {self.path}"
            self._storage.read_only = True
            return
        except CorruptHistory as error:
            if self.read_only_reason is None:
                self.notices.append(f"{self.path} is damaged ({error.reason}) and could not be repaired")
                self.read_only_reason = f"{self.path} is damaged and could not be repaired"
            self._storage.read_only = True
            return
        if version > schema.SCHEMA_VERSION:
            self._open_newer(version)

    def _open_newer(self, version: int) -> None:
        self.read_only_reason = (
            f"{self.path} was written by a newer hamstring (history schema {version}, this one knows "
            f"{schema.SCHEMA_VERSION}); it is open read-only, upgrade hamstring to make changes"
        )
        self._storage.read_only = True
        self.notices.append(self.read_only_reason)

    def _migrate(self, document: Document, version: int) -> Document:
        """Back the file up, upgrade it, move its settings out, rewrite it (lock held)."""
        from ..storage import validate_document

        migrated, settings = upgraded(document, version)
        try:
            validate_document(migrated)
        except CorruptHistory as error:
            self._recover(error)
            return self._storage.load()
        backup = self.backups.before_migration(version, self.path.read_bytes())
        if settings:
            self.settings_file.merge(settings)  # before the history loses them
        self._write_whole(migrated)
        self.notices.append(f"upgraded the history to schema {schema.SCHEMA_VERSION}; the old file is kept as {backup}")
        return migrated

    # -- corruption ----------------------------------------------------------
    def _load_or_recover(self) -> Document:
        """The validated document; a damaged file is recovered first. Lock held."""
        try:
            return self._storage.load()
        except CorruptHistory as error:
            self._recover(error)
            return self._storage.load()

    def _recover(self, error: CorruptHistory) -> None:
        """Move the bad file aside untouched, restore a backup, salvage what is valid."""
        from ..storage import validate_document

        real = real_path(self.path)
        try:
            bad_bytes = real.read_bytes()
        except OSError:
            bad_bytes = b""
        aside = move_aside(real, self.path, error.reason, self.clock)
        restored_from, document = self.backups.newest_good(validate_document, schema.SCHEMA_VERSION)
        salvaged = salvage(bad_bytes, document)
        validate_document(document)  # what is written is what the load accepts
        self._write_whole(document, real)
        outcome = f"restored the backup {restored_from}" if restored_from is not None else "started a new history"
        if salvaged:
            outcome += f" and recovered {salvaged} record{'s' if salvaged != 1 else ''} from the damaged file"
        self.notices.append(f"{self.path} was damaged ({error.reason}): moved it to {aside}, {outcome}")

    def _write_whole(self, document: Document, to: Path | None = None) -> None:
        try:
            self._storage.write_document(document, to)
        except StorageWriteError as error:
            raise StoreError(f"{error.strerror}; your history is unchanged") from None
        except OSError as error:
            raise os_failure("save", self.path, error) from None

    # -- the read-modify-write core -------------------------------------------
    def _mutate(self, change: Callable[[], T]) -> T:
        """Run ``change`` (TinyDB operations) as one locked, fresh, validated, atomic write."""
        from ..storage import WriteRefused

        if self.read_only_reason is not None:
            raise StoreReadOnly(self.read_only_reason)
        with self.locked():
            for attempt in range(2):
                try:
                    with self._storage.transaction() as document:
                        if schema_version_of(document) != schema.SCHEMA_VERSION:
                            raise StoreReadOnly(f"{self.path} changed to another schema; restart hamstring")
                        return change()
                except CorruptHistory as error:
                    if attempt:
                        raise StoreError(f"{self.path} is damaged ({error.reason})") from None
                    self._recover(error)
                except WriteRefused as refused:
                    raise StoreError(f"not saved, it would not read back ({refused.reason})") from None
                except StorageWriteError as error:
                    raise StoreError(f"{error.strerror}; your history is unchanged") from None
                except OSError as error:
                    raise os_failure("save to", self.path, error) from None
        raise AssertionError("unreachable")

    def _document(self) -> Document:
        """A validated document for reading; recovers a damaged file first.

        Callers hold ``self._guard`` while they use it: a write in another
        thread changes the cached document in place.
        """
        try:
            return self._storage.load()
        except OSError as error:
            if self._unusable is not None:
                raise StoreError(self._unusable) from None
            raise os_failure("read", self.path, error) from None
        except CorruptHistory:
            if self.read_only_reason is not None:
                return empty_document()
            with self.locked():
                try:
                    return self._load_or_recover()
                except OSError as error:
                    raise os_failure("read", self.path, error) from None

    def _table(self, name: str) -> Any:
        """A fresh TinyDB table over the storage.

        Fresh on purpose: a long-lived table caches its next document id and
        query results, which go stale when another process writes the file.
        """
        from tinydb.table import Table

        return Table(self._storage, name, cache_size=0)
