"""A hostile review of the write path's shortcuts (rows' JSON text kept and reused, sessions
kept across a write, peers' sessions vouched for, the daily backup a byte copy, the faster
digest): whatever the history holds and whatever is done to it, the file, the store's view,
the digest and this computer's sync file agree with a fresh, full parse."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.core.document import CorruptHistory, decode_document, decode_keeping_rows, serialise
from tui.core.factory import make_sessions
from tui.core.store.errors import StoreError
from tui.core.store.history import HistoryStore
from tui.core.store.syncing import sync_now
from tui.core.sync_files import PeerProblem, document_of, encode, read_peer

END = date(2025, 6, 30)
NOW = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
MACHINE = str(uuid.UUID(int=3, version=4))


def _plain(data: bytes) -> Any:
    """What the plain decoder makes of ``data``: the document, or its one-line refusal."""
    try:
        return decode_document(data)
    except CorruptHistory as error:
        return error.reason


def _kept(data: bytes) -> Any:
    try:
        return decode_keeping_rows(data)[0]
    except CorruptHistory as error:
        return error.reason


# -- bug: the compact-shape reader took trailing commas that JSON (and the backup reader) refuse --
@pytest.mark.parametrize(
    "data",
    [
        b'{"sessions":{},}',
        b'{"sessions":{"1":{"a":1},}}',
        b'{"a":{},"b":{"1":{}},}',
    ],
)
def test_a_trailing_comma_is_refused_as_the_plain_decoder_refuses_it(data: bytes) -> None:
    assert isinstance(_plain(data), str)
    assert _kept(data) == _plain(data)


def test_a_hand_edited_trailing_comma_is_a_damaged_file_and_never_a_backup(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(make_sessions(3, end=END, seed=21))
    history = tmp_path / "history.json"
    data = history.read_bytes()
    assert data.endswith(b"}}")
    history.write_bytes(data[:-1] + b",}")  # a comma left after the last table
    (tmp_path / "history.json.digest").unlink(missing_ok=True)
    for backup in (tmp_path / "backups").glob("*.json"):
        backup.unlink()
    store = HistoryStore.open(tmp_path)
    assert any("damaged" in notice for notice in store.take_notices())
    for backup in (tmp_path / "backups").glob("history-*.json"):
        decode_document(backup.read_bytes())  # every daily backup reads back
    assert json.loads(history.read_bytes()) == store._storage.load()
    assert len(store.sessions()) == 3  # salvaged from the damaged file


# -- bug: this computer's sync file reused row texts the sync writer would refuse -------------
def _history_with(tmp_path: Path, value: bytes) -> HistoryStore:
    """A history whose first session holds an unknown field ``extra`` written as ``value``
    (JSON text, as a hand edit leaves it) in the compact shape hamstring writes."""
    HistoryStore.open(tmp_path).import_many(make_sessions(3, end=END, seed=22))
    history = tmp_path / "history.json"
    data = history.read_bytes()
    assert data.count(b'"source":"timer"') == 3
    history.write_bytes(data.replace(b'"source":"timer"', b'"source":"timer","extra":' + value, 1))
    (tmp_path / "history.json.digest").unlink(missing_ok=True)
    store = HistoryStore.open(tmp_path)
    assert store.take_notices() == []  # an unknown field is no damage
    return store


POISONS = [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1E400", b'"\\ud800"', b'"a\\udfffb"']


@pytest.mark.parametrize("written", [False, True], ids=["as read", "after a write"])
@pytest.mark.parametrize("value", POISONS)
def test_own_file_from_the_texts_is_refused_where_encoding_it_afresh_is_refused(
    tmp_path: Path, value: bytes, written: bool
) -> None:
    store = _history_with(tmp_path, value)
    if written:
        store.set_rest_day(date(2025, 6, 1), True)  # the texts are then the ones the write made
    replica, texts = store.replica_and_texts()
    document = document_of(replica, MACHINE, NOW)
    with pytest.raises(ValueError):
        encode(document)  # not plain JSON, or not UTF-8 text: the sync writer refuses it
    with pytest.raises(ValueError):
        encode(document, texts)


@pytest.mark.parametrize("value", POISONS)
def test_sync_never_writes_an_own_file_that_a_peer_cannot_read_back(tmp_path: Path, value: bytes) -> None:
    store = _history_with(tmp_path / "local", value)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="not plain JSON"):
        sync_now(store, folder, tmp_path / "config")
    for written in folder.glob("hamstring-*.json"):
        found = read_peer(written)
        assert not isinstance(found, PeerProblem), found
        assert all(isinstance(raw.get("extra", ""), str) for raw in found.sessions.values())


def test_a_note_that_says_nan_still_syncs_and_reads_back(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path / "local")
    store.import_many(make_sessions(4, end=END, seed=23))
    first = store.snapshot().sessions[0].id
    store.set_session_note(first, "NaN Infinity \\ud800 -Infinity")
    replica, texts = store.replica_and_texts()
    document = document_of(replica, MACHINE, NOW)
    assert encode(document, texts) == encode(document)
    folder = tmp_path / "folder"
    folder.mkdir()
    written = sync_now(store, folder, tmp_path / "config").written
    assert written is not None
    found = read_peer(written)
    assert not isinstance(found, PeerProblem)
    assert found.sessions[first]["note"] == "NaN Infinity \\ud800 -Infinity"
