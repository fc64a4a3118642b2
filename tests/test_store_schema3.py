"""Schema 3: rest marks, tombstones, check-ins, measurements, session notes and edits."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core.checkins import new_checkin, new_measurement
from tui.core.factory import make_sessions
from tui.core.records import manual_session
from tui.core.schema import SCHEMA_VERSION
from tui.core.store import DeletedRecordError, HistoryStore, StoreError, UnknownRecord
from tui.core.sync import legacy_rest_mark

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def open_store(data_dir: Path) -> HistoryStore:
    return HistoryStore.open(data_dir, clock=lambda: NOW)


def v2_history(data_dir: Path, sessions: int = 3) -> bytes:
    data_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "sessions": {str(n): s.to_dict() for n, s in enumerate(make_sessions(sessions, end=date(2025, 6, 10)), 1)},
        "rest_days": {"1": {"date": "2025-06-01"}, "2": {"date": "2025-06-03"}},
        "_meta": {"1": {"schema_version": 2}},
    }
    data = json.dumps(document).encode()
    (data_dir / "history.json").write_bytes(data)
    return data


def test_a_schema_2_history_is_upgraded_after_a_backup_losing_nothing(data_dir: Path) -> None:
    original = v2_history(data_dir)
    old = json.loads(original)
    store = open_store(data_dir)
    assert any(f"upgraded the history to schema {SCHEMA_VERSION}" in n for n in store.notices)
    (backup,) = (data_dir / "backups").glob("history-v2-before-migration-*.json")
    assert backup.read_bytes() == original
    assert [s.to_dict() for s in store.sessions()] == sorted(
        old["sessions"].values(), key=lambda s: (s["date"], s["started_at"])
    )
    assert store.rest_days() == {date(2025, 6, 1), date(2025, 6, 3)}
    document = json.loads((data_dir / "history.json").read_text())
    assert document["rest_days"]["1"] == legacy_rest_mark(date(2025, 6, 1))
    assert document["tombstones"] == document["checkins"] == document["measurements"] == {}
    migrated = (data_dir / "history.json").read_bytes()
    again = open_store(data_dir)  # idempotent: nothing to do the second time
    assert (data_dir / "history.json").read_bytes() == migrated and again.notices == []


def test_deleting_leaves_a_tombstone_that_refuses_the_session_again(data_dir: Path) -> None:
    store = open_store(data_dir)
    first, second = make_sessions(2, end=date(2025, 6, 17))
    store.record_session(first)
    store.record_session(second)
    assert store.delete_sessions([first.id]) == 1
    assert first.id in store.tombstones()
    with pytest.raises(DeletedRecordError, match="was deleted"):
        store.record_session(first)
    assert store.sessions() == [second]
    before = (data_dir / "history.json").read_bytes()
    with pytest.raises(UnknownRecord, match="nothing deleted"):
        store.delete_sessions([second.id, "00000000-0000-4000-8000-000000000000"])
    assert (data_dir / "history.json").read_bytes() == before  # all or nothing
    # an old export brings nothing deleted back
    assert store.import_many([first, second]) == (0, 1, 0)
    assert store.sessions() == [second]


def test_move_and_note_are_edits_with_edited_at(data_dir: Path) -> None:
    store = open_store(data_dir)
    session = manual_session(date(2025, 6, 10), 10, NOW, "Europe/Berlin")
    store.record_session(session)
    store.move_session(session.id, date(2025, 6, 12), today=date(2025, 6, 18))
    moved = store.get_session(session.id)
    assert moved is not None and moved.date == date(2025, 6, 12) and moved.edited_at == NOW
    assert moved.started_at - session.started_at == timedelta(days=2)
    store.set_session_note(session.id, "  left side tight  ")
    assert store.get_session(session.id).note == "left side tight"  # type: ignore[union-attr]  # just recorded
    with pytest.raises(StoreError, match="at most 500"):
        store.set_session_note(session.id, "x" * 501)
    with pytest.raises(StoreError, match="not moved"):
        store.move_session(session.id, date(2025, 6, 25), today=date(2025, 6, 18))
    with pytest.raises(UnknownRecord):
        store.move_session("00000000-0000-4000-8000-000000000000", date(2025, 6, 1))
    store.set_session_note(session.id, None)
    assert store.get_session(session.id).note is None  # type: ignore[union-attr]  # just recorded


def test_removing_a_rest_day_tombstones_its_marks_and_an_import_does_not_undo_it(data_dir: Path) -> None:
    v2_history(data_dir, sessions=0)
    store = open_store(data_dir)
    store.set_rest_day(date(2025, 6, 1), False)
    assert store.rest_days() == {date(2025, 6, 3)}
    assert legacy_rest_mark(date(2025, 6, 1))["id"] in store.tombstones()
    store.import_many([], [date(2025, 6, 1), date(2025, 6, 5)])  # an old export
    assert store.rest_days() == {date(2025, 6, 3), date(2025, 6, 5)}
    store.set_rest_day(date(2025, 6, 1), True)  # marked again: a new mark
    assert date(2025, 6, 1) in store.rest_days()


def test_checkins_and_measurements_are_kept_exported_and_merged_by_id(data_dir: Path, tmp_path: Path) -> None:
    store = open_store(data_dir)
    first = new_checkin("2025-06-17", 6, 4, "stiff", NOW - timedelta(hours=3))
    second = new_checkin("2025-06-17", 3, None, None, NOW)
    reach = new_measurement("2025-06-17", "sit-and-reach", "-4.5", None, NOW)
    store.add_checkin(first)
    store.add_checkin(second)
    store.add_measurement(reach)
    assert store.checkins() == [first, second] and store.checkins_on(date(2025, 6, 17)) == [first, second]
    assert store.measurements() == [reach]
    exported = store.export_all(exported_at=NOW)
    assert [c["id"] for c in exported["checkins"]] == [first.id, second.id]
    assert exported["measurements"] == [reach.to_dict()]
    other = HistoryStore.open(tmp_path / "other", clock=lambda: NOW)
    from tui.core.transfer import parse_import, to_json

    batch = parse_import(to_json(exported).encode())
    for _ in range(2):  # idempotent
        other.import_many(batch.sessions, batch.rest_days, incoming=batch.replica)
        assert other.checkins() == [first, second] and other.measurements() == [reach]
    store.delete_checkin(first.id)
    batch = parse_import(to_json(store.export_all()).encode())
    other.import_many(batch.sessions, batch.rest_days, incoming=batch.replica)
    assert other.checkins() == [second]


def test_a_damaged_meta_is_damage_for_the_checks_as_for_the_start_up(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "history.json").write_bytes(b'{"_meta":{"0":{"":0}}}')
    from tui.core.document import CorruptHistory, decode_document
    from tui.core.storage import validate_document

    with pytest.raises(CorruptHistory):
        validate_document(decode_document(b'{"_meta":{"0":{"":0}}}'))
    store = open_store(data_dir)
    assert any("damaged" in notice for notice in store.notices)
