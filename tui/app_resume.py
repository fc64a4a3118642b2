"""The app's side of an interrupted session: offer to resume it, or record it.

Only a session no other copy is running is offered (see
:meth:`HistoryService.find_interrupted`), at the start or, when the copy running it stopped
after this one started, before this one starts a session over it; a damaged ``current-session.json`` is
moved aside and said so once; "Discard" records what was held as abandoned,
unless the history already has that session (the copy that ran it saved it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from . import messages
from .app_writes import WritePath

if TYPE_CHECKING:
    from .core import resume
    from .screens.session import SessionScreen


class ResumeFlow(WritePath):
    """Mixed into :class:`tui.app.HamstringApp`."""

    resume_pending: bool
    resume_checked: bool

    def session_screen(self) -> SessionScreen | None:  # pragma: no cover - defined by the app
        raise NotImplementedError

    def check_interrupted(self) -> None:
        found = self.service.find_interrupted()
        if found.notice:
            self.tell(found.notice, "Interrupted session", "warning", timeout=20)
        interrupted = found.interrupted
        self.resume_pending = interrupted is not None and not interrupted.finished
        self.resume_checked = True
        if interrupted is None:
            return
        if interrupted.finished:
            self._settle(interrupted, complete=bool(interrupted.timer["complete"]))
            return

        def answered(resume_it: bool | None) -> None:
            self.resume_pending = False
            if resume_it:
                self.switch_mode("session")
                self.call_after_refresh(self._resume_into_screen, interrupted)
            else:
                self._settle(interrupted, complete=False)

        from .screens.confirm import ConfirmScreen  # only when there is a session to ask about

        self.push_screen(
            ConfirmScreen(
                f"hamstring stopped during {interrupted.describe()}. Resume it?",
                "Resume",
                "Discard",
                "Interrupted session",
            ),
            answered,
        )

    @on(messages.SessionLeftBehind)
    def _session_left_behind(self) -> None:
        """Another copy stopped during a session after this one started: offered now, as at a start."""
        self.check_interrupted()

    def _resume_into_screen(self, interrupted: resume.Interrupted) -> None:
        screen = self.session_screen()
        if screen is None:
            return
        try:
            screen.resume_interrupted(interrupted)
        except (KeyError, TypeError, ValueError):
            from .core.routines import KEEP_MIN_HELD_S

            self.tell(
                "The interrupted session could not be restored; what was held is kept as partial"
                f" (if {KEEP_MIN_HELD_S} s or more).",
                "",
                "warning",
            )
            self._settle(interrupted, complete=False)

    def _settle(self, interrupted: resume.Interrupted, complete: bool) -> None:
        """Record an interrupted session as it stood (abandoned unless it had finished)."""

        def done(written: bool) -> None:
            if written:
                self.tell("The interrupted session was saved to your history.", "History")

        self.write(lambda: self.service.settle_interrupted(interrupted, complete), "Interrupted session", then=done)
