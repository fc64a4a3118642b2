"""The sync folder and the history: merge every peer file in one locked write, and
write this computer's own file (see :mod:`tui.core.sync_files` for the protocol).

The app calls :func:`sync_now` at start and every 20 s or so (from a worker
thread); ``hamstring sync`` calls it once; every command that writes calls
:func:`write_own_file` afterwards. Nothing here raises for a damaged peer file
(it is a problem, retried next time) and a failure to write our own file is a
notice, never a failed save: the history itself is already safe.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    from ..sync import MergeResult, Replica
    from ..sync_files import Checked, FileSignature
    from .history import HistoryStore

SETTING = "sync-dir"


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What one sync did: ``summary`` is the line to show; ``problems`` one line per
    skipped peer file; ``changed`` whether the local history took anything in."""

    summary: str
    problems: tuple[str, ...] = ()
    changed: bool = False
    computers: int = 0
    result: MergeResult | None = field(default=None, compare=False)
    written: Path | None = None


def sync_dir_of(store: HistoryStore) -> Path | None:
    """The sync folder the settings name, or None when sync is off."""
    value: Any = store.get_setting(SETTING)
    return Path(value) if isinstance(value, str) and value else None


STATE_FILE = "sync-state.json"


@dataclass(slots=True)
class SyncState:
    """What this data dir remembers between syncs, in ``sync-state.json`` beside the history.

    ``writer`` is a nonce naming this data dir in our own file's ``written_by``; ``peers`` and
    ``own`` are the (size, mtime_ns, inode) of the files as last read whole or written, for
    ``machine`` and ``folder``; ``history`` the history file's identity when ``own`` was
    written; ``told`` the other writers of our own file already told about.
    """

    writer: str
    machine: str = ""
    folder: str = ""
    peers: dict[str, FileSignature] = field(default_factory=dict)
    own: FileSignature | None = None
    history: list[int] | None = None
    told: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, data_dir: Path) -> SyncState:
        """The saved state; a missing or damaged file is a fresh state (a full sync)."""
        import json

        try:
            raw = json.loads((data_dir / STATE_FILE).read_bytes()[:4_000_000])
            writer = raw["writer"]
            if not (isinstance(writer, str) and 0 < len(writer) <= 64 and writer.isprintable()):
                return cls.fresh()
            state = cls(writer, str(raw.get("machine", "")), str(raw.get("folder", "")))
            state.peers = {str(k): _signature(v) for k, v in dict(raw.get("peers", {})).items()}
            state.own = _signature(raw["own"]) if raw.get("own") is not None else None
            history = raw.get("history")
            state.history = [int(n) for n in history] if isinstance(history, list) else None
            state.told = [str(t) for t in list(raw.get("told", []))[:100]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return cls.fresh()
        return state

    @classmethod
    def fresh(cls) -> SyncState:
        import os

        return cls(os.urandom(16).hex())  # a nonce: any short printable text

    def save(self, data_dir: Path) -> None:
        """Atomically, best effort: a state not saved only costs a full sync next time."""
        import json

        from ..files import StorageWriteError, atomic_write_bytes

        data = {
            "writer": self.writer,
            "machine": self.machine,
            "folder": self.folder,
            "peers": self.peers,
            "own": self.own,
            "history": self.history,
            "told": self.told,
        }
        with contextlib.suppress(StorageWriteError, OSError, ValueError):
            atomic_write_bytes(data_dir / STATE_FILE, json.dumps(data).encode("utf-8"))


def _signature(value: Any) -> FileSignature:
    size, mtime, inode = value
    return (int(size), int(mtime), int(inode))


def _writer(state: SyncState) -> dict[str, str]:
    import os

    if hasattr(os, "uname"):
        host = os.uname().nodename  # what socket.gethostname() says, without loading socket
    else:  # pragma: no cover - Windows
        import platform

        host = platform.node()
    return {"host": host[:100], "id": state.writer}


def _shared_id_line(found: Any, config_dir: Path, machine: str) -> str:
    host = found.get("host") if isinstance(found, dict) else None
    where = f"another computer ({host})" if isinstance(host, str) else "another computer"
    line = (
        f"{where} also syncs as this computer ({machine}), probably from a copied config dir; "
        f"nothing is lost, but delete {Path(config_dir) / 'machine-id'} on one of them and hamstring makes a new id"
    )
    return "".join(char if char.isprintable() else "?" for char in line)


def _publish(
    store: HistoryStore,
    sync_dir: Path,
    config_dir: Path,
    machine: str,
    state: SyncState,
    peers: list[Replica],
    checked: Checked | None = None,
) -> tuple[MergeResult | None, list[str]]:
    """Merge ``peers`` and our own file as it is in the folder (when someone else changed it
    since we wrote it) into the history, then write our own file unless nothing changed.
    Lock held by the caller. Raises :class:`SyncError`."""
    from ..digest import identity
    from ..sync_files import PeerProblem, file_signature, own_file_name, read_with_writer, write_own
    from ..transfer import checkin_record, measurement_record

    told: list[str] = []
    own_path = Path(sync_dir) / own_file_name(machine)
    own_now = file_signature(own_path)
    if own_now is not None and own_now != state.own:
        found = read_with_writer(own_path, checkin_record, measurement_record, checked)
        if isinstance(found, PeerProblem):
            told.append(str(found))
        else:
            peers = [*peers, found[0]]
            writer = found[1]
            key = json_key(writer)
            if writer is not None and writer != _writer(state) and key not in state.told:
                state.told.append(key)
                told.append(_shared_id_line(writer, config_dir, machine))
    result = store.merge_peers(peers, checked) if peers else None
    history = identity(store.path)
    if (
        (result is None or not result.changed)
        and own_now is not None
        and (own_now, history) == (state.own, state.history)
    ):
        return result, told  # nothing new anywhere: our file already says it all
    replica, texts = store.replica_and_texts()
    written = write_own(sync_dir, machine, replica, written_by=_writer(state), texts=texts)
    state.own = file_signature(written, time.time_ns())  # None when racy: read back next time
    state.history = identity(store.path)
    return result, told


def json_key(value: Any) -> str:
    import json

    try:
        return json.dumps(value, sort_keys=True)[:300]
    except (TypeError, ValueError, RecursionError):
        return repr(type(value))


def _state_for(store: HistoryStore, sync_dir: Path, machine: str) -> SyncState:
    state = SyncState.load(store.data_dir)
    if state.machine != machine or state.folder != str(sync_dir):
        state.machine, state.folder, state.peers, state.own, state.history = machine, str(sync_dir), {}, None, None
    return state


def sync_now(store: HistoryStore, sync_dir: Path, config_dir: Path) -> SyncOutcome:
    """Merge every other computer's file in ``sync_dir`` into the history (one locked
    write, none when nothing is new), then write this computer's own file.

    Our own file is merged too when another writer changed it (two computers sharing one
    machine id, told once), and rewritten only when something changed. A peer file whose
    signature is the one of its last good read is not read again.

    Raises :class:`StoreError` (one line) when the folder or this computer's id
    cannot be used, or the history cannot be written; damaged peer files are
    skipped and listed in :attr:`SyncOutcome.problems`.
    """
    from ..sync import MergeResult, summary
    from ..sync_files import SyncError, gather, machine_id
    from ..transfer import checkin_record, measurement_record

    notices: list[str] = []
    try:
        machine = machine_id(Path(config_dir), notices.append)
        if not Path(sync_dir).is_dir():
            raise SyncError(f"the sync folder {sync_dir} is not a directory (see 'hamstring config sync-dir')")
        with store.locked():  # the merge and our own file show the same history
            state = _state_for(store, Path(sync_dir), machine)
            found = gather(Path(sync_dir), machine, checkin_record, measurement_record, state.peers)
            result, told = _publish(
                store, Path(sync_dir), Path(config_dir), machine, state, found.replicas, found.checked
            )
            state.peers = found.read
            state.save(store.data_dir)
    except SyncError as error:
        raise StoreError(str(error)) from None
    store.notices.extend(notices)
    result = result or MergeResult(state=store.replica())
    return SyncOutcome(
        summary=summary(result, len(found.machines), len(found.problems)),
        problems=(*told, *(str(problem) for problem in found.problems)),
        changed=result.changed,
        computers=len(found.machines),
        result=result,
        written=Path(sync_dir) / own_file_name_of(machine),
    )


def own_file_name_of(machine: str) -> str:
    from ..sync_files import own_file_name

    return own_file_name(machine)


def write_own_file(store: HistoryStore, config_dir: Path) -> str | None:
    """After a write: this computer's file in the sync folder, when sync is on (merging
    first what another writer put in it, so nothing is lost).

    Returns a one-line notice when it could not be written (the history is saved
    either way), else None.
    """
    sync_dir = sync_dir_of(store)
    if sync_dir is None:
        return None
    from ..sync_files import SyncError, machine_id

    try:
        machine = machine_id(Path(config_dir))
        with store.locked():
            state = _state_for(store, sync_dir, machine)
            _result, told = _publish(store, sync_dir, Path(config_dir), machine, state, [])
            state.save(store.data_dir)
    except (SyncError, StoreError) as error:
        return f"saved, but the sync folder was not updated: {error}"
    return "; ".join(told) or None
