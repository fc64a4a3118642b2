"""The Session screen's end: quitting during a session, judging it, saving it, the summary.

Mixed into :class:`tui.screens.session.SessionScreen`: a session that ends is
judged by :func:`tui.core.routines.judge` (counts for the day, kept as partial,
or not kept), then posted to the app to save; the app calls back
:meth:`SessionEnd.session_saved` or :meth:`SessionEnd.session_not_saved`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from textual.content import Content

from ..core.records import SessionRecord
from ..core.routines import Verdict, judge_timer
from ..core.service import HistoryService
from ..core.speech import cue_text
from ..core.streaks import stats_from_digest
from ..core.timer import Event, SessionTimer
from ..messages import CheckInGiven, SessionEnded, SessionFinished
from ..widgets import text
from . import session_text as words
from .mode_screen import ModeScreen
from .session_sound import SessionSound

if TYPE_CHECKING:
    from ..core.progress_view import CheckInAnswer


class SessionEnd(ModeScreen):
    """The end of a session (see the module docstring)."""

    service: HistoryService
    timer: SessionTimer | None
    sound: SessionSound
    summary: Content | None
    verdict: Verdict | None
    session_id: str
    started_at: datetime | None
    session_day: date | None
    _quit_after_save: bool
    _progress_failing = False  # the latest save of its progress (current-session.json) failed

    def _handle(self, events: list[Event]) -> None:  # pragma: no cover - defined by the screen
        raise NotImplementedError

    def _save_snapshot(self, keep: bool = False) -> None:  # pragma: no cover - defined by the screen
        raise NotImplementedError

    def _redraw(self) -> None:  # pragma: no cover - defined by the screen
        raise NotImplementedError

    # -- quitting -------------------------------------------------------------------------
    def ask_quit(self) -> None:
        """``q`` while a session runs (the app asks here): keep it for later, abandon it, or stay."""
        from .session_quit import QuitChoice, QuitSessionScreen

        def answered(choice: QuitChoice | None) -> None:
            timer = self.timer
            if timer is None or not timer.running:
                return
            if choice == "keep":
                self._save_snapshot(keep=True)  # paused; the app quits once it is kept
            elif choice == "abandon":
                self._quit_after_save = True
                self._handle(timer.abandon())

        self.app.push_screen(QuitSessionScreen(), answered)

    def not_kept(self) -> None:
        """Keep for later failed: only quit once it is kept, so the session goes on, paused."""
        self.notify(
            "This session cannot be kept for later (its progress is not saved here, "
            "another copy of hamstring may be running a session): abandon it or go on.",
            title="Not kept",
            severity="warning",
            markup=False,
        )

    @property
    def running(self) -> bool:
        return self.timer is not None and self.timer.running

    # -- the end ------------------------------------------------------------------------
    def _finished(self) -> None:
        assert self.timer is not None and self.started_at is not None and self.session_day is not None
        self.sub_title = None
        self.verdict = verdict = judge_timer(self.timer)
        self.refresh_bindings()
        if not verdict.keep:
            self.post_message(SessionEnded(quit=self._quit_after_save))  # its progress file goes
            self.summary = words.not_kept(verdict)
            self.notify(verdict.reason or "", title="Session not kept", markup=False)
            return
        steps = self.timer.step_records()
        self._save_snapshot()  # the finished state, until the history has it
        record = self.service.timed_record(self.session_id, self.session_day, self.started_at, steps, verdict.complete)
        self.summary = Content.from_markup(f"[b]Saving{text.GLYPHS.ellipsis}[/]")
        self.post_message(SessionFinished(record))

    def session_saved(self, record: SessionRecord, others_count: bool) -> None:
        """The app saved the session: show the summary (and say it)."""
        if record.id != self.session_id:
            return
        reached_end = self.timer is not None and self.timer.finished_complete
        today = self.service.today()
        self.summary = words.summary(record, self.service.digest, today, others_count, self.verdict, reached_end)
        if record.complete:
            self.notify("Session complete. Well done!", title="hamstring")
        elif reached_end:
            self.notify("Session over; kept as partial: it does not count for the day.", title="hamstring")
        else:
            self.notify("Session abandoned; what you held is saved.", title="hamstring")
        if reached_end and self.sound.speaking:
            streak = stats_from_digest(self.service.digest, today).current.length
            self.sound.cue([("done", cue_text("done", streak=streak))])
        self._redraw()
        self.refresh_bindings()
        if self._quit_after_save:
            self.app.exit()
        elif record.complete:
            self._ask_checkin(record)

    def _ask_checkin(self, record: SessionRecord) -> None:
        """After a session that counts: how is the back today? (escape skips)"""
        from .checkin import CheckInDialog

        def answered(answer: CheckInAnswer | None) -> None:
            if answer is not None:
                self.post_message(CheckInGiven(record.date, answer))

        self.app.push_screen(CheckInDialog(), answered)

    def progress_saved(self, written: bool) -> None:
        """The app saved its progress (``written``), or could not (another copy holds the claim)."""
        self._progress_failing = not written

    def session_not_saved(self, record: SessionRecord, error: str) -> None:
        """The save failed (the app told why): keep the snapshot and try again in 10 s. With no
        snapshot either (a data folder that cannot be written), say so and stay open."""
        if record.id != self.session_id:
            return
        kept = not self._progress_failing
        if self._quit_after_save and kept:  # the snapshot stays: the next start saves it
            self.app.exit()
            return
        self._quit_after_save = False  # quitting now would lose it: said, and q quits from here
        self.summary = words.not_saved(error, kept)
        self._redraw()
        self.set_timer(10, lambda: self.post_message(SessionFinished(record)))
