"""A one-line bar of the keys that work right now, drawn by a single widget.

Textual's ``Footer`` mounts a widget per key; on a screen that shows eight
keys that is most of the cost of its first frame. This bar draws the same
information (shown bindings of the focused widget, its screen and the app,
disabled ones dimmed, the command palette key on the right) as one line, and
a click on a key presses it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from . import text

#: Keys the bar always shows (with the command palette's): the one that lists all the others.
PINNED_KEYS = frozenset({"question_mark"})
#: Below this width the palette's key shows without its description.
COMPACT_BELOW = 60
#: Flags of a piece of the bar: a key that does not work now, the key under the mouse.
DIM, HOVER = 1, 2
_DIM, _REVERSE = Style(dim=True), Style(reverse=True)


class KeyBar(Widget, can_focus=False):
    """The keys of the focused widget, its screen and the app, in one line."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--bar { color: $foreground 20%; }
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--bar"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._spans: list[tuple[int, int, str, bool]] = []  # start, end, key, enabled
        self._hover: int | None = None
        self._shown: tuple[object, ...] | None = None  # keys() as last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Textual tells this after every focus change, even when the keys shown stay the same
        # (the first frame's focus, for one): drawn again only when they differ.
        if screen is self.screen and self.keys() != self._shown:
            self.refresh()

    def keys(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str, bool] | None]:
        """The shown bindings, one per action, as ``(key, key display, description,
        enabled)``, and the command palette's key apart (or None).

        The order is the priority: the focused widget's keys, then the screen's
        (in the order of its ``BINDINGS``), then the app's.
        """
        app = self.app
        seen: set[str] = set()
        shown = []
        palette = None
        for binding_state in self.screen.active_bindings.values():
            binding, enabled = binding_state.binding, binding_state.enabled
            if binding.key == app.COMMAND_PALETTE_BINDING:
                if app.ENABLE_COMMAND_PALETTE:
                    palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        return shown, palette

    def fitting(self, keys: list[tuple[str, str, str, bool]], room: int) -> list[int]:
        """The indexes of the keys shown in ``room`` cells: the help key (``?``) always,
        the others by priority (the first ones), dropping the lowest first."""
        widths = [len(display) + len(description) + 3 for _key, display, description, _enabled in keys]
        pinned = [i for i, (key, *_rest) in enumerate(keys) if key in PINNED_KEYS]
        chosen = set(pinned)
        used = sum(widths[i] for i in pinned)
        for index, width in enumerate(widths):
            if index in chosen:
                continue
            if used + width > room:
                break
            chosen.add(index)
            used += width
        return sorted(chosen)

    def _layout(self) -> tuple[list[tuple[str, str, int]], list[tuple[int, int, str, bool]], tuple[object, ...]]:
        """The bar at its width: ``(text, component class, flags)`` runs (flags: DIM for a key
        that does not work now, HOVER under the mouse), the click spans, and the keys it shows.
        Nothing is kept: drawing keeps the spans and the keys (see render_line)."""
        shown = keys, palette = self.keys()
        width = self.size.width
        pieces: list[tuple[str, str, int]] = []
        spans: list[tuple[int, int, str, bool]] = []
        used = 0
        if palette is not None and width < COMPACT_BELOW:
            palette = (palette[0], palette[1], "", palette[3])  # the key alone on a narrow bar
        reserved = len(palette[1]) + len(palette[2]) + 3 + bool(palette[2]) if palette else 0
        if reserved > width:
            reserved = 0
            palette = None
        for index in self.fitting(keys, width - reserved):
            key, display, description, enabled = keys[index]
            length = cell_len(display) + cell_len(description) + 3
            if used + length > width:
                break  # only the pinned keys on a very narrow bar
            flags = (0 if enabled else DIM) | (HOVER if len(spans) == self._hover and enabled else 0)
            pieces += [(f" {display} ", "key-bar--key", flags), (f"{description} ", "key-bar--description", flags)]
            spans.append((used, used + length, key, enabled))
            used += length
        if palette is not None and width - used >= reserved:
            key, display, description, enabled = palette
            gap = width - used - reserved
            pieces.append((" " * gap, "", 0))
            used += gap
            pieces += [(text.GLYPHS.bar, "key-bar--bar", 0), (f" {display} ", "key-bar--key", 0)]
            if description:
                pieces.append((f"{description} ", "key-bar--description", 0))
            spans.append((used + 1, used + reserved, key, enabled))
        return pieces, spans, shown

    @property
    def plain(self) -> str:
        """The bar's text as drawn."""
        return "".join(piece for piece, _style, _flags in self._layout()[0])

    # -- drawing: one line of a few segments (no text to lay out) ----------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        pieces, self._spans, self._shown = self._layout()  # what a click and a keys change are checked against
        styles = {"": base}
        segments = []
        for piece, name, flags in pieces:
            style = styles.get(name)
            if style is None:
                style = styles[name] = self.get_component_rich_style(name)
            if flags & DIM:
                style += _DIM
            if flags & HOVER:
                style += _REVERSE
            segments.append(Segment(piece, style))
        return Strip(segments).adjust_cell_length(width, base)

    def _index_at(self, x: int) -> int | None:
        for index, (start, end, _key, _enabled) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._index_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event.x)
        if index is None:
            return
        _start, _end, key, enabled = self._spans[index]
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
