"""The history store, split by responsibility:

* :mod:`.history`: :class:`HistoryStore`, the façade everything else uses;
* :mod:`.edits`: deletions (tombstones), moves, notes, rest marks, check-ins, measurements;
* :mod:`.exchange`: export, import and the sync merge; :mod:`.kinds`: the tables as a replica;
* :mod:`.syncing`: the sync folder (:func:`.syncing.sync_now`);
* :mod:`.base`: start-up, migration and recovery, and the one write path;
* :mod:`.locking`: the thread and file lock;
* :mod:`.recovery`: a damaged file set aside, and its records salvaged;
* :mod:`.backups`: daily, monthly and pre-migration backups;
* :mod:`.migration`: :data:`MIGRATIONS` from one schema to the next;
* :mod:`.settings_store`: ``settings.json``;
* :mod:`.errors`: what is raised.
"""

from .errors import DeletedRecordError, StoreBusy, StoreError, StoreReadOnly, UnknownRecord
from .exchange import ImportOutcome
from .history import HistorySnapshot, HistoryStore
from .migration import MIGRATIONS

__all__ = [
    "MIGRATIONS",
    "DeletedRecordError",
    "HistorySnapshot",
    "HistoryStore",
    "ImportOutcome",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
    "UnknownRecord",
]
