"""The history store, split by responsibility:

* :mod:`.history`: :class:`HistoryStore`, the façade everything else uses;
* :mod:`.base`: start-up, migration and recovery, and the one write path;
* :mod:`.locking`: the thread and file lock;
* :mod:`.recovery`: a damaged file set aside, and its records salvaged;
* :mod:`.backups`: daily, monthly and pre-migration backups;
* :mod:`.migration`: :data:`MIGRATIONS` from one schema to the next;
* :mod:`.settings_store`: ``settings.json``;
* :mod:`.errors`: what is raised.
"""

from .errors import StoreBusy, StoreError, StoreReadOnly
from .history import HistorySnapshot, HistoryStore, ImportOutcome
from .migration import MIGRATIONS

__all__ = [
    "MIGRATIONS",
    "HistorySnapshot",
    "HistoryStore",
    "ImportOutcome",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
]
