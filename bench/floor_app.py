"""The bare Textual floor: Header, a Static and Footer.

``python bench/floor_app.py`` runs headless at 100x30 and exits after the
first frame; ``--terminal`` runs in the real terminal (the pty benchmark
stops it once its text is on screen).
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "The bare Textual floor."


class FloorApp(App[None]):
    def __init__(self, exit_after_first_frame: bool) -> None:
        super().__init__()
        self.exit_after_first_frame = exit_after_first_frame

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TEXT)
        yield Footer()

    def on_mount(self) -> None:
        if self.exit_after_first_frame:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    if "--terminal" in sys.argv[1:]:
        FloorApp(exit_after_first_frame=False).run()
    else:
        FloorApp(exit_after_first_frame=True).run(headless=True, size=(100, 30))
