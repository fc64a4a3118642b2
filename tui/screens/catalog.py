"""The Catalog screen: the stretches, a filter, and a detail card."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList
from textual.widgets.option_list import Option

from ..core.catalog import Stretch
from ..widgets.stretch_detail import StretchDetail

if TYPE_CHECKING:
    from ..app import HamstringApp


def stretch_matches(stretch: Stretch, needle: str) -> bool:
    """Case-insensitive match of every word of ``needle`` against the stretch's facts."""
    haystack = " ".join((stretch.id, stretch.name, *stretch.targets, *stretch.equipment, stretch.sides_label)).lower()
    return all(word in haystack for word in needle.lower().split())


def stretch_option(stretch: Stretch) -> Option:
    sides = "1-sided" if stretch.one_sided else "2-sided"
    equipment = ", ".join(stretch.equipment) if stretch.equipment else "no equipment"
    prompt = Content.from_markup(
        "[b]$name[/]\n[$text-muted]$sides · $hold s · $equipment[/]",
        name=stretch.name,
        sides=sides,
        hold=stretch.hold_s,
        equipment=equipment,
    )
    return Option(prompt, id=stretch.id)


class CatalogScreen(Screen):
    """Browse the stretches; start one, or the whole routine."""

    CSS_PATH = "catalog.tcss"
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "start_routine", "Start routine"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    @property
    def happ(self) -> HamstringApp:
        return cast("HamstringApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalog-body"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="filter: name, muscle, equipment", id="filter")
                yield OptionList(id="stretch-list")
            with VerticalScroll(id="detail-pane"):
                yield StretchDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "hamstring · Catalog"
        self._fill("")
        self.query_one(OptionList).focus()
        self.happ.bench_mark("mounted:catalog")

    def _fill(self, needle: str) -> None:
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        matches = [s for s in self.happ.catalog if stretch_matches(s, needle)]
        if matches:
            option_list.add_options(stretch_option(s) for s in matches)
            option_list.highlighted = 0
        else:
            option_list.add_option(Option(Content.from_markup("[$text-muted]No stretch matches “$needle”[/]", needle=needle), disabled=True))
            self.query_one(StretchDetail).show(None)

    def _selected(self) -> Stretch | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        option = option_list.get_option_at_index(option_list.highlighted)
        return self.happ.catalog.get(option.id) if option.id else None

    @on(OptionList.OptionHighlighted, "#stretch-list")
    def _show_detail(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(StretchDetail).show(self.happ.catalog.get(event.option.id or ""))
        self.query_one("#detail-pane").scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#stretch-list")
    def _start_one(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.happ.start_session([event.option.id])

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(OptionList).focus()

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.add_class("-active")
        filter_input.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.value:
            filter_input.value = ""
        filter_input.remove_class("-active")
        self.query_one(OptionList).focus()

    def action_start_routine(self) -> None:
        self.happ.start_session(None)
