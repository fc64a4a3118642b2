"""A drawn stretch figure: braille at the widget's size, the working leg in the accent colour."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.app import RenderResult
from textual.content import Content, Span
from textual.reactive import reactive
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

    def render(self) -> RenderResult:
        figure = self.figure
        cols, rows = self.content_size
        if figure is None or cols < 1 or rows < 1:
            return Content("")
        drawn = _drawn(figure, "right" if self.side == "right" else "left", cols, rows)
        style = self.get_visual_style("figure-view--working", partial=True)
        spans: list[Span] = []
        offset = 0
        for line, flags in zip(drawn.lines, drawn.working, strict=True):
            start: int | None = None
            for column, flag in enumerate((*flags, False)):
                if flag and start is None:
                    start = column
                elif not flag and start is not None:
                    spans.append(Span(offset + start, offset + column, style))
                    start = None
            offset += len(line) + 1
        return Content("\n".join(drawn.lines), spans=spans)
