"""The sync folder: each computer writes only its own file and reads everyone else's.

A computer's file is ``hamstring-<machine id>.json``, its whole history in the
export format (``format``/``version``/``sessions``/``rest_days``, so an older
hamstring can still import it) plus ``rest_marks``, ``tombstones``,
``checkins`` and ``measurements``. It is written atomically; other computers' files (and the
conflict copies sync tools make of them) are only read, never written or
deleted. A peer file that is half synced or damaged is skipped whole, with a
one-line :class:`PeerProblem`, and read again next time.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import StorageWriteError, atomic_write_bytes
from .records import RecordError, SessionRecord, parse_date, parse_timestamp, session_from_dict
from .sync import UUID_PATTERN, Record, Replica, legacy_rest_mark, tombstone_key, version_key
from .sync_machine import MACHINE_ID_FILE as MACHINE_ID_FILE  # re-exported: callers import these from here
from .sync_machine import SyncError as SyncError
from .sync_machine import machine_id as machine_id
from .text import json_reason

if TYPE_CHECKING:
    from .document import RowTexts

#: Session records as read, each with the :class:`SessionRecord` its check built, by id.
Checked = dict[str, tuple[Record, SessionRecord]]

FORMAT = "hamstring-history"
VERSION = 1
FILE_PREFIX = "hamstring-"
MAX_PEER_BYTES = 64 * 1024 * 1024
_LEADING_ID = re.compile(r"^hamstring-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")

CheckinValidator = Callable[[Mapping[str, Any]], Record]


@dataclass(frozen=True, slots=True)
class PeerProblem:
    """A peer file that was skipped; nothing from it was used."""

    path: Path
    reason: str

    def __str__(self) -> str:
        line = f"skipped {self.path.name}: it is incomplete or damaged ({self.reason}); will try again"
        return "".join(char if char.isprintable() else "?" for char in line)  # no escape codes from a name


# -- finding the files ------------------------------------------------------------------------
def own_file_name(machine: str) -> str:
    if not UUID_PATTERN.match(machine):
        raise SyncError(f"not a machine id: {machine!r}")
    return f"{FILE_PREFIX}{machine}.json"


def peer_files(sync_dir: Path, machine: str) -> list[Path]:
    """Every other ``hamstring-*.json`` in ``sync_dir``, conflict copies included, by name.

    Never this computer's own file, temp files, symlinks or directories.
    """
    own = own_file_name(machine)
    try:
        entries = list(os.scandir(sync_dir))
    except OSError as error:
        raise SyncError(f"cannot read the sync folder {sync_dir}: {error.strerror or error}") from None
    found = []
    for entry in entries:
        name = entry.name
        if not (name.startswith(FILE_PREFIX) and name.lower().endswith(".json")) or name == own:
            continue
        if name.lower().endswith(".tmp.json") or ".syncthing." in name or "~" in name:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        found.append(Path(sync_dir) / name)
    return sorted(found)


def machine_of(path: Path) -> str:
    """The machine id a peer file (or a conflict copy of it) belongs to."""
    match = _LEADING_ID.match(path.name)
    return match.group(1).lower() if match else path.name


# -- the document -----------------------------------------------------------------------------
def _sorted(records: Mapping[str, Record]) -> list[Record]:
    return [records[rid] for rid in sorted(records)]


def document_of(
    replica: Replica, machine: str, exported_at: datetime, written_by: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The export-format document a computer writes as its own file.

    ``written_by`` names the copy of hamstring that wrote it (host and a nonce kept in its
    data dir): two computers that share a machine id tell each other apart by it.
    """
    head: dict[str, Any] = {"written_by": dict(written_by)} if written_by else {}
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "machine_id": machine,
        **head,
        "sessions": _sorted(replica.sessions),
        "rest_days": sorted(day.isoformat() for day in replica.rest_days()),
        "rest_marks": _sorted(replica.rest_marks),
        "tombstones": [{"id": rid, "deleted_at": replica.tombstones[rid]} for rid in sorted(replica.tombstones)],
        "checkins": _sorted(replica.checkins),
        "measurements": _sorted(replica.measurements),
    }


