"""``hamstring config sync-dir`` and ``hamstring sync`` (issue #16)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest

from tests.cli_fixtures import NOW, cli, utc  # noqa: F401  # utc: an autouse fixture
from tui.core import sync, sync_files
from tui.core.records import manual_session
from tui.core.store import HistoryStore
from tui.core.store.syncing import sync_now

PEER = str(uuid.UUID(int=7))


def peer_file(folder: Path, *sessions: dict) -> Path:
    state = sync.Replica(sessions={s["id"]: s for s in sessions})
    return sync_files.write_own(folder, PEER, state, NOW)


def test_sync_is_off_until_a_folder_is_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "sync")
    assert code == 2 and "sync is off" in err
    assert cli(capsys, "config", "sync-dir", str(tmp_path / "missing"))[0] == 2
    assert cli(capsys, "config", "sync-dir", str(tmp_path))[0] == 0
    assert cli(capsys, "config", "sync-dir")[1] == f"{tmp_path}\n"
    assert cli(capsys, "config", "sync-dir", "default")[1] == "sync-dir = (off)\n"
    assert cli(capsys, "sync")[0] == 2


def test_sync_merges_peers_writes_our_file_and_tells_skipped_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, config_dir: Path
) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    theirs = manual_session(date(2025, 6, 12), 15, NOW, "UTC").to_dict()
    peer_file(folder, theirs)
    (folder / f"hamstring-{uuid.UUID(int=8)}.json").write_bytes(b'{"format": "hamstring-hist')  # half synced
    assert cli(capsys, "config", "sync-dir", str(folder))[0] == 0
    code, out, err = cli(capsys, "sync")
    assert code == 0 and out == "from 1 other computer: 1 session; skipped 1 damaged file\n"
    assert "skipped hamstring-00000000-0000-0000-0000-000000000008.json" in err
    assert [s.id for s in HistoryStore.open(data_dir).sessions()] == [theirs["id"]]
    machine = (config_dir / "machine-id").read_text().strip()
    own = json.loads((folder / f"hamstring-{machine}.json").read_text())
    assert [s["id"] for s in own["sessions"]] == [theirs["id"]]
    assert cli(capsys, "sync")[1] == "from 1 other computer: nothing new; skipped 1 damaged file\n"
    # our own writes update our file; a deletion travels as a tombstone
    assert cli(capsys, "delete", theirs["id"])[0] == 0
    own = json.loads((folder / f"hamstring-{machine}.json").read_text())
    assert own["sessions"] == [] and [t["id"] for t in own["tombstones"]] == [theirs["id"]]
    assert cli(capsys, "sync")[0] == 0  # the peer still holds it: it does not come back
    assert HistoryStore.open(data_dir).sessions() == []


def test_a_sync_folder_that_cannot_be_written_is_a_notice_not_a_failed_save(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    assert cli(capsys, "config", "sync-dir", str(folder))[0] == 0
    folder.rmdir()
    code, out, err = cli(capsys, "log", "--minutes", "10")
    assert code == 0 and out.startswith("logged 10 min") and "sync folder was not updated" in err
    assert len(HistoryStore.open(data_dir).sessions()) == 1


def test_sync_now_is_one_write_and_none_when_nothing_is_new(tmp_path: Path, data_dir: Path, config_dir: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    peer_file(folder, manual_session(date(2025, 6, 12), 15, NOW, "UTC").to_dict())
    store = HistoryStore.open(data_dir)
    first = sync_now(store, folder, config_dir)
    assert first.changed and first.computers == 1 and first.problems == ()
    written = (data_dir / "history.json").stat().st_mtime_ns, (data_dir / "history.json").stat().st_ino
    again = sync_now(store, folder, config_dir)
    assert not again.changed and again.summary == "from 1 other computer: nothing new"
    assert ((data_dir / "history.json").stat().st_mtime_ns, (data_dir / "history.json").stat().st_ino) == written
