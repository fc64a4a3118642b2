"""The title bar (tui/widgets/title_bar.py) on every screen: the title it shows and follows,
the palette's icon (hover, click) and how the title fits a narrow terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.command import CommandPalette
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Header

from tests.conftest import FIXED_TODAY
from tests.test_session_screen import FakeClock
from tui.app import HamstringApp
from tui.core.store import HistoryStore
from tui.screens.session import SessionRequest, SessionScreen
from tui.widgets.stretch_list import StretchList
from tui.widgets.title_bar import END_WIDTH, ICON_WIDTH, TitleBar

APP_SUB_TITLE = "Wed 18 Jun · today: not yet"  # the app's sub-title on FIXED_TODAY, nothing done


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def make_app(data_dir: Path, **kwargs: object) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, **kwargs)  # type: ignore[arg-type]


def drawn_line(bar: TitleBar) -> Strip:
    """The bar's line as the screen has it (kept until the bar is refreshed), not as it would be drawn now."""
    return bar.render_lines(Region(0, 0, bar.size.width, 1))[0]


def drawn(bar: TitleBar) -> str:
    return drawn_line(bar).text


async def test_every_screen_has_one_title_bar_with_its_own_title(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        for mode, name in (("catalog", "Catalog"), ("calendar", "Calendar"), ("progress", "Progress")):
            app.switch_mode(mode)
            await pilot.pause()
            screen = app.screen
            assert len(screen.query(TitleBar)) == 1 and not screen.query(Header), mode
            bar = screen.query_one(TitleBar)
            assert bar.region.y == 0 and bar.region.width == 100 and bar.region.height == 1
            assert f"hamstring · {name} — {APP_SUB_TITLE}" in drawn(bar), mode
        app.switch_mode("session")
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert len(app.screen.query(TitleBar)) == 1 and not app.screen.query(Header)
        assert f"hamstring · daily (default) — {APP_SUB_TITLE}" in drawn(bar)


async def test_the_bar_follows_the_screens_and_the_apps_titles(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        bar = screen.query_one(TitleBar)
        assert f"hamstring · Catalog — {APP_SUB_TITLE}" in drawn(bar)

        screen.sub_title = "filtering"  # the screen's own sub-title wins over the app's
        await pilot.pause()
        assert "hamstring · Catalog — filtering" in drawn(bar) and APP_SUB_TITLE not in drawn(bar)

        screen.sub_title = None  # back to the app's
        await pilot.pause()
        assert f"hamstring · Catalog — {APP_SUB_TITLE}" in drawn(bar)

        app.sub_title = "Wed 18 Jun · today: done ✓"  # the app's changes (a session saved)
        await pilot.pause()
        assert "hamstring · Catalog — Wed 18 Jun · today: done ✓" in drawn(bar)

        screen.title = "hamstring · Elsewhere"
        await pilot.pause()
        assert "hamstring · Elsewhere — Wed 18 Jun · today: done ✓" in drawn(bar)

        screen.title = None  # back to the app's title
        await pilot.pause()
        assert drawn(bar)[ICON_WIDTH:].strip() == "hamstring — Wed 18 Jun · today: done ✓"

        app.title = "renamed"
        await pilot.pause()
        assert drawn(bar)[ICON_WIDTH:].strip() == "renamed — Wed 18 Jun · today: done ✓"


async def test_a_paused_session_says_so_in_the_bar_and_then_shows_the_days_state_again(data_dir: Path) -> None:
    """The Session screen sets its sub-title while paused and gives it back (None) on resuming."""
    clock = FakeClock()
    app = make_app(data_dir, start_mode="session", session_request=SessionRequest(autostart=True), monotonic=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        bar = screen.query_one(TitleBar)
        assert f"— {APP_SUB_TITLE}" in drawn(bar)
        await pilot.press("space")
        await pilot.pause()
        assert screen.timer is not None and screen.timer.paused
        assert drawn(bar).rstrip().endswith("— paused")
        await pilot.press("space")
        await pilot.pause()
        assert f"— {APP_SUB_TITLE}" in drawn(bar) and "paused" not in drawn(bar)


@pytest.mark.parametrize("x", [0, 2, ICON_WIDTH - 1])
async def test_a_click_on_the_icon_opens_the_command_palette(data_dir: Path, x: int) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await pilot.click(TitleBar, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize("x", [ICON_WIDTH, 50, 95])
async def test_a_click_elsewhere_on_the_bar_does_not(data_dir: Path, x: int) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.click(TitleBar, offset=(x, 0))
        await pilot.pause()
        assert app.screen is screen and not CommandPalette.is_open(app)


async def test_hovering_the_icon_highlights_it_and_says_what_a_click_does(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        bar = app.screen.query_one(TitleBar)
        plain = [segment.style for segment in drawn_line(bar)]
        await pilot.hover(TitleBar, offset=(2, 0))
        await pilot.pause()
        assert bar.tooltip == "Open the command palette"
        hovered = list(drawn_line(bar))
        icon_styles = {segment.style for segment in hovered if segment.text.strip() == "⭘"}
        assert icon_styles and icon_styles.isdisjoint(plain)  # drawn another way
        # the colour of Textual's Header under the mouse: the foreground at 10% over the panel
        variables = app.get_css_variables()
        expected = Color.parse(variables["panel"]) + Color.parse(variables["foreground"]).with_alpha(0.1)
        (style,) = icon_styles
        assert style is not None and style.bgcolor is not None
        assert Color.from_rich_color(style.bgcolor).rgb == expected.rgb
        await pilot.hover(TitleBar, offset=(50, 0))  # the title: not the button
        await pilot.pause()
        assert bar.tooltip is None
        assert [segment.style for segment in drawn_line(bar)] == plain
        await pilot.hover(TitleBar, offset=(2, 0))
        await pilot.pause()
        assert bar.tooltip is not None
        await pilot.hover(StretchList)  # off the bar
        await pilot.pause()
        assert bar.tooltip is None
        assert [segment.style for segment in drawn_line(bar)] == plain


async def test_with_the_command_palette_disabled_the_icon_does_nothing(data_dir: Path) -> None:
    import tui.app

    class NoPalette(HamstringApp):
        CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))  # (relative paths are to this file)
        ENABLE_COMMAND_PALETTE = False

    app = NoPalette(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        bar = screen.query_one(TitleBar)
        plain = list(drawn_line(bar))
        await pilot.hover(TitleBar, offset=(2, 0))
        await pilot.pause()
        assert bar.tooltip is None and list(drawn_line(bar)) == plain  # no button to point at
        await pilot.click(TitleBar, offset=(2, 0))
        await pilot.pause()
        assert app.screen is screen and not CommandPalette.is_open(app)


async def test_at_40_columns_the_title_ends_in_an_ellipsis_between_the_icon_and_the_end(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = app.screen
        bar = screen.query_one(TitleBar)
        line = drawn(bar)
        room = 40 - ICON_WIDTH - END_WIDTH
        assert len(line) == 40
        assert line[:ICON_WIDTH] == " ⭘".ljust(ICON_WIDTH)  # the icon's columns: only the icon
        assert line[ICON_WIDTH : ICON_WIDTH + room] == "hamstring · Catalog —…"
        assert line[ICON_WIDTH + room :] == " " * END_WIDTH  # the empty end
        assert bar.region.width == 40

        screen.title = "a title far too long for forty columns of terminal"
        await pilot.pause()
        line = drawn(bar)
        assert line[:ICON_WIDTH] == " ⭘".ljust(ICON_WIDTH)
        assert line[ICON_WIDTH : ICON_WIDTH + room] == "a title far too long …"
        assert line[ICON_WIDTH + room :] == " " * END_WIDTH


async def test_an_ascii_terminal_gets_an_ascii_title(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.ASCII)
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = drawn(app.screen.query_one(TitleBar))
        assert line.isascii() and "hamstring - Catalog - Wed 18 Jun - today: not yet" in line, line
