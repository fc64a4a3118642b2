"""The app shell through Pilot: modes, filtering, help, quitting, tiny terminals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.conftest import FIXED_TODAY
from tests.helpers import builtin_catalog_dict
from tui.app import HamstringApp
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.catalog import CatalogScreen
from tui.screens.help import HelpScreen
from tui.screens.session import SessionScreen
from tui.widgets.stretch_detail import StretchDetail
from tui.widgets.stretch_list import StretchList


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


async def history_loaded(app: HamstringApp, pilot) -> None:
    """Wait until the app has opened its history (it starts after the first frame) and said what it found."""
    for _ in range(2000):
        if app.store is not None and app.resume_checked:
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()


def make_app(data_dir: Path) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)


async def test_starts_on_the_catalog_with_seven_stretches(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        assert isinstance(pilot.app.screen, CatalogScreen)
        stretches = pilot.app.screen.query_one(StretchList)
        assert len(stretches.ids) == 7
        assert stretches.ids[0] == "reclined-strap-stretch"
        assert "today: not yet" in pilot.app.sub_title


async def test_keys_move_between_the_three_screens(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("h")
        assert isinstance(pilot.app.screen, CalendarScreen)
        await pilot.press("s")
        assert isinstance(pilot.app.screen, SessionScreen)
        await pilot.press("c")
        assert isinstance(pilot.app.screen, CatalogScreen)
        assert pilot.app.current_mode == "catalog"


@pytest.mark.parametrize("start", ["catalog", "session", "calendar", "progress"])
async def test_the_first_screen_is_a_mode_like_the_others(data_dir: Path, start: str) -> None:
    """The first screen comes through Textual's default-screen hook (so its first frame is
    written at once), yet its mode is known: leaving it and coming back gives the same screen."""
    app = HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, start_mode=start
    )
    async with app.run_test() as pilot:
        first = app.screen
        assert app.current_mode == start
        assert app.get_screen_stack(start) == [first]
        others = [mode for mode in ("catalog", "session", "calendar", "progress") if mode != start]
        for mode in [*others, start]:
            app.switch_mode(mode)
            await pilot.pause()
            assert app.current_mode == mode
        assert app.screen is first and first.is_mounted
        assert app.get_screen_stack(start) == [first]
        assert sorted(app._screens) == ["calendar", "catalog", "progress", "session"]


@pytest.mark.parametrize("start", ["catalog", "session", "calendar", "progress"])
async def test_started_with_the_collector_off_the_app_turns_it_on_after_its_first_frame(
    data_dir: Path, start: str
) -> None:
    """`hamstring` starts with the cyclic collector off (tui/cli/app.py); whatever screen the app
    starts on, it is on again once that screen's first frame is drawn, and the history loads."""
    import gc

    app = HamstringApp(data_dir=data_dir, today=lambda: FIXED_TODAY, start_mode=start)
    gc.disable()
    try:
        async with app.run_test() as pilot:
            for _ in range(50):
                if gc.isenabled() and app.store is not None:
                    break
                await pilot.pause(0.02)
            assert gc.isenabled()
            assert app.store is not None
    finally:
        gc.enable()


