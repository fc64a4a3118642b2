"""This computer's id in the sync folder: a uuid kept in the config dir (made on first use).

Two computers must not share it: a config dir copied with the dotfiles makes both write one
``hamstring-<id>.json``. :mod:`tui.core.store.syncing` merges that file before writing it (so
nothing is lost) and tells the user to delete ``machine-id`` on one of them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from .files import StorageWriteError, atomic_write_bytes
from .sync import UUID_PATTERN

MACHINE_ID_FILE = "machine-id"


class SyncError(Exception):
    """Syncing cannot go on (no folder, no machine id); ``str()`` is one line."""


# -- the machine id ---------------------------------------------------------------------------
def _read_id(path: Path) -> str | None:
    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NOFOLLOW)) as handle:
            text = handle.read(200).decode("ascii").strip().lower()
    except (OSError, UnicodeDecodeError):
        return None
    return text if UUID_PATTERN.match(text) else None


def machine_id(config_dir: Path, notify: Callable[[str], object] | None = None) -> str:
    """This computer's id, kept in ``config_dir/machine-id`` (made on first use).

    Two processes starting at once agree on one id (the file is linked into
    place only if absent). A damaged file is replaced by a new id and
    ``notify`` is told. Raises :class:`SyncError` when the id cannot be kept.
    """
    path = config_dir / MACHINE_ID_FILE
    found = _read_id(path)
    if found is not None:
        return found
    try:
        config_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SyncError(f"cannot keep this computer's id in {config_dir}: {error.strerror or error}") from None
    import uuid  # only to make a new id

    fresh = str(uuid.uuid4())
    data = f"{fresh}\n".encode("ascii")
    if not os.path.lexists(path):
        temp = config_dir / f".{MACHINE_ID_FILE}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            atomic_write_bytes(temp, data)
            os.link(temp, path)  # fails if another process made the file first
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: replace (the race is harmless here)
            with contextlib.suppress(OSError):
                atomic_write_bytes(path, data)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    found = _read_id(path)  # ours, or one another process made meanwhile
    if found is not None:
        return found
    if os.path.isdir(path) and not os.path.islink(path):
        raise SyncError(f"cannot keep this computer's id: {path} is a directory")
    try:
        atomic_write_bytes(path, data)
    except StorageWriteError as error:
        raise SyncError(f"cannot keep this computer's id: {error}") from None
    if notify is not None:
        notify(f"{path} was damaged; this computer now syncs as {fresh}")
    return fresh
