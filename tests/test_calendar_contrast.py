"""Every cell the calendar draws is readable in the light and the dark theme, and after a theme change."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color

from tui.app import HamstringApp
from tui.core.factory import make_sessions
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.widgets.calendar_grid import MonthGrid, YearHeatmap, _DayWidget

TZ = timezone(timedelta(hours=2))
MIN_CONTRAST = 3.0


def luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(one: Color, other: Color) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast_cells(widget: _DayWidget) -> list[tuple[int, str, str, str]]:
    """(line, text, foreground, background) of each drawn, non-blank segment under MIN_CONTRAST."""
    bad = []
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            assert isinstance(segment, Segment)
            if not segment.text.strip():
                continue
            style = segment.style
            assert style is not None and style.color is not None and style.bgcolor is not None, (y, segment)
            fore, back = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            if style.reverse:
                fore, back = back, fore
            if contrast(fore, back) < MIN_CONTRAST:
                bad.append((y, segment.text, fore.hex, back.hex))
    return bad


def make_app(data_dir: Path) -> HamstringApp:
    store = HistoryStore.open(data_dir)
    # Done, partial and plain days before the 18th, future days after it.
    store.import_many(make_sessions(12, end=date(2025, 6, 14), seed=5))
    return HamstringApp(
        data_dir=data_dir,
        store=store,
        start_mode="calendar",
        wall_clock=lambda: datetime(2025, 6, 18, 9, 0, tzinfo=TZ),
        tz_name="Europe/Berlin",
    )


async def check_both_views(pilot, theme: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, CalendarScreen)
    grid = screen.query_one(MonthGrid)
    assert grid.size.height > 0
    assert low_contrast_cells(grid) == [], theme
    await pilot.press("y")
    await pilot.pause()
    heatmap = screen.query_one(YearHeatmap)
    assert heatmap.size.height > 0
    assert low_contrast_cells(heatmap) == [], theme
    await pilot.press("y")
    await pilot.pause()


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_every_calendar_cell_is_readable(data_dir: Path, theme: str) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        await pilot.pause()
        await check_both_views(pilot, theme)


async def test_cells_stay_readable_after_a_theme_change(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        await check_both_views(pilot, "textual-dark")
        app.theme = "textual-light"
        await pilot.pause()
        await check_both_views(pilot, "textual-light")
        app.theme = "textual-dark"
        await pilot.pause()
        await check_both_views(pilot, "textual-dark")
