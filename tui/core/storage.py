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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import schema
from .document import (
    CorruptHistory,
    Document,
    RowTexts,
    TableTexts,
    by_row,
    decode_keeping_rows,
    empty_document,
    schema_version_of,
    serialise_reusing,
)
from .files import Signature, StorageWriteError, atomic_write_bytes, file_signature, real_path
from .records import RecordError, SessionRecord, parse_date, session_from_dict

#: Session records already checked, by id, each with the :class:`SessionRecord` its check built.
Vouched = Mapping[str, tuple[Mapping[str, Any], SessionRecord]]


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
    return _sorted_and_by_key(validated_sessions(document))[0]


def validated_sessions(document: Document, vouched: Vouched | None = None) -> dict[str, SessionRecord]:
    """:func:`validate_document`, with the sessions by their row's key (in the file's order).

    ``vouched`` holds session records already checked, by id, each with what its check
    built: a row equal to one of them is not checked again.
    """
    schema_version_of(document)  # a damaged _meta is a damaged file, as the start-up finds
    sessions = {}
    known = vouched or {}
    for doc_id, doc in document.get("sessions", {}).items():
        sid = doc.get("id") if isinstance(doc, dict) else None
        found = known.get(sid) if isinstance(sid, str) else None
        if found is not None and found[0] == doc:
            sessions[doc_id] = found[1]
            continue
        try:
            sessions[doc_id] = session_from_dict(doc)
        except RecordError as error:
            raise CorruptHistory(f"session {doc_id}: {error}") from None
    from .store.kinds import validate_kinds

    validate_kinds(document)  # rest marks, tombstones, check-ins, measurements
    for doc_id, doc in document.get("settings", {}).items():  # schema 1 only
        if not isinstance(doc.get("key"), str) or "value" not in doc:
            raise CorruptHistory(f"setting {doc_id}: needs a text 'key' and a 'value'")
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


def validate_changes(
    before: dict[str, dict[str, Any]], after: Document, vouched: Vouched | None = None
) -> tuple[Document, dict[str, SessionRecord]]:
    """Check the documents that differ from ``before`` (the rest passed the load's checks);
    returns those rows by table and key, and the changed sessions by their row's key.
    ``vouched``: see :func:`validated_sessions`.

    Raises :class:`WriteRefused` where the load would find the file damaged.
    """
    try:
        return _validate_changes(before, after, vouched)
    except CorruptHistory as error:
        raise WriteRefused(error.reason) from None


def _validate_changes(
    before: dict[str, dict[str, Any]], after: Document, vouched: Vouched | None
) -> tuple[Document, dict[str, SessionRecord]]:
    changed: Document = {}
    for name, table in after.items():
        old = before.get(name, {})
        fresh = {key: doc for key, doc in table.items() if old.get(key) != doc}
        if fresh:
            changed[name] = fresh
    if "_meta" in changed:
        schema_version_of(after)
    return changed, validated_sessions(changed, vouched)


def sessions_by_key(
    before: dict[str, SessionRecord], changed: dict[str, SessionRecord], after: Document
) -> dict[str, SessionRecord]:
    """The sessions of ``after`` by row key, from those of the document before a change and
    the changed rows' (already validated): no row is checked twice."""
    return {key: changed.get(key) or before[key] for key in after.get("sessions", {})}


def _sorted_and_by_key(
    by_key: dict[str, SessionRecord],
) -> tuple[list[SessionRecord], dict[str, SessionRecord]]:
    """A document's sessions oldest first, beside the same by row key."""
    return sorted(by_key.values(), key=session_sort_key), by_key


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
        # The validated sessions of the cached document, sorted and by row key.
        self._records: tuple[Document, list[SessionRecord], dict[str, SessionRecord] | None] | None = None
        self._txn: Document | None = None
        self._txn_dirty = False
        # Each row's JSON text as the cached document was read or last written: a write
        # encodes only the rows it changed.
        self._texts: tuple[Document, TableTexts] | None = None
        #: Session records the next write may find already checked (see :func:`validated_sessions`).
        self.vouched: Vouched | None = None

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
        document, texts = decode_keeping_rows(data)
        self._texts = None if texts is None else (document, texts)
        if schema_version_of(document) == schema.SCHEMA_VERSION:
            self._records = (document, *_sorted_and_by_key(validated_sessions(document)))
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
        self._records = (document, sessions, None)
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
        self._write(document, to, None, None)

    def _write(
        self,
        document: Document,
        to: Path | None,
        records: tuple[list[SessionRecord], dict[str, SessionRecord]] | None,
        changed: Document | None,
    ) -> None:
        """Write ``document``; ``records``: its sessions, when known; ``changed``: the rows that
        differ from the document as it was read or last written (the others keep their text)."""
        if self.read_only:
            raise StorageWriteError(errno.EROFS, "the history is open read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        known = self._texts[1] if self._texts is not None and self._texts[0] is document else None
        self._cached = None
        self._records = None
        self._texts = None
        data, texts = serialise_reusing(document, known, changed)
        atomic_write_bytes(to or self.path, data)
        signature = self.signature()
        if signature is not None:
            self._cached = (signature, document)
            self._texts = (document, texts)
            if records is not None:
                self._records = (document, *records)

    def row_texts(self, document: Document) -> RowTexts:
        """The JSON text of ``document``'s rows as it was read or last written, by the
        identity of the row object; empty when that is not the cached document."""
        if self._texts is None or self._texts[0] is not document or self.cached_if_fresh() is not document:
            return {}
        return by_row(self._texts[1])

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
        known = self._records[2] if self._records is not None and self._records[0] is self._txn else None
        try:
            yield self._txn
            if self._txn_dirty:
                changed, sessions = validate_changes(before, self._txn, self.vouched)
                records = None if known is None else _sorted_and_by_key(sessions_by_key(known, sessions, self._txn))
                self._write(self._txn, None, records, changed)
        except BaseException:
            self._cached = None
            self._records = None
            self._texts = None
            raise
        finally:
            self._txn = None
            self._txn_dirty = False

    def close(self) -> None:
        self._cached = None
