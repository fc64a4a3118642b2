"""Work a write or a sync does not do twice: the sessions checked before a write, the rows'
JSON text shared by the history and this computer's sync file, the daily backup as a
byte copy. Each shortcut must give exactly what the long way gives."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.document import CorruptHistory, decode_document, decode_keeping_rows, serialise, serialise_reusing
from tui.core.factory import make_sessions
from tui.core.storage import validate_document
from tui.core.store.history import HistoryStore
from tui.core.store.syncing import sync_now
from tui.core.sync_files import document_of, encode, own_file_name, write_own

END = date(2025, 6, 30)
NOW = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
MACHINE = str(uuid.UUID(int=3, version=4))

json_keys = st.text(max_size=6)
json_leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    json_leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3), max_leaves=8
)
documents = st.dictionaries(
    json_keys,
    st.dictionaries(st.integers(0, 999).map(str) | json_keys, st.dictionaries(json_keys, json_values, max_size=3))
    | json_values,
    max_size=4,
)


@given(documents)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_serialising_reusing_texts_gives_the_same_bytes(document: dict[str, Any]) -> None:
    data, texts = serialise_reusing(document)
    assert data == serialise(document)
    for name, table in document.items():
        if isinstance(table, dict):
            for key, row in table.items():
                assert texts[name][key][0] is row
                assert json.loads(texts[name][key][1]) == row
    assert serialise_reusing(document, texts, {})[0] == data  # every row's text reused


def decoded_as_the_plain_decoder_does(data: bytes) -> tuple[Any, Any] | None:
    """``decode_keeping_rows(data)``, checked to give what ``decode_document`` gives: the same
    document, or the same one-line refusal (then None)."""
    try:
        expected: Any = decode_document(data)
    except CorruptHistory as error:
        with pytest.raises(CorruptHistory, match=re.escape(error.reason)):
            decode_keeping_rows(data)
        return None
    found, texts = decode_keeping_rows(data)
    assert found == expected
    return found, texts


@given(documents)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_reading_back_what_was_written_keeps_each_rows_text(document: dict[str, Any]) -> None:
    data = serialise(document)
    decoded = decoded_as_the_plain_decoder_does(data)
    if decoded is None:
        return
    found, texts = decoded
    assert texts is not None  # the compact shape serialise writes
    assert serialise_reusing(found, texts, {})[0] == data


@given(st.binary(max_size=300) | documents.map(lambda d: json.dumps(d, indent=1).encode()))
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_decode_as_the_plain_decoder_does(data: bytes) -> None:
    decoded = decoded_as_the_plain_decoder_does(data)
    if decoded is None:
        return
    found, texts = decoded
    if texts is not None:
        for name, table in found.items():
            for key, row in table.items():
                assert texts[name][key][0] is row and json.loads(texts[name][key][1]) == row


def test_a_changed_row_is_encoded_again_even_when_it_keeps_its_identity() -> None:
    document, texts = decode_keeping_rows(b'{"sessions":{"1":{"a":1},"2":{"b":2}}}')
    assert texts is not None
    document["sessions"]["1"]["a"] = 5  # changed in place, as TinyDB updates a row
    unchanged, _ = serialise_reusing(document, texts, {})
    assert unchanged == b'{"sessions":{"1":{"a":1},"2":{"b":2}}}'  # the caller said nothing changed
    data, _ = serialise_reusing(document, texts, {"sessions": {"1"}})
    assert data == b'{"sessions":{"1":{"a":5},"2":{"b":2}}}'
    assert serialise_reusing(document, texts)[0] == data  # without a list of changes: nothing reused


def test_saving_a_session_again_under_its_id_writes_the_new_version(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(make_sessions(20, end=END, seed=13))
    store = HistoryStore.open(tmp_path)
    first = store.snapshot().sessions[0]
    store.record_session(replace(first, duration_s=first.duration_s + 1, note="again"))
    again = HistoryStore.open(tmp_path).get_session(first.id)
    assert again is not None and again.note == "again" and again.duration_s == first.duration_s + 1


def test_sessions_after_a_write_are_what_a_full_check_finds(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(make_sessions(40, end=END, seed=1))
    store = HistoryStore.open(tmp_path)  # its first write starts from the file, parsed and checked
    first = [s.id for s in store.snapshot().sessions]
    store.delete_sessions(first[:3])
    store.set_session_note(first[5], "a note")
    store.move_session(first[6], date(2025, 1, 2))
    store.import_many(make_sessions(10, end=END, seed=2))
    kept = store.snapshot().sessions
    fresh = HistoryStore.open(tmp_path).snapshot().sessions  # parsed and checked from the file
    assert list(kept) == list(fresh) == validate_document(json.loads((tmp_path / "history.json").read_bytes()))
    assert len(kept) == 47
    assert next(s for s in kept if s.id == first[5]).note == "a note"


def test_the_digest_after_a_merge_is_the_one_a_fresh_start_works_out(tmp_path: Path) -> None:
    peer = HistoryStore.open(tmp_path / "peer")
    peer.import_many(make_sessions(60, end=END, seed=3))
    local = HistoryStore.open(tmp_path / "local")
    local.import_many(make_sessions(60, end=END, seed=4))
    local.merge_peers([peer.replica()])
    local.renew_digest()
    kept = local.digest()
    (tmp_path / "local" / "history.json.digest").unlink()
    assert HistoryStore.open(tmp_path / "local").digest() == kept


def test_own_file_from_the_kept_texts_is_byte_for_byte_the_encoded_one(tmp_path: Path) -> None:
    peer = HistoryStore.open(tmp_path / "peer")
    peer.import_many(make_sessions(30, end=END, seed=5))
    peer.set_session_note(peer.snapshot().sessions[0].id, 'é, ü and "quotes" \\ here')
    local = HistoryStore.open(tmp_path / "local")
    local.import_many(make_sessions(30, end=END, seed=6))
    local.merge_peers([peer.replica()])
    replica, texts = local.replica_and_texts()
    assert len(texts) >= 60  # the merged sessions' rows, as written to history.json
    document = document_of(replica, MACHINE, NOW)
    assert encode(document, texts) == encode(document)


def test_texts_are_not_given_for_a_history_changed_since(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path)
    store.import_many(make_sessions(5, end=END, seed=7))
    HistoryStore.open(tmp_path).import_many(make_sessions(5, end=END, seed=8))  # another copy writes
    replica, texts = store.replica_and_texts()  # read afresh: texts of the file as it is now
    assert len(replica.sessions) == 10
    assert {json.loads(text)["id"] for _row, text in texts.values() if "steps" in json.loads(text)} == set(
        replica.sessions
    )


def test_a_changed_record_is_encoded_afresh_not_taken_from_the_texts(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path)
    store.import_many(make_sessions(3, end=END, seed=9))
    replica, texts = store.replica_and_texts()
    sid = next(iter(replica.sessions))
    changed = {**replica.sessions[sid], "duration_s": 1}  # a new object: its text is not known
    replica.sessions[sid] = changed
    written = write_own(tmp_path, MACHINE, replica, NOW, texts=texts)
    sessions = json.loads(written.read_bytes())["sessions"]
    assert next(s for s in sessions if s["id"] == sid)["duration_s"] == 1


def test_sync_writes_the_merged_history_in_our_own_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    peer = HistoryStore.open(tmp_path / "peer")
    peer.import_many(make_sessions(20, end=END, seed=10))
    write_own(folder, str(uuid.UUID(int=7, version=4)), peer.replica())
    local = HistoryStore.open(tmp_path / "local")
    local.import_many(make_sessions(20, end=END, seed=11))
    local.set_setting("sync-dir", str(folder))
    outcome = sync_now(local, folder, tmp_path / "config")
    assert outcome.changed and outcome.written is not None
    own = json.loads(outcome.written.read_bytes())
    assert outcome.written.name == own_file_name(own["machine_id"])
    assert {s["id"] for s in own["sessions"]} == {s.id for s in local.snapshot().sessions}
    assert len(own["sessions"]) == 40


def test_the_daily_backup_is_the_checked_file_byte_for_byte(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(make_sessions(10, end=END, seed=12))
    (tmp_path / "history.json.digest").unlink(missing_ok=True)  # a start that reads and checks the file
    for backup in (tmp_path / "backups").glob("*.json"):
        backup.unlink()
    HistoryStore.open(tmp_path)
    (backup,) = (tmp_path / "backups").glob("history-*.json")
    assert backup.read_bytes() == (tmp_path / "history.json").read_bytes()
