"""The check-in dialog: back pain 0 to 10 in one key, optional stiffness and note.

Keyboard first: ``0``..``9`` (and ``t`` for 10) choose the pain; ``s`` then a
number chooses the stiffness (``backspace`` there clears it); ``tab`` goes to
the one-line note (up to 500 characters: a longer one, typed or pasted, is
kept and said so until it is shortened, never cut); ``enter`` saves; ``escape`` leaves the note, or skips the
check-in. It dismisses with a :class:`~tui.core.progress_view.CheckInAnswer`,
or None when skipped; the caller saves the answer.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static

from ..core.checkins import PAIN_MAX, check_note
from ..core.progress_view import CheckInAnswer
from ..core.records import RecordError
from ..widgets import text

SCORE_KEYS = {str(n): n for n in range(10)} | {"t": PAIN_MAX}


class NoteValidator(Validator):
    """A note hamstring can store: what :func:`tui.core.checkins.check_note` accepts."""

    def validate(self, value: str) -> ValidationResult:
        try:
            check_note(value)
        except RecordError as error:
            return self.failure(f"{error.field} {error.problem}")
        return self.success()


def score_row(chosen: int | None, active: bool) -> Content:
    """The numbers 0 to 10 in one line, the chosen one marked."""
    parts: list[Content] = []
    for number in range(PAIN_MAX + 1):
        cell = f"{number:>2} "
        if number == chosen:
            parts.append(Content.styled(cell, "bold reverse $accent" if active else "bold reverse"))
        else:
            parts.append(Content.styled(cell, "$text" if active else "$text-muted"))
    return Content("").join(parts)


class CheckInDialog(ModalScreen[CheckInAnswer | None]):
    """How is your back? Pain in one key, then enter; escape skips."""

    AUTO_FOCUS = ""  # the number keys work at once; tab goes to the note
    BINDINGS = [
        *(Binding(key, f"score({value})", "Pain", show=False) for key, value in SCORE_KEYS.items()),
        Binding("s", "stiffness", "Stiffness"),
        Binding("backspace", "clear", "Clear", show=False),
        Binding("enter", "save", "Save"),
        Binding("escape", "skip", "Skip"),
    ]
    CSS_PATH = "checkin.tcss"

    def __init__(self, title: str = "Check-in: how is your back today?") -> None:
        super().__init__()
        self.title_text = title
        self.pain: int | None = None
        self.stiffness: int | None = None
        self.choosing_stiffness = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = text.inert(self.title_text)
            yield Static(id="pain-line")
            yield Static(id="stiffness-line")
            yield Static(id="scores")
            yield Input(
                placeholder="Note (optional): what felt tight",
                validators=[NoteValidator()],
                validate_on=["changed", "submitted"],
                valid_empty=True,
                compact=True,
                id="note",
            )
            yield Static(id="error", markup=False)
            dot = text.GLYPHS.dot
            yield Static(
                f"0-9 pain, t 10 {dot} s stiffness {dot} tab note\nenter save {dot} escape skip",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._show()

    # -- showing -------------------------------------------------------------------------
    def _show(self) -> None:
        pain = (
            Content.styled(str(self.pain), "bold $text-accent")
            if self.pain is not None
            else Content.styled("choose 0 to 10", "$text-muted")
        )
        self.query_one("#pain-line", Static).update(Content.styled("Back pain  ", "bold") + pain)
        if self.choosing_stiffness:
            stiffness = Content.styled("choose 0 to 10 (backspace clears)", "$text-warning")
        elif self.stiffness is not None:
            stiffness = Content.styled(str(self.stiffness), "bold $text-accent")
        else:
            stiffness = Content.styled("not given (s)", "$text-muted")
        self.query_one("#stiffness-line", Static).update(Content.styled("Stiffness  ", "bold") + stiffness)
        chosen = self.stiffness if self.choosing_stiffness else self.pain
        self.query_one("#scores", Static).update(score_row(chosen, True))

    def _error(self, message: str | None) -> None:
        self.set_class(message is not None, "-error")
        self.query_one("#error", Static).update(text.inert(message or ""))

    # -- keys ----------------------------------------------------------------------------
    def action_score(self, value: int) -> None:
        if self.choosing_stiffness:
            self.stiffness = value
            self.choosing_stiffness = False
        else:
            self.pain = value
        self._error(None)
        self._show()

    def action_stiffness(self) -> None:
        self.choosing_stiffness = not self.choosing_stiffness
        self._show()

    def action_clear(self) -> None:
        if self.choosing_stiffness:
            self.stiffness = None
            self.choosing_stiffness = False
            self._show()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        self._error(None if result is None or result.is_valid else "; ".join(result.failure_descriptions))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.pain is None:
            self._error("Choose the back pain first: 0 to 9, or t for 10.")
            return
        try:
            note = check_note(self.query_one(Input).value) or None
        except RecordError as error:
            self._error(f"{error.field} {error.problem}")
            return
        self.dismiss(CheckInAnswer(self.pain, self.stiffness, note))

    def action_skip(self) -> None:
        if self.choosing_stiffness:
            self.choosing_stiffness = False
            self._show()
        elif isinstance(self.focused, Input):
            self.set_focus(None)  # back to the number keys; the note stays
        else:
            self.dismiss(None)
