"""The Calendar screen through Pilot: moving around, marking, rest days, detail, midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.helpers import make_read_only_history
from tui.app import HamstringApp
from tui.core.factory import make_sessions
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.day_detail import DayDetail
from tui.widgets.calendar_grid import MonthGrid, YearHeatmap

TZ = timezone(timedelta(hours=2))


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


class WallClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def make_app(data_dir: Path, clock: WallClock, store: HistoryStore) -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir, store=store, start_mode="calendar", wall_clock=clock, tz_name="Europe/Berlin"
    )


def seeded_store(data_dir: Path, end: date, count: int = 20) -> HistoryStore:
    store = HistoryStore.open(data_dir)
    store.import_many(make_sessions(count, end=end, seed=5))
    return store


def text(widget) -> str:
    return str(widget.render())


async def test_arrows_months_and_today_move_the_selection(data_dir: Path) -> None:
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, HistoryStore.open(data_dir)).run_test() as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, CalendarScreen)
        grid = screen.query_one(MonthGrid)
        assert grid.selected == date(2025, 6, 18)
        await pilot.press("left", "up")
        assert grid.selected == date(2025, 6, 10)
        await pilot.press("right_square_bracket")
        assert grid.selected == date(2025, 7, 10)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert grid.selected == date(2025, 5, 10)
        assert "May 2025" in grid.render_line(0).text
        await pilot.press("t")
        assert grid.selected == date(2025, 6, 18)
        assert "Wed 18 Jun 2025 · today · nothing logged" in text(screen.query_one("#day-line", Static))


async def test_month_keys_keep_the_day_within_short_months(data_dir: Path) -> None:
    clock = WallClock(datetime(2025, 1, 31, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, HistoryStore.open(data_dir)).run_test() as pilot:
        await pilot.press("right_square_bracket")
        assert pilot.app.screen.query_one(MonthGrid).selected == date(2025, 2, 28)


async def test_stats_panel_shows_streaks_and_at_risk(data_dir: Path) -> None:
    store = seeded_store(data_dir, end=date(2025, 6, 17), count=30)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        stats = text(pilot.app.screen.query_one("#stats", Static))
        assert "at risk: not done today" in stats
        assert "Longest" in stats and "Strength" in stats and "Sessions  " in stats


async def saved(pilot) -> None:
    """Wait for the calendar's write to finish and the screen to show it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_m_backfills_a_past_day_and_unmarks_it_and_refuses_the_future(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test() as pilot:
        await pilot.press("left", "m")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await saved(pilot)
        (session,) = store.sessions()
        assert session.source == "manual" and session.date == date(2025, 6, 17) and session.counts
        assert session.duration_s == 7 * 60  # the daily routine's holding time, rounded up
        stats = text(pilot.app.screen.query_one("#stats", Static))
        assert "1 day" in stats and "at risk" in stats
        await pilot.press("m", "y")
        await saved(pilot)
        assert store.sessions() == []
        await pilot.press("right", "right", "m")
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        assert store.sessions() == []
        assert any("still ahead" in n.message for n in pilot.app._notifications)


async def test_r_toggles_a_rest_day_that_bridges_the_streak(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    for day in (date(2025, 6, 15), date(2025, 6, 17)):
        store.record_session(make_sessions(1, end=day, seed=day.day)[0])
    clock = WallClock(datetime(2025, 6, 17, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        screen = pilot.app.screen
        assert "Current   1 day" in text(screen.query_one("#stats", Static))
        await pilot.press("left", "r")
        await saved(pilot)
        assert store.rest_days() == {date(2025, 6, 16)}
        assert "Current   2 days" in text(screen.query_one("#stats", Static))
        assert "rest day" in text(screen.query_one("#day-line", Static))
        await pilot.press("r")
        await saved(pilot)
        assert store.rest_days() == set()


async def test_enter_shows_the_days_sessions_including_abandoned(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    sessions = make_sessions(40, end=date(2025, 6, 18), seed=2)
    abandoned = next(s for s in sessions if not s.complete)
    store.import_many(sessions)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 40)) as pilot:
        screen = pilot.app.screen
        screen.query_one(MonthGrid).selected = abandoned.date
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, DayDetail)
        body = str(pilot.app.screen.body)
        assert "partial" in body and "does not count" in body
        assert "Reclined Strap Stretch (L)" in body
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, CalendarScreen)


