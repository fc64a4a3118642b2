"""The digest: compact day sets, its file next to the history, and the store's fast start."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import digest as digests
from tui.core import storage as storage_module
from tui.core.digest import DaySet, DayValues, digest_of
from tui.core.factory import make_sessions
from tui.core.schema import SCHEMA_VERSION
from tui.core.store import HistoryStore
from tui.core.streaks import compute_stats, stats_from_digest

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=2)))
days_strategy = st.sets(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), max_size=60)


def open_store(data_dir: Path) -> HistoryStore:
    return HistoryStore.open(data_dir, clock=lambda: NOW)


@given(days_strategy, days_strategy)
def test_day_sets_behave_like_sets_of_dates(a: set[date], b: set[date]) -> None:
    left, right = DaySet(a), DaySet(b)
    assert set(left) == a and len(left) == len(a)
    assert set(left | right) == a | b
    assert all(day in left for day in a)
    assert all((day in left) == (day in a) for day in b)
    assert "2025-01-01" not in left
    if a:
        some = min(a)
        assert set(left.without(some)) == a - {some}
        start, end = min(a), max(a)
        assert left.count_between(start, end) == len(a)
        assert left.count_between(start + timedelta(days=1), end) == len(a) - 1


@given(st.dictionaries(st.dates(), st.integers(min_value=0, max_value=10**9), max_size=40))
def test_day_values_behave_like_a_mapping(values: dict[date, int]) -> None:
    mapped = DayValues(values)
    assert dict(mapped) == values
    assert all(
        mapped.get(day + timedelta(days=1), -1) == values.get(day + timedelta(days=1), -1)
        for day in values
        if day < date.max
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=10_000), days_strategy)
def test_saved_digest_reads_back_equal_and_gives_the_same_stats(count: int, seed: int, rest: set[date]) -> None:
    sessions = make_sessions(count, end=date(2025, 6, 18), seed=seed)
    digest = digest_of(sessions, rest, {"week-start": "sunday"})
    again = digests.from_json(json.loads(digests.to_json(digest, [1, 2, 3, 4], SCHEMA_VERSION)))
    today = date(2025, 6, 18)
    assert (
        stats_from_digest(again, today, 6)
        == stats_from_digest(digest, today, 6)
        == compute_stats(sessions, rest, today, 6)
    )
    assert digest.settings == {"week-start": "sunday"}
    assert again.settings == {}  # settings live in settings.json, never in the saved digest
    assert "settings" not in json.loads(digests.to_json(digest, [1, 2, 3, 4], SCHEMA_VERSION))
    assert set(again.partial) == {s.date for s in sessions} - {s.date for s in sessions if s.counts}


@given(st.binary(max_size=300) | st.from_regex(r'\{"version":2,.*\}', fullmatch=True))
def test_a_damaged_digest_file_is_never_trusted(tmp_path_factory: pytest.TempPathFactory, junk: bytes | str) -> None:
    folder = tmp_path_factory.mktemp("digest")
    history = folder / "history.json"
    history.write_text("{}")
    digests.path_for(history).write_bytes(junk if isinstance(junk, bytes) else junk.encode())
    assert digests.read_fresh(history, SCHEMA_VERSION) is None


def test_store_starts_from_a_fresh_digest_without_parsing_the_history(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(data_dir)
    store.import_many(make_sessions(50, end=date(2025, 6, 17), seed=3))
    expected = store.digest()  # computed from the loaded history and saved beside it
    assert digests.path_for(store.path).exists()
    parsed: list[int] = []
    real_decode = storage_module.decode_keeping_rows
    monkeypatch.setattr(storage_module, "decode_keeping_rows", lambda data: parsed.append(1) or real_decode(data))
    assert not (data_dir / "backups").exists()  # the first open had no file to back up
    again = open_store(data_dir)
    assert parsed == []
    assert again.digest() == expected and again.settings() == {} and again.rest_days() == frozenset()
    backup = data_dir / "backups" / "history-2025-06-18.json"
    assert backup.read_bytes() == store.path.read_bytes()  # the daily backup is a byte copy
    assert parsed == []
    assert len(again.sessions_on(again.sessions()[0].date)) >= 1  # details still load the history
    assert parsed == [1]


def test_a_write_by_another_copy_makes_the_digest_stale(data_dir: Path) -> None:
    first = open_store(data_dir)
    first.import_many(make_sessions(10, end=date(2025, 6, 10), seed=1))
    before = first.digest()
    other = open_store(data_dir)
    other.record_session(make_sessions(1, end=date(2025, 6, 17), seed=2)[0])
    after = first.digest()
    assert after.counting_sessions == before.counting_sessions + 1
    assert date(2025, 6, 17) in after.done and date(2025, 6, 17) not in before.done
    assert open_store(data_dir).digest() == after


def test_digest_of_a_newer_schema_is_not_trusted(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.import_many(make_sessions(5, end=date(2025, 6, 10), seed=1))
    store.digest()
    path = digests.path_for(store.path)
    raw = json.loads(path.read_text())
    raw["schema"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(raw))
    assert digests.read_fresh(store.path, SCHEMA_VERSION) is None


def test_setting_changes_are_seen_at_once(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.digest()
    store.set_setting("bell", "off")
    assert store.settings()["bell"] == "off"
    assert store.digest().settings["bell"] == "off"
    assert open_store(data_dir).settings()["bell"] == "off"


def test_a_digest_whose_history_vanished_is_not_used(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.import_many(make_sessions(5, end=date(2025, 6, 10), seed=1))
    store.digest()
    os.unlink(store.path)
    assert digests.read_fresh(store.path, SCHEMA_VERSION) is None
    assert open_store(data_dir).digest().counting_sessions in (0, 5)  # empty, or restored from a backup


def test_quick_start_only_when_the_digest_is_fresh_and_the_lock_free(data_dir: Path) -> None:
    from tui.core.lock import FileLock

    store = open_store(data_dir)
    store.import_many(make_sessions(20, end=date(2025, 6, 17), seed=4))
    assert not HistoryStore(data_dir, clock=lambda: NOW).quick_start()  # no digest yet
    store.digest()
    holder = FileLock(store.lock_path, timeout=1)
    holder.acquire()
    try:
        assert not HistoryStore(data_dir, clock=lambda: NOW).quick_start()  # never waits for another copy
    finally:
        holder.release()
    quick = HistoryStore(data_dir, clock=lambda: NOW)
    assert quick.quick_start()
    assert quick.digest() == store.digest()
    assert (data_dir / "backups" / "history-2025-06-18.json").read_bytes() == store.path.read_bytes()


def reference_strength(done: set[date], rest: set[date], today: date) -> float:
    """Loop Habit Tracker's formula, day by day over dates (the obvious way)."""
    from tui.core.streaks import STRENGTH_MULTIPLIER as m

    if not done or min(done) > today:
        return 0.0
    score, day = 0.0, min(done)
    while day <= today:
        if day in done:
            score = score * m + (1 - m)
        elif day not in rest:
            score = score * m
        day += timedelta(days=1)
    return score


