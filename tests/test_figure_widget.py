"""The FigureView widget: braille at its size, the working leg in the theme's accent colour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color

from tui.core.catalog import builtin_catalog
from tui.core.figures import Figure, render_figure
from tui.widgets.figure import FigureView

FIGURE = builtin_catalog().get("half-splits").figure  # type: ignore[union-attr]
assert isinstance(FIGURE, Figure)


class FigureApp(App[None]):
    CSS = "FigureView { width: 40; height: 16; }"

    def __init__(self, figure: Figure | None, side: str = "left") -> None:
        super().__init__()
        self.figure, self.side = figure, side

    def compose(self) -> ComposeResult:
        yield FigureView(self.figure, self.side)  # type: ignore[arg-type]


def shown(view: FigureView) -> list[list[tuple[str, Color | None]]]:
    """Each line of the widget as (character, foreground colour) pairs."""
    lines = []
    for y in range(view.size.height):
        cells: list[tuple[str, Color | None]] = []
        for segment in view.render_line(y):
            colour = segment.style.color if segment.style else None
            cells.extend((char, Color.from_rich_color(colour) if colour else None) for char in segment.text)
        lines.append(cells)
    return lines


async def test_the_widget_draws_the_figure_and_colours_the_working_leg() -> None:
    async with FigureApp(FIGURE).run_test(size=(60, 20)) as pilot:
        view = pilot.app.query_one(FigureView)
        assert view.content_size.width == 40 and view.content_size.height == 16
        expected = render_figure(FIGURE, "left", 40, 16)
        cells = shown(view)
        assert ["".join(char for char, _ in line) for line in cells] == list(expected.lines)
        accent = Color.parse(pilot.app.theme_variables["accent"])
        for y, line in enumerate(cells):
            for x, (char, colour) in enumerate(line):
                if char.strip():
                    assert (colour == accent) == expected.working[y][x], (x, y)
        assert any(flag for row in expected.working for flag in row)


async def test_side_and_figure_are_reactive() -> None:
    async with FigureApp(FIGURE).run_test(size=(60, 20)) as pilot:
        view = pilot.app.query_one(FigureView)
        view.side = "right"
        await pilot.pause()
        text = ["".join(char for char, _ in line) for line in shown(view)]
        assert text == list(render_figure(FIGURE, "right", 40, 16).lines)
        view.figure = None
        await pilot.pause()
        assert all(not "".join(char for char, _ in line).strip() for line in shown(view))


async def test_without_a_figure_the_widget_is_blank() -> None:
    async with FigureApp(None).run_test(size=(60, 20)) as pilot:
        view = pilot.app.query_one(FigureView)
        assert all(not "".join(char for char, _ in line).strip() for line in shown(view))


async def test_the_working_leg_is_readable_in_a_light_theme() -> None:
    """The accent of the light themes is a pale orange: on their light background the working leg
    (1.4:1 in textual-light) all but vanished. Light themes draw it in the accent for text."""
    from tests.test_calendar_contrast import MIN_CONTRAST, contrast

    for theme in ("textual-light", "catppuccin-latte", "textual-dark"):
        app = FigureApp(FIGURE)
        async with app.run_test(size=(60, 20)) as pilot:
            app.theme = theme
            await pilot.pause()
            view = app.query_one(FigureView)
            expected = render_figure(FIGURE, "left", 40, 16)
            colours = {
                colour
                for y, line in enumerate(shown(view))
                for x, (char, colour) in enumerate(line)
                if char.strip() and expected.working[y][x]
            }
            assert len(colours) == 1, (theme, colours)
            (working,) = colours
            for name in ("background", "surface"):
                ground = Color.parse(app.theme_variables[name])
                assert working is not None and contrast(working, ground) >= MIN_CONTRAST, (theme, name, working)