def _uuid(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not UUID_PATTERN.match(raw.lower()):
        raise RecordError(f"{where}.id", f"must be a UUID, not {raw!r}")
    return raw.lower()


def _list(document: Mapping[str, Any], name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise RecordError(name, "must be a list")
    return value


def _put(into: dict[str, Record], record: Record) -> None:
    current = into.get(record["id"])
    if current is None or version_key(record) > version_key(current):
        into[record["id"]] = record


def _session(raw: Any, checked: Checked | None) -> Record:
    session = session_from_dict(raw)
    if "edited_at" in raw:
        parse_timestamp(raw["edited_at"], "edited_at")
    record = {**raw, "id": session.id}
    if checked is not None:
        checked[session.id] = (record, session)
    return record


def _rest_mark(raw: Any) -> Record:
    if not isinstance(raw, dict):
        raise RecordError("rest_marks", "must be a list of objects")
    mark_id = _uuid(raw.get("id"), "rest_marks")
    day = parse_date(raw.get("date"), "rest_marks.date")
    parse_timestamp(raw.get("set_at"), "rest_marks.set_at")
    return {"id": mark_id, "date": day.isoformat(), "set_at": raw["set_at"]}


def _checkin(raw: Any, where: str = "checkins") -> Record:
    if not isinstance(raw, dict):
        raise RecordError(where, "must be a list of objects")
    return {**raw, "id": _uuid(raw.get("id"), where)}


def replica_of(
    document: Any,
    checkin: CheckinValidator | None = None,
    measurement: CheckinValidator | None = None,
    checked: Checked | None = None,
) -> Replica:
    """Validate a whole export document and build its replica. Raises :class:`RecordError`.

    An export without ``rest_marks`` (older hamstring) gives each rest day its legacy mark.
    ``checked`` is given each session record with the :class:`SessionRecord` its check
    built, by id (a record the file holds twice: the last one read).
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RecordError("format", f"must be {FORMAT!r}")
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise RecordError("version", f"this hamstring reads version {VERSION}, not {version!r}")
    sessions: dict[str, Record] = {}
    for index, raw in enumerate(_list(document, "sessions"), start=1):
        try:
            _put(sessions, _session(raw, checked))
        except RecordError as error:
            raise RecordError(f"sessions[{index}].{error.field}", error.problem) from None
    marks: dict[str, Record] = {}
    if "rest_marks" in document:
        for raw in _list(document, "rest_marks"):
            _put(marks, _rest_mark(raw))
    else:
        for raw in _list(document, "rest_days"):
            _put(marks, legacy_rest_mark(parse_date(raw, "rest_days")))
    tombstones: dict[str, str] = {}
    for raw in _list(document, "tombstones"):
        if not isinstance(raw, dict):
            raise RecordError("tombstones", "must be a list of objects")
        rid = _uuid(raw.get("id"), "tombstones")
        parse_timestamp(raw.get("deleted_at"), "tombstones.deleted_at")
        current = tombstones.get(rid)
        if current is None or tombstone_key(raw["deleted_at"]) < tombstone_key(current):
            tombstones[rid] = raw["deleted_at"]
    checkins: dict[str, Record] = {}
    for raw in _list(document, "checkins"):
        record = _checkin(raw)
        _put(checkins, {**checkin(record), "id": record["id"]} if checkin else record)
    measurements: dict[str, Record] = {}
    for raw in _list(document, "measurements"):
        record = _checkin(raw, "measurements")
        _put(measurements, {**measurement(record), "id": record["id"]} if measurement else record)
    return Replica(sessions, marks, tombstones, checkins, measurements).live()


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_peer(
    path: Path,
    checkin: CheckinValidator | None = None,
    measurement: CheckinValidator | None = None,
    checked: Checked | None = None,
) -> Replica | PeerProblem:
    """A peer file's replica, or the one-line reason it was skipped. Never raises."""
    found = read_with_writer(path, checkin, measurement, checked)
    return found if isinstance(found, PeerProblem) else found[0]


def read_with_writer(
    path: Path,
    checkin: CheckinValidator | None = None,
    measurement: CheckinValidator | None = None,
    checked: Checked | None = None,
) -> tuple[Replica, Any] | PeerProblem:
    """A file's replica and its ``written_by`` (None when absent, else unchecked), or the
    one-line reason it was skipped. Never raises."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return PeerProblem(path, f"cannot open it: {error.strerror or error}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return PeerProblem(path, "not a regular file")
        if info.st_size > MAX_PEER_BYTES:
            return PeerProblem(path, f"larger than {MAX_PEER_BYTES // (1024 * 1024)} MB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_PEER_BYTES + 1)
    except OSError as error:
        return PeerProblem(path, f"cannot read it: {error.strerror or error}")
    finally:
        os.close(fd)
    if len(data) > MAX_PEER_BYTES:
        return PeerProblem(path, f"larger than {MAX_PEER_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constants)
    except UnicodeDecodeError as error:
        return PeerProblem(path, f"not UTF-8 text at byte {error.start}")
    except json.JSONDecodeError as error:
        return PeerProblem(path, f"not valid JSON at line {error.lineno}: {json_reason(error.msg)}")
    except (ValueError, RecursionError) as error:
        return PeerProblem(path, f"not valid JSON: {error}"[:200])
    try:
        return replica_of(document, checkin, measurement, checked), document.get("written_by")
    except RecordError as error:
        return PeerProblem(path, f"field '{error.field}': {error.problem}"[:300])
    except (ValueError, TypeError, KeyError, RecursionError) as error:  # a check-in validator's own failure
        return PeerProblem(path, f"a record is not valid: {error}"[:300])


# -- writing this computer's file -----------------------------------------------------------
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def _plain(text: str) -> bool:  # the history may hold NaN, Infinity or a lone surrogate (\\u...); this file may not
    return "NaN" not in text and "Infinity" not in text and "\\u" not in text


def encode(document: Mapping[str, Any], texts: RowTexts | None = None) -> bytes:
    """The document as JSON with one record a line: quick to write, and small diffs in git.

    ``texts`` holds records' JSON text already encoded (by the identity of the record
    object, as the history's write kept them): those are not encoded again.
    """
    known = texts or {}

    def text(item: Any) -> str:
        found = known.get(id(item))
        return found[1] if found is not None and found[0] is item else _dumps(item)

    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            inner = ",\n  ".join(map(text, value))
            lines.append(f" {_dumps(key)}: [\n  {inner}\n ]")
        else:
            lines.append(f" {_dumps(key)}: {_dumps(value)}")
    joined = "{\n" + ",\n".join(lines) + "\n}\n"
    plain = {key: found for key, found in known.items() if _plain(found[1])} if known and not _plain(joined) else known
    if len(plain) < len(known):  # rare (a note may say NaN): the texts not plain are encoded afresh
        return encode(document, plain)
    return joined.encode("utf-8")


def write_own(
    sync_dir: Path,
    machine: str,
    replica: Replica,
    now: datetime | None = None,
    written_by: Mapping[str, str] | None = None,
    texts: RowTexts | None = None,
) -> Path:
    """Write this computer's file atomically; never another computer's, never a delete.

    ``texts``: the records' JSON text where it is known (see :func:`encode`).
    Raises :class:`SyncError` with one line when the folder cannot be written.
    """
    path = Path(sync_dir) / own_file_name(machine)
    try:
        data = encode(document_of(replica, machine, now or datetime.now(UTC), written_by), texts)
    except ValueError as error:
        raise SyncError(f"cannot write {path.name}: a record is not plain JSON ({error})") from None
    try:
        atomic_write_bytes(path, data)
    except StorageWriteError as error:
        raise SyncError(str(error)) from None
    return path


# -- reading the whole folder -----------------------------------------------------------------
#: A file's (size, mtime_ns, inode): when it is the one of the last good read, the file is not read again.
FileSignature = tuple[int, int, int]
#: A file changed less than this long ago may change again within its mtime's tick: read it next time too.
RACY_NS = 2_000_000_000


def file_signature(path: Path, now_ns: int | None = None) -> FileSignature | None:
    """``path``'s signature, or None when it is missing or too recent to trust (racy)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if now_ns is not None and now_ns - st.st_mtime_ns < RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True, slots=True)
class Gathered:
    """What the sync folder holds from other computers."""

    replicas: list[Replica] = field(default_factory=list)
    machines: frozenset[str] = frozenset()
    problems: list[PeerProblem] = field(default_factory=list)
    #: The signature of each file read whole (and not racy), by name: not read again until it changes.
    read: dict[str, FileSignature] = field(default_factory=dict)
    #: The sessions read, with what their check built (see :func:`replica_of`).
    checked: Checked = field(default_factory=dict)


def gather(
    sync_dir: Path,
    machine: str,
    checkin: CheckinValidator | None = None,
    measurement: CheckinValidator | None = None,
    seen: Mapping[str, FileSignature] | None = None,
) -> Gathered:
    """Read every peer file whose signature is not in ``seen`` (unchanged since the last
    good read); the damaged ones become problems. Raises :class:`SyncError`."""
    replicas: list[Replica] = []
    machines: set[str] = set()
    problems: list[PeerProblem] = []
    read: dict[str, FileSignature] = {}
    checked: Checked = {}
    now_ns = time.time_ns()
    for path in peer_files(sync_dir, machine):
        before = file_signature(path, now_ns)
        if seen and before is not None and seen.get(path.name) == before:
            read[path.name] = before
        else:
            found = read_peer(path, checkin, measurement, checked)
            if isinstance(found, PeerProblem):
                problems.append(found)
                continue
            replicas.append(found)
        if machine_of(path) != machine:
            machines.add(machine_of(path))
        if path.name in read:
            continue
        if before is not None and file_signature(path, now_ns) == before:
            read[path.name] = before
    return Gathered(replicas, frozenset(machines), problems, read, checked)
