"""The Progress screen through Pilot: the sentence, the charts, the weeks key, sizes, the app mode."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from tests.conftest import FIXED_TODAY, REPO
from tui.app import HamstringApp
from tui.core.checkins import new_checkin, new_measurement
from tui.core.progress import EMPTY_SENTENCE, progress_sentence
from tui.core.progress_view import ProgressData, next_span, sample_progress_data
from tui.core.service import NotReady
from tui.core.store import HistoryStore, StoreError
from tui.screens.progress import HOW_TO_START, NO_MEASUREMENTS, ProgressScreen
from tui.widgets.charts import MeasureChart, WeeklyChart

NOW = datetime(2025, 6, 18, 20, 0, tzinfo=UTC)
SAMPLE = sample_progress_data(FIXED_TODAY)


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


class Host(App[None]):
    """A bare app showing one Progress screen."""

    def __init__(self, screen: ProgressScreen) -> None:
        super().__init__()
        self.progress = screen

    def on_mount(self) -> None:
        self.push_screen(self.progress)


def shown(screen: ProgressScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def visible(screen: ProgressScreen, selector: str) -> bool:
    widget = screen.query_one(selector)
    return widget.display and widget.size.height > 0 and all(a.display for a in widget.ancestors_with_self[:-1])


async def test_empty_state_tells_how_to_start() -> None:
    screen = ProgressScreen(ProgressData(FIXED_TODAY))
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(screen, "#sentence") == EMPTY_SENTENCE
        assert shown(screen, "#how-to-start") == HOW_TO_START
        assert visible(screen, "#how-to-start")
        assert not visible(screen, "#weekly") and not visible(screen, "#measures")


async def test_data_shows_the_sentence_and_both_charts() -> None:
    screen = ProgressScreen(SAMPLE)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        expected = progress_sentence(SAMPLE.checkins, SAMPLE.done_days, FIXED_TODAY)
        assert expected.startswith("Average pain ")
        assert shown(screen, "#sentence") == expected
        assert not visible(screen, "#how-to-start")
        weekly = screen.query_one(WeeklyChart)
        assert visible(screen, "#weekly") and len(weekly.weeks) == 12
        assert weekly.weeks[-1].start <= FIXED_TODAY < weekly.weeks[-1].start + timedelta(days=7)
        first = weekly.weeks[0].start
        assert sum(week.days_done for week in weekly.weeks) == len([d for d in SAMPLE.done_days if d >= first])
        slr = screen.query_one("#slr", MeasureChart)
        assert visible(screen, "#slr") and visible(screen, "#sit-and-reach")
        assert {m.side for m in slr.measurements} == {"left", "right"}
        assert not visible(screen, "#no-measures")
        drawn = weekly.render()
        assert "days done" in str(drawn) and "pain" in str(drawn)


async def test_w_cycles_4_12_and_52_weeks() -> None:
    screen = ProgressScreen(SAMPLE)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        spans = []
        for _ in range(3):
            await pilot.press("w")
            spans.append(len(screen.query_one(WeeklyChart).weeks))
        assert spans == [52, 4, 12]
    assert [next_span(4), next_span(12), next_span(52), next_span(7)] == [12, 52, 4, 4]


async def test_check_ins_without_measurements_say_how_to_measure() -> None:
    checkins = tuple(new_checkin(FIXED_TODAY - timedelta(days=n), 4, None, None, NOW) for n in range(3))
    screen = ProgressScreen(ProgressData(FIXED_TODAY, checkins=checkins))
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(screen, "#sentence") == "Average pain 4.0 in the last 4 weeks (3 check-ins)."
        assert visible(screen, "#weekly")
        assert not visible(screen, "#measures")
        assert shown(screen, "#no-measures") == NO_MEASUREMENTS and visible(screen, "#no-measures")


async def test_only_the_measured_kind_gets_a_chart() -> None:
    measured = (new_measurement(FIXED_TODAY, "sit-and-reach", "-3.5", None, NOW),)
    screen = ProgressScreen(ProgressData(FIXED_TODAY, measurements=measured))
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert visible(screen, "#sit-and-reach") and not visible(screen, "#slr")
        assert "Sit-and-reach" in str(screen.query_one("#sit-and-reach", MeasureChart).render())


@pytest.mark.parametrize("values", [("-6.5",), ("-3", "-3"), ("0",), ("70",), ("-8", "-2")])
async def test_a_measurement_chart_has_the_highest_value_on_top(values: tuple[str, ...]) -> None:
    """plotext pads a flat series by a half of its value each way, which for a negative one put
    the lower bound on top: a first sit-and-reach short of the toes drew its axis upside down."""
    import re

    measured = tuple(
        new_measurement(FIXED_TODAY - timedelta(days=n), "sit-and-reach", v, None, NOW) for n, v in enumerate(values)
    )
    screen = ProgressScreen(ProgressData(FIXED_TODAY, measurements=measured))
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn = str(screen.query_one("#sit-and-reach", MeasureChart).render())
    ticks = [float(found) for found in re.findall(r"^\s*(-?\d+(?:\.\d+)?)┤", drawn, flags=re.MULTILINE)]
    assert len(ticks) >= 2, drawn
    assert ticks == sorted(ticks, reverse=True), ticks
    assert ticks[-1] <= min(float(v) for v in values) and max(float(v) for v in values) <= ticks[0], ticks


@pytest.mark.parametrize(("size", "charts"), [((40, 12), False), ((80, 24), True), ((160, 50), True)])
async def test_sizes(size: tuple[int, int], charts: bool) -> None:
    """At 40x12 the charts give way and the sentence stays; larger, both charts show."""
    screen = ProgressScreen(SAMPLE)
    async with Host(screen).run_test(size=size) as pilot:
        await pilot.pause()
        assert visible(screen, "#sentence")
        sentence = screen.query_one("#sentence")
        assert sentence.region.bottom <= size[1] and sentence.region.right <= size[0]
        assert visible(screen, "#weekly") is charts
        assert visible(screen, "#slr") is charts


async def test_a_note_like_sentence_is_never_markup() -> None:
    """The sentence is shown as it is: brackets in it stay text."""
    checkins = (new_checkin(FIXED_TODAY, 5, None, "[b]x[/b]", NOW),)
    screen = ProgressScreen(ProgressData(FIXED_TODAY, checkins=checkins))
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "(pain 5)" in shown(screen, "#sentence")
        assert screen.query_one("#sentence", Static)._render_markup is False


# -- loading through a loader (as the app does) -------------------------------------------
async def test_loader_runs_in_a_worker_and_failures_are_told() -> None:
    calls: list[int] = []

    def broken() -> ProgressData:
        calls.append(1)
        raise StoreError("history.json: cannot read it [bold]now[/]")

    screen = ProgressScreen(loader=broken)
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == [1]
        assert shown(screen, "#sentence") == "Loading your history…"
        assert [n.message for n in app._notifications] == ["history.json: cannot read it [bold]now[/]"]


async def test_loader_not_ready_keeps_loading_quietly() -> None:
    def not_yet() -> ProgressData:
        raise NotReady("still loading")

    screen = ProgressScreen(loader=not_yet)
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(screen, "#sentence") == "Loading your history…"
        assert not list(app._notifications)


class StoreWithCheckins(HistoryStore):
    """The history store with check-ins and measurements (as schema 3 reads them)."""

    def checkins(self) -> list:  # type: ignore[override]  # replaces the schema-3 reader in this test
        return list(SAMPLE.checkins)

    def measurements(self) -> list:  # type: ignore[override]  # replaces the schema-3 reader in this test
        return list(SAMPLE.measurements)


async def test_p_opens_progress_as_an_app_mode(data_dir: Path) -> None:
    store = StoreWithCheckins.open(data_dir)
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: FIXED_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.data is not None and screen.data.checkins == SAMPLE.checkins
        assert shown(screen, "#sentence") == progress_sentence(SAMPLE.checkins, app.service.digest.done, FIXED_TODAY)
        commands = [command.title for command in app.get_system_commands(screen)]
        assert "Progress" in commands
        await pilot.press("question_mark")
        help_text = str(app.screen.query_one("#help-text", Static).render())
        assert "4/12/52 weeks" in help_text and "Progress" in help_text


def test_progress_data_reads_the_store(data_dir: Path) -> None:
    from tui.core.catalog import builtin_catalog
    from tui.core.service import HistoryService

    store = StoreWithCheckins.open(data_dir)
    store.set_setting("week-start", "sunday")
    service = HistoryService(data_dir, builtin_catalog(), store=store, today=lambda: FIXED_TODAY)
    service.refresh()
    data = service.progress_data()
    assert data.checkins == SAMPLE.checkins and data.measurements == SAMPLE.measurements
    assert data.today == FIXED_TODAY and data.week_start == 6


FIRST_FRAME = """
import asyncio, json, sys
from tui.app import HamstringApp
from tui.core.store import HistoryStore

