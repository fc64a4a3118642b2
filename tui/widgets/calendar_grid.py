"""The month grid and the year heatmap: each one widget drawn line by line.

Both read a :class:`DayMarks` (which days are done, rested, partial, part of a
streak, and the minutes held per day) and mark each day with a glyph as well
as a theme colour, so they read without colour (NO_COLOR) too.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ..core.days import DAY_NAMES, MONTH_NAMES, month_weeks
from . import text as glyph_table

ONE_DAY = timedelta(days=1)
HEAT_LEVELS = (0, 5, 10, 20)  # minute thresholds of the four shades


@dataclass(frozen=True)
class DayMarks:
    """What the calendar shows for each day (sets and maps of days, of any size)."""

    today: date
    done: Set[date] = frozenset()
    rest: Set[date] = frozenset()
    partial: Set[date] = frozenset()  # sessions that did not count, and nothing that did
    streak: Set[date] = frozenset()  # every day inside a streak (rest days bridging it too)
    seconds: Mapping[date, int] = field(default_factory=dict)  # seconds held per day
    first_weekday: int = 0  # 0 Monday, 6 Sunday


def heat_level(minutes: float) -> int:
    """0 for nothing held, then 1..4: under 5 minutes, under 10, under 20, 20 or more."""
    if minutes <= 0:
        return 0
    return sum(1 for threshold in HEAT_LEVELS if minutes >= threshold) if minutes >= 5 else 1


class DaySelected(Message):
    """The selected day changed (arrows, month keys, clicks)."""

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day


class _DayWidget(Widget, can_focus=True):
    """Shared state: the marks, the selected day, and the arrow keys."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("up", "move(-7)", "Previous week", show=False),
        Binding("down", "move(7)", "Next week", show=False),
    ]

    selected: reactive[date] = reactive(date(2000, 1, 1), always_update=True)

    def __init__(self, marks: DayMarks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks = marks
        self.set_reactive(_DayWidget.selected, marks.today)

    def set_marks(self, marks: DayMarks) -> None:
        self.marks = marks
        self.refresh(layout=True)

    def watch_selected(self, day: date) -> None:
        self.refresh()
        self.post_message(DaySelected(day))

    def action_move(self, days: int) -> None:
        self.selected = self.selected + timedelta(days=days)

    def style_of(self, name: str) -> Style:
        """A component's style (from the .tcss, theme variables only) over the widget's own
        colours, so every cell has the theme's background (never the terminal's).

        An ``auto`` colour ($text, $text-muted, $text-disabled) is worked out against that
        background here: a partial component style alone draws it white, unreadable on a
        light theme. Styles are read at each render, so a theme change repaints correctly."""
        base = self.rich_style
        style = base + self.get_component_rich_style(name, partial=True)
        component = self.get_component_styles(name)
        if component.has_rule("color") and component.auto_color and base.bgcolor is not None:
            background = Color.from_rich_color(base.bgcolor)
            colour = background + background.get_contrast_text(component.color.a)
            style += Style(color=colour.rich_color)
        return style


class MonthGrid(_DayWidget):
    """One month, weeks in rows, streaks joined by a bar."""

    COMPONENT_CLASSES = {
        "month-grid--title",
        "month-grid--weekday",
        "month-grid--done",
        "month-grid--rest",
        "month-grid--partial",
        "month-grid--plain",
        "month-grid--future",
        "month-grid--today",
        "month-grid--selected",
        "month-grid--join",
    }

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 33

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 8

    def weeks(self) -> list[list[date]]:
        first = self.selected.replace(day=1)
        return month_weeks(first.year, first.month, self.marks.first_weekday)

    def render_line(self, y: int) -> Strip:
        month = self.selected.replace(day=1)
        if y == 0:
            title = f"{MONTH_NAMES[month.month - 1]} {month.year}"
            return Strip([Segment(title.center(33), self.style_of("month-grid--title"))])
        if y == 1:
            names = [DAY_NAMES[(self.marks.first_weekday + i) % 7][:2] for i in range(7)]
            text = "   ".join(f"{name:>2}" for name in names)
            return Strip([Segment(" " + text, self.style_of("month-grid--weekday"))])
        weeks = self.weeks()
        index = y - 2
        if index >= len(weeks):
            return Strip.blank(self.size.width, self.rich_style)
        segments: list[Segment] = []
        week = weeks[index]
        for position, day in enumerate(week):
            segments.extend(self._cell(day, month))
            if position < 6:
                following = week[position + 1]
                joined = (
                    day.month == month.month
                    and following.month == month.month
                    and day in self.marks.streak
                    and following in self.marks.streak
                )
                segments.append(
                    Segment(
                        glyph_table.GLYPHS.join if joined else "  ",
                        self.style_of("month-grid--join") if joined else self.rich_style,
                    )
                )
        return Strip(segments)

    def _cell(self, day: date, month: date) -> list[Segment]:
        if day.month != month.month:
            return [Segment("   ", self.rich_style)]
        marks = self.marks
        glyphs = glyph_table.GLYPHS
        if day in marks.done:
            glyph, name = glyphs.done, "month-grid--done"
        elif day in marks.partial:
            glyph, name = glyphs.partial, "month-grid--partial"
        elif day in marks.rest:
            glyph, name = glyphs.rest, "month-grid--rest"
        elif day > marks.today:
            glyph, name = " ", "month-grid--future"
        else:
            glyph, name = " ", "month-grid--plain"
        style = self.style_of(name)
        if day == marks.today:
            style += self.style_of("month-grid--today")
        if day == self.selected:
            style += self.style_of("month-grid--selected")
        return [Segment(f"{day.day:>2}{glyph}", style)]


class YearHeatmap(_DayWidget):
    """53 weeks by 7 days up to this week, shaded by minutes held.

    Columns are weeks and rows weekdays, so left/right move a week and up/down a day.
    """

    BINDINGS = [
        Binding("left", "move(-7)", "Previous week", show=False),
        Binding("right", "move(7)", "Next week", show=False),
        Binding("up", "move(-1)", "Previous day", show=False),
        Binding("down", "move(1)", "Next day", show=False),
    ]

    COMPONENT_CLASSES = {
        "year-heatmap--label",
        "year-heatmap--empty",
        "year-heatmap--l1",
        "year-heatmap--l2",
        "year-heatmap--l3",
        "year-heatmap--l4",
        "year-heatmap--rest",
        "year-heatmap--selected",
    }
    WEEKS = 53

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 4 + self.WEEKS

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 9

    @property
    def visible_weeks(self) -> int:
        """All 53 weeks when they fit; on a narrow terminal, the most recent ones."""
        width = self.size.width or 4 + self.WEEKS
        return max(1, min(self.WEEKS, width - 4))

    def first_day(self) -> date:
        """The first day of the first column shown (this week is the last column)."""
        today = self.marks.today
        week_start = today - timedelta(days=(today.weekday() - self.marks.first_weekday) % 7)
        return week_start - timedelta(weeks=self.visible_weeks - 1)

    def render_line(self, y: int) -> Strip:
        first = self.first_day()
        weeks = self.visible_weeks
        label_style = self.style_of("year-heatmap--label")
        if y == 0:
            row = [" "] * weeks
            for column in range(weeks):
                day = first + timedelta(weeks=column)
                if day.day <= 7 and column + 3 <= weeks:
                    name = MONTH_NAMES[day.month - 1][:3]
                    row[column : column + 3] = list(name)
            return Strip([Segment("    " + "".join(row), label_style)])
        if y == 8:
            legend = f"    less {glyph_table.GLYPHS.heat} more   {glyph_table.GLYPHS.rest} rest"
            return Strip([Segment(legend, label_style)])
        weekday = y - 1
        label = DAY_NAMES[(self.marks.first_weekday + weekday) % 7][:3] if weekday % 2 == 0 else ""
        segments = [Segment(f"{label:<4}", label_style)]
        for column in range(weeks):
            day = first + timedelta(weeks=column, days=weekday)
            segments.append(self._cell(day))
        return Strip(segments)

    def _cell(self, day: date) -> Segment:
        marks = self.marks
        glyphs = glyph_table.GLYPHS
        if day > marks.today:
            glyph, name = " ", "year-heatmap--empty"
        else:
            level = heat_level(marks.seconds.get(day, 0) / 60) if day in marks.done or day in marks.partial else 0
            if level:
                glyph, name = glyphs.heat[level - 1], f"year-heatmap--l{level}"
            elif day in marks.rest:
                glyph, name = glyphs.rest, "year-heatmap--rest"
            else:
                glyph, name = glyphs.empty, "year-heatmap--empty"
        style = self.style_of(name)
        if day == self.selected:
            style += self.style_of("year-heatmap--selected")
        return Segment(glyph, style)
