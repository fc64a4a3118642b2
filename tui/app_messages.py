"""The app's answers to the screens' messages (attributes down, messages up).

Each message a screen posts (:mod:`tui.messages`) becomes one write on the app's
one write path (:mod:`tui.app_writes`), or a navigation step; the screens never
reach the service's writers themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from . import messages
from .app_writes import WritePath

if TYPE_CHECKING:
    from .screens.session import SessionScreen


class ScreenMessages(WritePath):
    """Mixed into :class:`tui.app.HamstringApp`."""

    def session_screen(self) -> SessionScreen | None:  # pragma: no cover - defined by the app
        raise NotImplementedError

    def start_session(self, stretch_ids: list[str] | None) -> None:  # pragma: no cover - defined by the app
        raise NotImplementedError

    def action_settings(self) -> None:  # pragma: no cover - defined by the app
        raise NotImplementedError

    @on(messages.StartSession)
    def _start_session(self, message: messages.StartSession) -> None:
        self.start_session(list(message.stretch_ids) if message.stretch_ids else None)

    @on(messages.SessionFinished)
    def _session_finished(self, message: messages.SessionFinished) -> None:
        record = message.record

        def saved(others_count: bool) -> None:
            screen = self.session_screen()
            if screen is not None:
                screen.session_saved(record, others_count)

        def failed(error: str) -> None:
            screen = self.session_screen()
            if screen is not None:
                screen.session_not_saved(record, error)

        self.write(lambda: self.service.save_session(record), "Session", then=saved, failed=failed)

    @on(messages.SettingChanged)
    def _setting_changed(self, message: messages.SettingChanged) -> None:
        self.change_setting(message.key, message.value)

    @on(messages.RoutineChanged)
    def _routine_changed(self, message: messages.RoutineChanged) -> None:
        old, routine = message.old_name, message.routine
        self.service.note_routine(old, routine)
        self.write(lambda: self.service.save_routine(old, routine), "Routine", shared=False)

    @on(messages.DayMarked)
    def _day_marked(self, message: messages.DayMarked) -> None:
        day = message.day
        if message.done:
            self.write(lambda: self.service.mark_day(day), "Day")
        else:
            self.write(lambda: self.service.unmark_day(day), "Day")

    @on(messages.RestDaySet)
    def _rest_day_set(self, message: messages.RestDaySet) -> None:
        day, rest = message.day, message.rest

        def done(_result: object) -> None:
            from .core.rules_days import rest_days_near

            if rest:
                budget = self.service.effective()["rest-budget"]
                count = rest_days_near(day, self.service.digest.rest) + 1
                self.tell(f"Marked {day:%a %d %b} as a rest day ({count} of {budget} in 7 days)", timeout=4)
            else:
                self.tell(f"{day:%a %d %b} is no longer a rest day", timeout=4)

        self.write(lambda: self.service.set_rest_day(day, rest), "Rest day", then=done)

    @on(messages.CheckInGiven)
    def _checkin_given(self, message: messages.CheckInGiven) -> None:
        day, answer = message.day, message.answer
        self.write(lambda: self.service.save_checkin(day, answer), "Check-in")

    @on(messages.OpenSettings)
    def _open_settings(self) -> None:
        self.action_settings()

    def change_setting(self, key: str, value: object) -> None:
        """Apply a setting at once (the next bell cue obeys it) and save it in the writer."""
        self.service.note_setting(key, value)
        if key == "theme" and value in self.available_themes:
            self.theme = str(value)
        self.history_changed()
        self.write(lambda: self.service.save_setting(key, value), "Setting", shared=False)

    @on(messages.SessionNoteSet)
    def _session_note_set(self, message: messages.SessionNoteSet) -> None:
        session_id, note = message.session_id, message.note
        self.write(lambda: self.service.set_session_note(session_id, note), "Note")

    @on(messages.SessionProgress)
    def _session_progress(self, message: messages.SessionProgress) -> None:
        m = message

        def saved(written: bool) -> None:
            screen = self.session_screen()
            if screen is not None:
                screen.progress_saved(written)
            if not m.keep:
                return
            if written:
                self.exit()  # kept: the next start offers it
                return
            screen = self.session_screen()
            if screen is not None:
                screen.not_kept()

        def failed(error: str) -> None:
            screen = self.session_screen()
            if screen is not None:
                screen.progress_not_saved(error)
                if m.keep:
                    screen.not_kept()

        self.write(
            lambda: self.service.save_progress(m.session_id, m.routine, m.started_at, m.day, m.snapshot),
            "Session progress",
            then=saved,
            failed=failed,
            quiet=True,
        )

    @on(messages.SessionEnded)
    def _session_ended(self, message: messages.SessionEnded) -> None:
        quit_after = message.quit

        def done(_result: object) -> None:
            if quit_after:
                self.exit()

        self.write(self.service.end_session, "Session", then=done, failed=lambda _error: done(None), quiet=True)
