"""The hamstring Textual application: four screens as app modes.

Attributes down, messages up: the app makes one :class:`HistoryService` and
hands it (or just the catalog) to each screen; screens post the messages of
:mod:`tui.messages`, and the app saves through its one write path
(:mod:`tui.app_writes`) and posts :class:`HistoryChanged` back down.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen

from . import messages
from .app_commands import PaletteCommands
from .app_messages import ScreenMessages
from .app_resume import ResumeFlow
from .app_screens import ScreenStyles
from .app_sync import SyncFlow
from .core import paths
from .core.catalog import SAFETY_NOTE, Catalog, CatalogError, builtin_catalog, load_catalog
from .core.days import local_now, tz_problem
from .core.service import HistoryService
from .core.settings import THEMES
from .widgets import text

if TYPE_CHECKING:
    from textual.theme import Theme

    from .core.routines import SessionRequest
    from .core.store import HistoryStore
    from .screens.session import SessionScreen

MODE_NAMES = ("catalog", "session", "calendar", "progress")
#: A setting (kept in settings.json like the routines): the safety note was shown on a first start.
SAFETY_SEEN = "safety-seen"
SAFETY_READ_S = 10  # seconds on screen before the note counts as read
SAFETY_SHOWN_S = 15  # long enough to read; short enough not to hide a session's first holds


class HamstringApp(ResumeFlow, SyncFlow, PaletteCommands, ScreenMessages, ScreenStyles):
    """Catalog, Session, Calendar and Progress, one keypress apart."""

    TITLE = "hamstring"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "catalog"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("c", "show_mode('catalog')", "Catalog"),
        Binding("s", "show_mode('session')", "Session"),
        Binding("h", "show_mode('calendar')", "Calendar"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit", "Quit"),
        # Last, so a narrow key bar drops it before ? and q (it is in ? and the palette too).
        Binding("p", "show_mode('progress')", "Progress"),
    ]

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        start_mode: str = "catalog",
        session_request: SessionRequest | None = None,
        catalog: Catalog | None = None,
        store: HistoryStore | None = None,
        today: Callable[[], date] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = local_now,
        tz_name: str | None = None,
        config_dir: Path | None = None,
    ):
        if start_mode in MODE_NAMES:
            # Start straight on that screen: building the catalog first would only delay it.
            self.DEFAULT_MODE = start_mode  # type: ignore[misc]  # Textual reads the start mode from this attribute
        super().__init__()
        self._init_styles()
        self._screens: dict[str, Screen[None]] = {}
        self.start_mode = start_mode
        for mode in MODE_NAMES:
            if mode != self.DEFAULT_MODE:  # the first screen's mode is added as it is made: see get_default_screen
                self.add_mode(mode, partial(self._make_screen, mode))
        self.catalog_error: str | None = None
        self.figure_problems: list[str] = []  # broken figures in the user's file: those stretches show without one
        self.service = HistoryService(
            paths.data_dir(data_dir),
            catalog if catalog is not None else self._load_catalog(),
            store=store,
            today=today,
            wall_clock=wall_clock,
            monotonic=monotonic,
            tz_name=tz_name,
            config_dir=config_dir,
        )
        self.session_request = session_request  # None: the routine setting's (made with the Session screen)
        self.resume_pending = False
        self.resume_checked = False  # a new session may start only once an interrupted one is known
        self._history_requested = False
        self._day_seen: date | None = None
        self._theme_seen: object = None  # the saved theme last shown (see _show_saved_theme)
        self._init_writes()
        self._init_sync()
        self._show_saved_theme()  # from the first frame on, not once the history is open
        if self.service.store is None:
            self.refresh_today()  # "loading history" from the first frame on, not drawn again just after it

    def _load_catalog(self) -> Catalog:
        """The merged catalog; a broken user file falls back to the built-in one, a broken figure
        in it is told and that stretch shows without its figure."""
        problems: list[CatalogError] = []
        try:
            catalog = load_catalog(figure_problems=problems)
        except CatalogError as error:
            self.catalog_error = str(error)
            return builtin_catalog()
        self.figure_problems = [str(problem) for problem in problems]
        return catalog

    def _make_screen(self, mode: str) -> Screen[None]:
        # Each screen's module is imported when that screen is first shown, so the first
        # frame pays only for its own (the Progress screen's brings plotext, for one).
        screen: Screen[None]
        if mode == "progress":
            from .screens.progress import ProgressScreen

            screen = ProgressScreen(loader=self.service.progress_data)
        elif mode == "catalog":
            from .screens.catalog import CatalogScreen

            screen = CatalogScreen(self.service.catalog)
        elif mode == "session":
            from .core.routines import SessionRequest
            from .screens.session import SessionScreen

            self.session_request = self.session_request or SessionRequest()
            screen = SessionScreen(
                self.service, self.session_request, lambda: self.resume_pending, lambda: self.resume_checked
            )
        else:
            from .screens.calendar import CalendarScreen

            screen = CalendarScreen(self.service)
        self.prepare_screen(screen)
        self._screens[mode] = screen
        return screen

    # -- what tests and the bench read ----------------------------------------------------
    @property
    def store(self) -> HistoryStore | None:
        return self.service.store

    @property
    def catalog(self) -> Catalog:
        return self.service.catalog

    @property
    def data_dir(self) -> Path:
        return self.service.data_dir

    @property
    def history_path(self) -> Path:
        return self.service.history_path

    def today(self) -> date:
        return self.service.today()

    def session_screen(self) -> SessionScreen | None:
        screen = self._screens.get("session")
        if screen is None:
            return None  # never shown: its module need not be imported to say so
        from .screens.session import SessionScreen

        return screen if isinstance(screen, SessionScreen) and screen.is_mounted else None

    # -- start-up ---------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        """The first screen, made by Textual's hook for a start mode it does not know (yet).

        Textual awaits a known mode's screen mounting inside its start-up batch, where a
        frame drawn is not written, so a terminal saw nothing until the next refresh tick
        (17 ms on). The first screen made here mounts after the batch and its first frame is
        written as it is drawn. Its mode is added now, so it is a mode like the others from
        here on: the key for it switches back to this same screen.
        """
        mode = self.DEFAULT_MODE
        self.add_mode(mode, partial(self._make_screen, mode))
        screen = self._make_screen(mode)
        if self.css_monitor is not None:  # live CSS (`textual run --dev`): watched as Textual watches a mode's screen's
            self.css_monitor.add_paths(screen.css_path)
        return screen

    def on_mount(self) -> None:
        if not text.GLYPHS.unicode:
            self.add_class("-ascii")
        self.set_interval(20, self.check_day_rollover, name="day rollover")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.catalog_error:
            self.tell(f"{self.catalog_error} (using the built-in stretches)", "Your stretches.json", "error", 15)
        for problem in self.figure_problems:
            self.tell(problem, "Your stretches.json", "warning", 15)
        if zone_problem := tz_problem():  # said once, as each shell command says it
            self.tell(zone_problem, "Time zone", "warning", 15)
        if self.service.store is None:
            self.refresh_today()  # the history loads once the first screen is drawn: see screen_shown
        else:
            self._store_ready(self.service.store)

    def _load_history(self) -> None:
        """Open the history: at once from its digest when it is fresh (a few
        milliseconds), else in a worker thread, as a full load may take a while."""
        store = self.service.open_quick()
        if store is not None:
            self._store_ready(store)
        else:
            self.run_worker(self._open_store, thread=True, group="history", exit_on_error=False)

    def _open_store(self) -> None:
        from .core.store import StoreError

        try:
            store = self.service.open_full()
        except StoreError as error:  # the history cannot be opened at all (its folder is a file)
            self.call_from_thread(self._history_unusable, str(error))
            return
        self.service.attach(store)  # reads the digest here, not on the UI thread
        self.call_from_thread(self._store_ready, store, True)

    def _history_unusable(self, message: str) -> None:
        self.sub_title = "history not available"
        self.tell(message, "History", "error", 30)

    def _store_ready(self, store: HistoryStore, attached: bool = False) -> None:
        if not attached:
            self.service.attach(store)
        self.show_store_notices()
        if self.service.digest_error:
            self.tell(self.service.digest_error, "History", "error")
        self._show_saved_theme()
        if not self.service.settings().get(SAFETY_SEEN):
            self.tell(SAFETY_NOTE, "Before you start (? shows this again)", timeout=SAFETY_SHOWN_S)
            # Remembered once it has been on screen a while (and not in the first moments,
            # when a first key must not wait for a write).
            self.set_timer(SAFETY_READ_S, self.remember_safety_note, name="safety note read")
        self.check_interrupted()
        self.history_changed()
        self.start_sync()

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked anywhere (the palette's "Change theme" too) is saved like any setting."""
        if self.service.store is None or theme.name not in THEMES:
            return  # the saved theme is applied once the history is open; unknown themes cannot be saved
        if theme.name != self.service.effective()["theme"]:
            self.change_setting("theme", theme.name)

    def remember_safety_note(self) -> None:
        """The first-start safety note has been read: do not show it at the next start."""
        if not self.service.settings().get(SAFETY_SEEN):
            self.service.note_setting(SAFETY_SEEN, True)
            self.write(lambda: self.service.save_setting(SAFETY_SEEN, True), "Setting", shared=False)

    def check_day_rollover(self) -> None:
        """Runs every 20 s: when the day changes (midnight, or the day-start hour), redraw; when
        the history changed outside this app (the shell, another copy), read it again in the writer."""
        if self.service.store is None:
            return
        if not self.service.writing and self.service.changed_elsewhere():
            self.write(lambda: None, "Reading the history", shared=False)  # the writer refreshes, then redraws
        elif self.service.today() != self._day_seen:
            self.history_changed()

    def _show_saved_theme(self) -> None:
        """The saved theme, when it is not the one last shown: read at start (settings.json),
        when the history opens, after a save, or once set in the shell and read again."""
        theme = self.service.effective()["theme"]
        if theme != self._theme_seen:
            self._theme_seen = theme
            if theme != self.theme and theme in self.available_themes:
                self.theme = theme

    def refresh_today(self) -> None:
        """Show today's state in the header."""
        if self.service.store is None:
            self.sub_title = "loading history" + text.GLYPHS.ellipsis
            return
        today = self.service.today()
        self._day_seen = today
        glyphs = text.GLYPHS
        done = f"done {glyphs.check}" if today in self.service.digest.done else "not yet"
        self.sub_title = f"{today:%a %d %b}{glyphs.sep}today: {done}"

    def history_changed(self) -> None:
        """The history, a setting or today changed: the header and every screen show it."""
        self.refresh_today()
        self._show_saved_theme()
        targets = {*self._screens.values(), *self.screen_stack}
        for screen in targets:
            if screen.is_attached:
                screen.post_message(messages.HistoryChanged())

    # -- what the bench wraps ------------------------------------------------------------
    def screen_shown(self, name: str) -> None:
        """Called once when each top-level screen mounts (its first frame is next)."""
        if not gc.isenabled():
            # The `hamstring` command starts with the cyclic collector off (see tui/cli/app.py): it
            # goes on once the first frame is on screen, which it would otherwise slow by a few
            # collections, and collects the start-up's garbage from then on.
            self.call_after_refresh(gc.enable)
        if self.service.store is None and not self._history_requested:
            # Load the history once that first frame is on screen, so it never delays it.
            self._history_requested = True
            self.call_after_refresh(self._load_history)

    def session_started(self) -> None:
        """Called when the timer starts a session."""

    # -- messages from the screens ---------------------------------------------------------
    @on(messages.ScreenShown)
    def _screen_shown(self, message: messages.ScreenShown) -> None:
        self.screen_shown(message.name)

    @on(messages.SessionStarted)
    def _session_started(self) -> None:
        self.session_started()

    # -- navigation -------------------------------------------------------
    def start_session(self, stretch_ids: list[str] | None) -> None:
        """Open the Session screen and start these stretches, or the full routine.

        It begins with the "Get ready" phase, so there is time to get into position.
        """
        from .core.routines import SessionRequest

        self.session_request = SessionRequest(stretch_ids=tuple(stretch_ids) if stretch_ids else None, autostart=True)
        self.switch_mode("session")
        screen = self.session_screen()
        if screen is not None:
            screen.load_request(self.session_request)
        else:
            self.call_after_refresh(self._request_when_mounted)

    def _request_when_mounted(self) -> None:
        screen = self.session_screen()
        request = self.session_request
        if screen is not None and request is not None and screen.request != request:
            screen.load_request(request)

    async def action_quit(self) -> None:
        """Quit; during a session, ask first (keep it for later, abandon it, or stay)."""
        screen = self.session_screen()
        if screen is not None and screen.running:
            screen.ask_quit()
            return
        await super().action_quit()

    def action_show_mode(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(self.service.effective()))

    def format_title(self, title: str, sub_title: str) -> Content:
        """Textual's header line, with a separator the output can show (``-`` where only ASCII can)."""
        if text.GLYPHS.unicode or not sub_title:
            return super().format_title(title, sub_title)
        return Content.assemble(Content(title), (" - ", "dim"), Content(sub_title).stylize("dim"))

    def get_key_display(self, binding: Binding) -> str:
        """Textual's key names (``⏎`` for enter), or the plain key where the output is ASCII only."""
        shown = super().get_key_display(binding)
        if text.GLYPHS.unicode or shown.isascii():
            return shown
        return binding.key.split(",")[0].replace("_", " ")

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen, self.history_path, paths.user_catalog_path()))
