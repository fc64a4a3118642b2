"""The history file as a JSON document of TinyDB tables: parse, check the shape, serialise.

Only the standard library: the store can read a document's schema or
recover a damaged file without loading TinyDB or the record types.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from typing import Any

from . import schema
from .text import json_reason


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
        raise CorruptHistory(f"the file is not valid JSON ({json_reason(error.msg)} at line {error.lineno})") from None
    except RecursionError:
        raise CorruptHistory("the file is not valid JSON (nested too deeply)") from None
    except ValueError as error:  # a number too long to convert, say
        raise CorruptHistory(f"the file is not valid JSON ({first_line(error)})") from None
    if not isinstance(document, dict):
        kind = "null" if document is None else type(document).__name__
        raise CorruptHistory(f"the file holds {kind} instead of tables")
    _check_tables(document)
    return document


def first_line(error: BaseException, limit: int = 100) -> str:
    """An error's message for a one-line notice: its first line, cut with an ellipsis."""
    lines = str(error).splitlines()
    line = lines[0] if lines else type(error).__name__
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _check_tables(document: dict[str, Any]) -> None:
    for name, table in document.items():
        if not isinstance(table, dict):
            raise CorruptHistory(f"table '{name}' is not an object of documents")
        for doc_id, doc in table.items():
            if not isinstance(doc, dict) or not doc_id.isdigit():
                raise CorruptHistory(f"table '{name}' has a malformed document {doc_id!r}")


def serialise(document: Document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


#: Each row's JSON text, by table and row key, with the row object it was read into or
#: written from (the object is kept with it: its identity says the text is still its own).
TableTexts = dict[str, dict[str, tuple[Any, str]]]
#: The same texts by the identity of the row object (see :func:`by_row`).
RowTexts = dict[int, tuple[Any, str]]

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _finite(text: str) -> float:
    number = float(text)
    if number in (math.inf, -math.inf):
        raise ValueError("a number too large for a float")  # read as before, its text not kept
    return number


_scan = json.JSONDecoder(parse_float=_finite).raw_decode


def decode_keeping_rows(data: bytes) -> tuple[Document, TableTexts | None]:
    """:func:`decode_document`, and each row's JSON text when the file has the compact
    shape :func:`serialise` writes (None for any other shape, as a file edited by hand):
    a later write then encodes only the rows that changed. Raises :class:`CorruptHistory`."""
    try:
        found = _rows_of(data.decode("utf-8"))
    except (ValueError, IndexError, RecursionError):  # also JSONDecodeError, UnicodeDecodeError
        found = None
    if found is None:
        return decode_document(data), None
    document, texts = found
    _check_tables(document)
    return document, texts


def _rows_of(text: str) -> tuple[Document, TableTexts] | None:
    """Parse ``{"table":{"key":row,...},...}`` written without spaces, keeping each row's
    text; None (or a ValueError) for anything else. What it returns is what ``json.loads``
    returns for the same text (the same decoder reads every name, key and row)."""
    if not text.startswith("{"):
        return None
    document: dict[str, Any] = {}
    texts: TableTexts = {}
    at = 1
    while text[at] != "}":
        name, at = _scan(text, at)
        if not isinstance(name, str) or text[at : at + 2] != ":{":
            return None
        at += 2
        table: dict[str, Any] = {}
        spans: dict[str, tuple[Any, str]] = {}
        while text[at] != "}":
            key, at = _scan(text, at)
            if not isinstance(key, str) or text[at] != ":":
                return None
            start = at + 1
            row, at = _scan(text, start)
            table[key] = row
            spans[key] = (row, text[start:at])
            if text[at] == "," and text[at + 1] != "}":  # JSON has no trailing comma
                at += 1
            elif text[at] != "}":
                return None
        document[name], texts[name] = table, spans
        at += 1
        if text[at] == "," and text[at + 1] != "}":
            at += 1
        elif text[at] != "}":
            return None
    return (document, texts) if at + 1 == len(text) else None


def serialise_reusing(
    document: Document, texts: TableTexts | None = None, changed: Mapping[str, Collection[str]] | None = None
) -> tuple[bytes, TableTexts]:
    """:func:`serialise` (the same bytes), taking each row's text from ``texts`` when the row
    is the very object the text was made from and its key is not in ``changed`` (rows
    changed in place keep their identity); returns the texts of the rows as written.

    Without ``changed`` nothing is reused: only a caller that compared every row with the
    document as ``texts`` describe it can say which rows changed.
    """
    reusable = texts if texts is not None and changed is not None else {}
    written: TableTexts = {}
    tables = []
    for name, table in document.items():
        if not isinstance(table, dict):
            tables.append(f"{_encode(name)}:{_encode(table)}")
            continue
        known = reusable.get(name, {})
        dirty = changed.get(name, ()) if changed is not None else ()
        spans: dict[str, tuple[Any, str]] = {}
        parts = []
        for key, row in table.items():
            found = known.get(key)
            text = found[1] if found is not None and found[0] is row and key not in dirty else _encode(row)
            spans[key] = (row, text)
            parts.append(f'"{key}":{text}' if key.isascii() and key.isdigit() else f"{_encode(key)}:{text}")
        written[name] = spans
        tables.append(f"{_encode(name)}:{{{','.join(parts)}}}")
    return ("{" + ",".join(tables) + "}").encode("utf-8"), written


def by_row(texts: TableTexts) -> RowTexts:
    """The rows' texts by the identity of the row object."""
    return {id(row): (row, text) for table in texts.values() for row, text in table.values()}
