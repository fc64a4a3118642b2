"""Upgrading an older history file, one schema at a time, after a backup of it.

Schema 1 -> 2 moves the settings out of ``history.json`` into
``settings.json``: the migration takes the ``settings`` table out of the
document, and :func:`migrate` merges those settings into ``settings.json``
(its own values win) before the history is rewritten, so a crash at any point
loses nothing and running it again gives the same result.

Schema 2 -> 3 gives each rest day its mark (the legacy id made from its date,
the same on every computer) and adds the tables for tombstones, check-ins and
measurements. Sessions are unchanged (``note`` and ``edited_at`` are optional).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .. import schema
from ..document import Document


def settings_out(document: Document) -> Document:
    """Schema 1 -> 2: the history no longer holds the settings."""
    document.pop("settings", None)
    return document


def rest_marks(document: Document) -> Document:
    """Schema 2 -> 3: rest days become marks; tombstones, check-ins and measurements get tables.

    A row that is not a plain ``{date}`` is left for the load's checks to judge.
    """
    from ..records import RecordError, parse_date
    from ..sync import legacy_rest_mark

    for key, raw in document.get("rest_days", {}).items():
        if isinstance(raw, dict) and set(raw) == {"date"}:
            try:
                document["rest_days"][key] = legacy_rest_mark(parse_date(raw["date"]))
            except RecordError:
                continue
    for table in ("tombstones", "checkins", "measurements"):
        document.setdefault(table, {})
    return document


#: Upgrades from schema N to N+1, applied in order to an older file at start-up.
MIGRATIONS: dict[int, Callable[[Document], Document]] = {1: settings_out, 2: rest_marks}


def legacy_settings(document: Document) -> dict[str, Any]:
    """The settings a schema-1 history holds (key/value documents)."""
    found: dict[str, Any] = {}
    for doc_id in sorted(document.get("settings", {}), key=int):
        raw = document["settings"][doc_id]
        if isinstance(raw.get("key"), str) and "value" in raw:
            found[raw["key"]] = raw["value"]
    return found


def upgraded(document: Document, version: int) -> tuple[Document, dict[str, Any]]:
    """``document`` (schema ``version``) brought to the current schema, and the
    settings it held that now belong in ``settings.json``. The input is left as it was."""
    document = copy.deepcopy(document)
    settings = legacy_settings(document)
    while version < schema.SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    document.setdefault("_meta", {})["1"] = {"schema_version": schema.SCHEMA_VERSION}
    return document, settings
