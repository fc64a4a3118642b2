"""Sync in the app (#16): two computers (data dirs, config dirs) and one shared sync folder."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tui.app import HamstringApp
from tui.core.records import manual_session
from tui.core.store import HistoryStore

TZ = timezone(timedelta(hours=2))
NOW = datetime(2025, 6, 18, 9, 0, tzinfo=TZ)


def computer(root: Path, name: str, folder: Path | None) -> tuple[Path, Path, HistoryStore]:
    data, config = root / name / "data", root / name / "config"
    config.mkdir(parents=True)
    store = HistoryStore.open(data)
    if folder is not None:
        store.set_setting("sync-dir", str(folder))
    return data, config, store


def make_app(data: Path, config: Path, store: HistoryStore) -> HamstringApp:
    return HamstringApp(
        data_dir=data, store=store, config_dir=config, start_mode="calendar", wall_clock=lambda: NOW, tz_name="UTC"
    )


async def settled(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def messages(app: HamstringApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_session_logged_in_one_app_appears_in_the_other_after_a_sync_tick(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    data_a, config_a, store_a = computer(tmp_path, "a", folder)
    data_b, config_b, store_b = computer(tmp_path, "b", folder)
    app_a, app_b = make_app(data_a, config_a, store_a), make_app(data_b, config_b, store_b)
    async with app_a.run_test() as pilot_a, app_b.run_test() as pilot_b:
        await settled(pilot_a)
        await settled(pilot_b)
        own_a = folder / f"hamstring-{(config_a / 'machine-id').read_text().strip()}.json"
        assert own_a.is_file()  # written at start
        await pilot_a.press("left", "m", "y")  # log yesterday in A: A's own file follows its write
        await settled(pilot_a)
        (logged,) = store_a.sessions()
        assert [s["id"] for s in json.loads(own_a.read_text())["sessions"]] == [logged.id]
        assert store_b.sessions() == []
        app_b.sync_tick()
        await settled(pilot_b)
        assert [s.id for s in store_b.sessions()] == [logged.id]
        assert date(2025, 6, 17) in app_b.service.digest.done  # the screens show it
        assert "from 1 other computer: 1 session" in messages(app_b)
        # a quiet folder: the next tick syncs nothing and tells nothing
        told = len(messages(app_b))
        app_b.sync_tick()
        await settled(pilot_b)
        assert len(messages(app_b)) == told
        # a deletion in B travels back to A as a tombstone
        app_b.service.store.delete_sessions([logged.id])
        app_b.write(lambda: None, "Nothing")  # any write of the app rewrites its own file
        await settled(pilot_b)
        app_a.sync_tick()
        await settled(pilot_a)
        assert store_a.sessions() == [] and logged.id in store_a.tombstones()


async def test_a_damaged_peer_file_is_one_notice_and_nothing_is_lost(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    data, config, store = computer(tmp_path, "a", folder)
    mine = manual_session(date(2025, 6, 16), 12, NOW, "UTC")
    store.record_session(mine)
    damaged = folder / "hamstring-00000000-0000-0000-0000-000000000008.json"
    damaged.write_bytes(b'{"format": "hamstring-hist')  # half synced
    app = make_app(data, config, store)
    async with app.run_test() as pilot:
        await settled(pilot)
        skipped = [m for m in messages(app) if m.startswith(f"skipped {damaged.name}")]
        assert len(skipped) == 1
        assert [s.id for s in store.sessions()] == [mine.id]
        # another peer file changes: a sync runs, the same damaged file is not told again
        _, _, other = computer(tmp_path, "b", None)
        other.record_session(manual_session(date(2025, 6, 15), 10, NOW, "UTC"))
        from tui.core import sync_files

        sync_files.write_own(folder, "00000000-0000-0000-0000-000000000009", other.replica())
        app.sync_tick()
        await settled(pilot)
        assert len([m for m in messages(app) if m.startswith(f"skipped {damaged.name}")]) == 1
        assert len(store.sessions()) == 2 and mine.id in {s.id for s in store.sessions()}
        # the damaged file changes (still damaged): told once more
        damaged.write_bytes(b'{"format": "hamstring-history", "vers')
        app.sync_tick()
        await settled(pilot)
        assert len([m for m in messages(app) if m.startswith(f"skipped {damaged.name}")]) == 2


async def test_a_sync_folder_that_cannot_be_written_is_a_notice_and_the_save_stands(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    data, config, store = computer(tmp_path, "a", folder)
    app = make_app(data, config, store)
    async with app.run_test() as pilot:
        await settled(pilot)
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
        await pilot.press("left", "m", "y")
        await settled(pilot)
        assert len(store.sessions()) == 1
        assert any("sync folder was not updated" in m for m in messages(app))


async def test_sync_off_writes_no_file_and_checks_nothing(tmp_path: Path) -> None:
    data, config, store = computer(tmp_path, "a", None)
    app = make_app(data, config, store)
    async with app.run_test() as pilot:
        await settled(pilot)
        await pilot.press("left", "m", "y")
        await settled(pilot)
        assert len(store.sessions()) == 1
        assert not (config / "machine-id").exists()