class _WatchedPaths:
    """Stands in for Textual's CSS file monitor (``textual run --dev``): records the paths it is told to watch."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def add_paths(self, paths) -> None:
        self.paths.extend(str(path) for path in paths)

    async def __call__(self) -> None:
        pass


@pytest.mark.parametrize("start", ["catalog", "session"])
async def test_the_first_screens_stylesheet_is_watched_like_the_others(data_dir: Path, start: str) -> None:
    """With live CSS reloading on, Textual watches each mode's screen's .tcss as it makes the screen;
    the first screen, made through the default-screen hook, is watched too."""
    app = HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, start_mode=start
    )
    monitor = _WatchedPaths()
    app.css_monitor = monitor  # type: ignore[assignment]
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any(path.endswith(f"{start}.tcss") for path in monitor.paths), monitor.paths
        other = "session" if start == "catalog" else "catalog"
        app.switch_mode(other)
        await pilot.pause()
        assert any(path.endswith(f"{other}.tcss") for path in monitor.paths), monitor.paths


async def test_detail_follows_the_highlighted_stretch(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        detail = pilot.app.screen.query_one(StretchDetail)
        assert "Reclined Strap Stretch" in detail.plain
        await pilot.press("down")
        text = detail.plain
        assert "Active Forward Fold with Blocks" in text
        assert "1. Stand with your feet hip-width apart" in text
        assert "2 yoga blocks" in text


async def test_slash_filters_the_list_and_escape_clears_it(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("slash")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"blocks")
        stretches = pilot.app.screen.query_one(StretchList)
        assert stretches.ids == ["active-forward-fold", "half-splits", "pyramid-pose"]
        await pilot.press("escape")
        assert len(stretches.ids) == 7
        assert pilot.app.focused is stretches


async def test_filter_with_no_match_says_so(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("slash", *"zzz")
        stretches = pilot.app.screen.query_one(StretchList)
        assert stretches.ids == [] and stretches.current is None
        assert "No stretch matches “zzz”" in "".join(segment.text for segment in stretches.render_line(0))


async def test_enter_starts_a_session_of_that_stretch(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionScreen)
        assert pilot.app.session_request.stretch_ids == ("half-splits",)
        timer = pilot.app.screen.timer
        assert timer is not None and timer.running and timer.phase == "ready"
        assert {step.stretch for step in timer.plan} == {"half-splits"}


async def test_r_on_the_catalog_starts_the_full_routine(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionScreen)
        assert pilot.app.session_request.stretch_ids is None
        timer = pilot.app.screen.timer
        assert timer is not None and timer.running and len(timer.plan) == 11


async def test_s_means_the_session_screen_on_every_screen_and_starts_nothing(data_dir: Path) -> None:
    """#17.3: on the Catalog too, ``s`` only goes to the Session screen (no stray sessions)."""
    async with make_app(data_dir).run_test() as pilot:
        for mode in ("catalog", "calendar", "progress"):
            pilot.app.switch_mode(mode)
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(pilot.app.screen, SessionScreen), mode
            timer = pilot.app.screen.timer
            assert timer is None or not timer.running, mode


async def test_question_mark_shows_keys_and_the_data_path(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = str(pilot.app.screen.query_one("#help-text", Static).render())
        assert "Filter" in text and "r  Start the daily routine now" in text
        assert "Previous / next stretch" in text and "Start a session of just that stretch" in text  # the list's keys
        assert str(data_dir / "history.json") in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, CatalogScreen)


