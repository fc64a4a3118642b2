"""The keys dialog: what each key does here, and where the data lives."""

from __future__ import annotations

import textwrap
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..core.catalog import SAFETY_NOTE
from ..widgets.text import inert

NOTE_WIDTH = 60  # the safety note's lines, so the dialog wraps it instead of cutting it


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, description) for every key a user of ``screen`` should know about.

    The screen's own bindings (shown in the key bar or not) come first, then
    the keys it declares in ``EXTRA_KEYS`` (``(key, what)`` pairs for keys its
    widgets handle, such as the arrows), then the app's; system bindings are
    left out. A binding's tooltip, when it has one, is its longer description.
    """
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    app = screen.app
    own_keys = {
        key
        for binding in type(screen).__dict__.get("BINDINGS", [])
        for key in (binding.key if isinstance(binding, Binding) else binding[0]).split(",")
    }
    for node_is_screen in (True, False):
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if (active.node is screen) != node_is_screen or binding.system or not binding.description:
                continue
            if not (binding.show or (node_is_screen and key in own_keys)) or not active.enabled or key in seen:
                continue
            seen.add(key)
            rows.append((app.get_key_display(binding), binding.tooltip or binding.description))
        if node_is_screen:
            rows.extend((str(key), str(what)) for key, what in getattr(screen, "EXTRA_KEYS", ()))
    rows.append(("ctrl+p", "Command palette"))
    return rows


def keys_content(screen: Screen[object], history_path: Path, catalog_path: Path) -> Content:
    """The keys of ``screen`` (the one under the dialog), the safety note and where the data lives."""
    rows = screen_keys(screen)
    width = max(len(key) for key, _ in rows)
    lines = [Content.from_markup("[b $text-accent]Keys on this screen[/]")]
    for key, what in rows:
        lines.append(Content.from_markup("[b]$key[/]  $what", key=key.rjust(width), what=what))
    lines.append(Content(""))
    lines.append(Content.from_markup("[b $text-accent]Take care[/]"))
    lines.extend(Content(line) for line in textwrap.wrap(SAFETY_NOTE, NOTE_WIDTH))
    lines.append(Content(""))
    lines.append(Content.from_markup("[b $text-accent]Your data[/]"))
    labels = {"History": history_path, "Stretches": catalog_path}
    label_width = max(len(label) for label in labels)
    for label, path in labels.items():
        lines.append(
            Content.from_markup("$label [$text-muted]$path[/]", label=label.ljust(label_width), path=inert(path))
        )
    lines.append(Content.from_markup("[$text-muted]Move the history with --data-dir DIR or HAMSTRING_DATA_DIR.[/]"))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """A dialog listing the keys of the screen beneath it."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]
    CSS_PATH = "help.tcss"

    def __init__(self, under: Screen[object], history_path: Path, catalog_path: Path):
        super().__init__()
        self._content = keys_content(under, history_path, catalog_path)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape closes"
            yield Static(self._content, id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
