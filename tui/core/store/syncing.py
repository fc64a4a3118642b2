"""The sync folder and the history: merge every peer file in one locked write, and
write this computer's own file (see :mod:`tui.core.sync_files` for the protocol).

The app calls :func:`sync_now` at start and every 20 s or so (from a worker
thread); ``hamstring sync`` calls it once; every command that writes calls
:func:`write_own_file` afterwards. Nothing here raises for a damaged peer file
(it is a problem, retried next time) and a failure to write our own file is a
notice, never a failed save: the history itself is already safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    from ..sync import MergeResult
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


def _own(store: HistoryStore, sync_dir: Path, machine: str) -> Path:
    from ..sync_files import write_own

    return write_own(sync_dir, machine, store.replica())


def sync_now(store: HistoryStore, sync_dir: Path, config_dir: Path) -> SyncOutcome:
    """Merge every other computer's file in ``sync_dir`` into the history (one locked
    write, none when nothing is new), then write this computer's own file.

    Raises :class:`StoreError` (one line) when the folder or this computer's id
    cannot be used, or the history cannot be written; damaged peer files are
    skipped and listed in :attr:`SyncOutcome.problems`.
    """
    from ..sync import summary
    from ..sync_files import SyncError, gather, machine_id
    from ..transfer import checkin_record, measurement_record

    notices: list[str] = []
    try:
        machine = machine_id(Path(config_dir), notices.append)
        if not Path(sync_dir).is_dir():
            raise SyncError(f"the sync folder {sync_dir} is not a directory (see 'hamstring config sync-dir')")
        found = gather(Path(sync_dir), machine, checkin_record, measurement_record)
        with store.locked():  # the merge and our own file show the same history
            result = store.merge_peers(found.replicas)
            written = _own(store, Path(sync_dir), machine)
    except SyncError as error:
        raise StoreError(str(error)) from None
    store.notices.extend(notices)
    return SyncOutcome(
        summary=summary(result, len(found.machines), len(found.problems)),
        problems=tuple(str(problem) for problem in found.problems),
        changed=result.changed,
        computers=len(found.machines),
        result=result,
        written=written,
    )


def write_own_file(store: HistoryStore, config_dir: Path) -> str | None:
    """After a write: this computer's file in the sync folder, when sync is on.

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
            _own(store, sync_dir, machine)
    except (SyncError, StoreError) as error:
        return f"saved, but the sync folder was not updated: {error}"
    return None
