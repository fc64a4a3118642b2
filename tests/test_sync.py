"""The replicated history (tui.core.sync) and the sync folder protocol (tui.core.sync_files)."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core import sync_files
from tui.core.checkins import new_checkin
from tui.core.records import manual_session
from tui.core.sync import (
    DeletedRecord,
    MergeResult,
    Replica,
    delete,
    legacy_rest_mark,
    mark_rest,
    merge,
    move_session,
    put_checkin,
    put_session,
    summary,
    unmark_rest,
)
from tui.core.sync_files import (
    PeerProblem,
    SyncError,
    gather,
    machine_id,
    own_file_name,
    peer_files,
    read_peer,
    replica_of,
    write_own,
)
from tui.core.transfer import parse_import

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def stamp(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def session(day: date, minutes: int = 5, sid: str | None = None) -> dict[str, Any]:
    raw = manual_session(day, minutes, datetime.combine(day, T0.timetz()), "UTC").to_dict()
    if sid is not None:
        raw["id"] = sid
    return raw


# -- hypothesis: merge is a join ----------------------------------------------------------------
IDS = [str(uuid.UUID(int=n)) for n in range(1, 7)]
DAYS = [date(2025, 3, d) for d in range(1, 5)]


@st.composite
def replicas(draw: st.DrawFn) -> Replica:
    sessions = {}
    for sid in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=5)):
        raw = session(draw(st.sampled_from(DAYS)), draw(st.integers(1, 3)), sid)
        edited = draw(st.none() | st.integers(0, 3))
        if edited is not None:
            raw["edited_at"] = stamp(edited)
        if draw(st.booleans()):
            raw["note"] = draw(st.sampled_from(["tight", "ok", 1, 1.0]))
        sessions[sid] = raw
    marks = {
        mid: {"id": mid, "date": draw(st.sampled_from(DAYS)).isoformat(), "set_at": stamp(draw(st.integers(0, 2)))}
        for mid in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=3))
    }
    tombstones = {
        rid: stamp(draw(st.integers(0, 3))) for rid in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=3))
    }
    checkins = {
        cid: {"id": cid, "pain": draw(st.integers(0, 2))}
        for cid in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=3))
    }
    return Replica(sessions, marks, tombstones, checkins)


LAWS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@LAWS
@given(replicas(), replicas())
def test_merge_is_commutative(a: Replica, b: Replica) -> None:
    assert merge(a, b).state == merge(b, a).state


@LAWS
@given(replicas(), replicas(), replicas())
def test_merge_is_associative_and_takes_many_peers_at_once(a: Replica, b: Replica, c: Replica) -> None:
    left = merge(merge(a, b).state, c).state
    assert left == merge(a, merge(b, c).state).state
    assert left == merge(a, b, c).state == merge(c, a, b).state


@LAWS
@given(replicas(), replicas())
def test_merge_is_idempotent_and_tombstones_win(a: Replica, b: Replica) -> None:
    once = merge(a, b).state
    assert merge(once, once).state == once
    assert merge(once, a, b).state == once
    assert merge(once).changed is False
    for rid in {**a.tombstones, **b.tombstones}:
        assert rid not in once.sessions and rid not in once.rest_marks and rid not in once.checkins


# -- the rules ----------------------------------------------------------------------------------
def test_a_deleted_session_never_comes_back_from_an_old_export_or_a_peer_that_has_not_heard() -> None:
    raw = session(date(2025, 3, 1))
    before = put_session(Replica(), raw)
    after = delete(before, raw["id"], stamp(10))
    result = merge(after, before, Replica(sessions={raw["id"]: {**raw, "edited_at": stamp(99)}}))
    assert raw["id"] not in result.state.sessions and not result.added_sessions and not result.changed
    with pytest.raises(DeletedRecord):
        put_session(after, raw)
    peer = merge(before, after)
    assert peer.removed_by_tombstone == (raw["id"],) and peer.state.sessions == {}


def test_moving_a_session_is_an_edit_and_the_later_move_wins_everywhere() -> None:
    raw = session(date(2025, 3, 1))
    base = put_session(Replica(), raw)
    on_a = move_session(base, raw["id"], date(2025, 3, 3), stamp(5))
    on_b = move_session(base, raw["id"], date(2025, 2, 27), stamp(7))
    moved = on_a.sessions[raw["id"]]
    assert moved["date"] == "2025-03-03" and moved["started_at"].startswith("2025-03-03")
    assert moved["ended_at"].startswith("2025-03-03") and moved["edited_at"] == stamp(5)
    for state in (merge(on_a, on_b).state, merge(on_b, on_a).state, merge(base, on_a, on_b).state):
        assert state.sessions[raw["id"]]["date"] == "2025-02-27"
    result = merge(base, on_a)
    assert result.changed_sessions == (raw["id"],) and result.counts["edited_sessions"] == 1
    assert merge(on_a, base).changed is False  # the unedited original loses to the edit


def test_same_edit_time_ties_break_on_content_the_same_way_everywhere() -> None:
    raw = {**session(date(2025, 3, 1)), "edited_at": stamp(1)}
    other = {**raw, "duration_s": 120}
    a, b = Replica(sessions={raw["id"]: raw}), Replica(sessions={raw["id"]: other})
    assert merge(a, b).state == merge(b, a).state
    # The same instant written with another offset is the same edit time.
    shifted = {**raw, "edited_at": (T0 + timedelta(minutes=1)).astimezone().isoformat(), "duration_s": 60}
    assert (
        merge(a, Replica(sessions={raw["id"]: shifted})).state == merge(Replica(sessions={raw["id"]: shifted}), a).state
    )


def test_two_marks_for_one_date_are_both_kept_and_unmarking_tombstones_only_known_ones() -> None:
    day = date(2025, 3, 2)
    a = mark_rest(Replica(), day, stamp(0))
    b = mark_rest(Replica(), day, stamp(1))
    both = merge(a, b).state
    assert len(both.rest_marks) == 2 and both.rest_days() == {day}
    assert mark_rest(both, day, stamp(2)) is both  # already a rest day here: no third mark
    a_unmarked = unmark_rest(a, day, stamp(3))
    assert a_unmarked.rest_days() == frozenset()
    # B's mark, set while A was removing its own, survives: the day stays a rest day.
    assert merge(a_unmarked, b).state.rest_days() == {day}
    gone = unmark_rest(both, day, stamp(4))
    result = merge(both, gone)
    assert result.removed_rest == (day,) and merge(a, b, gone).state.rest_days() == frozenset()
    assert merge(gone, a).added_rest == ()


def test_rest_days_without_ids_get_the_same_mark_on_every_computer() -> None:
    day = date(2025, 1, 5)
    assert legacy_rest_mark(day) == legacy_rest_mark(day)
    assert uuid.UUID(legacy_rest_mark(day)["id"]).version == 5
    old = {"format": "hamstring-history", "version": 1, "sessions": [], "rest_days": ["2025-01-05"]}
    a, b = replica_of(old), replica_of(old)
    assert len(merge(a, b).state.rest_marks) == 1
    removed = unmark_rest(a, day, stamp(0))
    assert merge(removed, b).state.rest_days() == frozenset()  # an old export does not bring it back


def test_checkins_are_carried_through_unchanged_and_merged_by_id(tmp_path: Path) -> None:
    checkin = {"id": str(uuid.uuid4()), "date": "2025-03-01", "pain": 4, "note": "better", "extra": [1, {"x": None}]}
    a = put_checkin(Replica(), checkin)
    result = merge(Replica(), a)
    assert result.state.checkins[checkin["id"]] == checkin and result.added_checkins == (checkin["id"],)
    path = write_own(tmp_path, str(uuid.uuid4()), a)
    found = read_peer(path)
    assert isinstance(found, Replica) and found.checkins == {checkin["id"]: checkin}
    assert merge(a, delete(a, checkin["id"], stamp(0))).removed_checkins == (checkin["id"],)


# -- the summary line ---------------------------------------------------------------------------
def test_summary_line() -> None:
    day = date(2025, 3, 1)
    sessions = [session(day + timedelta(days=n)) for n in range(6)]
    local = Replica(sessions={s["id"]: s for s in sessions[:3]})
    peer = Replica(
        sessions={s["id"]: s for s in sessions[3:]} | {sessions[2]["id"]: {**sessions[2], "edited_at": stamp(1)}},
        tombstones={sessions[0]["id"]: stamp(2), sessions[1]["id"]: stamp(2)},
    )
    peer = mark_rest(peer, date(2025, 4, 1), stamp(0))
    result = merge(local, peer)
    assert summary(result, 2, 1) == (
        "from 2 other computers: 3 sessions, 1 edited session, 1 rest day, 2 deletions; skipped 1 damaged file"
    )
    assert summary(merge(result.state, peer), 1) == "from 1 other computer: nothing new"
    assert summary(MergeResult(Replica()), 0) == "no other computer has written to the sync folder yet"
    only_damaged = summary(MergeResult(Replica()), 0, skipped=1)
    assert only_damaged == "no other computer's file could be read; skipped 1 damaged file"


# -- the machine id -----------------------------------------------------------------------------
def test_machine_id_is_made_once_and_kept(tmp_path: Path) -> None:
    config = tmp_path / "config"
    told: list[str] = []
    first = machine_id(config, told.append)
    assert told == []
    assert uuid.UUID(first).version == 4
    assert machine_id(config) == first
    assert (config / "machine-id").read_text() == first + "\n"
    assert [p.name for p in config.iterdir()] == ["machine-id"]  # no temp file left


def test_two_processes_making_the_machine_id_at_once_agree_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = str(uuid.uuid4())

    def link_after_the_other_process(source: str, target: str) -> None:
        Path(target).write_text(theirs + "\n")  # the other process got there first
        raise FileExistsError(target)

    monkeypatch.setattr(sync_files.os, "link", link_after_the_other_process)
    told: list[str] = []
    assert machine_id(tmp_path, told.append) == theirs
    assert told == [] and (tmp_path / "machine-id").read_text() == theirs + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["machine-id"]


@pytest.mark.parametrize("content", [b"", b"not an id\n", b"\xff\xfe", b"12345678-1234-1234-1234-12345678\n"])
def test_a_damaged_machine_id_is_replaced_and_said_so(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "machine-id").write_bytes(content)
    told: list[str] = []
    fresh = machine_id(tmp_path, told.append)
    assert uuid.UUID(fresh) and (tmp_path / "machine-id").read_text().strip() == fresh
    assert len(told) == 1 and "was damaged" in told[0] and fresh in told[0]
    assert machine_id(tmp_path, told.append) == fresh and len(told) == 1


def test_machine_id_problems_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "machine-id").mkdir()
    with pytest.raises(SyncError, match="is a directory"):
        machine_id(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(SyncError, match="cannot keep"):
        machine_id(tmp_path / "file" / "config")


# -- the folder ---------------------------------------------------------------------------------
ME = "0c7d3f44-6f0e-4c3a-9d55-1b7f6f6c1a01"
PEER = "9a1e8a3c-2b4d-4e6f-8a9b-0c1d2e3f4a5b"


def test_peer_files_finds_every_peer_and_conflict_copy_and_nothing_else(tmp_path: Path) -> None:
    wanted = [
        f"hamstring-{PEER}.json",
        f"hamstring-{PEER}.sync-conflict-20250101-120000-ABCDEFG.json",
        f"hamstring-{PEER} (conflicted copy 2025-01-01).json",
        f"hamstring-{PEER} (Case Conflict).json",
        f"hamstring-{PEER} (conflicted copy 2025-01-01 120000).json",
        f"hamstring-{PEER} 2.json",
        f"hamstring-{ME}.sync-conflict-20250101-120000-ABCDEFG.json",  # a copy of our own: merged too
    ]
    unwanted = [
        own_file_name(ME),
        f".hamstring-{PEER}.json.1234.abcd.tmp",
        f".syncthing.hamstring-{PEER}.json.tmp",
        f"~hamstring-{PEER}.json",
        f"hamstring-{PEER}.json.tmp",
        f"hamstring-{PEER}.json.part",
        "notes.json",
    ]
    for name in wanted + unwanted:
        (tmp_path / name).write_text("{}")
    (tmp_path / f"hamstring-{uuid.uuid4()}.json").mkdir()
    (tmp_path / f"hamstring-{uuid.uuid4()}.json").symlink_to(tmp_path / wanted[0])
    assert [p.name for p in peer_files(tmp_path, ME)] == sorted(wanted)
    with pytest.raises(SyncError, match="cannot read the sync folder"):
        peer_files(tmp_path / "missing", ME)


def full_replica() -> Replica:
    state = Replica()
    for n in range(4):
        state = put_session(state, session(date(2025, 3, 1) + timedelta(days=n)))
    first = sorted(state.sessions)[0]
    state = move_session(state, first, date(2025, 2, 1), stamp(3))
    state = delete(state, sorted(state.sessions)[1], stamp(4))
    state = mark_rest(state, date(2025, 3, 9), stamp(5))
    # a real check-in: an import checks every record (tui.core.checkins)
    return put_checkin(state, new_checkin("2025-02-28", 3, None, None, T0).to_dict())


def test_own_file_round_trips_and_an_older_hamstring_can_import_it(tmp_path: Path) -> None:
    state = full_replica()
    (tmp_path / f"hamstring-{PEER}.json").write_text("theirs")
    path = write_own(tmp_path, ME, state, now=T0)
    assert path.name == own_file_name(ME)
    assert (tmp_path / f"hamstring-{PEER}.json").read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, f"hamstring-{PEER}.json"])
    assert read_peer(path) == state
    document = json.loads(path.read_text())
    assert document["rest_days"] == ["2025-03-09"] and len(document["tombstones"]) == 1
    batch = parse_import(path.read_bytes())
    assert {s.id for s in batch.sessions} == set(state.sessions) and batch.rest_days == {date(2025, 3, 9)}


def test_write_own_failures_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="cannot create a file"):
        write_own(tmp_path / "missing", ME, Replica())
    with pytest.raises(SyncError, match="not a machine id"):
        write_own(tmp_path, "../../etc/passwd", Replica())


def test_every_truncation_of_a_peer_file_is_skipped_with_one_line(tmp_path: Path) -> None:
    good = write_own(tmp_path, PEER, full_replica()).read_bytes()
    target = tmp_path / "cut" / f"hamstring-{PEER}.json"
    target.parent.mkdir()
    for cut in range(0, len(good) - 1, 7):
        target.write_bytes(good[:cut])
        found = read_peer(target)
        assert isinstance(found, PeerProblem), cut
        line = str(found)
        assert "\n" not in line and line.startswith(f"skipped hamstring-{PEER}.json: it is incomplete or damaged (")
        assert line.endswith("); will try again")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00" * 64, "not valid JSON"),
        (b"\xff{}", "not UTF-8"),
        (b'{"format": "hamstring-history", "version": 2, "sessions": []}', "version"),
        (b'{"format": "other", "version": 1}', "format"),
        (b'{"format": "hamstring-history", "version": 1, "sessions": [{"id": "x"}]}', "sessions[1]"),
        (b'{"format": "hamstring-history", "version": 1, "sessions": {}}', "must be a list"),
        (b'{"format": "hamstring-history", "version": 1, "tombstones": [{"id": "x"}]}', "tombstones.id"),
        (b'{"format": "hamstring-history", "version": 1, "rest_marks": [{"id": 1}]}', "rest_marks.id"),
        (b'{"format": "hamstring-history", "version": 1, "checkins": [{"pain": NaN}]}', "NaN"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_damaged_peer_files_give_a_problem_never_an_exception(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / f"hamstring-{PEER}.json"
    path.write_bytes(content)
    found = read_peer(path)
    assert isinstance(found, PeerProblem) and reason in str(found)


def test_a_problem_line_never_carries_control_characters_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / f"hamstring-{PEER}\x1b[2J\n.json"
    bad = session(date(2025, 3, 1), sid="\x1b[31m")
    path.write_text(json.dumps({"format": "hamstring-history", "version": 1, "sessions": [bad]}))
    assert [p.name for p in peer_files(tmp_path, ME)] == [path.name]
    line = str(read_peer(path))
    assert line.isprintable() and "\x1b" not in line and "sessions[1].id" in line


def test_one_bad_record_spoils_the_whole_file_and_gather_reports_it(tmp_path: Path) -> None:
    state = full_replica()
    document = copy.deepcopy(sync_files.document_of(state, PEER, T0))  # records are shared, never changed
    document["sessions"][-1]["duration_s"] = -5
    (tmp_path / f"hamstring-{PEER}.json").write_bytes(sync_files.encode(document))
    other = str(uuid.uuid4())
    write_own(tmp_path, other, state)
    (tmp_path / f"hamstring-{other} 2.json").write_bytes((tmp_path / own_file_name(other)).read_bytes())
    found = gather(tmp_path, ME)
    assert found.machines == {other} and len(found.replicas) == 2 and len(found.problems) == 1
    assert "duration_s" in str(found.problems[0])


def test_peer_size_is_capped_and_special_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_own(tmp_path, PEER, full_replica())
    monkeypatch.setattr(sync_files, "MAX_PEER_BYTES", 100)
    found = read_peer(path)
    assert isinstance(found, PeerProblem) and "larger than" in str(found)
    monkeypatch.undo()
    link = tmp_path / f"hamstring-{ME}.json"
    link.symlink_to(path)
    assert isinstance(read_peer(link), PeerProblem)
    assert isinstance(read_peer(tmp_path), PeerProblem)
    assert isinstance(read_peer(tmp_path / "missing.json"), PeerProblem)


def test_a_checkin_validator_refuses_the_file(tmp_path: Path) -> None:
    state = put_checkin(Replica(), {"id": str(uuid.uuid4()), "pain": 11})

    def validate(raw: Any) -> dict[str, Any]:
        if not 0 <= raw["pain"] <= 10:
            raise ValueError("pain must be from 0 to 10")
        return dict(raw)

    found = read_peer(write_own(tmp_path, PEER, state), validate)
    assert isinstance(found, PeerProblem) and "pain must be from 0 to 10" in str(found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replicas(), st.binary(max_size=40), st.integers(0, 10_000))
def test_any_corruption_of_a_peer_file_is_a_problem_or_a_valid_replica(
    tmp_path: Path, state: Replica, junk: bytes, at: int
) -> None:
    path = write_own(tmp_path, PEER, state.live())
    data = path.read_bytes()
    at %= len(data)
    path.write_bytes(data[:at] + junk + data[at + len(junk) :])
    found = read_peer(path)
    assert isinstance(found, PeerProblem | Replica)
    if isinstance(found, Replica):
        assert merge(found, found).state == found
