"""Issue 17's rough edges in the app: theme, keys, help, safety note, toasts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.app import HamstringApp
from tui.core.store import HistoryStore

TZ = timezone(timedelta(hours=2))


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def make_app(data_dir: Path, mode: str = "calendar") -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir,
        store=HistoryStore.open(data_dir),
        start_mode=mode,
        wall_clock=lambda: datetime(2025, 6, 18, 9, 0, tzinfo=TZ),
        tz_name="Europe/Berlin",
    )


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_theme_picked_anywhere_is_saved_and_kept_after_a_restart(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await settle(pilot)
        pilot.app.theme = "nord"  # what the palette's "Change theme" does
        await settle(pilot)
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "nord"
    async with make_app(data_dir).run_test() as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord"
