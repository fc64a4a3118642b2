"""Two computers that share one machine id (a config dir copied with the dotfiles) must not
overwrite each other's sessions in the sync folder (issue #16, found by a tester)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from tui.core.records import manual_session
from tui.core.store import HistoryStore
from tui.core.store.syncing import SyncOutcome, sync_now


def log(store: HistoryStore, day: date) -> str:
    session = manual_session(day, 5, datetime(day.year, day.month, day.day, 9, tzinfo=UTC), "UTC")
    store.record_session(session)
    return session.id


def test_a_copied_config_dir_loses_no_session_and_is_told_once(tmp_path: Path) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    first_config, other_config = tmp_path / "config-1", tmp_path / "config-3"
    stores = [HistoryStore.open(tmp_path / f"data-{n}") for n in (1, 2, 3)]
    # The first computer syncs once (its machine id is made), then its config dir is copied.
    sync_now(stores[0], folder, first_config)
    shutil.copytree(first_config, tmp_path / "config-2")
    configs = [first_config, tmp_path / "config-2", other_config]
    assert (configs[0] / "machine-id").read_text() == (configs[1] / "machine-id").read_text()

    logged = {log(store, date(2025, 3, 1 + n)) for n, store in enumerate(stores)}
    outcomes: list[list[SyncOutcome]] = [[], [], []]
    for _round in range(3):
        for n, store in enumerate(stores):
            outcomes[n].append(sync_now(store, folder, configs[n]))
            log_of = {s.id for s in store.sessions()}
            assert log_of <= logged
    for store in stores:
        assert {s.id for s in store.sessions()} == logged

    # The two computers sharing the id are each told once, in one line, how to fix it;
    # the third is never told.
    for n in (0, 1):
        told = [line for outcome in outcomes[n] for line in outcome.problems if "machine-id" in line]
        assert len(told) == 1, told
        assert "\n" not in told[0] and str(configs[n] / "machine-id") in told[0]
    assert not [line for outcome in outcomes[2] for line in outcome.problems]
