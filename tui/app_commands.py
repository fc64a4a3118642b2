"""The command palette's commands, and the history edits of the Calendar's day detail.

The palette lists each command once: Textual's own "Keys" (its key panel) is
left out, as ``?`` (our "Keys") shows every key of the screen and where the data
lives. Besides the screens and the settings, it can start the daily routine,
log today as done and open the year view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import SystemCommand
from textual.screen import Screen

from . import messages
from .app_writes import WritePath

if TYPE_CHECKING:
    from .core.records import SessionRecord

#: The palette's commands of Textual that hamstring does not list (its "Keys" duplicates ours).
TEXTUAL_LEFT_OUT = frozenset({"Keys"})


class PaletteCommands(WritePath):
    """Mixed into :class:`tui.app.HamstringApp`."""

    _screens: dict[str, Screen[None]]
    action_settings: Callable[[], None]
    action_help: Callable[[], None]
    start_session: Callable[[list[str] | None], None]

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a page move before its list is laid out (see tui.palette)."""
        from .palette import Palette

        if self.use_command_palette and not isinstance(self.screen, Palette):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Catalog", "Browse the stretches (c)", lambda: self.switch_mode("catalog"))
        yield SystemCommand("Session", "The guided session timer (s)", lambda: self.switch_mode("session"))
        yield SystemCommand("Start routine", "Start the daily routine now", lambda: self.start_session(None))
        yield SystemCommand("Calendar", "Streaks and history (h)", lambda: self.switch_mode("calendar"))
        yield SystemCommand("Year view", "The whole year on the Calendar (y there)", self.show_year)
        yield SystemCommand("Log today", "Mark today done with a manual session", self.log_today)
        yield SystemCommand(
            "Progress", "Back pain and flexibility over the weeks (p)", lambda: self.switch_mode("progress")
        )
        yield SystemCommand(
            "Settings", "Day start, week start, bell, theme, holds, rest days, spoken cues", self.action_settings
        )
        yield SystemCommand("Keys", "Show the keys of this screen and where data lives (?)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_LEFT_OUT:
                yield command

    def show_year(self) -> None:
        """The Calendar, showing the year heatmap."""
        self.switch_mode("calendar")
        self.call_after_refresh(self._year_shown)

    def _year_shown(self) -> None:
        from .screens.calendar import CalendarScreen

        screen = self._screens.get("calendar")
        if isinstance(screen, CalendarScreen) and screen.is_mounted and not screen.has_class("-year"):
            screen.action_year()

    def log_today(self) -> None:
        """Mark today done with a manual session of the daily routine's length (the rules of ``hamstring log``)."""
        service = self.service
        if not service.ready:
            self.tell("The history is still loading; try again in a moment.", "Not logged", "warning")
            return
        today = service.today()
        if today in service.digest.done:
            self.tell("Today is already done.", timeout=4)
            return

        def done(_result: object) -> None:
            self.tell(f"Logged today as done ({service.routine_minutes()} min, manual)", timeout=4)

        self.write(lambda: self._mark_today(today), "Day", then=done)

    def _mark_today(self, today: date) -> None:
        """*Worker*: the rules of the shell first (a manual log already there is refused)."""
        from .core.rules_days import can_log_day
        from .core.store import StoreError

        sessions: list[SessionRecord] = self.service.sessions_on(today)
        reason = can_log_day(today, today, sessions)
        if reason is not None:
            raise StoreError(reason)
        self.service.mark_day(today)

    @on(messages.SessionsDeleted)
    def _sessions_deleted(self, message: messages.SessionsDeleted) -> None:
        ids = message.session_ids

        def done(count: int) -> None:
            self.tell(f"Deleted {count} session{'s' if count != 1 else ''}", timeout=4)

        self.write(lambda: self.service.delete_sessions(ids), "Delete", then=done)
