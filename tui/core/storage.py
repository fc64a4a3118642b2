"""Crash-safe file storage for the TinyDB history.

* Writes are atomic: serialise fully, write a temporary file beside the real
  one, flush, fsync, ``os.replace`` it over the real file, fsync the directory.
  A kill at any moment leaves either the old file or the new one.
* The file is never held open between operations.
* Within a :meth:`AtomicJSONStorage.transaction` (which the store takes under
  the inter-process lock) the file is read once, every TinyDB read is served
  from that snapshot and every write is buffered, so one logical change is one
  atomic file write.
* Outside a transaction, reads reuse the last parsed document while the file's
  identity (inode, size, mtime, ctime) is unchanged; any other writer replaces
  the file and so changes its identity.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import schema
from .document import (
    CorruptHistory,
    Document,
    decode_document,
    empty_document,
    schema_version_of,
    serialise,
)
from .files import Signature, StorageWriteError, atomic_write_bytes, file_signature, real_path
from .records import RecordError, SessionRecord, parse_date, session_from_dict


def rest_day_of(doc: Any) -> date:
    """The day of a rest-day document; raises :class:`RecordError`."""
    if not isinstance(doc, dict):
        raise RecordError("date", "a rest day must be an object")
    return parse_date(doc.get("date"))


def validate_document(document: Document) -> list[SessionRecord]:
    """Check every record of a document (the same checks for reading and before
    writing); returns its sessions, oldest first.

    Raises :class:`CorruptHistory` naming the first bad record and field.
    """
    schema_version_of(document)  # a damaged _meta is a damaged file, as the start-up finds
    sessions = []
    for doc_id, doc in document.get("sessions", {}).items():
        try:
            sessions.append(session_from_dict(doc))
        except RecordError as error:
            raise CorruptHistory(f"session {doc_id}: {error}") from None
    from .store.kinds import validate_kinds

    validate_kinds(document)  # rest marks, tombstones, check-ins, measurements
    for doc_id, doc in document.get("settings", {}).items():  # schema 1 only
        if not isinstance(doc.get("key"), str) or "value" not in doc:
            raise CorruptHistory(f"setting {doc_id}: needs a text 'key' and a 'value'")
    sessions.sort(key=session_sort_key)
    return sessions


def tables_copy(document: Document) -> dict[str, dict[str, Any]]:
    """A shallow copy of each table (its documents copied one level), to compare
    with after a change: TinyDB updates documents in place."""
    return {name: {key: dict(doc) for key, doc in table.items()} for name, table in document.items()}


class WriteRefused(Exception):
    """A change would write what the load refuses; nothing was written. ``reason`` is one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def validate_changes(before: dict[str, dict[str, Any]], after: Document) -> None:
    """Check the documents that differ from ``before`` (the rest passed the load's checks).

    Raises :class:`WriteRefused` where the load would find the file damaged.
    """
    try:
        _validate_changes(before, after)
    except CorruptHistory as error:
        raise WriteRefused(error.reason) from None


def _validate_changes(before: dict[str, dict[str, Any]], after: Document) -> None:
    changed: Document = {}
    for name, table in after.items():
        old = before.get(name, {})
        fresh = {key: doc for key, doc in table.items() if old.get(key) != doc}
        if fresh:
            changed[name] = fresh
    if "_meta" in changed:
        schema_version_of(after)
    validate_document(changed)


def lenient_sessions(document: Document) -> list[SessionRecord]:
    """The sessions of a document we may not fully understand (a newer schema)."""
    sessions = []
    for doc in document.get("sessions", {}).values():
        try:
            sessions.append(session_from_dict(doc))
        except RecordError:
            continue
    sessions.sort(key=session_sort_key)
    return sessions


def session_sort_key(session: SessionRecord) -> tuple[date, datetime]:
    return (session.date, session.started_at)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that writes atomically and validates what it reads."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._cached: tuple[Signature, Document] | None = None
        self._records: tuple[Document, list[SessionRecord]] | None = None
        self._txn: Document | None = None
        self._txn_dirty = False

    # -- reading -----------------------------------------------------------
    def signature(self) -> Signature | None:
        try:
            return file_signature(os.stat(self.path))
        except (FileNotFoundError, NotADirectoryError):
            real_path(self.path)  # a symbolic link to nothing is refused, never read as empty
            return None

    def load(self) -> Document:
        """The current document, parsed and validated (cached while the file is unchanged).

        A missing file is an empty history. Raises :class:`CorruptHistory`.
        """
        signature = self.signature()
        if signature is None:
            self._cached = None
            return empty_document()
        if self._cached is not None and self._cached[0] == signature:
            return self._cached[1]
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
                signature = file_signature(os.fstat(handle.fileno()))
        except (FileNotFoundError, NotADirectoryError):
            self._cached = None
            return empty_document()
        document = decode_document(data)
        if schema_version_of(document) == schema.SCHEMA_VERSION:
            self._records = (document, validate_document(document))
        self._cached = (signature, document)
        return document

    def cached_if_fresh(self) -> Document | None:
        """The parsed document if it is loaded and the file has not changed since, else None."""
        if self._cached is None or self._cached[0] != self.signature():
            return None
        return self._cached[1]

    def identity_of(self, document: Document) -> list[int] | None:
        """The identity of the file ``document`` was read from (None if not from a file)."""
        if self._cached is not None and self._cached[1] is document:
            return list(self._cached[0])
        return None

    def sessions_of(self, document: Document) -> list[SessionRecord]:
        """The parsed sessions of ``document`` (from :meth:`load`), built once per document."""
        if self._records is not None and self._records[0] is document:
            return self._records[1]
        if schema_version_of(document) == schema.SCHEMA_VERSION:
            try:
                sessions = validate_document(document)
            except CorruptHistory:
                sessions = lenient_sessions(document)
        else:
            sessions = lenient_sessions(document)
        self._records = (document, sessions)
        return sessions

    def read(self) -> Document:
        if self._txn is not None:
            return self._txn
        return self.load()

    # -- writing -----------------------------------------------------------
    def write(self, data: Document) -> None:
        if self._txn is None:
            raise RuntimeError("history writes must happen inside a transaction")
        self._txn = data
        self._txn_dirty = True

    def write_document(self, document: Document, to: Path | None = None) -> None:
        """Atomically replace the file with ``document`` (caller holds the lock).

        ``to`` is the file a symbolic ``path`` stands for, when the link points
        to nothing at the moment (a damaged target moved aside).
        """
        if self.read_only:
            raise StorageWriteError(errno.EROFS, "the history is open read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._cached = None
        self._records = None
        atomic_write_bytes(to or self.path, serialise(document))
        signature = self.signature()
        if signature is not None:
            self._cached = (signature, document)

    @contextmanager
    def transaction(self) -> Iterator[Document]:
        """One fresh read, buffered writes, one atomic write at the end.

        The caller must hold the inter-process lock. If the body raises,
        nothing is written and the cache is dropped (TinyDB mutates the
        document in place).
        """
        if self._txn is not None:
            raise RuntimeError("transactions do not nest")
        self._txn = self.load()
        self._txn_dirty = False
        before = tables_copy(self._txn)
        try:
            yield self._txn
            if self._txn_dirty:
                validate_changes(before, self._txn)
                self.write_document(self._txn)
        except BaseException:
            self._cached = None
            self._records = None
            raise
        finally:
            self._txn = None
            self._txn_dirty = False

    def close(self) -> None:
        self._cached = None
