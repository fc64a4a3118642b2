"""The history service's side of the sync folder (``sync-dir``): see :mod:`tui.core.service`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import HistoryStore
    from .sync_watch import SyncReport, SyncWatch


class SyncService:
    """Mixed into :class:`tui.core.service.HistoryService`."""

    store: HistoryStore | None
    data_dir: Path
    config_dir: Path
    _sync_watch: SyncWatch | None = None
    _seen_identity: list[list[int] | None] | None = None  # the history's and settings.json's, at the last refresh

    def changed_elsewhere(self) -> bool:
        """Whether the history file or ``settings.json`` changed since the settings and digest
        were last read (another copy of hamstring, or the shell's ``config``): two ``stat``s."""
        return self.store is not None and self.identities() != self._seen_identity

    def identities(self) -> list[list[int] | None]:
        """What :meth:`changed_elsewhere` compares: the history's and settings.json's identities."""
        from .digest import identity
        from .settings_file import settings_path

        store = self.store
        return [] if store is None else [identity(store.path), identity(settings_path(self.data_dir))]

    @property
    def sync_watch(self) -> SyncWatch:
        """What the app's sync checks remember between looks (made at the first)."""
        if self._sync_watch is None:
            from .sync_watch import SyncWatch

            self._sync_watch = SyncWatch(self.config_dir)
        return self._sync_watch

    def settings(self) -> dict[str, Any]:  # pragma: no cover - defined by the service
        raise NotImplementedError

    def _store(self) -> HistoryStore:  # pragma: no cover - defined by the service
        raise NotImplementedError

    # -- the sync folder -------------------------------------------------------------------
    def sync_dir(self) -> Path | None:
        """The sync folder of the settings in memory, or None when sync is off."""
        value = self.settings().get("sync-dir")
        return Path(value) if isinstance(value, str) and value else None

    def sync_due(self) -> bool:
        """*Worker*: whether a peer file in the sync folder changed since the last sync."""
        folder = self.sync_dir()
        return folder is not None and self.store is not None and self.sync_watch.due(folder)

    def sync(self) -> SyncReport | None:
        """*Worker*: merge the sync folder's peer files and write ours (None: sync is off)."""
        folder = self.sync_dir()
        if folder is None:
            return None
        store = self._store()
        report = self.sync_watch.sync(store, folder)
        if report.changed:
            store.renew_digest()
        return report

    def publish(self) -> str | None:
        """*Worker*, after the app's own writes: this computer's file in the sync folder,
        when sync is on. Returns a one-line notice when it could not be written."""
        from .store.syncing import write_own_file

        if self.store is None or self.sync_dir() is None:
            return None
        return write_own_file(self.store, self.config_dir)
