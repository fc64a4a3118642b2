"""One day in detail: its sessions (each can be deleted, after a question), its
check-ins and session notes (shown as inert text), and its rest mark (``r`` removes it).

The changes go up as messages (:class:`SessionsDeleted`, :class:`RestDaySet`);
the app saves them through its one write path and posts :class:`HistoryChanged`,
on which this dialog reads the day again in a worker thread (never on the UI
thread, which must not wait for the history's lock).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..core.catalog import Catalog
from ..core.records import SessionRecord
from ..core.text import format_minutes
from ..messages import CheckInGiven, HistoryChanged, RestDaySet, SessionNoteSet, SessionsDeleted
from ..widgets import text

if TYPE_CHECKING:
    from ..core.checkins import CheckIn
    from ..core.day_view import DayView

SIDE_SHORT = {"left": "L", "right": "R", "both": ""}


def session_lines(session: SessionRecord, catalog: Catalog) -> list[Content]:
    state = "complete" if session.complete else "partial"
    if session.complete and not session.counts:
        state = "complete, every hold skipped"
    minutes = session.duration_s / 60
    dot = text.GLYPHS.dot
    head = Content.from_markup(
        f"[b]$time[/] $source {dot} $state {dot} $held held[$text-muted]$counts[/]",
        time=f"{session.started_at:%H:%M}",
        source=text.inert(session.source),
        state=state,
        held=f"{int(session.duration_s // 60)}:{session.duration_s % 60:02d}" if minutes < 60 else f"{minutes:.0f} min",
        counts="" if session.counts else f" {dot} does not count",
    )
    lines = [head]
    if session.note:
        lines.append(Content.from_markup("   [i]$note[/]", note=text.inert(session.note)))
    for step in session.steps:
        stretch = catalog.get(step.stretch)
        name = text.inert(stretch.name if stretch else step.stretch)
        side = SIDE_SHORT.get(step.side, "?")
        lines.append(
            Content.from_markup(
                "   $name$side [$text-muted]$held s$skipped[/]",
                name=name,
                side=f" ({side})" if side else "",
                held=step.held_s,
                skipped=f" {dot} skipped" if step.skipped else "",
            )
        )
    return lines


def checkin_line(checkin: CheckIn) -> Content:
    """One check-in: pain, stiffness and the note (inert text)."""
    dot = text.GLYPHS.dot
    stiffness = f" {dot} stiffness {checkin.stiffness}/10" if checkin.stiffness is not None else ""
    return Content.from_markup(
        f"[$text-secondary]Check-in[/] $time {dot} pain $pain/10$stiffness$note",
        time=f"{checkin.recorded_at:%H:%M}",
        pain=checkin.pain,
        stiffness=stiffness,
        note=f" {dot} {text.inert(checkin.note)}" if checkin.note else "",
    )


class DayDetail(ModalScreen[None]):
    """The day's sessions (complete, abandoned and manual ones), check-ins and rest mark."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("enter", "dismiss(None)", "Close", show=False),
        Binding("d,delete", "delete", "Delete session", tooltip="Delete the highlighted session (asks first)"),
        Binding("r", "unrest", "Remove rest mark"),
        Binding("c", "checkin", "Check-in", tooltip="Give (or replace) this day's check-in"),
        Binding("n", "note", "Note", tooltip="Write, change or remove the highlighted session's note"),
    ]
    CSS_PATH = "day_detail.tcss"

    def __init__(
        self,
        day: date,
        sessions: Sequence[SessionRecord],
        rest: bool,
        catalog: Catalog,
        loader: Callable[[date], DayView] | None = None,
    ):
        super().__init__()
        self.day = day
        self.sessions = tuple(sessions)
        self.checkins: tuple[CheckIn, ...] = ()
        self.rest = rest
        self.catalog = catalog
        self.loader = loader  # reads the day again (check-ins too), in a worker thread

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"{self.day:%A %d %B %Y}"
            box.border_subtitle = "d delete, n note, c check-in, escape closes"
            yield Static(id="day-notes")
            yield OptionList(id="day-sessions")

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()
        self._load()

    @on(HistoryChanged)
    def _history_changed(self) -> None:
        self._load()

    def _load(self) -> None:
        if self.loader is not None:
            self._read_day()

    @work(thread=True, exclusive=True, group="day-detail", exit_on_error=False)
    def _read_day(self) -> None:
        from ..core.service import NotReady
        from ..core.store import StoreError

        assert self.loader is not None
        try:
            view = self.loader(self.day)
        except (StoreError, NotReady) as error:
            self.app.call_from_thread(self.notify, text.inert(error), title="History", severity="error", markup=False)
            return
        self.app.call_from_thread(self.show_view, view)

    def show_view(self, view: DayView) -> None:
        """Show the day as read again (after a change, or with its check-ins)."""
        self.sessions, self.checkins, self.rest = view.sessions, view.checkins, view.rest
        if self.is_mounted:
            self._show()

    @property
    def body(self) -> Content:
        """Everything shown, as one text (for the tests)."""
        return Content("\n").join([*self._notes(), *(line for s in self.sessions for line in self._lines(s))])

    def _lines(self, session: SessionRecord) -> list[Content]:
        return session_lines(session, self.catalog)

    def _notes(self) -> list[Content]:
        lines: list[Content] = []
        if self.rest:
            lines.append(Content.from_markup("[$text-secondary]A planned rest day[/] [$text-muted](r removes it)[/]"))
        lines.extend(checkin_line(checkin) for checkin in self.checkins)
        if not self.sessions:
            lines.append(Content.from_markup("[$text-muted]No sessions on this day.[/]"))
        return lines

    def _show(self) -> None:
        notes = self._notes()
        notes_widget = self.query_one("#day-notes", Static)
        notes_widget.update(Content("\n").join(notes))
        notes_widget.display = bool(notes)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.set_options(Option(Content("\n").join(self._lines(s)), id=s.id) for s in self.sessions)
        options.display = bool(self.sessions)
        if self.sessions:
            options.highlighted = min(highlighted or 0, len(self.sessions) - 1)

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.dismiss(None)  # enter closes, as it did before sessions could be picked

    def _highlighted(self) -> SessionRecord | None:
        index = self.query_one(OptionList).highlighted
        return self.sessions[index] if index is not None and 0 <= index < len(self.sessions) else None

    def action_delete(self) -> None:
        """Delete the highlighted session, once the question is answered yes."""
        from .confirm import ConfirmScreen

        session = self._highlighted()
        if session is None:
            self.notify("No session to delete on this day.", timeout=3)
            return
        dot = text.GLYPHS.dot
        what = f"{session.started_at:%H:%M} {session.source} session ({format_minutes(session.duration_s)} {dot} "
        what += "complete)" if session.complete else "partial)"
        question = f"Delete the {what} of {self.day:%a %d %b %Y}? It does not come back, from a sync or an import."

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(SessionsDeleted((session.id,)))

        self.app.push_screen(ConfirmScreen(question, "Delete", "Keep", "Delete session"), answered)

    def action_unrest(self) -> None:
        if not self.rest:
            self.notify("This day is not a rest day.", timeout=3)
            return
        self.post_message(RestDaySet(self.day, False))

    def action_checkin(self) -> None:
        """This day's check-in (a later one replaces it), from the same dialog as after a session."""
        from ..core.progress_view import CheckInAnswer
        from .checkin import CheckInDialog

        def answered(answer: CheckInAnswer | None) -> None:
            if answer is not None:
                self.post_message(CheckInGiven(self.day, answer))

        self.app.push_screen(CheckInDialog(title=f"Check-in for {self.day:%a %d %b %Y}"), answered)

    def action_note(self) -> None:
        """The highlighted session's note: write, change or (empty) remove it."""
        from .note import NoteDialog

        session = self._highlighted()
        if session is None:
            self.notify("No session on this day to write a note on.", timeout=3)
            return

        def answered(note: str | None) -> None:
            if note is not None:
                self.post_message(SessionNoteSet(session.id, note))

        self.app.push_screen(NoteDialog(f"Note on the {session.started_at:%H:%M} session", session.note), answered)
