"""The base of the top-level screens (the app's modes: Catalog, Session, Calendar, Progress)."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.screen import Screen


class ModeScreen(Screen[None]):
    """A top-level screen, styled once before its first frame.

    Textual restyles a screen each time it is shown (``ScreenResume``), the first time too,
    just after every one of its widgets was styled as it mounted: that second styling of the
    whole screen is left out. Every later showing restyles as usual, since a screen shown
    again may have missed a change of theme while another mode was in front.
    """

    _shown_before = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._shown_before:
            self._shown_before = True
            message.refresh_styles = False  # styled as it mounted, a moment ago
        return super().post_message(message)
