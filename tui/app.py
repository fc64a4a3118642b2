"""The hamstring Textual application: three screens as app modes."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from .core import paths
from .core.catalog import Catalog, CatalogError, builtin_catalog, load_catalog
from .core.days import local_now, local_tz_name, session_day
from .core.routines import SETTING_KEY as ROUTINES_KEY
from .core.routines import (
    Routine,
    SessionRequest,
    routines_from_setting,
    routines_to_setting,
)
from .core.settings import effective

if TYPE_CHECKING:
    from .core import resume
    from .core.digest import Digest
    from .core.store import HistoryStore


def _current(screen: Screen) -> Screen:
    """Mark a new mode screen as styled with the current CSS.

    Textual refreshes the whole app's CSS (a re-parse of every stylesheet)
    the first time a mode's screen appears, because a new screen's CSS update
    count starts out of date. A new screen is styled when it mounts anyway,
    so that refresh only delays its first frame (about 10 ms each).
    """
    from textual._context import active_app

    with contextlib.suppress(LookupError, AttributeError):
        screen._css_update_count = active_app.get()._css_update_count
    return screen


def _catalog_screen() -> Screen:
    from .screens.catalog import CatalogScreen

    return _current(CatalogScreen())


def _session_screen() -> Screen:
    from .screens.session import SessionScreen

    return _current(SessionScreen())


def _calendar_screen() -> Screen:
    from .screens.calendar import CalendarScreen

    return _current(CalendarScreen())


class HamstringApp(App[None]):
    """Catalog, Session and Calendar, one keypress apart."""

    TITLE = "hamstring"
    CSS_PATH = "app.tcss"
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
        session_request: SessionRequest | None = None,
        catalog: Catalog | None = None,
        store: HistoryStore | None = None,
        today: Callable[[], date] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = local_now,
        tz_name: str | None = None,
        bench: str | None = None,
    ):
        if start_mode in self.MODES:
            # Start straight on that screen: building the catalog first would only delay it.
            self.DEFAULT_MODE = start_mode
        super().__init__()
        self.bench = bench
        self.data_dir = paths.data_dir(data_dir)
        self.start_mode = start_mode
        self.monotonic = monotonic
        self.wall_clock = wall_clock
        self.tz_name = tz_name if tz_name is not None else local_tz_name()
        self._today = today
        self.catalog_error: str | None = None
        self.catalog = catalog if catalog is not None else self._load_catalog()
        self.store: HistoryStore | None = store
        self.history_changed: Signal[None] = Signal(self, "history-changed")
        self.session_request = session_request or SessionRequest()
        self.resume_pending = False
        self.resume_checked = False  # a new session may start only once an interrupted one is known
        self._history_requested = False

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

    # -- time -------------------------------------------------------------------------
    def day_of(self, moment: datetime) -> date:
        """The day a session started at ``moment`` counts for (day-start hour applied)."""
        return session_day(moment, effective(self.settings())["day-start-hour"])

    def today(self) -> date:
        return self._today() if self._today is not None else self.day_of(self.wall_clock())

    # -- settings and routines ----------------------------------------------------------
    def settings(self) -> Mapping[str, Any]:
        return self.store.settings() if self.store is not None else {}

    def change_setting(self, key: str, value: Any) -> None:
        """Save a setting from the app and apply it at once."""
        from .core.store import StoreError

        if self.store is None:
            return
        try:
            self.store.set_setting(key, value)
        except StoreError as error:
            self.notify(str(error), title="Setting not saved", severity="error")
            return
        if key == "theme" and value in self.available_themes:
            self.theme = value
        self.refresh_today()
        self.history_changed.publish(None)

    def routine_minutes(self) -> int:
        """Minutes of holding in the daily routine: what a backfilled day is logged as."""
        from .core.routines import daily_log_minutes

        return daily_log_minutes(self.settings(), self.catalog)

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    @property
    def bell_on(self) -> bool:
        return effective(self.settings())["bell"] == "on"

    def toggle_bell(self) -> bool:
        """Mute or unmute the cues (remembered); returns whether they are now muted."""
        value = "off" if self.bell_on else "on"
        if self.store is not None:
            # Written synchronously so the very next cue obeys it, then saved for good.
            self.store.set_setting("bell", value)
        return value == "off"

    def routines(self) -> dict[str, Routine]:
        return routines_from_setting(self.settings().get(ROUTINES_KEY), self.catalog)

    def save_routines(self, routines: Mapping[str, Routine]) -> None:
        if self.store is None:
            self.notify("The history is still loading; try again in a moment.", severity="warning")
            return
        from .core.store import StoreError

        try:
            self.store.set_setting(ROUTINES_KEY, routines_to_setting(routines))
        except StoreError as error:
            self.notify(str(error), title="Routines not saved", severity="error")

    def save_session(self, record: Any) -> str | None:
        """Record a session (from a worker thread); returns an error message or None."""
        from .core.store import StoreError

        if self.store is None:
            return "the history is still loading"
        try:
            self.store.record_session(record)
        except StoreError as error:
            return str(error)
        self.store.renew_digest()  # still in the worker thread: the screens then find it ready
        from .core import resume

        try:
            interrupted = resume.load(self.data_dir)
        except ValueError:
            interrupted = None
        if interrupted is None or interrupted.session_id == record.id:
            resume.clear(self.data_dir)
        return None

    # -- start-up ---------------------------------------------------------------------
    def on_mount(self) -> None:
        self._day_seen: date | None = None
        if not gc.isenabled():
            self.call_after_refresh(self._collect_from_now_on)
        self.set_interval(20, self.check_day_rollover, name="day rollover")
        if self.catalog_error:
            self.notify(
                f"{self.catalog_error} (using the built-in stretches)",
                title="Your stretches.json",
                severity="error",
                timeout=15,
            )
        if self.store is None:
            self.refresh_today()  # the history loads once the first screen is drawn: see screen_shown
        else:
            self._store_ready(self.store)

    @staticmethod
    def _collect_from_now_on() -> None:
        """Turn the collector back on (``main`` turned it off for the start-up).

        What exists now lives until the app exits: freezing it keeps every later
        collection from walking it again.
        """
        gc.freeze()
        gc.enable()

    def _load_history(self) -> None:
        """Open the history: at once from its digest when it is fresh (a few
        milliseconds), else in a worker thread, as a full load may take a while."""
        from .core.store import HistoryStore

        store = HistoryStore(self.data_dir)
        if store.quick_start():
            self._store_ready(store)
        else:
            self.run_worker(partial(self._open_store, store), thread=True, group="history", exit_on_error=False)

    def _open_store(self, store: HistoryStore) -> None:
        store.startup()
        store.renew_digest()  # here, not on the UI thread; an error is told there, by history_digest
        self.call_from_thread(self._store_ready, store)

    def _store_ready(self, store: HistoryStore) -> None:
        self.store = store
        for notice in store.notices:
            self.notify(notice, title="History", severity="warning", timeout=20)
        theme = effective(store.settings())["theme"]
        if theme in self.available_themes:
            self.theme = theme
        self.refresh_today()
        interrupted = self._load_interrupted()
        self.resume_pending = interrupted is not None and not interrupted.finished
        self.resume_checked = True
        self.history_changed.publish(None)
        if interrupted is not None:
            self._offer_resume(interrupted)

    def _load_interrupted(self) -> resume.Interrupted | None:
        from .core import resume

        try:
            return resume.load(self.data_dir)
        except ValueError as error:
            path = resume.path_in(self.data_dir)
            aside = path.with_name(path.name + ".unreadable")
            with contextlib.suppress(OSError):
                path.replace(aside)
            self.notify(f"{error}; it was moved to {aside}", title="Interrupted session", severity="warning")
            return None

    def _offer_resume(self, interrupted: resume.Interrupted) -> None:
        if interrupted.finished:
            self._save_interrupted(interrupted, complete=bool(interrupted.timer.get("complete")))
            return
        from .screens.confirm import ConfirmScreen

        def answered(resume_it: bool | None) -> None:
            self.resume_pending = False
            if resume_it:
                self.switch_mode("session")
                self.call_after_refresh(self._resume_into_screen, interrupted)
            else:
                self._save_interrupted(interrupted, complete=False)

        self.push_screen(
            ConfirmScreen(
                f"hamstring stopped during {interrupted.describe()}. Resume it?",
                "Resume",
                "Discard",
                "Interrupted session",
            ),
            answered,
        )

    def _resume_into_screen(self, interrupted: resume.Interrupted) -> None:
        from .screens.session import SessionScreen

        screen = self.screen
        if isinstance(screen, SessionScreen):
            try:
                screen.resume_interrupted(interrupted)
            except (KeyError, TypeError, ValueError):
                self.notify(
                    "The interrupted session could not be restored; it is recorded as abandoned.", severity="warning"
                )
                self._save_interrupted(interrupted, complete=False)

    def _save_interrupted(self, interrupted: resume.Interrupted, complete: bool) -> None:
        """Record an interrupted session as it stood (abandoned unless it had finished)."""
        from .core import resume
        from .core.timer import SessionTimer

        try:
            timer = SessionTimer.restore(interrupted.timer, self.monotonic)
            if timer.running:
                timer.abandon()  # settles the hold that was under way
            steps = timer.step_records()
        except (KeyError, TypeError, ValueError):
            steps = ()
        if not steps:
            resume.clear(self.data_dir)
            return
        record = resume.record_from(interrupted, steps, self.wall_clock(), complete)
        error = self.save_session(record)
        if error:
            self.notify(error, title="Interrupted session not saved", severity="error")
        else:
            self.notify("The interrupted session was saved to your history.", title="History")
            self.refresh_today()
            self.history_changed.publish(None)

    def check_day_rollover(self) -> None:
        """Runs every 20 s: when the day changes (midnight, or the day-start hour), redraw."""
        if self.store is None:
            return
        today = self.today()
        if today != self._day_seen:
            self.refresh_today()
            self.history_changed.publish(None)

    def refresh_today(self) -> None:
        """Show today's state in the header."""
        if self.store is None:
            self.sub_title = "loading history…"
            return
        today = self.today()
        self._day_seen = today
        done = today in self.history_digest().done
        self.sub_title = f"{today:%a %d %b} · today: {'done ✓' if done else 'not yet'}"

    def history_digest(self) -> Digest:
        """The history's digest (empty while it loads, or when it cannot be read: then said so)."""
        from .core.digest import Digest
        from .core.store import StoreError

        if self.store is None:
            return Digest()
        try:
            return self.store.digest()
        except StoreError as error:
            self.notify(str(error), title="History", severity="error")
            return Digest()

    def screen_shown(self, name: str) -> None:
        """Called by each top-level screen when it mounts (its first frame is next)."""
        self.bench_mark(f"mounted:{name}")
        if self.store is None and not self._history_requested:
            # Load the history once that first frame is on screen, so it never delays it.
            self._history_requested = True
            self.call_after_refresh(self._load_history)

    # -- benchmark hooks ---------------------------------------------------------
    def bench_mark(self, event: str) -> None:
        """Called by the screens at measurable moments; acts only under ``python -m bench``.

        ``first-frame:NAME`` exits once NAME's first frame is drawn, ``tour``
        visits the three screens and quits, ``loaded:calendar`` exits once the
        calendar shows the history, ``timer:SECONDS`` runs a session that long
        and writes the CPU it used to ``$HAMSTRING_BENCH_OUT``.
        """
        bench = self.bench
        if bench is None:
            return
        if bench == f"first-frame:{event.removeprefix('mounted:')}" or bench == event:
            self.call_after_refresh(self.exit)
        elif bench == "tour":
            following = {"mounted:catalog": "session", "mounted:session": "calendar"}.get(event)
            if following:
                self.call_after_refresh(self.switch_mode, following)
            elif event == "mounted:calendar":
                self.call_after_refresh(self.exit)
        elif bench.startswith("timer:") and event == "started:session":
            import os
            import resource

            seconds = float(bench.split(":", 1)[1])
            before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.monotonic()

            def done() -> None:
                after = resource.getrusage(resource.RUSAGE_SELF)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                out = os.environ.get("HAMSTRING_BENCH_OUT")
                if out:
                    Path(out).write_text(f'{{"cpu_s": {cpu}, "wall_s": {time.monotonic() - started}}}')
                self.exit()

            self.set_timer(seconds, done)

    # -- navigation -------------------------------------------------------
    def start_session(self, stretch_ids: list[str] | None) -> None:
        """Open the Session screen and start these stretches, or the full routine.

        It begins with the "Get ready" phase, so there is time to get into position.
        """
        from .screens.session import SessionScreen

        self.session_request = SessionRequest(stretch_ids=tuple(stretch_ids) if stretch_ids else None, autostart=True)
        self.switch_mode("session")
        screen = self.screen
        if isinstance(screen, SessionScreen) and screen.is_mounted:
            screen.load_request(self.session_request)

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
        yield SystemCommand("Settings", "Day start, week start, bell, theme, holds", self.action_settings)
        yield SystemCommand("Keys", "Show the keys of this screen and where data lives (?)", self.action_help)
        yield from super().get_system_commands(screen)
