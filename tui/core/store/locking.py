"""The store's lock: a thread lock for the threads of one process, then a file
lock (:mod:`tui.core.lock`) for the other processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..lock import FileLock, LockTimeout
from .errors import StoreBusy, os_failure


class StoreLock:
    """Re-entrant within a thread; held by one thread of one process at a time.

    ``guard`` alone (the :class:`threading.RLock`) is what readers take: a write
    in another thread of this process changes cached documents in place.
    """

    def __init__(self, lock_path: Path, directory: Path, timeout: float, busy: str) -> None:
        self.lock_path = lock_path
        self.directory = directory
        self.timeout = timeout
        self.busy = busy
        self.guard = threading.RLock()
        self._file = FileLock(lock_path, timeout=timeout)

    @contextmanager
    def held(self, timeout: float | None = None) -> Iterator[None]:
        """Hold both locks; ``timeout`` overrides the wait for another process."""
        with self.guard:
            if self._file.is_locked:  # only the guard's owner holds the file lock: this thread, further up
                yield
                return
            self._take(timeout)
            try:
                yield
            finally:
                self._file.release()

    def _take(self, timeout: float | None) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise os_failure("create the data directory", self.directory, error) from None
        try:
            self._file.acquire(timeout)
        except LockTimeout:
            raise StoreBusy(self.busy) from None
        except OSError as error:
            raise os_failure("lock", self.lock_path, error) from None
