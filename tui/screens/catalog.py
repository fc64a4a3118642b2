"""The Catalog screen: the stretches, a filter, and a detail card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from ..core.catalog import Catalog, Stretch
from ..messages import ScreenShown, StartSession
from ..widgets import text
from ..widgets.key_bar import KeyBar
from ..widgets.stretch_detail import StretchDetail
from ..widgets.stretch_list import StretchList
from ..widgets.title_bar import TitleBar
from .mode_screen import ModeScreen

if TYPE_CHECKING:
    from textual.widgets import Input


def stretch_matches(stretch: Stretch, needle: str) -> bool:
    """Case-insensitive match of every word of ``needle`` against the stretch's facts."""
    haystack = " ".join((stretch.id, stretch.name, *stretch.targets, *stretch.equipment, stretch.sides_label)).lower()
    return all(word in haystack for word in needle.lower().split())


class CatalogScreen(ModeScreen):
    """Browse the stretches; start one, or the whole routine."""

    CSS_PATH = "catalog.tcss"
    #: The app's classes plus ``-xwide`` (the figure beside the facts) and ``-xtall`` (a larger figure).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide"), (140, "-xwide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall"), (28, "-xtall")]
    BINDINGS = [
        # A priority key: the app runs it as it reads it, so the keys typed just after it wait
        # and then go to the box (through the list, which had the focus as they came, a word
        # typed with "/" at once, or pasted, was lost, or its "s", "h", "q"... switched screens).
        Binding("slash", "filter", "Filter", priority=True),
        Binding("r", "start_routine", "Run routine", tooltip="Start the daily routine now"),
        Binding("escape", "clear_filter", "Clear filter"),  # shown while there is a filter (check_action)
        Binding("pagedown", "scroll_card(1)", "Scroll the card down", show=False, priority=True),
        Binding("pageup", "scroll_card(-1)", "Scroll the card up", show=False, priority=True),
    ]
    #: Keys the list handles, for the keys dialog (?).
    EXTRA_KEYS = (
        ("\u2191 \u2193", "Previous / next stretch (home, end: first, last)"),
        ("enter", "Start a session of just that stretch"),
    )

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        yield TitleBar(text.GLYPHS.icon)
        yield StretchList(id="stretch-list")
        yield StretchDetail(id="detail-pane")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"hamstring{text.GLYPHS.sep}Catalog"
        self._fill("")
        # Focused now, not after the first frame (Widget.focus waits for the next message):
        # that frame then shows the cursor and the list's keys, and is not restyled and drawn again.
        self.set_focus(self.query_one(StretchList))
        self.post_message(ScreenShown("catalog"))

    def _fill(self, needle: str) -> None:
        matches = [s for s in self.catalog if stretch_matches(s, needle)]
        glyphs = text.GLYPHS
        self.query_one(StretchList).show(
            matches, f"No stretch matches {glyphs.quote_open}{text.inert(needle)}{glyphs.quote_close}"
        )
        # The card now, not once the list's Highlighted message arrives: the first frame shows
        # it, and is not drawn a second time with it.
        self._show_card(matches[0] if matches else None)

    def _show_card(self, stretch: Stretch | None) -> None:
        self.query_one(StretchDetail).show(stretch)
        if stretch is not None:
            self.query_one("#detail-pane").scroll_home(animate=False)

    @on(StretchList.Highlighted, "#stretch-list")
    def _show_detail(self, event: StretchList.Highlighted) -> None:
        if event.stretch is not None and event.stretch is not self.query_one(StretchDetail).stretch:
            self._show_card(event.stretch)

    @on(StretchList.Selected, "#stretch-list")
    def _start_one(self, event: StretchList.Selected) -> None:
        self.post_message(StartSession((event.stretch.id,)))

    async def _filter_input(self) -> Input:
        """The filter box, mounted the first time it is wanted (it is rarely needed at start)."""
        from textual.widgets import Input

        for filter_input in self.query("#filter").results(Input):
            return filter_input
        filter_input = Input(placeholder="filter: name, muscle, equipment", id="filter")
        # On the screen, docked under the title (no container around the list: a frame draws
        # every line of every container), before the list in the focus order.
        await self.mount(filter_input, before=self.query_one(StretchList))
        return filter_input

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(StretchList).focus()

    async def action_filter(self) -> None:
        filter_input = await self._filter_input()
        filter_input.add_class("-active")
        # Focused now: Widget.focus would wait its turn behind the keys typed just after "/".
        self.set_focus(filter_input)

    def action_clear_filter(self) -> None:
        from textual.widgets import Input

        for filter_input in self.query("#filter").results(Input):
            if filter_input.value:
                filter_input.value = ""
                self._fill("")
            filter_input.remove_class("-active")
        self.query_one(StretchList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_box = self.focused is not None and self.focused.id == "filter"
        if action == "filter":  # in the box, "/" is typed
            return not in_box
        if action == "clear_filter":  # while the box is open or filters the list (the key bar says so)
            return in_box or any(box.has_class("-active") for box in self.query("#filter"))
        return True

    def action_scroll_card(self, direction: int) -> None:
        pane = self.query_one("#detail-pane", VerticalScroll)
        if direction > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    def action_start_routine(self) -> None:
        self.post_message(StartSession(None))