async def test_y_toggles_the_year_heatmap(data_dir: Path) -> None:
    store = seeded_store(data_dir, end=date(2025, 6, 18))
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        heatmap = screen.query_one(YearHeatmap)
        assert not heatmap.display
        await pilot.press("y")
        assert heatmap.display and heatmap.has_focus
        row = heatmap.render_line(1 + date(2025, 6, 16).weekday()).text  # Mondays
        assert row.startswith("Mon ") and any(glyph in row for glyph in "░▒▓█")
        await pilot.press("left")
        assert heatmap.selected == date(2025, 6, 11)
        assert screen.query_one(MonthGrid).selected == date(2025, 6, 11)
        await pilot.press("y")
        assert not heatmap.display


async def test_an_app_left_open_over_midnight_rolls_today_over(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.record_session(make_sessions(1, end=date(2025, 6, 18), seed=1)[0])
    clock = WallClock(datetime(2025, 6, 18, 23, 59, 30, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        screen = pilot.app.screen
        assert "today: done" in pilot.app.sub_title
        assert "Current   1 day" in text(screen.query_one("#stats", Static))
        clock.moment = datetime(2025, 6, 19, 0, 0, 40, tzinfo=TZ)
        pilot.app.check_day_rollover()
        await pilot.pause()
        assert "Thu 19 Jun · today: not yet" in pilot.app.sub_title
        grid = screen.query_one(MonthGrid)
        assert grid.marks.today == date(2025, 6, 19) and grid.selected == date(2025, 6, 19)
        assert "at risk" in text(screen.query_one("#stats", Static))


async def test_day_start_hour_moves_midnight(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.set_setting("day-start-hour", 3)
    clock = WallClock(datetime(2025, 6, 19, 1, 30, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test() as pilot:
        assert pilot.app.today() == date(2025, 6, 18)
        assert pilot.app.screen.query_one(MonthGrid).marks.today == date(2025, 6, 18)


async def test_settings_change_the_week_start(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        grid = pilot.app.screen.query_one(MonthGrid)
        assert grid.render_line(1).text.split()[0] == "Mo"
        pilot.app.change_setting("week-start", "sunday")
        await saved(pilot)
        assert grid.render_line(1).text.split()[0] == "Su"
        assert store.get_setting("week-start") == "sunday"
        await pilot.press("o")
        assert type(pilot.app.screen).__name__ == "SettingsScreen"


async def test_stats_show_time_per_stretch_and_side(data_dir: Path) -> None:
    store = seeded_store(data_dir, end=date(2025, 6, 17), count=10)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 50)) as pilot:
        stats = text(pilot.app.screen.query_one("#stats", Static))
        assert "Time held" in stats and "Seated Forward Fold" in stats
        assert "left leg" in stats and "right leg" in stats


async def test_a_narrow_heatmap_shows_the_most_recent_weeks(data_dir: Path) -> None:
    store = seeded_store(data_dir, end=date(2025, 6, 18), count=5)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(40, 12)) as pilot:
        await pilot.press("y")
        heatmap = pilot.app.screen.query_one(YearHeatmap)
        assert heatmap.visible_weeks < 53
        last_column = heatmap.first_day() + timedelta(weeks=heatmap.visible_weeks - 1)
        assert last_column <= date(2025, 6, 18) < last_column + timedelta(days=7)
        wednesday_row = heatmap.render_line(1 + 2).text
        assert wednesday_row.rstrip()[-1] in "░▒▓█"  # today's (Wednesday's) session is in the last column


# -- issue 11: marking a day when the history cannot be written; hostile text; notices ----------------
def _read_only(data_dir: Path) -> HistoryStore:
    return make_read_only_history(data_dir)


async def test_marking_a_day_in_a_read_only_history_gives_a_notice(data_dir: Path) -> None:
    store = _read_only(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    app = make_app(data_dir, clock, store)
    async with app.run_test() as pilot:
        await pilot.press("left", "m", "y")
        await saved(pilot)
        await pilot.press("r")
        await saved(pilot)
        assert app.is_running and isinstance(pilot.app.screen, CalendarScreen)
        assert store.sessions() == [] and store.rest_days() == {date(2020, 1, 1)}
        titles = [n.title for n in app._notifications]
        assert "Day not saved" in titles and "Rest day not saved" in titles


async def test_marking_a_day_while_another_copy_holds_the_lock_keeps_the_screen_responsive(data_dir: Path) -> None:
    from tui.core.lock import FileLock

    store = HistoryStore.open(data_dir, lock_timeout=1.0)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    app = make_app(data_dir, clock, store)
    lock = FileLock(data_dir / "history.json.lock", timeout=1)
    lock.acquire()
    try:
        async with app.run_test() as pilot:
            await pilot.press("left", "m", "y")
            grid = pilot.app.screen.query_one(MonthGrid)
            await pilot.press("left")  # moves while the write waits for the lock
            assert grid.selected == date(2025, 6, 16) and app.service.writing
            await saved(pilot)
            assert app.is_running
            assert any("another hamstring" in n.message for n in app._notifications)
            assert store.sessions() == []
    finally:
        lock.release()


HOSTILE = "\x1b]0;PWNED\x07[red]boom[/]"


def test_day_detail_shows_a_hostile_stretch_id_as_inert_text() -> None:
    from tui.core.catalog import builtin_catalog
    from tui.core.records import SessionRecord, StepRecord
    from tui.screens.day_detail import session_lines

    start = datetime(2025, 6, 17, 8, 0, tzinfo=TZ)
    session = SessionRecord(
        "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d12",
        date(2025, 6, 17),
        start,
        start,
        None,
        30,
        True,
        "timer",
        (StepRecord(HOSTILE, "both", 30, False),),
    )
    plain = "\n".join(line.plain for line in session_lines(session, builtin_catalog()))
    assert "\x1b" not in plain and "\x07" not in plain
    assert "[red]boom[/]" in plain and "\\x1b]0;PWNED\\x07" in plain


async def test_a_hostile_stretch_id_in_the_history_reaches_the_calendar_inert(data_dir: Path) -> None:
    """Escape codes never enter the history (the record's validation refuses them before
    any write); markup that does enter is shown as the text it is."""
    from tui.core.records import SessionRecord, StepRecord
    from tui.core.store import StoreError

    store = HistoryStore.open(data_dir)
    start = datetime(2025, 6, 17, 8, 0, tzinfo=TZ)

    def session(stretch: str) -> SessionRecord:
        steps = (StepRecord(stretch, "both", 30, False),)
        return SessionRecord(
            "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d12", date(2025, 6, 17), start, start, None, 30, True, "timer", steps
        )

    with pytest.raises(StoreError):
        store.record_session(session(HOSTILE))
    assert store.sessions() == []
    store.record_session(session("[red]boom[/]"))
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    app = make_app(data_dir, clock, store)
    async with app.run_test(size=(100, 40)) as pilot:
        stats = pilot.app.screen.query_one("#stats", Static).render()
        assert "[red]boom[/]" in str(stats)
        await pilot.press("left", "enter")
        body = str(pilot.app.screen.body)
        assert "[red]boom[/]" in body


async def test_notices_of_the_store_after_a_write_are_shown(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    app = make_app(data_dir, clock, store)
    async with app.run_test() as pilot:
        (data_dir / "history.json").write_bytes(b'{"sessions": 3')  # damaged by something else meanwhile
        await pilot.press("r")
        await saved(pilot)
        assert any("damaged" in n.message and "history.json" in n.message for n in app._notifications)


async def test_r_follows_the_rest_rules_of_the_shell_and_says_what_it_did(data_dir: Path) -> None:
    """Issue 17.9/10: one rule set: a done day is no rest day, a budget of rest days in 7 days,
    planned days ahead allowed; each refusal tells why, each mark says what it did."""
    store = HistoryStore.open(data_dir)
    store.record_session(make_sessions(1, end=date(2025, 6, 18), seed=3)[0])
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        notices = lambda: [n.message for n in pilot.app._notifications]  # noqa: E731 - a short reader
        await pilot.press("r")  # today is done
        await saved(pilot)
        assert store.rest_days() == set()
        assert any("already done" in n for n in notices())
        await pilot.press("right", "r")  # tomorrow: a planned rest day
        await saved(pilot)
        assert store.rest_days() == {date(2025, 6, 19)}
        assert any("Marked Thu 19 Jun as a rest day (1 of 2 in 7 days)" in n for n in notices())
        await pilot.press("left", "left", "r", "left", "r")  # 17 Jun, then 16 Jun: over the budget of 2
        await saved(pilot)
        assert store.rest_days() == {date(2025, 6, 19), date(2025, 6, 17)}
        assert any("rest-budget is 2" in n for n in notices())


async def test_m_refuses_a_second_manual_log_by_the_shells_rule(data_dir: Path) -> None:
    """A day logged by hand offers removal; a future day is refused with the rule's reason."""
    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test() as pilot:
        await pilot.press("right", "m")
        await saved(pilot)
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        assert any("only days up to today can be logged" in n.message for n in pilot.app._notifications)


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_every_calendar_cell_has_the_themes_background(data_dir: Path, theme: str) -> None:
    """Issue 17.2: no cell falls back to the terminal's own background (a dark hole on a light theme)."""
    store = seeded_store(data_dir, date(2025, 6, 18))
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        pilot.app.theme = theme
        await pilot.pause()
        background = pilot.app.screen.styles.background.rich_color  # the theme's $background
        for grid in (pilot.app.screen.query_one(MonthGrid), pilot.app.screen.query_one(YearHeatmap)):
            for y in range(9):
                for segment in grid.render_line(y):
                    style = segment.style
                    assert style is not None and style.bgcolor is not None, (type(grid).__name__, y, segment)
                    if not style.reverse:
                        assert style.bgcolor == background, (type(grid).__name__, y, segment)


async def test_minutes_and_days_done_follow_one_rule_and_the_browsed_month(data_dir: Path) -> None:
    """Issue 17.11 and 13: one minutes rule in the totals and the day line; "days done" counts the month on screen."""
    from tui.core.records import manual_session

    store = HistoryStore.open(data_dir)
    session = manual_session(date(2025, 5, 20), 1, datetime(2025, 5, 20, 9, 0, tzinfo=TZ), "Europe/Berlin")
    store.mark_day(session)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(120, 30)) as pilot:
        screen = pilot.app.screen
        assert "0 this month" in text(screen.query_one("#stats", Static))
        await pilot.press("left_square_bracket")
        await pilot.pause()
        stats = text(screen.query_one("#stats", Static))
        assert "1 in May 2025" in stats and "1 min held" in stats
        await pilot.press(*["right"] * 2)  # 20 May
        await pilot.pause()
        assert "1 min" in text(screen.query_one("#day-line", Static))


async def test_changes_from_the_shell_show_within_a_check_and_the_rest_budget_holds_against_them(
    data_dir: Path,
) -> None:
    """Another copy (the shell) writes the history while the app is open: the 20-second check
    reads it again, and a rest day the app's stale view would allow is refused by the file's."""
    store = HistoryStore.open(data_dir)
    store.record_session(make_sessions(1, end=date(2025, 6, 10), seed=3)[0])
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        await saved(pilot)
        app = pilot.app
        shell = HistoryStore.open(data_dir)  # as `hamstring log` does, in another process
        shell.record_session(make_sessions(1, end=date(2025, 6, 18), seed=4)[0])
        await pilot.pause()
        assert date(2025, 6, 18) not in app.service.digest.done  # not seen yet: the app read it before
        app.check_day_rollover()  # what the 20-second interval runs
        await saved(pilot)
        assert date(2025, 6, 18) in app.service.digest.done
        assert "done" in str(app.sub_title)
        shell.set_rest_day(date(2025, 6, 16), True)
        shell.set_rest_day(date(2025, 6, 17), True)
        await pilot.press("right", "r")  # 19 Jun, by the stale view the first rest day of its week
        await saved(pilot)
        assert HistoryStore.open(data_dir).rest_days() == {date(2025, 6, 16), date(2025, 6, 17)}
        assert any("not marked" in n.message and "rest-budget is 2" in n.message for n in app._notifications)


async def test_a_setting_changed_in_the_shell_reaches_the_open_app(data_dir: Path) -> None:
    """``hamstring config hold 5`` while the app is open: the 20-second check sees settings.json
    changed (not only the history) and reads it again, so the next session uses it."""
    from tui.__main__ import main

    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        await saved(pilot)
        app = pilot.app
        assert app.service.effective()["hold"] != 5
        assert main(["config", "hold", "5", "--data-dir", str(data_dir)]) == 0  # the shell, meanwhile
        assert app.service.changed_elsewhere()
        app.check_day_rollover()  # what the 20-second interval runs
        await saved(pilot)
        assert app.service.effective()["hold"] == 5
        assert not app.service.changed_elsewhere()


async def test_a_theme_set_in_the_shell_is_applied_by_the_open_app(data_dir: Path) -> None:
    """``hamstring config theme nord`` while the app is open: once read again, the app shows it
    (it kept its old theme while the Settings dialog said nord, and picking nord there did nothing)."""
    from tui.__main__ import main

    store = HistoryStore.open(data_dir)
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, store).run_test(size=(100, 30)) as pilot:
        await saved(pilot)
        app = pilot.app
        assert app.theme == "textual-dark"
        assert main(["config", "theme", "nord", "--data-dir", str(data_dir)]) == 0  # the shell, meanwhile
        app.check_day_rollover()  # what the 20-second interval runs
        await saved(pilot)
        assert app.service.effective()["theme"] == "nord"
        assert app.theme == "nord"
        assert HistoryStore.open(data_dir).get_setting("theme") == "nord"
        app.theme = "gruvbox"  # the palette's "Change theme" is still saved
        await saved(pilot)
        assert HistoryStore.open(data_dir).get_setting("theme") == "gruvbox" and app.theme == "gruvbox"
        assert main(["config", "theme", "dracula", "--data-dir", str(data_dir)]) == 0
        app.change_setting("rest-budget", 3)  # read again after a save of the app's own, before the check
        await saved(pilot)
        assert app.service.effective()["theme"] == "dracula" and app.theme == "dracula"


@pytest.mark.parametrize("size", [(40, 12), (69, 15), (80, 12), (60, 20)])
async def test_a_short_terminal_does_not_make_the_whole_screen_scroll(data_dir: Path, size: tuple[int, int]) -> None:
    """The calendar and the numbers sit on the screen itself: on a short terminal what does not fit
    is cut (the numbers scroll in their pane), the screen does not grow a scrollbar that takes two
    columns from the header, the key bar and the heatmap."""
    clock = WallClock(datetime(2025, 6, 18, 9, 0, tzinfo=TZ))
    async with make_app(data_dir, clock, HistoryStore.open(data_dir)).run_test(size=size) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CalendarScreen)
        for view in ("month", "year"):
            assert not screen.show_vertical_scrollbar and not screen.allow_vertical_scroll, view
            assert screen.query_one("TitleBar").size.width == size[0], view
            await pilot.press("y")
            await pilot.pause()


def test_time_held_leaves_out_a_stretch_reached_but_never_held() -> None:
    """A stretch skipped while getting ready has 0 s held: no "0 s Active Straight-Leg Raise" line."""
    import uuid
    from dataclasses import replace

    from tui.core.catalog import builtin_catalog
    from tui.core.digest import digest_of
    from tui.core.records import StepRecord
    from tui.core.streaks import compute_stats, stats_from_digest
    from tui.screens.calendar import stats_content

    (session,) = make_sessions(1, end=date(2025, 6, 18), seed=5)
    steps = (
        StepRecord("seated-forward-fold", "both", 60, False),
        StepRecord("active-leg-raise", "left", 0, True),
    )
    session = replace(session, id=str(uuid.uuid4()), steps=steps)
    today = date(2025, 6, 18)
    for stats in (compute_stats([session], set(), today), stats_from_digest(digest_of([session], (), {}), today)):
        shown = stats_content(stats, builtin_catalog()).plain  # as the shell works it out, and as the app does
        assert "Time held" in shown and "Seated Forward Fold" in shown
        assert "Active Straight-Leg Raise" not in shown and "active-leg-raise" not in shown
