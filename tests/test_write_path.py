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


async def test_a_data_dir_that_is_a_file_is_told_not_a_stuck_load(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    app = HamstringApp(data_dir=not_a_folder, today=lambda: FIXED_TODAY)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if any("is not a directory" in n.message for n in app._notifications):
                break
        assert any("is not a directory" in n.message for n in app._notifications)
        assert app.sub_title == "history not available"
    assert not_a_folder.read_text() == ""


def test_the_header_separator_follows_the_glyph_table(monkeypatch, tmp_path: Path) -> None:
    """Under LC_ALL=C (ASCII glyphs) Textual's ' — ' between title and subtitle becomes ' - '."""
    from tui.widgets import text

    app = HamstringApp(data_dir=tmp_path)
    monkeypatch.setattr(text, "GLYPHS", text.ASCII)
    assert app.format_title("hamstring", "Catalog").plain == "hamstring - Catalog"
    assert app.format_title("hamstring", "").plain == "hamstring"
    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)
    assert app.format_title("hamstring", "Catalog").plain == "hamstring — Catalog"


async def test_the_running_sessions_progress_is_saved_off_the_ui_thread(data_dir: Path) -> None:
    """current-session.json is a write too: it goes through the one write path, in its thread."""
    import threading

    from tui.core import resume
    from tui.core.routines import SessionRequest

    store = HistoryStore.open(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog",), autostart=True)
    app = HamstringApp(
        data_dir=data_dir, store=store, start_mode="session", session_request=request, today=lambda: FIXED_TODAY
    )
    threads: list[bool] = []
    real = app.service.save_progress

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    app.service.save_progress = watched  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert threads and not any(threads)
        assert resume.load(data_dir) is not None
