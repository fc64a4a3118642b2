"""The app's side of the sync folder: merge only when a peer file changed, tell each
damaged file once, and write this computer's own file after the app's writes.

The check is cheap: a listing of the folder and one ``stat`` per peer file
(:func:`signature`). A sync runs only when that signature differs from the
one of the last sync, so a quiet folder costs nothing more every 20 s, and a
folder that cannot be read is told once (its error is its signature) instead
of every 20 s. Everything here runs in the app's worker threads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import HistoryStore

#: Each peer file's name, size, change time and inode; or the one-line reason the folder cannot be read.
Signature = tuple[tuple[str, int, int, int], ...] | str


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync of the app brought: ``summary`` when the history took anything
    in (else None), and the damaged files not told before, one line each."""

    summary: str | None
    problems: tuple[str, ...] = ()
    changed: bool = False


def signature(sync_dir: Path, config_dir: Path) -> Signature:
    """The state of every other computer's file in ``sync_dir`` (never our own file)."""
    from .sync_files import SyncError, machine_id, peer_files

    try:
        machine = machine_id(config_dir)
        if not sync_dir.is_dir():
            return f"the sync folder {sync_dir} is not a directory (see 'hamstring config sync-dir')"
        found = []
        for path in peer_files(sync_dir, machine):
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue  # gone meanwhile: the next check sees the folder as it is then
            found.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
    except (SyncError, OSError) as error:
        return str(error)
    return tuple(found)


@dataclass(slots=True)
class SyncWatch:
    """The folder as it was at the last sync, and the damaged files already told."""

    config_dir: Path
    seen: Signature | None = None
    told: set[tuple[str, object]] = field(default_factory=set)

    def due(self, sync_dir: Path) -> bool:
        """Whether a peer file changed since the last sync (or there was none yet)."""
        return signature(sync_dir, self.config_dir) != self.seen

    def sync(self, store: HistoryStore, sync_dir: Path) -> SyncReport:
        """Merge the peers into ``store`` and write our own file (see :func:`sync_now`).

        Raises :class:`StoreError` (one line) when the folder or the history cannot be used;
        that folder state is not tried again until it changes.
        """
        from .store.syncing import sync_now

        now = signature(sync_dir, self.config_dir)
        self.seen = now
        outcome = sync_now(store, sync_dir, self.config_dir)
        files = {entry[0]: entry[1:] for entry in now} if isinstance(now, tuple) else {}
        fresh = []
        for problem in outcome.problems:
            name = next((name for name in files if problem.startswith(f"skipped {name}:")), None)
            key = (problem, files.get(name) if name else None)
            if key not in self.told:
                self.told.add(key)
                fresh.append(problem)
        return SyncReport(outcome.summary if outcome.changed else None, tuple(fresh), outcome.changed)
