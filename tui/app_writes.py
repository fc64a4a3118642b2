"""The app's one write path: every change to the history goes through :meth:`WritePath.write`.

A write runs in a worker thread, one after another in the order asked, so
the UI thread never waits for the history's lock (another copy may hold it
for seconds). Every ``StoreError`` (busy, read-only, disk full, permission)
becomes a one-line notice; a read-only history says why once. After each
write the worker re-reads what the screens show (:meth:`HistoryService.refresh`),
then the app shows the store's new notices and tells its screens. Once the
queue is empty, a run that changed the history writes this computer's file in
the sync folder (:meth:`HistoryService.publish`); a failure there is a notice,
the history is saved either way.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel

from .core.service import HistoryService, NotReady
from .widgets.text import inert


@dataclass(slots=True)
class _Write:
    change: Callable[[], Any]
    what: str
    then: Callable[[Any], None] | None
    failed: Callable[[str], None] | None
    shared: bool = True  # it changes what the sync folder carries (settings stay per computer)
    quiet: bool = False  # not the history (the running session's file): no redraw, the caller tells


class WritePath(App[None]):
    """The write helper and the notices; mixed into :class:`tui.app.HamstringApp`."""

    service: HistoryService

    def _init_writes(self) -> None:
        self._writes: deque[_Write] = deque()
        self._writer_running = False
        self._read_only_told = False

    def write(
        self,
        change: Callable[[], Any],
        what: str,
        *,
        then: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None,
        shared: bool = True,
        quiet: bool = False,
    ) -> None:
        """Run ``change`` (a service write) in the writer thread; ``what`` names it in a
        notice when it fails. ``then(result)`` or ``failed(message)`` run on the UI thread.
        ``shared=False``: a change the sync folder does not carry (a setting).
        ``quiet=True``: not a change of the history (the running session's progress): the
        screens are not redrawn and ``failed`` alone tells of a failure."""
        self._writes.append(_Write(change, what, then, failed, shared and not quiet, quiet))
        if not self._writer_running:
            self._writer_running = True
            self.service.writing = True
            self.run_worker(self._drain, thread=True, group="history-write", exit_on_error=False)

    def _drain(self) -> None:
        """The writer thread: run the queued writes in order."""
        from .core.store import StoreError

        publish = False
        try:
            while self._writes:
                job = self._writes.popleft()
                try:
                    result = job.change()
                    self.service.refresh()
                except (StoreError, NotReady, OSError, ValueError) as error:  # a RoutineError is a ValueError
                    self._refresh_quietly()
                    self.call_from_thread(self._write_failed, job, error)
                    continue
                except Exception as error:  # the one write path: a bug must not stop every later save
                    self._refresh_quietly()
                    self.call_from_thread(
                        self._write_failed, job, RuntimeError(f"unexpected {type(error).__name__}: {error}")
                    )
                    continue
                publish = publish or job.shared
                self.call_from_thread(self._written, job, result)
            if publish:
                problem = self.service.publish()
                if problem is not None:
                    self.call_from_thread(self.tell, problem, "Sync folder", "warning", 10)
        finally:
            # Whatever happened above, the writer says it is idle (or starts again for
            # writes queued meanwhile): a stuck flag would refuse every later save.
            self.call_from_thread(self._writer_idle)

    def _refresh_quietly(self) -> None:
        """Re-read what the screens show after a failed write; a second failure is already told."""
        from .core.store import StoreError

        with contextlib.suppress(StoreError, NotReady, OSError, ValueError):
            self.service.refresh()

    def _writer_idle(self) -> None:
        if self._writes:  # asked for while the thread was finishing
            self.run_worker(self._drain, thread=True, group="history-write", exit_on_error=False)
            return
        self._writer_running = False
        self.service.writing = False

    def _written(self, job: _Write, result: Any) -> None:
        if not job.quiet:
            self.show_store_notices()
            self.history_changed()
        if job.then is not None:
            job.then(result)

    def _write_failed(self, job: _Write, error: Exception) -> None:
        from .core.store import StoreReadOnly

        message = inert(str(error))
        if job.quiet:
            if job.failed is not None:
                job.failed(message)
            return
        self.show_store_notices()
        if isinstance(error, StoreReadOnly) or (self.service.read_only_reason and not isinstance(error, NotReady)):
            if not self._read_only_told:
                self._read_only_told = True
                self.tell(f"{message}. Changes are not saved; everything else works.", f"{job.what} not saved", "error")
            else:
                self.tell("The history is read-only: this change is not saved.", f"{job.what} not saved", "warning")
        else:
            self.tell(message, f"{job.what} not saved", "error")
        self.history_changed()
        if job.failed is not None:
            job.failed(message)

    def show_store_notices(self) -> None:
        """The store's notices not shown yet (a damaged file moved aside, a failed backup)."""
        settings = str(self.service.data_dir / "settings.json")
        for notice in self.service.take_notices():
            self.tell(notice, "Settings" if notice.startswith(settings) else "History", "warning", timeout=20)

    def tell(
        self, message: str, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification whose text is never read as markup nor lets control characters through."""
        self.notify(
            inert(message),
            title=inert(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def history_changed(self) -> None:  # pragma: no cover - defined by the app
        raise NotImplementedError
