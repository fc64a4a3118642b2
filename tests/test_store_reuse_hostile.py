"""A hostile review of the write path's shortcuts (rows' JSON text kept and reused, sessions
kept across a write, peers' sessions vouched for, the daily backup a byte copy, the faster
digest): whatever the history holds and whatever is done to it, the file, the store's view,
the digest and this computer's sync file agree with a fresh, full parse."""

from __future__ import annotations

import gc
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tui.cli.main import main
from tui.core.checkins import new_checkin, new_measurement
from tui.core.days import day_exists
from tui.core.digest import MAX_VALUE, digest_of
from tui.core.document import CorruptHistory, decode_document, decode_keeping_rows
from tui.core.factory import make_sessions
from tui.core.records import SessionRecord
from tui.core.storage import validate_document
from tui.core.store.errors import StoreError
from tui.core.store.history import HistoryStore
from tui.core.store.syncing import sync_now
from tui.core.streaks import skipped_days
from tui.core.sync_files import PeerProblem, document_of, encode, read_peer, write_own

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


# -- property: the compact-shape reader reads any bytes as the plain decoder does ----------------
json_keys = st.text(max_size=4)
json_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([-0.0, 0.5, 1e300, 1.5e-300, 2.0])
    | st.text(alphabet=st.sampled_from('ab"\\\u2028\u00e9\U0001f600\x00,:{}[]'), max_size=6)
)
json_values = st.recursive(
    json_leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3), max_leaves=6
)
tables = st.dictionaries(st.integers(0, 30).map(str), st.dictionaries(json_keys, json_values, max_size=3), max_size=3)
documents = st.dictionaries(  # mostly the shape of a history; sometimes not
    st.sampled_from(["sessions", "_meta", "rest_days", "x"]) | json_keys,
    tables | st.dictionaries(json_keys, json_values, max_size=2) | json_values,
    max_size=3,
)
TOKENS = [
    b",",
    b",",
    b",",
    b" ",
    b"\n",
    b"}",
    b"{",
    b'"',
    b":",
    b"NaN",
    b"1e400",
    b"-0.0",
    b"\xef\xbb\xbf",
    b'"1"',
    b"\\u2028",
]


def _same(found: Any, expected: Any) -> bool:
    """Equal documents (NaN and -0.0 told apart by their JSON text), or the same refusal."""
    if isinstance(expected, str) or isinstance(found, str):
        return bool(found == expected)
    return bool(json.dumps(found) == json.dumps(expected))


edits = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(TOKENS), st.booleans()), min_size=1, max_size=2)


@given(documents, edits, st.booleans())
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_edit_of_a_compact_file_reads_as_the_plain_decoder_reads_it(
    document: dict[str, Any], edits: list[tuple[int, bytes, bool]], escaped: bool
) -> None:
    data = json.dumps(document, ensure_ascii=escaped, separators=(",", ":")).encode("utf-8", "surrogatepass")
    for at, token, put in edits:  # a hand edit by a structural character: one put in, or one taken out
        marks = [i for i, byte in enumerate(data) if byte in b",:{}"] or [0]
        at = marks[at % len(marks)]
        data = data[:at] + token + data[at:] if put else data[:at] + data[at + 1 :]
    expected = _plain(data)
    assert _same(_kept(data), expected)
    if isinstance(expected, str):
        return
    found, texts = decode_keeping_rows(data)
    if texts is not None:
        for name, table in found.items():
            for key, row in table.items():
                kept_row, text = texts[name][key]
                assert kept_row is row
                assert _same(json.loads(text), row)


# -- property: after any sequence of changes the store, the file, the digest and the sync file agree --
POOL = make_sessions(24, end=END, seed=31)
PEER_POOL = make_sessions(12, end=END, seed=32)
OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "record",
                "replace",
                "delete",
                "move",
                "note",
                "rest",
                "unrest",
                "checkin",
                "measure",
                "drop-checkin",
                "import",
                "sync",
                "other-process",
                "hand-edit",
                "raise-midway",
                "refused",
            ]
        ),
        st.integers(0, 1000),
    ),
    min_size=1,
    max_size=7,
)


