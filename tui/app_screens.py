"""The top-level screens' styles, made ready before Textual would, so a first frame is drawn once.

Textual draws a new mode's screen, then sets its breakpoint classes (``-wide``,
``-tall``...) on the first resize, which restyles and draws it again; and it reparses
every stylesheet (all of Textual's widgets' too) when the screen's own is read, and
again each time a mode's screen is made or first shown. Here each screen gets its
breakpoint classes as it is made, its stylesheet is added to the app's without a
reparse (only the new file is parsed), and a CSS refresh while the theme is unchanged
restyles the screens as Textual's does but keeps the rules already parsed.

Mixed into :class:`tui.app.HamstringApp`.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App, ScreenError
from textual.screen import Screen


class ScreenStyles(App[None]):
    """Breakpoint classes and stylesheets in place before a screen's first frame."""

    def _init_styles(self) -> None:
        # What the app's stylesheet was made with (Textual made it in App.__init__).
        self._styled_with = self._css_inputs()
        # The stylesheets read when each screen was last styled (see refresh_css).
        self._styled: WeakKeyDictionary[Screen[Any], int] = WeakKeyDictionary()

    def _css_inputs(self) -> tuple[object, object]:
        """What a stylesheet reparse reads besides the CSS: the theme its variables come from (the
        app adds none of its own), and the ANSI theme the output maps colours through, whose
        change Textual also answers with a refresh. (Cheaper than comparing the variables,
        which Textual computes afresh from the theme each time.)"""
        return self.current_theme, self.ansi_theme

    def prepare_screen(self, screen: Screen[Any]) -> None:
        """A top-level screen just made: give it its breakpoint classes and read its stylesheet."""
        # Not styled now: Textual styles the screen as it registers it, just after.
        screen.add_class(*self.breakpoint_classes(screen), update=False)
        stylesheet = self.stylesheet
        for path in screen.css_path:
            if not stylesheet.has_source(str(path)):
                # Parsed with the next styling, alone: Textual reparses every source when it reads it.
                stylesheet.read(path)
        self._styled[screen] = self._css_files()  # styled with these as Textual registers it

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

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's CSS refresh; with the same theme as the last one, without its full reparse.

        Textual calls this when a mode's screen is made and again when it is first shown, not
        only when the theme changes. A reparse with unchanged variables gives the rules the
        stylesheet already holds (a source added since is parsed when the rules are next read),
        so then only the screens Textual would restyle are restyled, and only those styled
        before a stylesheet was added (widgets' default CSS is scoped to each widget, so it
        never changes what an existing node looks like).
        """
        inputs = self._css_inputs()
        stylesheet = self.stylesheet
        try:
            current = self.screen
        except ScreenError:
            current = None
        screens = [screen for screen in self.screen_stack if screen is not current]
        files = self._css_files()
        if inputs != self._styled_with:
            super().refresh_css(animate)
            self._styled_with = inputs
            for screen in (current, *screens):
                if screen is not None:
                    self._styled[screen] = files
            return
        if current is None or not current.is_mounted or self._styled.get(current) != files:
            # The app and the current screen, as Textual's refresh restyles them (a screen not yet
            # mounted is new: little to restyle, but its first widgets may have been styled before the app).
            stylesheet.update(self, animate=animate)
            if current is not None:
                self._styled[current] = files
                if current.is_mounted:
                    current.refresh(layout=True)
        else:
            stylesheet.update_nodes([self], animate=animate)  # the app itself, as Textual's refresh does
        for screen in screens:
            if self._styled.get(screen) != files:
                stylesheet.update(screen, animate=animate)
                self._styled[screen] = files

    def _css_files(self) -> int:
        """How many stylesheets (not widgets' default CSS) the app has read: its styling version."""
        return sum(1 for source in self.stylesheet.source.values() if not source.is_defaults)
