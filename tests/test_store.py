"""The history store: API, corruption recovery, backups, schema, injected failures."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers import REPO
from tui.core import schema as schema_module
from tui.core import storage as storage_module
from tui.core import store as store_module
from tui.core.factory import make_sessions
from tui.core.records import manual_session
from tui.core.schema import SCHEMA_VERSION
from tui.core.store import HistoryStore, StoreBusy, StoreError, StoreReadOnly

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=2)))


def clock() -> datetime:
    return NOW


def open_store(data_dir: Path, **kwargs) -> HistoryStore:
    return HistoryStore.open(data_dir, clock=clock, **kwargs)


def history_file(data_dir: Path) -> Path:
    return data_dir / "history.json"


def temp_files(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.name.endswith(".tmp"))


# -- the API ---------------------------------------------------------------------
def test_first_use_creates_nothing_until_the_first_write(data_dir: Path) -> None:
    store = open_store(data_dir)
    assert store.sessions() == [] and store.notices == []
    assert not history_file(data_dir).exists()
    store.set_setting("bell", "off")
    assert not history_file(data_dir).exists()  # settings live in settings.json
    assert store.get_setting("bell") == "off"
    store.set_rest_day(date(2025, 6, 1), True)
    document = json.loads(history_file(data_dir).read_text())
    assert document["_meta"] == {"1": {"schema_version": SCHEMA_VERSION}}


def test_record_list_replace_and_delete_sessions(data_dir: Path) -> None:
    store = open_store(data_dir)
    first, second, third = make_sessions(3, end=date(2025, 6, 18))
    for session in (third, first, second):
        store.record_session(session)
    assert [s.id for s in store.sessions()] == [first.id, second.id, third.id]
    assert store.sessions(start=second.date, end=second.date) == [second]
    assert store.sessions_on(third.date) == [third]
    edited = dataclasses.replace(first, duration_s=1, complete=False)
    store.record_session(edited)
    assert len(store.sessions()) == 3
    assert store.get_session(first.id) == edited
    assert store.delete_session(second.id) is True
    assert store.delete_session(second.id) is False
    assert [s.id for s in store.sessions()] == [first.id, third.id]
    assert store.get_session(third.id) == third


def test_saving_the_same_session_twice_keeps_one(data_dir: Path) -> None:
    store = open_store(data_dir)
    (session,) = make_sessions(1, end=date(2025, 6, 18))
    store.record_session(session)
    store.record_session(session)
    assert store.sessions() == [session]


def test_mark_and_unmark_a_day(data_dir: Path) -> None:
    store = open_store(data_dir)
    day = date(2025, 6, 10)
    store.mark_day(manual_session(day, 10, NOW, "Europe/Berlin"))
    (timer,) = make_sessions(1, end=day)
    store.record_session(timer)
    assert {s.source for s in store.sessions_on(day)} == {"manual", "timer"}
    assert store.unmark_day(day) == 1
    assert store.sessions_on(day) == [timer]


def test_rest_days_and_settings(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.set_rest_day(date(2025, 6, 1), True)
    store.set_rest_day(date(2025, 6, 1), True)
    store.set_rest_day(date(2025, 6, 2), True)
    store.set_rest_day(date(2025, 6, 2), False)
    assert store.rest_days() == {date(2025, 6, 1)}
    store.set_setting("week-start", "sunday")
    store.set_setting("week-start", "monday")
    store.set_setting("routines", {"short": ["downward-dog"]})
    assert store.settings() == {"week-start": "monday", "routines": {"short": ["downward-dog"]}}
    assert store.get_setting("missing", 5) == 5


def test_export_all_and_import_many_in_one_write(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(data_dir)
    sessions = make_sessions(50, end=date(2025, 6, 18))
    store.record_session(sessions[0])
    writes: list[Path] = []
    real_write = storage_module.atomic_write_bytes
    monkeypatch.setattr(storage_module, "atomic_write_bytes", lambda p, d: (writes.append(p), real_write(p, d)))
    added, skipped, conflicted = store.import_many(sessions, [date(2025, 6, 1), date(2025, 6, 2)])
    assert (added, skipped, conflicted) == (49, 1, 0)
    assert writes == [history_file(data_dir)]
    exported = store.export_all(exported_at=NOW)
    assert exported["format"] == "hamstring-history" and exported["version"] == 1
    assert exported["exported_at"] == "2025-06-18T09:30:00+02:00"
    assert [s["id"] for s in exported["sessions"]] == [s.id for s in sessions]
    assert exported["sessions"][3] == sessions[3].to_dict()
    assert exported["rest_days"] == ["2025-06-01", "2025-06-02"]
    assert store.import_many(sessions, [date(2025, 6, 1)]) == (0, 50, 0)


# -- two copies at once ----------------------------------------------------------------
def test_a_stale_instance_keeps_the_other_ones_write_and_sees_it(data_dir: Path) -> None:
    a = open_store(data_dir)
    b = open_store(data_dir)
    one, two, three = make_sessions(3, end=date(2025, 6, 18))
    a.record_session(one)
    assert len(a.sessions()) == 1  # A has now read and cached the file
    b.record_session(two)
    a.record_session(three)
    assert {s.id for s in a.sessions()} == {one.id, two.id, three.id}
    assert {s.id for s in b.sessions()} == {one.id, two.id, three.id}


def test_interleaved_inserts_from_two_instances_never_collide(data_dir: Path) -> None:
    a = open_store(data_dir)
    b = open_store(data_dir)
    sessions = make_sessions(20, end=date(2025, 6, 18))
    for index, session in enumerate(sessions):
        (a if index % 2 else b).record_session(session)
    assert sorted(s.id for s in a.sessions()) == sorted(s.id for s in sessions)
    raw = json.loads(history_file(data_dir).read_text())["sessions"]
    assert len(raw) == 20


def test_a_held_lock_gives_a_clear_busy_error_and_changes_nothing(data_dir: Path) -> None:
    store = open_store(data_dir, lock_timeout=0.3)
    store.set_rest_day(date(2025, 6, 1), True)
    before = history_file(data_dir).read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from tui.core.lock import FileLock; l = FileLock(sys.argv[1], 5); l.acquire(); "
            "print('held', flush=True); time.sleep(30)",
            str(data_dir / "history.json.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusy, match="another hamstring is saving"):
            store.set_rest_day(date(2025, 6, 2), True)
    finally:
        holder.kill()
        holder.wait()
    assert history_file(data_dir).read_bytes() == before
    store.set_rest_day(date(2025, 6, 2), True)
    assert store.rest_days() == {date(2025, 6, 1), date(2025, 6, 2)}


# -- corruption ------------------------------------------------------------------------
CORRUPTIONS = {
    "invalid JSON": b'{"sessions": {"1": ',
    "invalid UTF-8": b'{"sessions": {}, "x": "\xff\xfe"}',
    "0 bytes": b"",
    "null": b"null",
    "a list": b"[]",
    "a table that is a list": b'{"sessions": [], "_meta": {"1": {"schema_version": 1}}}',
    "a document that is a number": b'{"sessions": {"1": 5}}',
    "a record failing validation": b'{"sessions": {"1": {"id": "not-a-uuid"}}, "_meta": {"1": {"schema_version": 1}}}',
    "a bad rest day": b'{"rest_days": {"1": {"date": "2025-02-30"}}}',
    "a bad schema version": b'{"_meta": {"1": {"schema_version": "one"}}}',
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_file_is_moved_aside_untouched_and_the_app_keeps_working(data_dir: Path, kind: str) -> None:
    data_dir.mkdir(parents=True)
    bad = CORRUPTIONS[kind]
    history_file(data_dir).write_bytes(bad)
    store = open_store(data_dir)
    asides = sorted(data_dir.glob("history.json.corrupt-*"))
    assert [p.name for p in asides] == ["history.json.corrupt-20250618T073000Z"]
    assert asides[0].read_bytes() == bad
    assert len(store.notices) == 1
    assert str(asides[0]) in store.notices[0] and str(history_file(data_dir)) in store.notices[0]
    assert "started a new history" in store.notices[0]
    (session,) = make_sessions(1, end=date(2025, 6, 18))
    store.record_session(session)
    assert store.sessions() == [session]
    assert asides[0].read_bytes() == bad


def test_corruption_restores_the_newest_good_backup_and_salvages_valid_records(data_dir: Path) -> None:
    old, newer, salvageable = make_sessions(3, end=date(2025, 6, 17))
    store = open_store(data_dir)
    store.record_session(old)
    backups = data_dir / "backups"
    backups.mkdir()
    good = history_file(data_dir).read_bytes()
    (backups / "history-2025-06-16.json").write_bytes(good)
    (backups / "history-2025-06-17.json").write_bytes(b"{broken")  # newest, but bad: skipped
    document = json.loads(good)
    document["sessions"]["2"] = newer.to_dict()
    document["sessions"]["3"] = salvageable.to_dict()
    document["sessions"]["4"] = {"id": "broken record"}
    bad = json.dumps(document).encode()
    history_file(data_dir).write_bytes(bad)

    reopened = open_store(data_dir)
    assert {s.id for s in reopened.sessions()} == {old.id, newer.id, salvageable.id}
    notice = reopened.notices[0]
    assert "restored the backup" in notice and "history-2025-06-16.json" in notice
    assert "recovered 2 records from the damaged file" in notice
    assert (backups / "history-2025-06-16.json").read_bytes() == good, "a backup is never refreshed from a bad file"
    assert (backups / "history-2025-06-17.json").read_bytes() == b"{broken"
    (aside,) = data_dir.glob("history.json.corrupt-*")
    assert aside.read_bytes() == bad


def test_two_corruptions_in_the_same_second_keep_both_files(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    history_file(data_dir).write_bytes(b"first")
    open_store(data_dir)
    history_file(data_dir).write_bytes(b"second")
    open_store(data_dir)
    assert sorted(p.read_bytes() for p in data_dir.glob("history.json.corrupt-*")) == [b"first", b"second"]


def test_corruption_found_while_running_is_recovered_on_the_next_write(data_dir: Path) -> None:
    store = open_store(data_dir)
    first, second = make_sessions(2, end=date(2025, 6, 18))
    store.record_session(first)
    history_file(data_dir).write_bytes(b"\x00\x00garbage")
    store.record_session(second)
    assert [s.id for s in store.sessions()] == [second.id]  # no backup exists yet today
    assert any("was damaged" in n for n in store.notices)
    (aside,) = data_dir.glob("history.json.corrupt-*")
    assert aside.read_bytes() == b"\x00\x00garbage"


# -- backups -------------------------------------------------------------------------------
def test_a_daily_backup_is_made_after_a_validated_load(data_dir: Path) -> None:
    store = open_store(data_dir)
    (session,) = make_sessions(1, end=date(2025, 6, 18))
    store.record_session(session)
    open_store(data_dir)
    backup = data_dir / "backups" / "history-2025-06-18.json"
    assert json.loads(backup.read_text()) == json.loads(history_file(data_dir).read_text())


def test_backups_keep_14_daily_and_12_monthly(data_dir: Path) -> None:
    backups = data_dir / "backups"
    backups.mkdir(parents=True)
    start = date(2024, 1, 1)
    days = [start + timedelta(days=n) for n in range(0, 530, 3)]  # about 17 months, every third day
    for day in days:
        (backups / f"history-{day}.json").write_text("{}")
    (backups / "notes.txt").write_text("not a backup")
    store = HistoryStore(data_dir, clock=clock)
    store.backups.prune()
    kept = sorted(date.fromisoformat(p.name[8:18]) for p in backups.glob("history-*.json"))
    newest_14 = sorted(days)[-14:]
    assert set(newest_14) <= set(kept)
    monthly = {(d.year, d.month): d for d in sorted(days)}
    last_12_months = sorted(monthly)[-12:]
    assert {monthly[m] for m in last_12_months} <= set(kept)
    assert len(kept) == len(set(newest_14) | {monthly[m] for m in last_12_months})
    assert (backups / "notes.txt").exists()


# -- schema ----------------------------------------------------------------------------------
def test_a_newer_schema_is_opened_read_only_and_never_written(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (session,) = make_sessions(1, end=date(2025, 6, 18))
    newer = SCHEMA_VERSION + 1
    document = {"sessions": {"1": session.to_dict()}, "future_table": {}, "_meta": {"1": {"schema_version": newer}}}
    raw = json.dumps(document).encode()
    history_file(data_dir).write_bytes(raw)
    store = open_store(data_dir)
    assert store.read_only
    assert "newer hamstring" in store.notices[0] and "read-only" in store.notices[0]
    assert store.sessions() == [session]
    with pytest.raises(StoreReadOnly, match="newer hamstring"):
        store.record_session(make_sessions(1, end=date(2025, 6, 19), seed=9)[0])
    with pytest.raises(StoreReadOnly):
        store.set_rest_day(date(2025, 6, 1), True)
    assert history_file(data_dir).read_bytes() == raw
    assert not list(data_dir.glob("history.json.corrupt-*"))


def test_a_migration_backs_up_the_file_first(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(data_dir)
    (session,) = make_sessions(1, end=date(2025, 6, 18))
    store.record_session(dataclasses.replace(session, duration_s=30))
    original = history_file(data_dir).read_bytes()
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)

    def to_next(document: dict) -> dict:
        for doc in document["sessions"].values():
            doc["duration_s"] = doc["duration_s"] * 2
        return document

    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION, to_next)
    migrated = open_store(data_dir)
    assert migrated.sessions()[0].duration_s == 60
    assert json.loads(history_file(data_dir).read_text())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION + 1
    (backup,) = (data_dir / "backups").glob(f"history-v{SCHEMA_VERSION}-before-migration-*.json")
    assert backup.read_bytes() == original
    assert any("upgraded the history" in n for n in migrated.notices)


# -- injected failures ------------------------------------------------------------------------
def _failing(error_number: int):
    def fail(*args, **kwargs):
        raise OSError(error_number, os.strerror(error_number))

    return fail


@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
@pytest.mark.parametrize("error_number", [errno.ENOSPC, errno.EACCES])
def test_injected_failures_leave_the_original_and_no_temp_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, call: str, error_number: int
) -> None:
    store = open_store(data_dir)
    first, second = make_sessions(2, end=date(2025, 6, 18))
    store.record_session(first)
    before = history_file(data_dir).read_bytes()
    monkeypatch.setattr(storage_module.os, call, _failing(error_number))
    with pytest.raises(StoreError) as caught:
        store.record_session(second)
    monkeypatch.undo()
    message = str(caught.value)
    assert "your history is unchanged" in message and "\n" not in message
    if error_number == errno.ENOSPC:
        assert "the disk is full" in message
    assert history_file(data_dir).read_bytes() == before
    assert temp_files(data_dir) == []
    assert store.sessions() == [first]
    store.record_session(second)
    assert store.sessions() == [first, second]


def test_an_uncreatable_temp_file_is_a_clear_error(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(data_dir)
    store.set_rest_day(date(2025, 6, 1), True)
    before = history_file(data_dir).read_bytes()
    real_open = os.open

    def refuse_temp(path, flags, *args):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(storage_module.os, "open", refuse_temp)
    with pytest.raises(StoreError, match=r"cannot create a file in .*Permission denied.*unchanged"):
        store.set_rest_day(date(2025, 6, 2), True)
    assert history_file(data_dir).read_bytes() == before


def test_stale_temp_files_are_removed_at_start_up(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.set_setting("a", 1)
    stale = data_dir / ".history.json.4242.deadbeef.tmp"
    stale.write_bytes(b'{"half": ')
    unrelated = data_dir / "notes.tmp"
    unrelated.write_text("mine")
    open_store(data_dir)
    assert not stale.exists()
    assert unrelated.exists()


def test_an_unwritable_data_dir_opens_read_only_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    store = open_store(blocker / "data")
    assert store.read_only
    assert "cannot create the data directory" in store.notices[0]
    with pytest.raises(StoreReadOnly):
        store.set_setting("a", 1)
    assert blocker.read_text() == "not a directory"


def test_threads_of_one_app_write_and_read_safely(data_dir: Path) -> None:
    """The app saves from worker threads while the main thread reads and writes too."""
    import threading

    store = open_store(data_dir)
    batches = [make_sessions(60, end=date(2025, 6, 18), seed=s) for s in (1, 2, 3)]
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(batch: list) -> None:
        try:
            for session in batch:
                store.record_session(session)
                store.set_setting("bell", "off" if session.duration_s % 2 else "on")
        except BaseException as error:
            errors.append(error)

    def reader() -> None:
        try:
            while not done.is_set():
                snapshot = store.snapshot()
                assert len({s.id for s in snapshot.sessions}) == len(snapshot.sessions)
                store.export_all()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(batch,)) for batch in batches]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()
    assert errors == []
    assert sorted(s.id for s in store.sessions()) == sorted(s.id for batch in batches for s in batch)
    assert len(json.loads(history_file(data_dir).read_text())["sessions"]) == 180


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path: Path) -> None:
    from tui.core.lock import FileLock, LockTimeout

    path = tmp_path / "history.json.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from tui.core.lock import FileLock; FileLock(sys.argv[1], 5).acquire(); print('held', flush=True); time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeout):
            FileLock(path, timeout=0.1).acquire()
    finally:
        holder.kill()  # SIGKILL: no clean-up runs in the holder
        holder.wait()
    lock = FileLock(path, timeout=0.5)
    lock.acquire()
    assert lock.is_locked
    with pytest.raises(RuntimeError):
        lock.acquire()
    lock.release()
    assert not lock.is_locked
    lock.release()  # releasing twice is harmless
