"""The version of the history file's layout (``_meta`` in ``history.json``).

Kept in a module of its own so the quick commands can check it without
loading the storage layer.
"""

SCHEMA_VERSION = 1