@given(days_strategy, days_strategy, st.dates(min_value=date(1990, 1, 1), max_value=date(2041, 1, 1)))
def test_strength_on_ordinals_matches_the_day_by_day_formula(done: set[date], rest: set[date], today: date) -> None:
    from tui.core.streaks import strength

    expected = reference_strength(done, rest, today)
    assert strength(DaySet(done), DaySet(rest), today) == pytest.approx(expected)
    assert strength(done, rest, today) == pytest.approx(expected)


def test_cli_writes_leave_a_fresh_digest_for_the_next_start(data_dir: Path, tmp_path: Path) -> None:
    from tui.__main__ import main
    from tui.core.transfer import to_json

    source = open_store(tmp_path / "elsewhere")
    source.import_many(make_sessions(20, end=date(2025, 6, 17), seed=5))
    export = tmp_path / "export.json"
    export.write_text(to_json(source.export_all()))
    history = data_dir / "history.json"
    for command in (["import", str(export)], ["config", "bell", "off"], ["log", "--rest", "--date", "2025-06-01"]):
        assert main(command) == 0
        assert digests.read_fresh(history, SCHEMA_VERSION) is not None, command


@pytest.mark.parametrize(
    ("field", "value"), [("counting_sessions", 10**30), ("seconds_held", -1), ("counting_sessions", True)]
)
def test_a_digest_with_an_absurd_count_is_not_trusted(data_dir: Path, field: str, value: object) -> None:
    store = open_store(data_dir)
    store.import_many(make_sessions(5, end=date(2025, 6, 17), seed=4))
    store.digest()
    path = digests.path_for(store.path)
    payload = json.loads(path.read_bytes())
    payload[field] = value
    path.write_text(json.dumps(payload))
    assert digests.read_fresh(store.path, SCHEMA_VERSION) is None
    assert open_store(data_dir).digest().counting_sessions == 5