async def test_command_palette_switches_screens(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Calendar")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CalendarScreen)


async def test_q_quits(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("size", [(40, 12), (20, 6), (8, 3), (1, 1)])
async def test_tiny_terminals_do_not_crash(data_dir: Path, size: tuple[int, int]) -> None:
    async with make_app(data_dir).run_test(size=size) as pilot:
        for key in ("h", "s", "c", "question_mark", "escape", "down"):
            await pilot.press(key)
        await pilot.resize_terminal(200, 60)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert pilot.app.is_running


async def test_broken_user_catalog_shows_an_error_and_uses_the_builtin(config_dir: Path, data_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    broken = dict(builtin_catalog_dict()["stretches"][0], hold_s=2)
    (config_dir / "stretches.json").write_text(json.dumps({"version": 1, "stretches": [broken]}))
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("stretches.json" in m and "hold_s" in m for m in messages)
        assert len(pilot.app.screen.query_one(StretchList).ids) == 7


async def test_an_unusable_time_zone_is_told_in_the_app(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shell commands say it in one line; the app said nothing and quietly used UTC."""
    from tui.core.days import tz_problem

    monkeypatch.setenv("TZ", "Nowhere/Garbage")
    problem = tz_problem()
    if problem is None:
        pytest.skip("no zone folder on this machine to tell a zone name is unknown")
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages.count(problem) == 1, messages
    monkeypatch.delenv("TZ")
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not any("time zone" in n.message or "TZ=" in n.message for n in app._notifications)


async def test_history_opens_in_the_background_when_not_given(data_dir: Path) -> None:
    app = HamstringApp(data_dir=data_dir, today=lambda: FIXED_TODAY)
    async with app.run_test() as pilot:
        await history_loaded(app, pilot)
        assert app.store is not None
        assert app.store.path == data_dir / "history.json"
        assert "today: not yet" in app.sub_title


async def test_a_damaged_history_is_reported_in_the_app_with_both_paths(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.json").write_bytes(b"null")
    app = HamstringApp(data_dir=data_dir, today=lambda: FIXED_TODAY)
    async with app.run_test() as pilot:
        await history_loaded(app, pilot)
        (aside,) = data_dir.glob("history.json.corrupt-*")
        messages = [n.message for n in app._notifications]
        assert any(str(aside) in m and str(data_dir / "history.json") in m for m in messages)
        assert aside.read_bytes() == b"null"
        assert "today: not yet" in app.sub_title


# -- issue 11.13: the command palette; 11.10: symbols the output cannot encode -----------------------
async def test_palette_page_down_right_after_typing_does_not_crash(data_dir: Path) -> None:
    """ctrl+p, t, pagedown sent together reached Textual's OptionList before its first layout (KeyError: 0)."""
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        for _ in range(3):
            for key in ("ctrl+p", "t", "pagedown", "pageup", "pagedown"):
                app.simulate_key(key)
            await pilot.pause()
            assert app.is_running
            await pilot.press("escape")
        await pilot.press("ctrl+p", *"cal")
        await pilot.pause(0.3)
        await pilot.press("pagedown", "pageup", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CalendarScreen)


async def test_enter_twice_on_a_palette_command_runs_it_once_and_does_not_crash(data_dir: Path) -> None:
    """ctrl+p, a command's name, then enter twice in quick succession (a key held down): the second
    enter selected the command again after the palette had gone, and Textual's palette dismissed
    itself a second time: it popped the screen under it (ScreenStackError, the app exited)."""
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await history_loaded(app, pilot)
        await pilot.press("ctrl+p", *"Calendar")
        await pilot.pause(0.3)
        app.simulate_key("enter")
        app.simulate_key("enter")
        await pilot.pause(0.3)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, CalendarScreen)
        assert len(app.screen_stack) == 1
        await pilot.press("ctrl+p", *"Log today")
        await pilot.pause(0.3)
        for _ in range(3):
            app.simulate_key("enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.store is not None and len(app.store.sessions()) == 1
        told = [n.message for n in app._notifications]
        assert not any("already" in message for message in told), told  # logged once, not tried again


def test_the_glyph_table_is_ascii_when_the_output_cannot_encode_the_symbols() -> None:
    from tui.widgets import text

    assert text.choose("utf-8") is text.UNICODE
    assert text.choose("ascii") is text.ASCII and text.choose("utf-8", "ANSI_X3.4-1968") is text.ASCII
    for name in text.Glyphs.__slots__:
        value = getattr(text.ASCII, name)
        assert not isinstance(value, str) or value.isascii(), name


async def test_an_ascii_terminal_gets_ascii_symbols(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text
    from tui.widgets.calendar_grid import MonthGrid
    from tui.widgets.key_bar import KeyBar

    monkeypatch.setattr(text, "GLYPHS", text.ASCII)
    store = HistoryStore.open(data_dir)
    from tui.core.factory import make_sessions

    store.import_many(make_sessions(20, end=FIXED_TODAY, seed=3))
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: FIXED_TODAY, start_mode="calendar")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = pilot.app.screen
        shown = [
            app.sub_title,
            screen.title,
            str(screen.query_one("#legend", Static).render()),
            str(screen.query_one("#stats", Static).render()),
            str(screen.query_one("#day-line", Static).render()),
            screen.query_one(KeyBar).plain,
            *(screen.query_one(MonthGrid).render_line(y).text for y in range(8)),
        ]
        assert all(line.isascii() for line in shown), [line for line in shown if not line.isascii()]
        assert "*" in "".join(shown)  # done days still marked
        await pilot.press("s")
        await pilot.pause()
        assert str(pilot.app.screen.query_one("#intro", Static).render()).isascii()


def test_a_plain_c_locale_picks_ascii_symbols() -> None:
    from tui.widgets import text

    assert text.locale_encoding({"LC_ALL": "C", "LANG": "en_US.UTF-8"}) == "ascii"
    assert text.locale_encoding({"LANG": "POSIX"}) == "ascii"
    assert text.locale_encoding({"LC_ALL": "C.UTF-8"}) is None
    assert text.locale_encoding({"LANG": "de_DE.UTF-8"}) is None and text.locale_encoding({}) is None
