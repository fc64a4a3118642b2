"""The history service: what the app and its screens know and change, in one place.

It owns the store, the settings, the routines, saving a finished session, the
interrupted session (resume), and the day rules (which day a moment counts
for, and today, on an injected clock). The interface reads from it and never
reaches into the store itself.

Threads: the app runs every write (the methods marked *worker*) in a worker
thread, one after another, then calls :meth:`refresh` there too; the UI
thread reads only what :meth:`refresh` left in memory (:meth:`settings`,
:attr:`digest`), so it never waits for the history's lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import Catalog
from .days import local_now, local_tz_name, session_day
from .digest import Digest
from .service_resume import ResumeService
from .service_sync import SyncService
from .settings import ROUTINES_KEY, effective, first_weekday

if TYPE_CHECKING:
    from .checkins import CheckIn
    from .day_view import DayView
    from .progress_view import CheckInAnswer, ProgressData
    from .records import SessionRecord
    from .routines import Routine
    from .store import HistoryStore


class NotReady(Exception):
    """The history is still loading."""


class HistoryService(ResumeService, SyncService):
    """The store, settings, routines, sessions, resume and the day rules."""

    def __init__(
        self,
        data_dir: Path,
        catalog: Catalog,
        *,
        store: HistoryStore | None = None,
        today: Callable[[], date] | None = None,
        wall_clock: Callable[[], datetime] = local_now,
        monotonic: Callable[[], float] = time.monotonic,
        tz_name: str | None = None,
        config_dir: Path | None = None,
    ) -> None:
        from .paths import config_dir as default_config_dir
        from .settings_file import read_settings

        self.data_dir = data_dir
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.catalog = catalog
        self.store = store
        self.wall_clock = wall_clock
        self.monotonic = monotonic
        self._tz_name = tz_name
        self._today = today
        # Until the history is open, the settings as settings.json holds them (read fast, never
        # written here): the theme and the like are right from the first frame.
        self._saved: dict[str, Any] = {} if store is not None else read_settings(data_dir)
        self._unsaved: dict[str, Any] = {}  # changed in memory at once; saved by a worker after
        self._seen_identity: list[list[int] | None] | None = None  # see changed_elsewhere
        self.digest = Digest()
        self.digest_error: str | None = None
        self.writing = False  # a write is under way in a worker (set by the app)
        self._notices_taken = 0

    @property
    def tz_name(self) -> str | None:
        """The local time zone's IANA name (worked out when a session is first recorded)."""
        if self._tz_name is None:
            self._tz_name = local_tz_name() or ""
        return self._tz_name or None

    # -- loading ------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.store is not None

    def open_quick(self) -> HistoryStore | None:
        """The store when it can start at once from its digest (UI thread, milliseconds), else None."""
        from .store import HistoryStore

        store = HistoryStore(self.data_dir)
        return store if store.quick_start() else None

    def open_full(self) -> HistoryStore:
        """*Worker*: open the store with every check (it may parse, recover or wait)."""
        from .store import HistoryStore

        store = HistoryStore(self.data_dir)
        store.startup()
        store.renew_digest()
        return store

    def attach(self, store: HistoryStore) -> None:
        self.store = store
        self.refresh()

    def refresh(self) -> None:
        """Read the settings and the digest into memory (in the worker after a write)."""
        from .store import StoreError

        store = self.store
        if store is None:
            return
        try:
            self._seen_identity = self.identities()  # before reading: a later change is seen next time
            self._saved = dict(store.settings())
            self.digest = store.digest()
            self.digest_error = None
        except StoreError as error:
            self.digest_error = str(error)

    def take_notices(self) -> list[str]:
        """The store's notices not yet shown (set-asides, backups that failed, read-only)."""
        store = self.store
        if store is None:
            return []
        take = getattr(store, "take_notices", None)
        if callable(take):
            return list(take())
        notices = list(store.notices[self._notices_taken :])
        self._notices_taken = len(store.notices)
        return notices

    @property
    def read_only_reason(self) -> str | None:
        return self.store.read_only_reason if self.store is not None else None

    @property
    def history_path(self) -> Path:
        from .paths import HISTORY_FILENAME

        return self.data_dir / HISTORY_FILENAME

    def _store(self) -> HistoryStore:
        if self.store is None:
            raise NotReady("the history is still loading; try again in a moment")
        return self.store

    # -- days ---------------------------------------------------------------------------
    def day_of(self, moment: datetime) -> date:
        """The day a session started at ``moment`` counts for (day-start hour applied)."""
        return session_day(moment, self.effective()["day-start-hour"])

    def today(self) -> date:
        return self._today() if self._today is not None else self.day_of(self.wall_clock())

    # -- settings -----------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The saved settings, with the changes of this run not saved yet on top."""
        return {**self._saved, **self._unsaved}

    def effective(self) -> dict[str, Any]:
        return effective(self.settings())

    @property
    def bell_on(self) -> bool:
        return bool(self.effective()["bell"] == "on")

    def note_setting(self, key: str, value: Any) -> None:
        """Change a setting in memory at once (the save follows in a worker)."""
        self._unsaved[key] = value

    def save_setting(self, key: str, value: Any) -> None:
        """*Worker*: save a setting."""
        self._store().set_setting(key, value)
        if self._unsaved.get(key, value) == value:
            self._unsaved.pop(key, None)

    # -- routines -----------------------------------------------------------------------
    def routines(self) -> dict[str, Routine]:
        from .routines import routines_from_setting

        return routines_from_setting(self.settings().get(ROUTINES_KEY), self.catalog)

    def note_routine(self, old_name: str | None, routine: Routine | None) -> None:
        """Change one routine in memory at once (the save follows in a worker)."""
        from .routines import change_routine

        current = self.settings().get(ROUTINES_KEY)
        self._unsaved[ROUTINES_KEY] = change_routine(current, old_name, routine)

    def save_routine(self, old_name: str | None, routine: Routine | None) -> None:
        """*Worker*: read-modify-write the one routine changed, under the history's lock,
        so another copy's routines saved meanwhile are kept."""
        from .routines import change_routine

        self._store().update_setting(ROUTINES_KEY, lambda current: change_routine(current, old_name, routine))
        self._unsaved.pop(ROUTINES_KEY, None)

    def default_routine(self) -> str:
        """The ``routine`` setting's routine when it exists, else ``daily``."""
        from .routines import DAILY

        name = self.effective()["routine"]
        return name if isinstance(name, str) and name in self.routines() else DAILY

    def routine_minutes(self) -> int:
        """Minutes of holding in the daily routine: what a backfilled day is logged as."""
        from .routines import daily_log_minutes

        return daily_log_minutes(self.settings(), self.catalog)

    # -- sessions -----------------------------------------------------------------------
    def sessions_on(self, day: date) -> list[SessionRecord]:
        """The day's sessions (the history is parsed the first time)."""
        if day not in self.digest.logged:
            return []
        return self._store().sessions_on(day)

    def day_view(self, day: date) -> DayView:
        """The day's sessions, check-ins and rest mark (the history may be parsed the first time)."""
        from .day_view import DayView

        return DayView(
            day, tuple(self.sessions_on(day)), tuple(self._store().checkins_on(day)), day in self.digest.rest
        )

    def set_session_note(self, session_id: str, note: str) -> None:
        """*Worker*: a session's note (empty text removes it); the store checks the note rule."""
        self._store().set_session_note(session_id, note)

    def delete_sessions(self, session_ids: tuple[str, ...]) -> int:
        """*Worker*: delete these sessions (each leaves a tombstone); all or nothing."""
        store = self._store()
        count = store.delete_sessions(session_ids)
        store.renew_digest()
        return count

    def save_session(self, record: SessionRecord) -> bool:
        """*Worker*: record a finished (or abandoned) session and forget its resume file.

        Returns whether another session counts for its day (then it set no new record).
        """
        from .resume import clear_if

        store = self._store()
        store.record_session(record)
        clear_if(self.data_dir, record.id)
        self.claim.release()
        store.renew_digest()
        return any(s.counts for s in store.sessions_on(record.date) if s.id != record.id)

    def progress_data(self) -> ProgressData:
        """*Worker*: what the Progress screen shows (the check-ins and measurements are read
        from the history, which may be parsed the first time)."""
        from .progress_view import ProgressData

        store = self._store()
        return ProgressData(
            today=self.today(),
            checkins=tuple(store.checkins()),
            measurements=tuple(store.measurements()),
            done_days=self.digest.done,
            week_start=first_weekday(self.effective()),
        )

    def save_checkin(self, day: date, answer: CheckInAnswer) -> CheckIn:
        """*Worker*: record the check-in for ``day`` (a later one on the same day replaces it).

        Raises :class:`~tui.core.checkins.InputError` (one line) for a day in the future.
        """
        from .checkins import new_checkin

        checkin = new_checkin(day, answer.pain, answer.stiffness, answer.note, self.wall_clock(), today=self.today())
        self._store().add_checkin(checkin)
        return checkin

    def mark_day(self, day: date) -> None:
        """*Worker*: log ``day`` as done with a manual session of the daily routine's length."""
        from .records import manual_session
        from .resume import checked

        now = self.wall_clock()
        record = manual_session(day, self.routine_minutes(), now, self.tz_name)
        record = checked(record)
        self._store().mark_day(record)

    def unmark_day(self, day: date) -> None:
        self._store().unmark_day(day)

    def set_rest_day(self, day: date, rest: bool) -> None:
        """*Worker*: mark or unmark a rest day; a mark is checked again against the history as
        the file holds it now (another copy or the shell may have changed it since the screen
        looked), with the rules of ``hamstring log --rest``."""
        store = self._store()
        if rest:
            from .rules_days import can_mark_rest
            from .store import StoreError

            today = self.today()
            sessions = store.sessions_on(day) if day <= today else []
            reason = can_mark_rest(day, today, sessions, store.rest_days(), self.effective()["rest-budget"])
            if reason is not None:
                raise StoreError(f"not marked: {reason}")
        store.set_rest_day(day, rest)
