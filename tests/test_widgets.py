"""The one-widget key bar and stretch list, and the start-up collector switch."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tui.__main__ import main
from tui.app import HamstringApp
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.session import SessionScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.stretch_list import StretchList


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def make_app(data_dir: Path) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)


def bar_text(bar: KeyBar) -> str:
    return bar.plain


async def test_key_bar_shows_the_keys_of_the_screen_and_the_palette(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 24)) as pilot:
        text = bar_text(pilot.app.screen.query_one(KeyBar))
        assert "/ Filter" in text and "r Run routine" in text and "h Calendar" in text and "q Quit" in text
        assert text.rstrip().endswith("palette")
        await pilot.press("h")
        text = bar_text(pilot.app.screen.query_one(KeyBar))
        assert "[ Prev" in text and "Filter" not in text


async def test_key_bar_is_cut_to_the_width_and_never_wraps(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(30, 12)) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        assert len(bar_text(bar)) <= 30
        assert "Filter" in bar_text(bar)


@pytest.mark.parametrize("width", [40, 80, 100])
@pytest.mark.parametrize("mode", ["catalog", "session", "calendar"])
async def test_key_bar_always_shows_help_and_the_palette_key_and_the_rest_by_priority(
    data_dir: Path, mode: str, width: int
) -> None:
    """Issue 17.6: ``?`` and the palette key never drop off; the lowest keys (the app's) go first."""
    app = HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, start_mode=mode)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        bar = pilot.app.screen.query_one(KeyBar)
        text = bar_text(bar)
        assert len(text) <= width
        assert "? Keys" in text and "^p" in text.rstrip()[-12:], text
        keys, _palette = bar.keys()
        shown = [i for i, (_key, display, description, _on) in enumerate(keys) if f" {display} {description} " in text]
        others = [i for i, key in enumerate(keys) if key[0] != "question_mark"]
        shown_others = [i for i in shown if keys[i][0] != "question_mark"]
        assert shown_others == others[: len(shown_others)]  # the highest priorities, none skipped
        if mode == "calendar" and width >= 80:
            assert all(f" {k} " in text for k in ("[", "]", "t", "m", "r", "y")), text
        if mode == "calendar" and width == 100:
            assert " o Settings " in text, text


async def test_clicking_a_key_in_the_bar_presses_it(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 24)) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        text = bar_text(bar)
        await pilot.click(KeyBar, offset=(text.index("Calendar"), 0))
        await pilot.pause()
        assert isinstance(pilot.app.screen, CalendarScreen)


async def test_stretch_list_moves_with_keys_and_starts_on_click(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 30)) as pilot:
        stretches = pilot.app.screen.query_one(StretchList)
        await pilot.press("end")
        assert stretches.current is not None and stretches.current.id == stretches.ids[-1]
        await pilot.press("home", "down")
        assert stretches.highlighted == 1
        await pilot.press("up", "up")
        assert stretches.highlighted == 0  # stays on the first
        await pilot.click(StretchList, offset=(3, 2 * 2))  # the third stretch's name line
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionScreen)
        assert pilot.app.session_request.stretch_ids == (stretches.ids[2],)


async def test_the_highlighted_stretch_stays_in_view_on_a_short_terminal(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(40, 12)) as pilot:
        stretches = pilot.app.screen.query_one(StretchList)
        await pilot.press("end")
        await pilot.pause()
        line = stretches.highlighted * 2 - stretches.scroll_offset.y  # type: ignore[operator]
        assert 0 <= line < stretches.size.height


def test_commands_leave_the_collector_as_they_found_it(capsys) -> None:
    assert gc.isenabled()
    assert main(["stretches"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        main(["stretches"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_app_starts_with_the_imports_frozen_and_the_collector_off_until_its_first_frame(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``main`` turns the collector off while the modules load; what the imports built is frozen
    and the app starts with the collector still off: it turns it on itself once its first frame
    is on screen (tests/test_app_shell.py), so its start-up garbage is collected, not kept."""

    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(HamstringApp, "run", lambda self, *a, **k: seen.append((gc.isenabled(), gc.get_freeze_count())))
    try:
        assert main(["--data-dir", str(data_dir)]) == 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
    assert len(seen) == 1
    enabled, frozen = seen[0]
    assert not enabled and frozen > 0
