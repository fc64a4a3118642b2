"""Atomic, durable file writes and the helpers around them (no TinyDB here).

A write goes to a temporary file beside the target, is flushed and fsynced,
renamed over the target with ``os.replace`` and the directory is fsynced: a
kill at any moment leaves the old file or the new one, never half of one.
Kept apart from :mod:`tui.core.storage` so that starting from the digest
needs neither TinyDB nor the record types.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
COPY_CHUNK = 1 << 16


class StorageWriteError(OSError):
    """Saving failed; the previous file is intact and the temp file is gone.

    ``strerror`` is the whole one-line message (``str()`` adds ``[Errno N]``);
    ``reason`` is the problem alone ("the disk is full").
    """

    def __init__(self, number: int | None, message: str, reason: str | None = None) -> None:
        super().__init__(number, message)
        self.reason = reason or message


Signature = tuple[int, int, int, int]


def file_signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a directory; the replace is still atomic
    finally:
        os.close(fd)


def atomic_copy(source: Path, path: Path) -> None:
    """Replace ``path`` with a copy of ``source`` atomically and durably (no big buffers)."""

    def fill(fd: int) -> None:
        with open(source, "rb") as reader:
            while chunk := reader.read(COPY_CHUNK):
                _write_all(fd, chunk)

    _atomic_replace(path, fill, f"could not copy {source} to {path}")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably.

    On any failure the previous file is untouched, the temp file removed, and
    :class:`StorageWriteError` raised with a one-line reason.
    """
    _atomic_replace(path, lambda fd: _write_all(fd, data), f"could not save {path}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EISDIR: "it is a directory, not a file",
    errno.ENAMETOOLONG: "the path is too long",
}


def describe(error: OSError) -> str:
    """An OS error as a short phrase without ``[Errno N]`` or a file name."""
    if error.errno in REASONS:
        return REASONS[error.errno]
    text = error.strerror or str(error) or type(error).__name__
    return " ".join(text.split())


class DanglingLink(OSError):
    """A symbolic link whose target does not exist (or loops)."""


def real_path(path: Path) -> Path:
    """The file that reading or replacing ``path`` means: ``path`` itself, or
    the final target of a symbolic link, so a write goes through the link and
    the link stays. Raises :class:`DanglingLink` for a link to nothing."""
    if not os.path.islink(path):
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except OSError as error:
        target = os.readlink(path) if os.path.islink(path) else "?"
        raise DanglingLink(
            error.errno or errno.ENOENT, f"{path} is a symbolic link to {target}, which does not exist"
        ) from None


def _atomic_replace(path: Path, fill: Callable[[int], None], failure: str) -> None:
    """Write a temp file beside ``path`` (beside its target when ``path`` is a
    symbolic link) with ``fill``, fsync it, rename it over that file and fsync
    the directory; on failure remove the temp file and raise
    :class:`StorageWriteError` starting with ``failure``."""
    try:
        path = real_path(path)
    except DanglingLink as error:
        raise StorageWriteError(error.errno, f"{failure}: {error.strerror}", error.strerror) from None
    directory = path.parent
    temp = directory / f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise StorageWriteError(
            error.errno, f"cannot create a file in {directory}: {describe(error)}", describe(error)
        ) from None
    try:
        try:
            fill(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise StorageWriteError(error.errno, f"{failure}: {describe(error)}", describe(error)) from None
    fsync_directory(directory)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files a killed writer left behind. Call only under the lock."""
    removed: list[Path] = []
    prefix = temp_prefix(path)
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX):
            try:
                entry.unlink()
                removed.append(entry)
            except OSError:
                pass
    return removed