def _agree(store: HistoryStore, data_dir: Path) -> None:
    """The store's view is what a fresh, full parse of the file finds."""
    file = json.loads((data_dir / "history.json").read_bytes())
    cached = store._storage.cached_if_fresh()
    if cached is not None:  # the document kept in memory is the one the file holds
        assert json.dumps(cached, sort_keys=True) == json.dumps(file, sort_keys=True)
    sessions = validate_document(file)
    assert store.sessions() == sessions
    rest = {date.fromisoformat(row["date"]) for row in file.get("rest_days", {}).values()}
    assert store._history_digest() == digest_of(sessions, rest)
    replica, texts = store.replica_and_texts()
    for row, text in texts.values():
        assert json.loads(text) == row
    document = document_of(replica, MACHINE, NOW)
    assert json.loads(encode(document, texts)) == json.loads(encode(document))


def _apply(op: str, n: int, store: HistoryStore, data_dir: Path, tmp_path: Path) -> None:
    live = store.sessions()
    some = live[n % len(live)] if live else None
    day = date(2025, 5, 1) + timedelta(days=n % 40)
    if op == "record":
        store.record_session(POOL[n % len(POOL)])
    elif op == "replace" and some is not None:  # the same id again: TinyDB updates the row in place
        store.record_session(replace(some, duration_s=(some.duration_s + n) % 3600, complete=not some.complete))
    elif op == "delete" and some is not None:
        store.delete_session(some.id)
    elif op == "move" and some is not None:
        store.move_session(some.id, day, today=END)
    elif op == "note" and some is not None:
        store.set_session_note(some.id, ["a note", None, "é \U0001f600 NaN \\ud800"][n % 3])
    elif op in ("rest", "unrest"):
        store.set_rest_day(day, op == "rest")
    elif op == "checkin":
        store.add_checkin(new_checkin(day, n % 11, None, "ok", NOW, today=END))
    elif op == "measure":
        store.add_measurement(new_measurement(day, "sit-and-reach", (n % 100) - 50 + 0.5, None, NOW, today=END))
    elif op == "drop-checkin":
        gone = [c.id for c in store.checkins()] + [m.id for m in store.measurements()]
        if gone:
            store.delete_checkin(gone[n % len(gone)])
    elif op == "import":
        store.import_many(PEER_POOL[n % 12 : n % 12 + 4], [day])
    elif op == "sync":
        peer = HistoryStore.open(tmp_path / f"peer{n % 2}")
        peer.record_session(PEER_POOL[n % 12])
        folder = tmp_path / "folder"
        folder.mkdir(exist_ok=True)
        write_own(folder, str(uuid.UUID(int=100 + n % 2, version=4)), peer.replica())
        written = sync_now(store, folder, tmp_path / "config").written
        if written is not None:
            found = read_peer(written)
            assert not isinstance(found, PeerProblem) and found.sessions.keys() == store.replica().sessions.keys()
    elif op == "other-process":  # another copy writes in between: this one must see its change
        other = HistoryStore.open(data_dir)
        other.record_session(PEER_POOL[(n + 5) % 12])
        if some is not None:
            other.set_session_note(some.id, f"from the other copy {n}")
    elif op == "hand-edit":  # rewritten by hand: another shape, the same records
        history = data_dir / "history.json"
        document = json.loads(history.read_bytes())
        shapes = [{"indent": 1}, {"ensure_ascii": True, "separators": (",", ":")}, {}]
        history.write_text(json.dumps(document, **shapes[n % 3]))  # type: ignore[arg-type]
    elif op == "raise-midway":  # a change that fails after TinyDB changed rows in place

        def change() -> None:
            rows = store._storage.read().get("sessions", {})
            for row in rows.values():
                row["duration_s"] = 1
            store._storage.write(store._storage.read())
            raise RuntimeError("midway")

        with pytest.raises(RuntimeError):
            store._mutate(change)
    elif op == "refused" and some is not None:  # a change that would not read back: refused, nothing kept
        with pytest.raises(StoreError):
            store.record_session(replace(some, duration_s=-1))


