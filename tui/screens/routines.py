"""Choosing and editing routines."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..core.catalog import Catalog
from ..core.routines import (
    DAILY,
    Routine,
    RoutineError,
    RoutineItem,
    check_name,
    setting_hold,
    summarize,
)
from ..core.service import HistoryService
from ..core.timer import HOLD_MAX_S, HOLD_MIN_S
from ..messages import HistoryChanged, RoutineChanged
from ..widgets import text
from ..widgets.key_bar import KeyBar
from .session_picker import RoutinePicker

__all__ = ["NamePrompt", "RoutineEditor", "RoutinePicker", "StretchPicker"]


class NamePrompt(ModalScreen[str | None]):
    """Ask for a routine name; validates and refuses names already used."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    CSS_PATH = "routines.tcss"

    def __init__(self, title: str, taken: set[str], initial: str = ""):
        super().__init__()
        self.title_text = title
        self.taken = taken
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = f"enter saves{text.GLYPHS.sep}escape cancels"
            yield Input(self.initial, placeholder="routine name", id="name")
            yield Static("", id="name-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            name = check_name(event.value)
        except RoutineError as error:
            self.query_one("#name-error", Static).update(str(error))
            return
        if name in self.taken:
            self.query_one("#name-error", Static).update(f"there is already a routine called {name!r}")
            return
        self.dismiss(name)


class RoutineEditor(ModalScreen[None]):
    """Create, rename, delete, reorder and edit routines; every change is saved at once."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("n", "new", "New"),
        Binding("c", "copy", "Copy"),
        Binding("r", "rename", "Rename"),
        Binding("d", "delete", "Delete"),
        Binding("a", "add", "Add stretch"),
        Binding("x", "remove", "Remove"),
        Binding("left_square_bracket", "move(-1)", "Up", key_display="["),
        Binding("right_square_bracket", "move(1)", "Down", key_display="]"),
        Binding("plus,equals_sign", "hold(5)", "+5s", key_display="+"),
        Binding("minus", "hold(-5)", "-5s", key_display="-"),
    ]
    CSS_PATH = "routines.tcss"

    def __init__(self, service: HistoryService) -> None:
        super().__init__()
        self.service = service
        self.catalog = service.catalog
        self.routines: dict[str, Routine] = {}
        self._items_of = ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Routines"
            with Horizontal():
                yield OptionList(id="routine-list")
                yield OptionList(id="item-list")
            yield Static(id="editor-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.routines = dict(self.service.routines())
        self._fill_routines(DAILY)
        self.query_one("#routine-list", OptionList).focus()

    @on(HistoryChanged)
    def _history_changed(self) -> None:
        """Saved (or another copy's routines arrived with the save): show what is stored."""
        routines = dict(self.service.routines())
        if routines == self.routines:
            return
        self.routines = routines
        item_index = self._item_index() or 0
        self._fill_routines(self.selected.name if self.selected.name in routines else DAILY)
        self._fill_items(item_index)

    # -- views ------------------------------------------------------------------------
    @property
    def selected(self) -> Routine:
        routine_list = self.query_one("#routine-list", OptionList)
        index = routine_list.highlighted or 0
        name = routine_list.get_option_at_index(index).id or DAILY
        return self.routines.get(name, self.routines[DAILY])

    def _fill_routines(self, select: str) -> None:
        routine_list = self.query_one("#routine-list", OptionList)
        routine_list.clear_options()
        for name, routine in self.routines.items():
            label = Content.from_markup(
                "$name[$text-muted]$builtin[/]", name=text.inert(name), builtin=" (built in)" if routine.builtin else ""
            )
            routine_list.add_option(Option(label, id=name))
        names = list(self.routines)
        routine_list.highlighted = names.index(select) if select in names else 0
        self._fill_items()

    def _fill_items(self, select: int = 0) -> None:
        routine = self.selected
        self._items_of = routine.name
        items = self.query_one("#item-list", OptionList)
        items.clear_options()
        default_hold = setting_hold(self.service.effective())  # the hold a session gives each (see hold_for)
        for number, item in enumerate(routine.items, start=1):
            stretch = self.catalog.get(item.stretch)
            name = text.inert(stretch.name if stretch else f"{item.stretch} (not in the catalog)")
            # A stretch no longer in the catalog is left out of a session: no hold to show.
            hold = f"{item.hold_for(stretch, default_hold)} s" if stretch else "left out"
            sides = " per leg" if stretch and stretch.one_sided else ""
            custom = "" if item.hold_s is None else " *"
            items.add_option(
                Option(
                    Content.from_markup(
                        "$n. $name [$text-muted]$hold$sides$custom[/]",
                        n=number,
                        name=name,
                        hold=hold,
                        sides=sides,
                        custom=custom,
                    )
                )
            )
        if routine.items:
            items.highlighted = max(0, min(select, len(routine.items) - 1))
        hint = (
            "The built-in routine cannot be changed: c copies it into a new one."
            if routine.builtin
            else f"{summarize(routine, self.catalog, self.service.effective()).describe(text.GLYPHS.dot)}"
            f"{text.GLYPHS.sep}* this routine's own hold{text.GLYPHS.sep}tab switches lists"
        )
        self.query_one("#editor-hint", Static).update(hint)

    @on(OptionList.OptionHighlighted, "#routine-list")
    def _routine_highlighted(self) -> None:
        if self.selected.name != self._items_of:  # a refill after a change keeps its own selection
            self._fill_items()

    # -- changes ------------------------------------------------------------------------
    def _editable(self) -> Routine | None:
        routine = self.selected
        if routine.builtin:
            self.notify("The daily routine is built in: press c to copy it, then edit the copy.", severity="warning")
            return None
        return routine

    def _save(self, old_name: str | None, routine: Routine | None, select: str, item_index: int = 0) -> None:
        """Show the change at once and ask the app to save this one routine."""
        self.post_message(RoutineChanged(old_name, routine))
        self._fill_routines(select)
        self._fill_items(item_index)

    def _set_items(self, routine: Routine, items: list[RoutineItem], item_index: int) -> None:
        changed = Routine(routine.name, tuple(items))
        self.routines[routine.name] = changed
        self._save(routine.name, changed, routine.name, item_index)

    def action_new(self) -> None:
        def named(name: str | None) -> None:
            if name:
                self.routines[name] = Routine(name, ())
                self._save(None, self.routines[name], name)

        self.app.push_screen(NamePrompt("New routine", set(self.routines)), named)

    def action_copy(self) -> None:
        source = self.selected

        def named(name: str | None) -> None:
            if name:
                self.routines[name] = Routine(name, source.items)
                self._save(None, self.routines[name], name)

        base = f"{source.name} copy"
        self.app.push_screen(NamePrompt(f"Copy of {source.name}", set(self.routines), base), named)

    def action_rename(self) -> None:
        routine = self._editable()
        if routine is None:
            return

        def named(name: str | None) -> None:
            if name:
                renamed = {}
                for key, existing in self.routines.items():
                    if key == routine.name:
                        renamed[name] = Routine(name, existing.items)
                    else:
                        renamed[key] = existing
                self.routines = renamed
                self._save(routine.name, renamed[name], name)

        self.app.push_screen(
            NamePrompt(f"Rename {routine.name}", set(self.routines) - {routine.name}, routine.name), named
        )

    def action_delete(self) -> None:
        routine = self._editable()
        if routine is None:
            return
        from .confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                del self.routines[routine.name]
                self._save(routine.name, None, DAILY)

        self.app.push_screen(
            ConfirmScreen(f"Delete the routine {routine.name!r}?", "Delete", "Keep", "Delete routine"), answered
        )

    def action_add(self) -> None:
        routine = self._editable()
        if routine is None:
            return

        def picked(stretch_id: str | None) -> None:
            if stretch_id:
                items = [*list(self.selected.items), RoutineItem(stretch_id)]
                self._set_items(self.selected, items, len(items) - 1)

        self.app.push_screen(StretchPicker(self.catalog), picked)

    def _item_index(self) -> int | None:
        items = self.query_one("#item-list", OptionList)
        return items.highlighted if items.option_count else None

    def action_remove(self) -> None:
        routine = self._editable()
        index = self._item_index()
        if routine is None or index is None:
            return
        items = list(routine.items)
        del items[index]
        self._set_items(routine, items, index)

    def action_move(self, offset: int) -> None:
        routine = self._editable()
        index = self._item_index()
        if routine is None or index is None or not 0 <= index + offset < len(routine.items):
            return
        items = list(routine.items)
        items[index], items[index + offset] = items[index + offset], items[index]
        self._set_items(routine, items, index + offset)

    def action_hold(self, delta: int) -> None:
        routine = self._editable()
        index = self._item_index()
        if routine is None or index is None:
            return
        item = routine.items[index]
        stretch = self.catalog.get(item.stretch)
        current = item.hold_s or (stretch.hold_s if stretch else 30)
        hold = max(max(HOLD_MIN_S, 5), min(HOLD_MAX_S, current + delta))
        items = list(routine.items)
        items[index] = RoutineItem(item.stretch, hold)
        self._set_items(routine, items, index)

    def action_close(self) -> None:
        self.dismiss(None)


class StretchPicker(ModalScreen[str | None]):
    """Pick a stretch from the catalog."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    CSS_PATH = "routines.tcss"

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Add a stretch"
            box.border_subtitle = f"enter adds{text.GLYPHS.sep}escape cancels"
            yield OptionList(*(Option(Content(text.inert(s.name)), id=s.id) for s in self.catalog))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
