"""The app's side of the sync folder (``sync-dir``): merge at start and whenever a
peer file changed, and tell what came in.

Every :data:`SYNC_EVERY_S` seconds a worker thread lists the folder and stats
the other computers' files (:meth:`HistoryService.sync_due`); only when one of
them changed is a sync queued on the one write path (a worker, never the UI
thread). A sync that brought something is one short notice with its summary;
each damaged peer file is one notice, once for that file as it stands.
This computer's own file is written by the write path after every change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .app_writes import WritePath

if TYPE_CHECKING:
    from .core.sync_watch import SyncReport

SYNC_EVERY_S = 20


class SyncFlow(WritePath):
    """Mixed into :class:`tui.app.HamstringApp`."""

    def _init_sync(self) -> None:
        self._sync_checking = False
        self._sync_queued = False

    def start_sync(self) -> None:
        """Once the history is open: sync now (when sync is on), then check every 20 s."""
        self.set_interval(SYNC_EVERY_S, self.sync_tick, name="sync folder")
        self.sync_tick()

    def sync_tick(self) -> None:
        """Check the sync folder in a worker; queue a sync when a peer file changed."""
        if self.service.store is None or self.service.sync_dir() is None:
            return
        if self._sync_checking or self._sync_queued:
            return
        self._sync_checking = True
        self.run_worker(self._check_folder, thread=True, group="sync-check", exit_on_error=False)

    def _check_folder(self) -> None:
        due = False
        try:
            due = self.service.sync_due()
        finally:
            self.call_from_thread(self._checked, due)

    def _checked(self, due: bool) -> None:
        self._sync_checking = False
        if due and not self._sync_queued:
            self._sync_queued = True
            self.write(self.service.sync, "Sync", then=self._synced, failed=self._sync_failed, shared=False)

    def _synced(self, report: SyncReport | None) -> None:
        self._sync_queued = False
        if report is None:
            return
        for problem in report.problems:
            self.tell(problem, "Sync folder", "warning", 15)
        if report.summary is not None:
            self.tell(report.summary, "Synced", timeout=6)

    def _sync_failed(self, _message: str) -> None:
        self._sync_queued = False
