"""Choosing the routine to run, and the default one (the ``routine`` setting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.catalog import Catalog
from ..core.routines import DAILY, Routine, summarize
from ..messages import SettingChanged
from ..widgets import text


class RoutinePicker(ModalScreen[str | None]):
    """Pick the routine to run; ``d`` makes the highlighted one the default (the ``routine`` setting)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("d", "make_default", "Make default")]
    CSS_PATH = "session_picker.tcss"

    def __init__(
        self,
        routines: Mapping[str, Routine],
        current: str,
        catalog: Catalog,
        settings: Mapping[str, Any] | None = None,
        default: str = DAILY,
    ):
        super().__init__()
        self.routines = dict(routines)
        self.current = current
        self.catalog = catalog
        self.settings = dict(settings or {})
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Choose a routine"
            box.border_subtitle = f"enter picks{text.GLYPHS.sep}d makes default{text.GLYPHS.sep}escape cancels"
            yield OptionList(id="routine-choices")

    def _label(self, name: str, routine: Routine) -> Content:
        dot = text.GLYPHS.dot
        marks = [" built in"] if routine.builtin else []
        if name == self.default:
            marks.append(" default")
        return Content.from_markup(
            "[b]$name[/] [$text-muted]$counts$marks[/]",
            name=text.inert(name),
            counts=summarize(routine, self.catalog, self.settings).describe(dot),
            marks="".join(f" {dot}{mark}" for mark in marks),
        )

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        for name, routine in self.routines.items():
            choices.add_option(Option(self._label(name, routine), id=name))
        names = list(self.routines)
        choices.highlighted = names.index(self.current) if self.current in names else 0
        choices.focus()

    def action_make_default(self) -> None:
        choices = self.query_one(OptionList)
        if choices.highlighted is None:
            return
        name = choices.get_option_at_index(choices.highlighted).id
        if name is None or name == self.default:
            return
        self.default = name
        self.post_message(SettingChanged("routine", name))
        for index, (each, routine) in enumerate(self.routines.items()):
            choices.replace_option_prompt_at_index(index, self._label(each, routine))
        self.notify(f"Default routine: {text.inert(name)} (s on the Catalog starts it)", markup=False, timeout=4)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
