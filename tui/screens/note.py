"""A one-line note on a session (what felt tight, why it was cut short): a small dialog."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static

from ..widgets import text

NOTE_MAX = 500


class _NoteRule(Validator):
    def validate(self, value: str) -> ValidationResult:
        from ..core.checkins import check_note
        from ..core.records import RecordError

        try:
            check_note(value)
        except RecordError as error:
            return self.failure(error.problem)
        return self.success()


class NoteDialog(ModalScreen[str | None]):
    """Edit a note: ``enter`` saves (empty removes it), ``escape`` leaves it as it was."""

    CSS_PATH = "note.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, note: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = text.inert(self.title_text)
            box.border_subtitle = "enter saves, escape cancels"
            yield Input(
                self.note, placeholder="what felt tight, why it was cut short", id="note", validators=[_NoteRule()]
            )
            yield Static(id="note-error", markup=False)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        problem = (
            ""
            if event.validation_result is None or event.validation_result.is_valid
            else event.validation_result.failure_descriptions[0]
        )
        self.query_one("#note-error", Static).update(problem)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.validation_result is not None and not event.validation_result.is_valid:
            return  # the line under the field says why
        self.dismiss(event.value.strip())
