"""The list of stretches on the Catalog: one widget, drawn line by line.

Two lines per stretch (its name, then sides, hold and equipment), a cursor
that follows the arrow keys, ``enter`` or a click to choose. It replaces an
``OptionList``, which builds far more machinery than seven entries need.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core.catalog import Stretch
from . import text as glyph_table
from .text import inert

LINES_PER_ENTRY = 2


def facts_line(stretch: Stretch) -> str:
    """``each leg · 30 s · strap`` (the card's wording: one leg then the other, or both legs at once)."""
    equipment = ", ".join(stretch.equipment) if stretch.equipment else "no equipment"
    return inert(glyph_table.GLYPHS.sep.join((stretch.sides_label, f"{stretch.hold_s} s", equipment)))


class _StretchMessage(Message):
    def __init__(self, stretch_list: StretchList, stretch: Stretch | None) -> None:
        super().__init__()
        self.stretch_list = stretch_list
        self.stretch = stretch

    @property
    def control(self) -> StretchList:
        return self.stretch_list


class StretchList(ScrollView, can_focus=True):
    """Stretches to choose from; posts :class:`Highlighted` and :class:`Selected`."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Start it", show=False),
    ]
    COMPONENT_CLASSES = {"stretch-list--name", "stretch-list--facts", "stretch-list--cursor", "stretch-list--empty"}

    highlighted: reactive[int | None] = reactive(None)

    class Highlighted(_StretchMessage):
        """The cursor moved to ``stretch`` (None: the list is empty)."""

    class Selected(_StretchMessage):
        """``stretch`` was chosen (``enter`` or a click)."""

        stretch: Stretch

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stretches: list[Stretch] = []
        self.empty_message = ""
        self._blank_style = Style()

    # -- content ---------------------------------------------------------------------
    def show(self, stretches: Sequence[Stretch], empty_message: str = "") -> None:
        """Show these stretches (the first highlighted), or ``empty_message`` when none."""
        self.stretches = list(stretches)
        self.empty_message = empty_message
        # No width: each line is cut to the widget's own (so never a horizontal scroll), and a
        # width taken from the size would change (and redraw the list) at its first resize.
        self.virtual_size = Size(0, max(1, len(self.stretches) * LINES_PER_ENTRY))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.set_reactive(StretchList.highlighted, None)
        self.highlighted = 0 if self.stretches else None
        self.refresh()

    @property
    def ids(self) -> list[str]:
        return [stretch.id for stretch in self.stretches]

    @property
    def current(self) -> Stretch | None:
        index = self.highlighted
        return self.stretches[index] if index is not None and 0 <= index < len(self.stretches) else None

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        if new is not None:
            self.scroll_to_region(Region(0, new * LINES_PER_ENTRY, 1, LINES_PER_ENTRY), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    # -- drawing ----------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The list's own style once a frame, not once for each empty line below the entries
        # (Textual works it out afresh from every ancestor each time it is asked).
        self._blank_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        room = self.scrollable_size.width  # the scrollbar, when there is one, covers the rest
        line = y + self.scroll_offset.y
        if not self.stretches:
            text = f" {self.empty_message}" if line == 0 else ""
            return Strip([Segment(text[:room].ljust(width), self.get_component_rich_style("stretch-list--empty"))])
        index, row = divmod(line, LINES_PER_ENTRY)
        if index >= len(self.stretches):
            return Strip.blank(width, self._blank_style)
        stretch = self.stretches[index]
        if row == 0:
            text, style = f" {inert(stretch.name)}", self.get_component_rich_style("stretch-list--name")
        else:
            text, style = f" {facts_line(stretch)}", self.get_component_rich_style("stretch-list--facts")
        if len(text) > room:
            ellipsis = glyph_table.GLYPHS.ellipsis
            text = text[: max(0, room - len(ellipsis))] + ellipsis
        if index == self.highlighted:
            style = style + self.get_component_rich_style("stretch-list--cursor")
        return Strip([Segment(text.ljust(width), style)], width)

    # -- keys and mouse -----------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.stretches:
            current = self.highlighted if self.highlighted is not None else -1 if step > 0 else len(self.stretches)
            self.highlighted = min(max(current + step, 0), len(self.stretches) - 1)

    def action_first(self) -> None:
        if self.stretches:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.stretches:
            self.highlighted = len(self.stretches) - 1

    def action_select(self) -> None:
        stretch = self.current
        if stretch is not None:
            self.post_message(self.Selected(self, stretch))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // LINES_PER_ENTRY
        if 0 <= index < len(self.stretches):
            self.highlighted = index
            self.action_select()