async def main():
    app = HamstringApp(data_dir=sys.argv[1], store=HistoryStore.open(sys.argv[1]))
    seen = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen["catalog"] = sorted(m for m in sys.modules if "plotext" in m)
        await pilot.press("p")
        await pilot.pause()
        seen["progress"] = sorted(m for m in sys.modules if "plotext" in m)
    print(json.dumps(seen))

asyncio.run(main())
"""


def test_the_catalogs_first_frame_does_not_import_plotext(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(data_dir)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["catalog"] == []
    assert "plotext" in seen["progress"] and "textual_plotext" in seen["progress"]


def test_sample_data_is_the_same_every_time() -> None:
    again = sample_progress_data(FIXED_TODAY)
    assert [c.pain for c in again.checkins] == [c.pain for c in SAMPLE.checkins]
    assert again.done_days == SAMPLE.done_days
    assert min(c.date for c in SAMPLE.checkins) == FIXED_TODAY - timedelta(days=82)  # every other day, ending today
    assert date(2025, 6, 18) in {m.date for m in SAMPLE.measurements}


async def test_ascii_terminals_get_ascii_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.ASCII)
    screen = ProgressScreen(SAMPLE)
    async with Host(screen).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for chart in (screen.query_one(WeeklyChart), screen.query_one("#slr", MeasureChart)):
            drawn = str(chart.render())
            assert drawn.isascii(), sorted({c for c in drawn if not c.isascii()})
            assert "#" in drawn or "L" in drawn
