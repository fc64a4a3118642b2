"""The settings dialog: the settings `hamstring config` knows, changed in place. Two are set
elsewhere: ``sync-dir`` (a path: `hamstring config sync-dir DIR`) and ``routine`` (the
Session screen's routine picker); a ``voice`` command shows as it is and can be set back
to on or off here.

A dropdown opens inside the dialog, in its row (not as an overlay drawn over the
dialog's border or off the screen); the dialog scrolls when that makes it taller
than the screen, and keeps the open list in view.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Select

from ..core.settings import SETTINGS, THEMES
from ..messages import SettingChanged
from ..widgets.text import inert

CHOICES: dict[str, list[tuple[str, Any]]] = {
    "day-start-hour": [("midnight" if h == 0 else f"{h:02d}:00", h) for h in range(7)],
    "week-start": [("Monday", "monday"), ("Sunday", "sunday")],
    "bell": [("on", "on"), ("off", "off")],
    "theme": [(name, name) for name in THEMES],
    "hold": [("each stretch's own", None)] + [(f"{s} s", s) for s in (15, 20, 30, 45, 60, 90, 120)],
    "transition": [(f"{s} s", s) for s in (0, 3, 5, 10, 15, 20, 30)],
    "lead-in-position": [(f"{s} s", s) for s in (0, 5, 10, 15, 20, 30)],
    "rest-budget": [(f"{n} in 7 days", n) for n in range(8)],
    "voice": [("off", "off"), ("on", "on")],
}
LABELS = {
    "day-start-hour": "A new day starts at",
    "week-start": "Weeks start on",
    "bell": "Bell cues",
    "theme": "Theme",
    "hold": "Hold every stretch",
    "transition": "Get ready / switch sides",
    "lead-in-position": "Into a new position",
    "rest-budget": "Rest days allowed",
    "voice": "Spoken cues",
}


class SettingsScreen(ModalScreen[None]):
    """Change settings; each change is saved at once (by the app, told with :class:`SettingChanged`)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "Select"  # the first setting, not the scrolling box (where arrows and enter do nothing)

    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.values = dict(values)  # the effective settings

    def compose(self) -> ComposeResult:
        values = self.values
        with VerticalScroll() as box:
            box.border_title = "Settings"
            box.border_subtitle = "escape closes"
            with Grid():
                for key in CHOICES:  # the dialog's order, the times together (sync-dir, routine: see above)
                    options: list[tuple[RenderableType, Any]] = [*CHOICES[key]]
                    value = values[key]
                    if value not in [v for _, v in options]:  # set with `hamstring config`
                        if isinstance(value, int):  # in its place among the numbers
                            at = next((i for i, (_, v) in enumerate(options) if isinstance(v, int) and v > value), None)
                            options.insert(len(options) if at is None else at, (f"{value} s", value))
                        else:
                            options.append((Text(inert(value)), value))  # never read as markup
                    yield Label(LABELS[key])
                    yield Select(options, value=value, allow_blank=False, id=f"setting-{key}", compact=True)

    def on_mount(self) -> None:
        for select in self.query(Select):
            self.watch(select, "expanded", partial(self._expanded, select), init=False)

    def _expanded(self, select: Select[Any], expanded: bool) -> None:
        if expanded:  # the open list in view (once laid out in its row), when the dialog scrolls
            self.call_after_refresh(self.call_after_refresh, select.scroll_visible, animate=False)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        key = (event.select.id or "").removeprefix("setting-")
        if key not in SETTINGS:
            return
        if event.value == self.values.get(key):
            return
        self.values[key] = event.value
        self.post_message(SettingChanged(key, event.value))
