"""An inter-process lock on a file: ``flock`` on POSIX, ``msvcrt.locking`` on Windows.

Small on purpose: the history store needs one exclusive lock with a timeout,
and holds its own thread lock around it (see :class:`tui.core.store.HistoryStore`).
The lock belongs to the open file, so a process that dies (even by SIGKILL)
releases it with its file descriptors; the lock file itself stays and is
harmless.
"""

from __future__ import annotations

import math
import os
import sys
import time

POLL_S = 0.02


class LockTimeout(Exception):
    """The lock was not had within the timeout."""


class FileLock:
    """An exclusive lock on ``path``, taken with :meth:`acquire` and given back with :meth:`release`."""

    def __init__(self, path: str | os.PathLike[str], timeout: float) -> None:
        self.path = os.fspath(path)
        self.timeout = timeout
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> None:
        """Wait up to ``timeout`` (default: the lock's own) seconds for the lock.

        Raises :class:`LockTimeout`, or ``OSError`` when the lock file cannot be opened.
        """
        if self._fd is not None:
            raise RuntimeError("the lock is already held")
        # The wait is counted in polls, not read from a clock: a clock far off (a
        # faked or broken one, say in the year 3000) overflows the C time types.
        wait = self.timeout if timeout is None else timeout
        polls = max(0, math.ceil(min(wait, 1e6) / POLL_S)) if wait == wait else 0
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not _try_lock(fd):
                if polls <= 0:
                    raise LockTimeout(self.path)
                polls -= 1
                _pause()
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)


def _pause() -> None:
    """Wait one poll; when the clock cannot time a sleep, give up the processor instead."""
    try:
        time.sleep(POLL_S)
    except (OverflowError, OSError, ValueError):
        if hasattr(os, "sched_yield"):
            os.sched_yield()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
