"""The app's one write path: every failure is a notice, and no failure stops the next save."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXED_TODAY
from tui.app import HamstringApp
from tui.core.store import HistoryStore


async def test_an_unexpected_error_in_one_write_is_told_and_later_writes_still_run(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: FIXED_TODAY)
    ran: list[str] = []

    def broken() -> None:
        raise KeyError("a bug")

    async with app.run_test() as pilot:
        app.write(broken, "Broken change")
        app.write(lambda: ran.append("second"), "Second change")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert ran == ["second"]
        assert not app.service.writing
        titles = [n.title for n in app._notifications]
        assert "Broken change not saved" in titles
        assert any("unexpected KeyError" in n.message for n in app._notifications)
