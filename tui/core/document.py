"""The history file as a JSON document of TinyDB tables: parse, check the shape, serialise.

Only the standard library: the store can read a document's schema or
recover a damaged file without loading TinyDB or the record types.
"""

from __future__ import annotations

import json
from typing import Any

from . import schema


class CorruptHistory(Exception):
    """The history file cannot be trusted; ``reason`` says why, in one line."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


Document = dict[str, dict[str, Any]]


def empty_document() -> Document:
    return {"sessions": {}, "rest_days": {}, "_meta": {"1": {"schema_version": schema.SCHEMA_VERSION}}}


def schema_version_of(document: Document) -> int:
    meta = document.get("_meta") or {}
    for doc in meta.values():
        version = doc.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool):
            return version
        raise CorruptHistory(f"_meta: schema_version must be a whole number, not {version!r}")
    return schema.SCHEMA_VERSION


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


def serialise(document: Document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


#: The JSON text of rows as a document was serialised, by the identity of the row object
#: (kept with the row, so the identity cannot be reused while the entry lives).
RowTexts = dict[int, tuple[dict[str, Any], str]]

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def serialise_keeping_rows(document: Document) -> tuple[bytes, RowTexts]:
    """:func:`serialise` (the same bytes), and each row's JSON text: a file that holds the
    same rows (this computer's sync file) is then written without encoding them again."""
    texts: RowTexts = {}
    tables = []
    for name, table in document.items():
        if not isinstance(table, dict):
            tables.append(f"{_encode(name)}:{_encode(table)}")
            continue
        keys = [f'"{key}"' if key.isascii() and key.isdigit() else _encode(key) for key in table]
        rows = list(table.values())
        encoded = list(map(_encode, rows))
        texts.update((id(row), (row, text)) for row, text in zip(rows, encoded, strict=True) if isinstance(row, dict))
        joined = ",".join([f"{key}:{text}" for key, text in zip(keys, encoded, strict=True)])
        tables.append(f"{_encode(name)}:{{{joined}}}")
    return ("{" + ",".join(tables) + "}").encode("utf-8"), texts