@given(OPS)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
def test_any_sequence_of_changes_leaves_the_store_the_file_and_the_digest_agreeing(
    tmp_path: Path, ops: list[tuple[str, int]]
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    data_dir = root / "data"
    HistoryStore.open(data_dir).import_many(POOL[:6])
    store = HistoryStore.open(data_dir)
    for op, n in ops:
        event(op)
        try:
            _apply(op, n, store, data_dir, root)
        except StoreError as error:  # refused (a deleted id, ...): nothing changed, still agreeing
            event(f"{op} refused: {str(error)[:40]}")
        _agree(store, data_dir)
    kept = store.digest()
    copy = root / "copy"
    shutil.copytree(data_dir, copy)
    (copy / "history.json.digest").unlink(missing_ok=True)
    assert HistoryStore.open(copy).digest() == kept  # what a fresh start works out
    for backup in (data_dir / "backups").glob("history-*.json"):
        validate_document(decode_document(backup.read_bytes()))


# -- the faster digest and skipped days give what the plain versions gave ------------------------
def _skipped_days_before(sessions: list[SessionRecord], marked: set[date]) -> set[date]:
    """``skipped_days`` as it was before it looked up zones only around single-day gaps."""
    zones_by_day: dict[date, set[str]] = {}
    for session in sessions:
        if session.tz:
            zones_by_day.setdefault(session.date, set()).add(session.tz)
    bridged = set()
    for day in marked:
        if day.toordinal() + 2 > date.max.toordinal():
            continue
        gap = day + timedelta(days=1)
        if gap in marked or gap + timedelta(days=1) not in marked:
            continue
        zones = zones_by_day.get(day, set()) | zones_by_day.get(gap + timedelta(days=1), set())
        if any(not day_exists(gap, zone) for zone in zones):
            bridged.add(gap)
    return bridged


APIA = date(2011, 12, 30)  # Pacific/Apia went from the 29th to the 31st
days_near = st.sampled_from(
    [APIA + timedelta(days=k) for k in range(-3, 4)] + [date.max - timedelta(days=k) for k in range(3)]
)
zones = st.sampled_from(["Pacific/Apia", "Pacific/Fakaofo", "Europe/Berlin", None, "Not/AZone"])


@given(st.lists(st.tuples(days_near, zones, st.integers(0, 7200), st.booleans()), max_size=8), st.sets(days_near))
@settings(max_examples=300, deadline=None)
def test_the_digest_and_skipped_days_are_what_the_plain_sums_give(
    rows: list[tuple[date, str | None, int, bool]], rest: set[date]
) -> None:
    base = POOL[0]
    sessions = [
        replace(base, id=str(uuid.UUID(int=i, version=4)), date=day, tz=tz, duration_s=seconds, complete=complete)
        for i, (day, tz, seconds, complete) in enumerate(rows)
    ]
    done = {s.date for s in sessions if s.counts}
    assert skipped_days(sessions, done | rest) == _skipped_days_before(sessions, done | rest)
    digest = digest_of(sessions, rest)
    assert digest.seconds_held == int(sum(s.duration_s for s in sessions))
    per_stretch: dict[str, int] = {}
    for session in sessions:
        for step in session.steps:
            per_stretch[step.stretch] = per_stretch.get(step.stretch, 0) + step.held_s
    assert digest.per_stretch_s == per_stretch
    for day in {s.date for s in sessions}:
        assert digest.seconds.get(day) == min(MAX_VALUE, sum(s.duration_s for s in sessions if s.date == day))
        assert digest.logged.get(day) == sum(1 for s in sessions if s.date == day)


def test_apia_s_missing_day_bridges_a_streak() -> None:
    base = replace(POOL[0], tz="Pacific/Apia", complete=True)
    sessions = [replace(base, date=APIA - timedelta(days=1)), replace(base, id=MACHINE, date=APIA + timedelta(days=1))]
    assert skipped_days(sessions, {s.date for s in sessions}) == {APIA}
    assert APIA in digest_of(sessions, []).bridged


# -- hand-edited shapes: unknown tables and values survive every write, byte for byte -----------
def test_unknown_tables_and_odd_values_survive_writes_unchanged(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(POOL[:3])
    history = tmp_path / "history.json"
    document = json.loads(history.read_bytes())
    odd = '{"1":{"k":[-0.0,1e300,12345678901234567890123,"\\u2028\\ud83d\\ude00",null],"k":"dup"},"7":{}}'
    data = history.read_bytes()[:-1] + b',"extra":' + odd.encode() + b"}"
    history.write_bytes(data)
    (tmp_path / "history.json.digest").unlink(missing_ok=True)
    store = HistoryStore.open(tmp_path)
    assert store.take_notices() == []
    store.set_rest_day(date(2025, 6, 1), True)
    store.record_session(POOL[4])
    store.set_session_note(POOL[0].id, "hi")
    written = history.read_bytes()
    assert json.dumps(json.loads(written)["extra"]) == json.dumps(json.loads(odd))
    assert json.loads(written)["extra"]["1"]["k"] == "dup"
    document["extra"] = json.loads(odd)
    assert json.loads(written).keys() == document.keys()
    assert store.sessions() == validate_document(json.loads(written))


def test_a_history_open_read_only_is_never_written(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(POOL[:3])
    history = tmp_path / "history.json"
    document = json.loads(history.read_bytes())
    document["_meta"] = {"1": {"schema_version": 99}}
    history.write_bytes(json.dumps(document, separators=(",", ":")).encode())
    before = history.read_bytes()
    store = HistoryStore.open(tmp_path)
    assert store.read_only
    with pytest.raises(StoreError):
        store.record_session(POOL[5])
    with pytest.raises(StoreError):
        store.set_rest_day(date(2025, 6, 2), True)
    assert history.read_bytes() == before
    assert len(store.sessions()) == 3


# -- two processes at once: no write lost --------------------------------------------------------
def _record_all(data_dir: str, first: int) -> None:
    store = HistoryStore(data_dir, lock_timeout=30)
    for session in POOL[first : first + 8]:
        store.record_session(session)
        store.set_session_note(session.id, f"from {first}")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    HistoryStore.open(tmp_path).import_many(PEER_POOL[:4])
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_record_all, args=(str(tmp_path), first)) for first in (0, 8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    sessions = validate_document(json.loads((tmp_path / "history.json").read_bytes()))
    assert len(sessions) == 20
    assert sum(1 for s in sessions if s.note and s.note.startswith("from")) == 16
    store = HistoryStore.open(tmp_path)
    assert store.sessions() == sessions


# -- gc.freeze only when run as the program --------------------------------------------------------
def test_a_command_run_in_process_leaves_the_collector_alone(tmp_path: Path) -> None:
    frozen = gc.get_freeze_count()
    assert main(["log", "--minutes", "10", "--data-dir", str(tmp_path)]) == 0
    assert gc.get_freeze_count() == frozen
    assert len(HistoryStore.open(tmp_path).sessions()) == 1


def test_a_command_run_as_the_program_saves_a_history_that_reads_back(tmp_path: Path) -> None:
    code = "import sys; from tui.cli.main import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "log", "--minutes", "10", "--data-dir", str(tmp_path)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(validate_document(decode_document((tmp_path / "history.json").read_bytes()))) == 1
