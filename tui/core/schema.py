"""The version of the history file's layout (``_meta`` in ``history.json``).

Kept in a module of its own so the quick commands can check it without
loading the storage layer. Read it as ``schema.SCHEMA_VERSION`` at the time of
use (tests raise it to try a migration).

* 1: sessions, rest days and settings in ``history.json``.
* 2: the settings moved to ``settings.json`` beside it (see
  :mod:`tui.core.store.migration`).
* 3: rest days are marks with ids, deletions leave tombstones, and check-ins,
  measurements and session notes are kept (see :mod:`tui.core.store.kinds`).
"""

SCHEMA_VERSION = 3
