"""The hamstring Textual application: three screens as app modes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal

from .core import paths
from .core.catalog import Catalog, CatalogError, builtin_catalog, load_catalog

if TYPE_CHECKING:
    from .core.store import HistoryStore



class RoutineRequested(Message):
    """Sent to the Session screen: run these stretches (``None``: the full routine)."""

    def __init__(self, stretch_ids: list[str] | None):
        super().__init__()
        self.stretch_ids = stretch_ids


def _catalog_screen() -> Screen:
    from .screens.catalog import CatalogScreen

    return CatalogScreen()


def _session_screen() -> Screen:
    from .screens.session import SessionScreen

    return SessionScreen()


def _calendar_screen() -> Screen:
    from .screens.calendar import CalendarScreen

    return CalendarScreen()


class HamstringApp(App[None]):
    """Catalog, Session and Calendar, one keypress apart."""

    TITLE = "hamstring"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    MODES = {"catalog": _catalog_screen, "session": _session_screen, "calendar": _calendar_screen}
    DEFAULT_MODE = "catalog"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("c", "show_mode('catalog')", "Catalog"),
        Binding("s", "show_mode('session')", "Session"),
        Binding("h", "show_mode('calendar')", "Calendar"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        start_mode: str = "catalog",
        catalog: Catalog | None = None,
        store: HistoryStore | None = None,
        today: Callable[[], date] = date.today,
    ):
        super().__init__()
        self.data_dir = paths.data_dir(data_dir)
        self.start_mode = start_mode
        self.today = today
        self.catalog_error: str | None = None
        self.catalog = catalog if catalog is not None else self._load_catalog()
        self.store: HistoryStore | None = store
        self.requested_routine: list[str] | None = None
        self.history_changed: Signal[None] = Signal(self, "history-changed")

    def _load_catalog(self) -> Catalog:
        """The merged catalog; a broken user file falls back to the built-in one."""
        try:
            return load_catalog()
        except CatalogError as error:
            self.catalog_error = str(error)
            return builtin_catalog()

    @property
    def history_path(self) -> Path:
        return self.data_dir / paths.HISTORY_FILENAME

    # -- start-up ---------------------------------------------------------
    def on_mount(self) -> None:
        if self.catalog_error:
            self.notify(f"{self.catalog_error} (using the built-in stretches)", title="Your stretches.json", severity="error", timeout=15)
        if self.start_mode != self.DEFAULT_MODE:
            self.switch_mode(self.start_mode)
        if self.store is None:
            self.run_worker(self._open_store, thread=True, group="history", exit_on_error=False)
        else:
            self._store_ready(self.store)

    def _open_store(self) -> None:
        from .core.store import HistoryStore

        store = HistoryStore.open(self.data_dir)
        self.call_from_thread(self._store_ready, store)

    def _store_ready(self, store: HistoryStore) -> None:
        self.store = store
        for notice in store.notices:
            self.notify(notice, title="History", severity="warning", timeout=20)
        self.refresh_today()
        self.history_changed.publish(None)

    def refresh_today(self) -> None:
        """Show today's state in the header."""
        if self.store is None:
            self.sub_title = "loading history…"
            return
        today = self.today()
        done = any(session.counts for session in self.store.sessions_on(today))
        self.sub_title = f"{today:%a %d %b} · today: {'done ✓' if done else 'not yet'}"

    # -- navigation -------------------------------------------------------
    def start_session(self, stretch_ids: list[str] | None) -> None:
        """Open the Session screen on a routine: these stretches, or the full routine."""
        self.requested_routine = stretch_ids
        self.switch_mode("session")
        self.screen.post_message(RoutineRequested(stretch_ids))

    def action_show_mode(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen, self.history_path, paths.user_catalog_path()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Catalog", "Browse the stretches (c)", lambda: self.switch_mode("catalog"))
        yield SystemCommand("Session", "The guided session timer (s)", lambda: self.switch_mode("session"))
        yield SystemCommand("Calendar", "Streaks and history (h)", lambda: self.switch_mode("calendar"))
        yield SystemCommand("Keys", "Show the keys of this screen and where data lives (?)", self.action_help)
        yield from super().get_system_commands(screen)
