"""Quitting during a session: keep it for later, abandon it, or stay."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..core.routines import KEEP_MIN_HELD_S

QuitChoice = Literal["keep", "abandon", "stay"]


class QuitSessionScreen(ModalScreen[QuitChoice]):
    """Asked when ``q`` is pressed while a session runs; dismisses with the choice."""

    BINDINGS = [
        Binding("k", "choose('keep')", "Keep for later"),
        Binding("a", "choose('abandon')", "Abandon"),
        Binding("s,escape", "choose('stay')", "Stay"),
    ]
    CSS_PATH = "session_quit.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Quit during a session"
            yield Static(
                "The session is paused. Keep it for later (hamstring offers to resume it at the next start), "
                f"abandon it (what you held is kept as partial, if {KEEP_MIN_HELD_S} s or more), or stay?",
                id="quit-question",
                markup=False,
            )
            with Horizontal():
                yield Button("Keep for later (k)", id="keep", variant="primary", compact=True)
                yield Button("Abandon (a)", id="abandon", variant="warning", compact=True)
                yield Button("Stay (s)", id="stay", compact=True)

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        if choice in ("keep", "abandon", "stay"):
            self.dismiss(choice)  # type: ignore[arg-type]  # narrowed by the check above

    def action_choose(self, choice: QuitChoice) -> None:
        self.dismiss(choice)
