"""The top-level screens made ready before Textual would, so a first frame is drawn once.

Textual draws a new mode's screen, then sets its breakpoint classes (``-wide``,
``-tall``...) on the first resize, which restyles it and draws it again. Here each
screen gets those classes as it is made, from the app's size; the resize then finds
them already set.

Mixed into :class:`tui.app.HamstringApp`.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


class ScreenStyles(App[None]):
    """Breakpoint classes in place before a screen's first frame."""

    def prepare_screen(self, screen: Screen[Any]) -> None:
        """A top-level screen just made: give it its breakpoint classes."""
        screen.add_class(*self.breakpoint_classes(screen))

    def breakpoint_classes(self, screen: Screen[Any]) -> list[str]:
        """The classes Textual gives ``screen`` on a resize to the app's size (its breakpoints, or the app's)."""
        size = self.size
        horizontal = screen.HORIZONTAL_BREAKPOINTS
        vertical = screen.VERTICAL_BREAKPOINTS
        found = []
        for dimension, breakpoints in (
            (size.width, self.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal),
            (size.height, self.VERTICAL_BREAKPOINTS if vertical is None else vertical),
        ):
            for at, name in sorted(breakpoints or [], reverse=True):
                if dimension >= at:
                    found.append(name)
                    break
        return found
