"""The command palette, with page up and page down that wait for its list to be laid out.

Textual 8.2's ``OptionList._move_page`` looks up the highlighted option's line
in a cache that ``_update_lines`` fills only once the list has a size. The
palette shows its list the moment the first matching command arrives, so
``pagedown`` pressed right after typing (``ctrl+p``, ``t``, ``pagedown`` sent
together) reached ``_move_page`` before the first layout: ``KeyError: 0``, and
the app exited. Here a page move before that layout does nothing; the keys
work as before once the list is drawn.

A command chosen twice (``enter`` pressed twice in quick succession, or held down)
reached the palette again after its first choice had dismissed it: Textual's palette
dismissed itself a second time, popping the screen under it (``ScreenStackError``,
the app exited), and ran the command again. A palette no longer on top takes no
further choice. Only public Textual API is used.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList


class Palette(CommandPalette):
    """Textual's command palette, safe against a page move before its list is laid out and
    against a command chosen again once the palette has gone."""

    BINDINGS = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    async def action_page(self, direction: int) -> None:
        for command_list in self.query(CommandList):
            if not command_list.scrollable_content_region or not command_list.option_count:
                return  # not laid out yet: there is no page to move by
            await self.run_action(f"command_list('{'page_down' if direction > 0 else 'page_up'}')")

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _gone(self, event: Message) -> None:
        """A choice that reaches the palette once it is no longer on top (its first choice
        dismissed it) is dropped: Textual's own handler would dismiss it again."""
        if not self.is_active:
            event.prevent_default()  # the base class's handlers do not see it
            event.stop()
