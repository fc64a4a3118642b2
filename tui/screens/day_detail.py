"""One day's sessions, in detail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..core.catalog import Catalog
from ..core.records import SessionRecord
from ..widgets import text

SIDE_SHORT = {"left": "L", "right": "R", "both": ""}


def session_lines(session: SessionRecord, catalog: Catalog) -> list[Content]:
    state = "complete" if session.complete else "abandoned"
    if session.complete and not session.counts:
        state = "complete, every hold skipped"
    minutes = session.duration_s / 60
    dot = text.GLYPHS.dot
    head = Content.from_markup(
        f"[b]$time[/] $source {dot} $state {dot} $held held[$text-muted]$counts[/]",
        time=f"{session.started_at:%H:%M}",
        source=text.inert(session.source),
        state=state,
        held=f"{int(session.duration_s // 60)}:{session.duration_s % 60:02d}" if minutes < 60 else f"{minutes:.0f} min",
        counts="" if session.counts else f" {dot} does not count",
    )
    lines = [head]
    for step in session.steps:
        stretch = catalog.get(step.stretch)
        name = text.inert(stretch.name if stretch else step.stretch)
        side = SIDE_SHORT.get(step.side, "?")
        lines.append(
            Content.from_markup(
                "   $name$side [$text-muted]$held s$skipped[/]",
                name=name,
                side=f" ({side})" if side else "",
                held=step.held_s,
                skipped=f" {dot} skipped" if step.skipped else "",
            )
        )
    return lines


class DayDetail(ModalScreen[None]):
    """The sessions of a day: complete, abandoned and manual ones."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close"), Binding("enter", "dismiss(None)", "Close", show=False)]
    DEFAULT_CSS = """
    DayDetail { align: center middle; }
    DayDetail > VerticalScroll {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, day: date, sessions: Sequence[SessionRecord], rest: bool, catalog: Catalog):
        super().__init__()
        self.day = day
        lines: list[Content] = []
        if rest:
            lines.append(Content.from_markup("[$text-secondary]A planned rest day.[/]"))
        if not sessions:
            lines.append(Content.from_markup("[$text-muted]No sessions on this day.[/]"))
        for session in sessions:
            lines.extend(session_lines(session, catalog))
        self.body = Content("\n").join(lines)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = f"{self.day:%A %d %B %Y}"
            scroll.border_subtitle = "escape closes"
            yield Static(self.body, id="day-sessions")
