"""The Calendar screen: streaks and the history of days."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class CalendarScreen(Screen):
    """Month grid, year heatmap and streak statistics (built in the calendar issue)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Calendar", classes="screen-title")
        yield Static("Your streaks and the month grid will appear here.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "hamstring · Calendar"
