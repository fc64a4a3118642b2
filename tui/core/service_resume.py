"""The history service's side of the running session: its claim, ``current-session.json``
(resume) and the record of an interrupted one. See :mod:`tui.core.service`.

The resume and routine rules are imported when first used: none of them is needed to draw
the first screen, and their records cost start-up time to define.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import SessionRecord, StepRecord
    from .resume import Interrupted, Owner, Resumable, SessionClaim
    from .store import HistoryStore


class ResumeService:
    """Mixed into :class:`tui.core.service.HistoryService`."""

    data_dir: Path
    wall_clock: Callable[[], datetime]
    monotonic: Callable[[], float]
    _claim: SessionClaim | None = None
    _owner: Owner | None = None
    _not_left: frozenset[str | None] = frozenset()  # this copy's sessions, and those offered once (left_behind)

    @property
    def tz_name(self) -> str | None:  # pragma: no cover - defined by the service
        raise NotImplementedError

    def _store(self) -> HistoryStore:  # pragma: no cover - defined by the service
        raise NotImplementedError

    @property
    def claim(self) -> SessionClaim:
        """This copy's claim on the running session (``current-session.json``), made when first used."""
        if self._claim is None:
            from .resume import SessionClaim

            self._claim = SessionClaim(self.data_dir)
        return self._claim

    @property
    def owner(self) -> Owner:
        """Who writes ``current-session.json``: this process, with a random token."""
        if self._owner is None:
            from .resume import Owner

            self._owner = Owner(os.getpid(), os.urandom(16).hex())
        return self._owner

    def timed_record(
        self, session_id: str, day: date, started_at: datetime, steps: tuple[StepRecord, ...], complete: bool
    ) -> SessionRecord:
        from . import resume

        return resume.timed_record(session_id, day, started_at, self.wall_clock(), self.tz_name, steps, complete)

    def find_interrupted(self) -> Resumable:
        """At start: an interrupted session to offer, unless another copy is running it.

        Taking the claim here keeps other copies from offering it meanwhile; an
        unreadable file is moved aside (byte for byte) and said so once.
        """
        from . import resume
        from .resume import Resumable

        if self.claim.held or not self.claim.take():
            return Resumable()  # a session of this copy, or of another one still running

        try:
            found = resume.load(self.data_dir)
        except ValueError as error:
            aside = resume.set_aside(self.data_dir)
            where = f"it was moved to {aside}" if aside else "it could not be moved aside"
            self.claim.release()
            return Resumable(None, f"{error}; {where}")
        if found is None:
            self.claim.release()
        return Resumable(found)

    def begin_session(self) -> bool:
        """Claim the running session for this copy; False when another copy runs one
        (then this session's progress is not saved as it goes, only at the end)."""
        return self.claim.take()

    def left_behind(self) -> bool:
        """With the claim just taken for a new session: whether ``current-session.json`` holds a
        session that another copy left when it stopped. That copy held the claim when this one
        started, so nothing was offered then; the new session's progress would overwrite it, and
        what was held there would be lost. It is offered instead, as at a start (once: a file that
        cannot be cleared is not offered again; nor is one of this copy's own, whose end may not be
        written yet), and the claim let go for that offer to take.
        """
        from . import resume

        if not self.claim.held or not resume.path_in(self.data_dir).exists():
            return False
        try:
            found = resume.load(self.data_dir)
        except ValueError:
            found = None  # damaged: the offer sets it aside and says so
        key = None if found is None else found.session_id
        if key in self._not_left:
            return False
        self._not_left = self._not_left | {key}
        self.claim.release()
        return True

    def save_progress(
        self, session_id: str, routine: str, started_at: datetime, day: date, timer: dict[str, Any]
    ) -> bool:
        """Write ``current-session.json`` (only while this copy holds the claim); returns
        whether it was written.

        Raises ``OSError`` or ``ValueError`` with a one-line message when it cannot.
        """
        if not self.claim.held:
            return False
        from . import resume

        self._not_left = self._not_left | {session_id}  # this copy's own: never offered as left behind
        resume.save(self.data_dir, session_id, routine, started_at, self.tz_name, day, timer, self.owner)
        return True

    def end_session(self) -> None:
        """The session ended without a record to save (nothing was held)."""
        from . import resume

        resume.clear(self.data_dir)
        self.claim.release()

    def restore_timer(self, interrupted: Interrupted) -> Any:
        from .timer import SessionTimer

        return SessionTimer.restore(interrupted.timer, self.monotonic)

    def settle_interrupted(self, interrupted: Interrupted, complete: bool) -> bool:
        """*Worker*: record an interrupted session as it stood (abandoned unless it had
        finished), judged by :func:`tui.core.routines.judge` (an abandoned one with under
        10 s held is not kept); returns whether anything was written.

        A record of the same session already in the history is never overwritten by
        this one: it was saved by the copy that ran the session to its end.
        """
        from . import resume
        from .routines import judge

        keep = True
        try:
            timer = self.restore_timer(interrupted)
            if timer.running:
                timer.abandon()  # settles the hold that was under way
            steps = timer.step_records()
            verdict = judge(complete, timer.held_seconds(), timer.planned_hold_seconds())
            complete, keep = verdict.complete, verdict.keep
        except (KeyError, TypeError, ValueError):
            steps = ()
        store = self._store()
        written = False
        if steps and keep and store.get_session(interrupted.session_id) is None:
            record = resume.record_from(interrupted, steps, self.wall_clock(), complete)
            store.record_session(record)
            store.renew_digest()
            written = True
        resume.clear_if(self.data_dir, interrupted.session_id)
        self.claim.release()
        return written
