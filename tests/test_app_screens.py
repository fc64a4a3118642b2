"""The top-level screens' styles (tui/app_screens.py): breakpoint classes from the start,
no needless stylesheet reparses, and a theme change still reaching every screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.css.stylesheet import Stylesheet

from tests.conftest import FIXED_TODAY
from tui.app import HamstringApp
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.catalog import CatalogScreen
from tui.screens.session import SessionScreen


def make_app(data_dir: Path, start_mode: str = "catalog") -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, start_mode=start_mode
    )


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full stylesheet reparses (one entry per call)."""
    calls: list[int] = []
    original = Stylesheet.reparse

    def counting(self: Stylesheet) -> None:
        calls.append(1)
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counting)
    return calls


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((160, 50), {"-xwide", "-xtall"}),
        ((100, 30), {"-wide", "-xtall"}),
        ((60, 18), {"-narrow", "-short"}),
    ],
)
async def test_a_screen_has_its_breakpoint_classes_before_its_first_frame(
    data_dir: Path, size: tuple[int, int], expected: set[str]
) -> None:
    app = make_app(data_dir)
    seen: list[set[str]] = []
    original = app.prepare_screen

    def prepare(screen):  # type: ignore[no-untyped-def]
        original(screen)
        seen.append(set(screen.classes))

    app.prepare_screen = prepare  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert seen == [expected]  # as made, before it was mounted
        assert expected <= set(pilot.app.screen.classes)  # and Textual's resize agreed


async def test_the_app_breakpoints_serve_a_screen_without_its_own(data_dir: Path) -> None:
    async with make_app(data_dir, "calendar").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, CalendarScreen)
        assert {"-wide", "-tall"} <= set(pilot.app.screen.classes)


async def test_starting_and_visiting_every_screen_reparses_no_stylesheet(data_dir: Path, reparses: list[int]) -> None:
    async with make_app(data_dir).run_test() as pilot:
        for key in ("s", "h", "p", "c", "s"):
            await pilot.press(key)
            await pilot.pause()
        assert reparses == []


async def test_a_theme_change_reaches_the_screens_shown_after_and_before(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        app = pilot.app
        await pilot.press("s")  # the Session exists, then is left before the change
        await pilot.press("c")
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        light = app.get_css_variables()["background"]
        for key, kind in (("h", CalendarScreen), ("s", SessionScreen), ("c", CatalogScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            assert app.screen.styles.background.hex.lower() == light.lower(), kind.__name__
        app.theme = "textual-dark"
        await pilot.pause()
        dark = app.get_css_variables()["background"]
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.styles.background.hex.lower() == dark.lower()


async def test_a_theme_change_reparses_the_stylesheet(data_dir: Path, reparses: list[int]) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await pilot.pause()
        pilot.app.theme = "textual-light"
        await pilot.pause()
        assert reparses  # new variables: Textual's own refresh, with its reparse


async def test_the_key_bar_is_redrawn_when_its_keys_change_and_only_then(data_dir: Path) -> None:
    from tui.widgets.key_bar import KeyBar

    async with make_app(data_dir).run_test() as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        bar = screen.query_one(KeyBar)
        refreshed: list[int] = []
        original = bar.refresh

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            refreshed.append(1)
            return original(*args, **kwargs)

        bar.refresh = counting  # type: ignore[method-assign]
        screen.bindings_updated_signal.publish(screen)  # nothing changed
        await pilot.pause()
        assert refreshed == []
        before = bar.keys()
        await pilot.press("slash")  # the filter box takes the focus: other keys
        await pilot.pause()
        assert bar.keys() != before
        assert refreshed


async def test_the_catalog_card_is_filled_as_the_screen_mounts(data_dir: Path) -> None:
    """The card shows the first stretch on the first frame, not after the list's message comes back."""
    from tui.widgets.stretch_detail import StretchDetail

    seen: list[str | None] = []
    original = CatalogScreen.on_mount

    def on_mount(self: CatalogScreen) -> None:
        original(self)
        detail = self.query_one(StretchDetail)
        seen.append(detail.stretch.id if detail.stretch is not None else None)

    CatalogScreen.on_mount = on_mount  # type: ignore[method-assign]
    try:
        async with make_app(data_dir).run_test() as pilot:
            await pilot.pause()
    finally:
        CatalogScreen.on_mount = original  # type: ignore[method-assign]
    assert seen == ["reclined-strap-stretch"]


async def test_a_top_level_screen_is_restyled_when_shown_again_not_when_first_shown(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each widget is styled as it mounts, just before the screen's first showing: Textual's
    restyle of the whole screen then is left out (tui/screens/mode_screen.py). A later showing
    restyles it as usual (a theme may have changed meanwhile: see the test above)."""
    from textual.app import App
    from textual.screen import Screen

    restyled: list[str] = []
    original = App.update_styles

    def counting(self: App[object], node, animate: bool = True):  # type: ignore[no-untyped-def]
        if isinstance(node, Screen):
            restyled.append(type(node).__name__)
        original(self, node, animate)

    monkeypatch.setattr(App, "update_styles", counting)
    async with make_app(data_dir).run_test() as pilot:
        await pilot.pause()
        assert restyled == []  # the Catalog, shown for the first time
        await pilot.press("h")
        await pilot.pause()
        restyled.clear()
        await pilot.press("c")
        await pilot.pause()
        assert "CatalogScreen" in restyled  # shown again
