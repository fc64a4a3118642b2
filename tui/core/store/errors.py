"""What the store raises: one-line messages the user can be shown as they are."""

from __future__ import annotations

from pathlib import Path

from ..files import describe


class StoreError(Exception):
    """Something the user must be told; ``str(error)`` is one line."""


class StoreBusy(StoreError):
    """Another hamstring held the lock for longer than the timeout."""


class StoreReadOnly(StoreError):
    """The history cannot be changed (newer schema, or an unwritable place)."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def os_failure(verb: str, path: Path, error: OSError) -> StoreError:
    """``cannot <verb> <path>: <problem>`` as a :class:`StoreError`."""
    from ..files import DanglingLink, StorageWriteError

    if isinstance(error, (DanglingLink, StorageWriteError)) and error.strerror:
        return StoreError(one_line(error.strerror))
    return StoreError(one_line(f"cannot {verb} {path}: {describe(error)}"))


class UnknownRecord(StoreError):
    """No live record has the id given (never recorded, or deleted already)."""


class DeletedRecordError(StoreError):
    """The record's id has a tombstone: it was deleted and cannot be saved again."""
