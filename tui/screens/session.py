"""The Session screen: the guided timer."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..app import RoutineRequested

if TYPE_CHECKING:
    from ..app import HamstringApp


class SessionScreen(Screen):
    """The routine about to be run (the timer itself is built in the timer issue)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Session", classes="screen-title")
        yield Static(id="routine-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "hamstring · Session"
        self.show_routine(cast("HamstringApp", self.app).requested_routine)

    def on_routine_requested(self, message: RoutineRequested) -> None:
        self.show_routine(message.stretch_ids)

    def show_routine(self, stretch_ids: list[str] | None) -> None:
        catalog = cast("HamstringApp", self.app).catalog
        stretches = [catalog.get(i) for i in stretch_ids] if stretch_ids else list(catalog)
        lines = [Content.from_markup("[$text-muted]Routine[/]")]
        total = 0
        for number, stretch in enumerate(s for s in stretches if s is not None):
            total += stretch.total_hold_s
            lines.append(Content.from_markup("$n. $name  [$text-muted]$hold[/]", n=number + 1, name=stretch.name, hold=f"{stretch.total_hold_s} s"))
        lines.append(Content.from_markup("[$text-muted]Holding time: $m min $s s[/]", m=total // 60, s=total % 60))
        self.query_one("#routine-preview", Static).update(Content("\n").join(lines))
