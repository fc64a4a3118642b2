"""The Progress screen's charts, drawn with textual-plotext (plotext inside a Textual widget).

Importing this module imports plotext (about 15-30 ms): only the Progress
screen imports it, when it first opens. The charts use plotext's ``clear``
theme, so the canvas, axes and ticks take the widget's own colours from the
stylesheet, and each series is given a colour of the app's theme when it is
drawn (a theme change redraws them). Where the terminal shows ASCII only,
the series are drawn with ``#`` and ``*`` and no frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import RenderResult
from textual.color import Color
from textual_plotext import PlotextPlot

from ..core.checkins import Measurement
from ..core.progress import Week, done_series, measurement_series, pain_series
from . import text

RIGHT = 2  # plotext's right-hand y axis (its stubs type the side as a number)
PAIN_COLOR = "error"
DONE_COLOR = "primary"
SIDE_COLORS = {None: "accent", "left": "accent", "right": "success"}


def _label(day: date) -> str:
    return f"{day:%d %b}"


def _ticks(count: int, width: int, label_width: int = 7) -> list[float]:
    """Positions 0..count-1 to label, spaced so their labels fit in ``width`` columns."""
    if count <= 0:
        return []
    fits = max(1, width // (label_width + 2))
    step = max(1, -(-count // fits))
    return [float(n) for n in range(count - 1, -1, -step)][::-1]


class Chart(PlotextPlot):
    """A plotext chart that draws itself from plain data at render time, in the theme's colours."""

    def on_mount(self) -> None:
        self.theme = "clear"  # canvas, axes and ticks in the widget's own (stylesheet) colours
        super().on_mount()

    def rgb(self, variable: str) -> tuple[int, int, int]:
        """A colour of the app's theme, as plotext takes it."""
        value = self.app.theme_variables.get(variable)
        if value is None:  # a theme without that variable: the widget's own text colour
            return self.styles.color.rgb
        return Color.parse(value).rgb

    def draw(self) -> None:  # pragma: no cover - each chart draws its own
        raise NotImplementedError

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        plt.theme("clear")
        if not text.GLYPHS.unicode:
            plt.frame(False)
        self.draw()
        return super().render()


class WeeklyChart(Chart):
    """Days stretched each week (bars, left axis 0-7) and weekly average pain (line, right axis 0-10)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.weeks: list[Week] = []

    def show(self, weeks: Sequence[Week]) -> None:
        self.weeks = list(weeks)
        self.refresh()

    def draw(self) -> None:
        plt, weeks = self.plt, self.weeks
        unicode = text.GLYPHS.unicode
        if unicode:
            plt.title(f"Last {len(weeks)} weeks: days stretched and average pain")
        else:  # plotext marks a right-axis legend with a non-ASCII sign: say it in the title
            plt.title(f"Last {len(weeks)} weeks: days done (#, left) and average pain (*, right)")
        if not weeks:
            return
        index = {week.start: n for n, week in enumerate(weeks)}
        done = done_series(weeks)
        plt.bar(
            [index[start] for start, _ in done],
            [days for _, days in done],
            color=self.rgb(DONE_COLOR),
            width=0.6 if len(weeks) <= 12 else 0.9,
            marker=None if unicode else "#",
            label="days done" if unicode else None,
        )
        plt.ylim(0, 7)
        plt.yticks([0, 7], ["0", "7"])
        pains = pain_series(weeks)
        if pains:
            plt.plot(
                [index[start] for start, _ in pains],
                [pain for _, pain in pains],
                color=self.rgb(PAIN_COLOR),
                marker="braille" if unicode else "*",
                yside="right",  # plot() takes the side by name, ylim() and yticks() by number
                label="pain" if unicode else None,
            )
        plt.ylim(0, 10, yside=RIGHT)
        plt.yticks([0, 5, 10], ["0", "5", "10"], yside=RIGHT)
        ticks = _ticks(len(weeks), max(self.size.width - 10, 10))
        plt.xticks(ticks, [_label(weeks[int(n)].start) for n in ticks])
        plt.xlim(-0.5, len(weeks) - 0.5)


class MeasureChart(Chart):
    """One kind of measurement over time: sit-and-reach (cm), or a straight-leg raise per leg (degrees)."""

    TITLES = {"sit-and-reach": "Sit-and-reach (cm)", "slr": "Straight-leg raise (degrees)"}

    def __init__(self, kind: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = kind
        self.measurements: list[Measurement] = []

    def show(self, measurements: Sequence[Measurement]) -> None:
        self.measurements = [m for m in measurements if m.kind == self.kind]
        self.refresh()

    def draw(self) -> None:
        plt = self.plt
        plt.title(self.TITLES[self.kind])
        series = measurement_series(self.measurements, self.kind)
        days = sorted({day for points in series.values() for day, _ in points})
        if not days:
            return
        first = days[0]
        markers = {None: "*", "left": "L", "right": "R"}
        for side, points in series.items():
            if not points:
                continue
            plt.plot(
                [(day - first).days for day, _ in points],
                [value for _, value in points],
                color=self.rgb(SIDE_COLORS[side]),
                marker="braille" if text.GLYPHS.unicode else markers[side],
                label=side or "",
            )
        values = [value for points in series.values() for _, value in points]
        if min(values) == max(values):  # plotext pads a flat series by half its value: below 0, upside down
            pad = max(abs(values[0]) / 2, 1.0)
            plt.ylim(values[0] - pad, values[0] + pad)
        span = (days[-1] - first).days
        if span:
            plt.xticks([0.0, float(span)], [_label(first), _label(days[-1])])
        else:
            plt.xticks([0.0], [_label(first)])
        plt.xlim(-1, span + 1)
