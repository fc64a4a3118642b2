"""The bare Textual floor: Header, a Static and Footer, exiting after the first frame."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class FloorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("The bare Textual floor.")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    FloorApp().run(headless=True, size=(100, 30))
