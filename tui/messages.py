"""What the screens tell the app, and what the app tells the screens.

Attributes down, messages up: a screen gets the history service (or just the
catalog) when it is made and reads from it; it never calls into the app. To
change something it posts one of these messages, which bubble up to the app;
the app saves through its one write path and then posts :class:`HistoryChanged`
to its screens.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from .core.progress_view import CheckInAnswer
    from .core.records import SessionRecord
    from .core.routines import Routine


class ScreenShown(Message):
    """A top-level screen mounted; its first frame is next."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class SessionStarted(Message):
    """The timer started a session."""


class StartSession(Message):
    """Open the Session screen and start these stretches (None: the daily routine)."""

    def __init__(self, stretch_ids: tuple[str, ...] | None) -> None:
        super().__init__()
        self.stretch_ids = stretch_ids


class SessionLeftBehind(Message):
    """A session was about to start over one another copy left when it stopped (see
    :meth:`HistoryService.left_behind`): offer that one first, as at a start."""


class SessionProgress(Message):
    """Save the running session's progress (``current-session.json``); with ``keep``, quit
    once it is saved (the next start offers it)."""

    def __init__(
        self,
        session_id: str,
        routine: str,
        started_at: datetime,
        day: date,
        snapshot: dict[str, Any],
        keep: bool = False,
    ) -> None:
        super().__init__()
        self.session_id = session_id
        self.routine = routine
        self.started_at = started_at
        self.day = day
        self.snapshot = snapshot
        self.keep = keep


class SessionEnded(Message):
    """The running session ended with nothing to save: its progress file goes; with ``quit``, then quit."""

    def __init__(self, quit: bool = False) -> None:
        super().__init__()
        self.quit = quit


class SessionFinished(Message):
    """A session ended (complete or abandoned): save it."""

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record


class SettingChanged(Message):
    """Save this setting (it applies at once)."""

    def __init__(self, key: str, value: Any) -> None:
        super().__init__()
        self.key = key
        self.value = value


class RoutineChanged(Message):
    """Save one routine: ``old_name`` as it was (None: new), ``routine`` as it is (None: deleted)."""

    def __init__(self, old_name: str | None, routine: Routine | None) -> None:
        super().__init__()
        self.old_name = old_name
        self.routine = routine


class DayMarked(Message):
    """Log a past day as done by hand (``done``), or remove its manual log."""

    def __init__(self, day: date, done: bool) -> None:
        super().__init__()
        self.day = day
        self.done = done


class RestDaySet(Message):
    """Make a day a planned rest day, or not."""

    def __init__(self, day: date, rest: bool) -> None:
        super().__init__()
        self.day = day
        self.rest = rest


class SessionsDeleted(Message):
    """Delete these sessions (each leaves a tombstone, so no sync or import brings it back)."""

    def __init__(self, session_ids: tuple[str, ...]) -> None:
        super().__init__()
        self.session_ids = session_ids


class SessionNoteSet(Message):
    """Set (or, with empty text, remove) a session's note."""

    def __init__(self, session_id: str, note: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.note = note


class CheckInGiven(Message):
    """Save this check-in for ``day`` (the answer of the check-in dialog)."""

    def __init__(self, day: date, answer: CheckInAnswer) -> None:
        super().__init__()
        self.day = day
        self.answer = answer


class OpenSettings(Message):
    """Show the settings dialog."""


class HistoryChanged(Message, bubble=False):
    """Posted by the app to its screens: the history, settings or today changed."""
