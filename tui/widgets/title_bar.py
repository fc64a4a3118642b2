"""The top line of each screen: the command palette's icon and the title, drawn by one widget.

It shows what Textual's ``Header`` shows (the icon on the left opens the command
palette, the screen's title and sub-title in the middle, both falling back to the
app's) with one widget where the ``Header`` mounts four: each widget is styled,
laid out and drawn on its own, and the title bar is on every screen's first frame.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

#: Columns of the icon's button (it opens the command palette), and the empty end on the right.
ICON_WIDTH = 8
END_WIDTH = 10


class TitleBar(Widget, can_focus=False):
    """The screen's title between the palette's icon and an empty end, in one line."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 1fr;
        height: 1;
        background: $panel;
        color: $foreground;
        & > .title-bar--icon-hover { background: $foreground 10%; }
    }
    """
    COMPONENT_CLASSES = {"title-bar--icon-hover"}

    def __init__(self, icon: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.icon = icon
        self._hover = False

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def title(self) -> Content:
        """The title as shown (the screen's, else the app's; the same for the sub-title)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render_line(self, y: int) -> Strip:
        # One line of a few segments: nothing to lay out, so not drawn as a Visual.
        width = self.size.width
        base = self.visual_style
        if y != 0:
            return Strip.blank(width, base.rich_style)
        # Hovered: the component's whole style, its translucent background laid over the bar's (as
        # Textual's Header does it; a partial style added on top mixed it with another colour).
        icon = self.get_component_rich_style("title-bar--icon-hover") if self._hover else base.rich_style
        room = max(0, width - ICON_WIDTH - END_WIDTH)
        segments = [Segment(f" {self.icon}"[:ICON_WIDTH].ljust(ICON_WIDTH), icon)]
        if room:
            segments += self.title.center(room, ellipsis=True).render_segments(base)
        return Strip(segments).adjust_cell_length(width, base.rich_style)

    # -- the icon: a button for the command palette ----------------------------------------
    def _on_icon(self, x: int) -> bool:
        return x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._on_icon(event.x)
        if hover != self._hover:
            self._hover = hover
            self.tooltip = "Open the command palette" if hover else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover:
            self._hover = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        if self._on_icon(event.x):
            event.stop()
            await self.run_action("app.command_palette")
