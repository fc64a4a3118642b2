"""#17.13: the palette lists each command once and can start the routine, log today and
open the year view; the Settings dropdown opens inside its dialog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Select

from tui.app import HamstringApp
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.session import SessionScreen

TODAY = date(2025, 6, 18)


def make_app(data_dir: Path, start_mode: str = "catalog") -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: TODAY, start_mode=start_mode
    )


async def settled(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def commands(app: HamstringApp) -> dict[str, object]:
    listed = [(command.title, command) for command in app.get_system_commands(app.screen)]
    titles = [title for title, _ in listed]
    assert len(titles) == len(set(titles)), titles  # each command once
    return dict(listed)


async def test_the_palette_lists_each_command_once_with_our_keys(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        for mode in ("catalog", "calendar", "session", "progress"):
            app.switch_mode(mode)
            await pilot.pause()
            listed = commands(app)
            wanted = {"Start routine", "Log today", "Year view", "Settings", "Progress", "Calendar", "Keys"}
            assert wanted <= set(listed), mode
            assert "(?)" in listed["Keys"].help  # ours: every key of the screen and where data lives


async def test_palette_commands_start_the_routine_log_today_and_open_the_year(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        commands(app)["Log today"].callback()
        await settled(pilot)
        (logged,) = app.store.sessions()
        assert logged.date == TODAY and logged.source == "manual"
        commands(app)["Log today"].callback()
        await settled(pilot)
        assert len(app.store.sessions()) == 1
        assert any(n.message == "Today is already done." for n in app._notifications)
        commands(app)["Year view"].callback()
        await settled(pilot)
        assert isinstance(app.screen, CalendarScreen) and app.screen.has_class("-year")
        commands(app)["Year view"].callback()  # already showing: stays on the year
        await settled(pilot)
        assert app.screen.has_class("-year")
        commands(app)["Settings"].callback()
        await pilot.pause()
        assert type(app.screen).__name__ == "SettingsScreen"
        await pilot.press("escape")
        commands(app)["Start routine"].callback()
        await settled(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.timer is not None and app.screen.timer.running


@pytest.mark.parametrize(
    ("size", "key"), [((80, 24), "rest-budget"), ((80, 24), "day-start-hour"), ((40, 12), "rest-budget")]
)
async def test_the_settings_dropdown_opens_inside_its_dialog(data_dir: Path, size: tuple[int, int], key: str) -> None:
    app = make_app(data_dir, "calendar")
    async with app.run_test(size=size) as pilot:
        await pilot.press("o")
        await pilot.pause()
        select = app.screen.query_one(f"#setting-{key}", Select)
        select.focus()
        await pilot.press("enter")
        await settled(pilot)
        assert select.expanded
        (overlay,) = [child for child in select.children if type(child).__name__ == "SelectOverlay"]
        inner = app.screen.query_one("SettingsScreen > *").content_region
        assert inner.contains_region(overlay.region), (overlay.region, inner)


async def test_the_settings_dialog_opens_with_its_first_setting_focused(data_dir: Path) -> None:
    """Opened with `o`, the keyboard works at once: enter opens the first setting's list (the
    scrolling box took the focus, so arrows and enter did nothing until tab)."""
    app = make_app(data_dir, "calendar")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        first = app.screen.query_one("#setting-day-start-hour", Select)
        assert app.focused is first
        await pilot.press("enter")
        await settled(pilot)
        assert first.expanded
        await pilot.press("escape")  # closes the list, not the dialog
        await pilot.press("tab")
        await settled(pilot)
        assert app.focused is app.screen.query_one("#setting-week-start", Select)


async def test_the_settings_dialog_has_the_lead_in_and_the_voice_and_shows_a_voice_command_verbatim(
    data_dir: Path,
) -> None:
    """A user pass found lead-in-position and voice missing from the dialog; a voice command set
    with `hamstring config` shows as written (never read as markup) and can be turned off here."""
    store = HistoryStore.open(data_dir)
    store.set_setting("voice", "say [b]{text}")
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: TODAY, start_mode="calendar")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        lead_in = app.screen.query_one("#setting-lead-in-position", Select)
        voice = app.screen.query_one("#setting-voice", Select)
        assert voice.value == "say [b]{text}"
        assert "say [b]{text}" in str(voice.query_one("SelectCurrent Static").render())
        voice.value = "off"
        lead_in.value = 20
        await settled(pilot)
    saved = HistoryStore.open(data_dir)
    assert saved.get_setting("voice") == "off" and saved.get_setting("lead-in-position") == 20


async def test_a_long_voice_command_takes_one_row_of_the_settings_dialog(data_dir: Path) -> None:
    """A voice command may be 500 characters (`hamstring config voice ...`): the dialog shows it on
    its one row, cut with an ellipsis (it wrapped to 19 rows and pushed its label off its value)."""
    store = HistoryStore.open(data_dir)
    command = "say 語音 " + "x" * 480 + " {text}"
    store.set_setting("voice", command)
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: TODAY, start_mode="calendar")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        voice = app.screen.query_one("#setting-voice", Select)
        assert voice.value == command
        assert voice.region.height == 1, voice.region
        shown = str(voice.query_one("SelectCurrent Static").render())
        assert shown.startswith("say 語音 xxx") and "\n" not in shown.strip(), shown


async def test_a_number_set_in_the_shell_takes_its_place_among_the_choices(data_dir: Path) -> None:
    """`config hold 7` / `transition 59`: the dialog lists them where they belong, not after 120 s."""
    from textual.widgets import OptionList

    store = HistoryStore.open(data_dir)
    store.set_setting("hold", 7)
    store.set_setting("transition", 59)
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: TODAY, start_mode="calendar")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        for key, value, wanted in (
            ("hold", 7, ["each stretch's own", "7 s", "15 s"]),
            ("transition", 59, ["20 s", "30 s", "59 s"]),
        ):
            select = app.screen.query_one(f"#setting-{key}", Select)
            assert select.value == value
            listed = select.query_one(OptionList)  # the dropdown's list, in its order
            prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
            start = prompts.index(wanted[0])
            assert prompts[start : start + 3] == wanted, prompts


async def test_the_focused_setting_is_drawn_unlike_the_others(data_dir: Path) -> None:
    """The focused dropdown takes the cursor's colours (Textual's own mark was a 5% tint)."""
    app = make_app(data_dir, "calendar")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await settled(pilot)
        focused = app.screen.query_one("#setting-day-start-hour SelectCurrent")
        other = app.screen.query_one("#setting-week-start SelectCurrent")
        assert focused.styles.background != other.styles.background
