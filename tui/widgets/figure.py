"""A drawn stretch figure: braille at the widget's size, the working leg in the accent colour."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:  # the drawing code is imported on first render, not with the screen
    from ..core.catalog import Stretch
    from ..core.figures import Figure, RenderedFigure, Side


@lru_cache(maxsize=32)
def _drawn(figure: Figure, side: Side, cols: int, rows: int) -> RenderedFigure:
    from ..core.figures import render_figure

    return render_figure(figure, side, cols, rows)


class FigureView(Widget, can_focus=False):
    """Shows ``figure`` for ``side`` ("left" or "right") filling its content area; blank without a figure."""

    COMPONENT_CLASSES = {"figure-view--working"}
    DEFAULT_CSS = """
    FigureView {
        width: 1fr;
        height: 10;
    }
    FigureView > .figure-view--working {
        color: $accent;
        text-style: bold;
    }
    FigureView:light > .figure-view--working {
        color: $text-accent;  /* a light theme's accent is too pale to read on its background */
    }
    """

    figure: reactive[Figure | None] = reactive(None)
    side: reactive[Side] = reactive("left")

    def __init__(
        self,
        figure: Figure | None = None,
        side: Side = "left",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(FigureView.figure, figure)
        self.set_reactive(FigureView.side, side)
        self._told: set[str] = set()  # stretches whose broken figure was told
        self._styles = (Style(), Style())  # plain and working leg, as last drawn (see render_lines)
        self._last: tuple[Figure, tuple[Side, int, int], RenderedFigure] | None = None  # the last drawing

    def show_stretch(self, stretch: Stretch | None) -> None:
        """Draw ``stretch``'s figure. One that does not parse (a built-in figure of a damaged
        install: a user's file is checked as it loads) is told once, and the stretch shows without it."""
        source = None if stretch is None else stretch.figure_source
        self.figure = None if source is None else source.figure
        problem = None if source is None else source.problem
        if stretch is not None and problem is not None and stretch.id not in self._told:
            from .text import inert

            self._told.add(stretch.id)
            message = inert(f"hamstring is damaged: {problem} (shown without its figure)")
            self.notify(message, title="Stretches", severity="error", timeout=15, markup=False)

    # -- drawing: line by line (a frame makes no text to wrap, only a few segments a line) --
    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles once a frame, not once a line (Textual works the widget's own out afresh
        # from every ancestor each time it is asked).
        base = self.rich_style
        self._styles = (base, base + self.get_component_rich_style("figure-view--working", partial=True))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        figure = self.figure
        cols, rows = self.content_size
        base, working = self._styles
        if figure is None or cols < 1 or not 0 <= y < rows:
            return Strip.blank(max(cols, 0), base)
        side: Side = "right" if self.side == "right" else "left"
        last = self._last
        if last is not None and last[0] is figure and last[1] == (side, cols, rows):
            drawn = last[2]  # this frame's other lines: no lookup (hashing a figure walks all of it)
        else:
            drawn = _drawn(figure, side, cols, rows)
            self._last = (figure, (side, cols, rows), drawn)
        line, flags = drawn.lines[y], drawn.working[y]
        segments: list[Segment] = []
        start = 0
        for column in range(1, len(line) + 1):
            if column == len(line) or flags[column] != flags[start]:
                segments.append(Segment(line[start:column], working if flags[start] else base))
                start = column
        return Strip(segments, len(line)).adjust_cell_length(cols, base)
