"""The Calendar screen: the month grid (or the year heatmap), streaks and totals."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..core.catalog import Catalog
from ..core.days import days_in_month
from ..core.digest import Digest
from ..core.records import SessionRecord
from ..core.service import HistoryService, NotReady
from ..core.settings import first_weekday
from ..core.streaks import Stats, stats_from_digest
from ..core.text import format_minutes
from ..messages import DayMarked, HistoryChanged, OpenSettings, RestDaySet, ScreenShown
from ..widgets import text
from ..widgets.calendar_grid import DayMarks, DaySelected, MonthGrid, YearHeatmap
from ..widgets.key_bar import KeyBar
from ..widgets.title_bar import TitleBar
from .mode_screen import ModeScreen


def day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def marks_from(digest: Digest, stats: Stats, week_start: int) -> DayMarks:
    return DayMarks(
        today=stats.today,
        done=digest.done,
        rest=digest.rest,
        partial=digest.partial,
        streak=stats.streak_days,
        seconds=digest.seconds,
        first_weekday=week_start,
    )


def fmt_range(start: date, end: date) -> str:
    dash = text.GLYPHS.dash
    if start.year == end.year:
        return f"{start:%d %b} {dash} {end:%d %b %Y}"
    return f"{start:%d %b %Y} {dash} {end:%d %b %Y}"


def days_word(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def stats_content(
    stats: Stats, catalog: Catalog | None = None, browsed: date | None = None, done: Set[date] = frozenset()
) -> Content:
    """The statistics pane; "days done" counts the ``browsed`` month (one of the ``done`` days) when given."""
    current = stats.current
    lines = [Content.from_markup("[b $text-accent]Streaks[/]")]
    if current.length and current.at_risk:
        now = Content.from_markup("[b]$n[/] [$text-warning]at risk: not done today[/]", n=days_word(current.length))
    elif current.length:
        now = Content.from_markup("[b $text-success]$n[/]", n=days_word(current.length))
    else:
        now = Content.from_markup("[$text-muted]none yet: today starts one[/]")
    lines.append(Content("Current   ") + now)
    if stats.longest:
        lines.append(
            Content.from_markup(
                "Longest   [b]$n[/] [$text-muted]$range[/]",
                n=days_word(stats.longest.length),
                range=fmt_range(stats.longest.start, stats.longest.end),
            )
        )
    lines.append(Content.from_markup("Strength  [b]$p%[/]", p=round(stats.strength * 100)))
    totals = stats.totals
    lines.append(Content(""))
    lines.append(Content.from_markup("[b $text-accent]Totals[/]"))
    dot = text.GLYPHS.dot
    lines.append(
        Content.from_markup(
            f"Sessions  [b]$n[/] {dot} $m held",
            n=totals.sessions,
            m=format_minutes(totals.minutes_held * 60),
        )
    )
    if browsed is None or (browsed.year, browsed.month) == (stats.today.year, stats.today.month):
        month_label, month_days = "this month", totals.days_this_month
    else:  # the month on screen, not today's
        month_label = f"in {browsed:%b %Y}"
        month_days = sum(1 for day in done if (day.year, day.month) == (browsed.year, browsed.month))
    lines.append(
        Content.from_markup(
            f"Days done $w this week {dot} $mo $ml {dot} $y this year",
            w=totals.days_this_week,
            mo=month_days,
            ml=month_label,
            y=totals.days_this_year,
        )
    )
    if len(stats.best) > 1:
        lines.append(Content(""))
        lines.append(Content.from_markup("[b $text-accent]Best streaks[/]"))
        for run in stats.best:
            lines.append(
                Content.from_markup(
                    "$n  [$text-muted]$range[/]", n=f"{run.length:>4}", range=fmt_range(run.start, run.end)
                )
            )
    # A stretch reached but not held (skipped while getting ready) has nothing to show.
    held = sorted(((i, s) for i, s in totals.per_stretch_s.items() if s > 0), key=lambda item: -item[1])
    if held:
        lines.append(Content(""))
        lines.append(Content.from_markup("[b $text-accent]Time held[/]"))
        for stretch_id, seconds in held:
            stretch = catalog.get(stretch_id) if catalog else None
            lines.append(
                Content.from_markup(
                    "$m  $name",
                    m=f"{format_minutes(seconds):>7}",
                    name=text.inert(stretch.name if stretch else stretch_id),
                )
            )
        sides = totals.per_side_s
        if sides.get("left") or sides.get("right"):
            lines.append(
                Content.from_markup(
                    f"[$text-muted]left leg $l {dot} right leg $r {dot} both $b[/]",
                    l=format_minutes(sides.get("left", 0)),
                    r=format_minutes(sides.get("right", 0)),
                    b=format_minutes(sides.get("both", 0)),
                )
            )
    return Content("\n").join(lines)


class CalendarScreen(ModeScreen):
    """Month grid, year heatmap and streak statistics."""

    CSS_PATH = "calendar.tcss"
    BINDINGS = [
        Binding("left_square_bracket", "month(-1)", "Prev", key_display="[", tooltip="Previous month"),
        Binding("right_square_bracket", "month(1)", "Next", key_display="]", tooltip="Next month"),
        Binding("t", "today", "Today"),
        Binding("enter", "detail", "Day", tooltip="The day's sessions"),
        Binding("m", "mark", "Done", tooltip="Mark the day done (or remove its manual log)"),
        Binding("r", "rest", "Rest", tooltip="Rest day, on or off"),
        Binding("y", "year", "Year"),
        Binding("o", "settings", "Settings"),
    ]
    #: Keys of the grid that the key bar leaves out, for the ``?`` dialog.
    EXTRA_KEYS = (
        ("\u2190 \u2192", "Previous / next day (in the year view: week)"),
        ("\u2191 \u2193", "Previous / next week (in the year view: day)"),
    )

    def __init__(self, service: HistoryService) -> None:
        super().__init__()
        self.service = service
        self.stats: Stats | None = None
        self.digest: Digest | None = None
        self._stats_month: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        glyphs = text.GLYPHS
        marks = DayMarks(today=self.service.today())
        yield TitleBar(glyphs.icon)
        with Vertical(id="calendar-left"):
            yield MonthGrid(marks, id="month")
            yield YearHeatmap(marks, id="year")
            legend = f"{glyphs.done} done {glyphs.partial} partial {glyphs.rest} rest {glyphs.join[:1]} streak"
            yield Static(legend, id="legend", markup=False)
            yield Static(id="day-line", markup=False)
        with VerticalScroll(id="stats-pane"):
            yield Static(id="stats")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"hamstring{text.GLYPHS.sep}Calendar"
        self.set_focus(self.query_one(MonthGrid))  # now, so the first frame is drawn focused
        self.reload()
        self.post_message(ScreenShown("calendar"))

    @on(HistoryChanged)
    def _history_changed(self) -> None:
        self.reload()

    # -- data ------------------------------------------------------------------------
    @property
    def selected(self) -> date:
        return self.query_one(MonthGrid).selected

    def reload(self) -> None:
        """Recompute everything from the history (after a change, or when the day rolls over)."""
        today = self.service.today()
        if not self.service.ready:
            self.query_one("#stats", Static).update(
                Content.from_markup(f"[$text-muted]Loading your history{text.GLYPHS.ellipsis}[/]")
            )
            return
        digest = self.service.digest
        week_start = first_weekday(self.service.effective())
        stats = stats_from_digest(digest, today, week_start)
        self.digest, self.stats = digest, stats
        marks = marks_from(digest, stats, week_start)
        for grid in (self.query_one(MonthGrid), self.query_one(YearHeatmap)):
            rolled_over = grid.marks.today != today and grid.selected == grid.marks.today
            grid.set_marks(marks)
            if rolled_over:
                grid.selected = today
        self._show_stats()
        self._describe_day(self.selected)

    def _show_stats(self) -> None:
        if self.stats is None or self.digest is None:
            return
        browsed = self.selected
        self._stats_month = (browsed.year, browsed.month)
        content = stats_content(self.stats, self.service.catalog, browsed, self.digest.done)
        self.query_one("#stats", Static).update(content)

    def _describe_day(self, day: date) -> None:
        digest = self.digest
        if digest is None or self.stats is None:
            return
        logged = digest.logged.get(day, 0)
        parts = [f"{day:%a %d %b %Y}"]
        if day == self.stats.today:
            parts.append("today")
        if day in digest.done:
            held = format_minutes(digest.seconds.get(day, 0))
            parts.append(
                f"done {text.GLYPHS.dot} {logged} session{'s' if logged != 1 else ''} {text.GLYPHS.dot} {held}"
            )
        elif logged:
            parts.append("partial only (does not count)")
        elif day in digest.rest:
            parts.append("rest day")
        elif day > self.stats.today:
            parts.append("ahead")
        else:
            parts.append("nothing logged")
        if day in digest.rest and day in digest.done:
            parts.append("rest day")
        self.query_one("#day-line", Static).update(text.GLYPHS.sep.join(parts))

    @on(DaySelected)
    def _day_selected(self, event: DaySelected) -> None:
        for grid in (self.query_one(MonthGrid), self.query_one(YearHeatmap)):
            if grid.selected != event.day:
                grid.set_reactive(type(grid).selected, event.day)
                grid.refresh()
        if (event.day.year, event.day.month) != self._stats_month:
            self._show_stats()
        self._describe_day(event.day)

    # -- keys ------------------------------------------------------------------------
    def _select(self, day: date) -> None:
        self.query_one(MonthGrid).selected = day

    def action_month(self, offset: int) -> None:
        """The same day of the month before or after (or its last day)."""
        day = self.selected
        year, month0 = divmod(day.year * 12 + day.month - 1 + offset, 12)
        if not 1 <= year <= 9999:
            return
        last = days_in_month(year, month0 + 1)
        self._select(date(year, month0 + 1, min(day.day, last)))

    def action_today(self) -> None:
        self._select(self.service.today())

    def action_year(self) -> None:
        showing = self.toggle_class("-year").has_class("-year")
        (self.query_one(YearHeatmap) if showing else self.query_one(MonthGrid)).focus()

    def action_detail(self) -> None:
        from .day_detail import DayDetail

        if self.digest is None:
            return
        day = self.selected
        sessions = self._sessions_on(day)
        if sessions is None:
            return
        detail = DayDetail(day, sessions, day in self.digest.rest, self.service.catalog, self.service.day_view)
        self.app.push_screen(detail)

    def _sessions_on(self, day: date) -> list[SessionRecord] | None:
        """The day's sessions, or None when they cannot be read now (then said so).

        Read here only when no write is under way: a write may hold the history
        while it waits for another copy's lock, and the screen must not wait with it.
        """
        from ..core.store import StoreError

        if self.digest is None:
            return None
        if self.service.writing and day in self.digest.logged:
            self.notify("Saving a change: try again in a moment.", severity="warning", timeout=3)
            return None
        try:
            return self.service.sessions_on(day)
        except (StoreError, NotReady) as error:
            self.notify(text.inert(error), title="History", severity="error", markup=False)
            return None

    def action_mark(self) -> None:
        """Log the day by hand, or remove its manual log (the rules of ``hamstring log``)."""
        if not self.service.ready or self.digest is None or self.stats is None:
            return
        from ..core.rules_days import can_log_day
        from .confirm import ConfirmScreen

        day = self.selected
        sessions = [] if day > self.stats.today else self._sessions_on(day)
        if sessions is None:
            return
        manual = [s for s in sessions if s.source == "manual"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(DayMarked(day, done=not manual))

        if manual:
            question = f"Remove the manual log for {day:%a %d %b %Y}?"
            self.app.push_screen(ConfirmScreen(question, "Remove", "Keep", "Unmark day"), answered)
            return
        reason = can_log_day(day, self.stats.today, sessions)
        if reason is not None:
            ahead = "That day is still ahead: " if day > self.stats.today else ""
            self.notify(f"{ahead}{reason}", title="Not marked", severity="warning", markup=False)
        elif any(s.counts for s in sessions):
            self.notify("That day is already done with a timed session.")
        else:
            question = f"Mark {day:%a %d %b %Y} as done? It is logged as a manual session."
            self.app.push_screen(ConfirmScreen(question, "Mark done", "Cancel", "Backfill"), answered)

    def action_rest(self) -> None:
        """Mark the day as a rest day (the rules and rest-budget of ``hamstring log --rest``), or unmark it."""
        if not self.service.ready or self.digest is None or self.stats is None:
            return
        from ..core.rules_days import can_mark_rest

        day = self.selected
        if day in self.digest.rest:
            self.post_message(RestDaySet(day, False))
            return
        sessions = [] if day > self.stats.today else self._sessions_on(day)
        if sessions is None:
            return
        budget = self.service.effective()["rest-budget"]
        reason = can_mark_rest(day, self.stats.today, sessions, self.digest.rest, budget)
        if reason is not None:
            self.notify(reason, title="Not a rest day", severity="warning", markup=False)
            return
        self.post_message(RestDaySet(day, True))

    def action_settings(self) -> None:
        self.post_message(OpenSettings())
