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
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .records import RecordError, SessionRecord, parse_date, session_from_dict
from .schema import SCHEMA_VERSION

TABLES = ("sessions", "rest_days", "settings", "_meta")
TEMP_SUFFIX = ".tmp"


class CorruptHistory(Exception):
    """The history file cannot be trusted; ``reason`` says why, in one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class StorageWriteError(OSError):
    """Saving failed; the previous file is intact and the temp file is gone."""


Signature = tuple[int, int, int, int]
Document = dict[str, dict[str, Any]]


def file_signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def empty_document() -> Document:
    return {"sessions": {}, "rest_days": {}, "settings": {}, "_meta": {"1": {"schema_version": SCHEMA_VERSION}}}


def schema_version_of(document: Document) -> int:
    meta = document.get("_meta") or {}
    for doc in meta.values():
        version = doc.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool):
            return version
        raise CorruptHistory(f"_meta: schema_version must be a whole number, not {version!r}")
    return SCHEMA_VERSION


def decode_document(data: bytes) -> Document:
    """Parse the bytes of a history file and check the shape of its tables.

    Raises :class:`CorruptHistory` for anything that is not a TinyDB document
    of tables of documents (0 bytes, ``null``, ``[]``, invalid UTF-8, ...).
    """
    if not data.strip():
        raise CorruptHistory("the file is empty")
    try:
        document = json.loads(data)  # bytes: decoded as UTF-8 without an extra copy
    except UnicodeDecodeError as error:
        raise CorruptHistory(f"the file is not UTF-8 text (bad byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise CorruptHistory(f"the file is not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise CorruptHistory("the file is not valid JSON (nested too deeply)") from None
    if not isinstance(document, dict):
        kind = "null" if document is None else type(document).__name__
        raise CorruptHistory(f"the file holds {kind} instead of tables")
    for name, table in document.items():
        if not isinstance(table, dict):
            raise CorruptHistory(f"table '{name}' is not an object of documents")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict) or not doc_id.isdigit():
                raise CorruptHistory(f"table '{name}' has a malformed document {doc_id!r}")
    return document


def validate_document(document: Document) -> list[SessionRecord]:
    """Check every record of a schema-1 document; returns its sessions, oldest first.

    Raises :class:`CorruptHistory` naming the first bad record and field.
    """
    sessions = []
    for doc_id, doc in document.get("sessions", {}).items():
        try:
            sessions.append(session_from_dict(doc))
        except RecordError as error:
            raise CorruptHistory(f"session {doc_id}: {error}") from None
    for doc_id, doc in document.get("rest_days", {}).items():
        try:
            parse_date(doc.get("date"))
        except RecordError as error:
            raise CorruptHistory(f"rest day {doc_id}: {error}") from None
    for doc_id, doc in document.get("settings", {}).items():
        if not isinstance(doc.get("key"), str) or "value" not in doc:
            raise CorruptHistory(f"setting {doc_id}: needs a text 'key' and a 'value'")
    sessions.sort(key=session_sort_key)
    return sessions


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


def serialise(document: Document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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
    import shutil

    directory = path.parent
    temp = directory / f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        with open(source, "rb") as reader, open(temp, "xb") as writer:
            shutil.copyfileobj(reader, writer)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temp, path)
    except OSError as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise StorageWriteError(error.errno, f"could not copy {source} to {path}: {error.strerror or error}") from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably.

    On any failure the previous file is untouched, the temp file removed, and
    :class:`StorageWriteError` raised with a one-line reason.
    """
    directory = path.parent
    temp = directory / f"{temp_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise StorageWriteError(error.errno, f"cannot create a file in {directory}: {error.strerror}") from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        reason = error.strerror or str(error)
        if error.errno == errno.ENOSPC:
            reason = "the disk is full"
        raise StorageWriteError(error.errno, f"could not save {path}: {reason}") from None
    fsync_directory(directory)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files a killed writer left behind. Call only under the lock."""
    removed = []
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
        if schema_version_of(document) == SCHEMA_VERSION:
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
        if schema_version_of(document) == SCHEMA_VERSION:
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

    def write_document(self, document: Document) -> None:
        """Atomically replace the file with ``document`` (caller holds the lock)."""
        if self.read_only:
            raise StorageWriteError(errno.EROFS, "the history is open read-only")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._cached = None
        self._records = None
        atomic_write_bytes(self.path, serialise(document))
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
        try:
            yield self._txn
            if self._txn_dirty:
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
