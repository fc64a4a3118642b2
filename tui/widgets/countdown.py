"""A countdown that scales with the space it gets: big block digits, or plain text when small.

Each character is drawn from a 3x5 pixel font; a pixel is ``k`` columns wide and
``k`` half-rows tall (a terminal cell is about twice as tall as it is wide, so it
stays square), with the half blocks ``▀▄█``. ``k`` is the largest that fits the
content area; where not even ``k = 1`` fits, the time is plain text. Without
Unicode (see :data:`tui.widgets.text.GLYPHS`) a pixel is ``#``, ``k`` columns by
``k // 2`` rows (at least one).
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from . import text

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("..",) * 5,
}
FONT_ROWS = 5


def pixels(value: str) -> list[str]:
    """The 5 pixel rows of ``value`` ('#' on, '.' off), one blank pixel column between characters."""
    glyphs = [FONT.get(char, FONT[" "]) for char in value]
    return [".".join(glyph[row] for glyph in glyphs) for row in range(FONT_ROWS)]


def big_size(value: str, scale: int, unicode: bool = True) -> tuple[int, int]:
    """Columns and rows ``value`` takes at ``scale``."""
    width = len(pixels(value)[0]) * scale
    rows = -(-FONT_ROWS * scale // 2) if unicode else FONT_ROWS * max(1, scale // 2)
    return width, rows


def render_big(value: str, scale: int, unicode: bool = True) -> list[str]:
    """``value`` drawn at ``scale`` (see the module docstring)."""
    grid = pixels(value)
    wide = ["".join(char * scale for char in row) for row in grid]
    if not unicode:
        tall = max(1, scale // 2)
        return [line.replace(".", " ") for line in wide for _ in range(tall)]
    half_rows = [line for line in wide for _ in range(scale)]  # each pixel row, scale half-rows tall
    if len(half_rows) % 2:
        half_rows.append("." * len(half_rows[0]))
    lines = []
    for top, bottom in zip(half_rows[::2], half_rows[1::2], strict=True):
        lines.append(
            "".join(
                {("#", "#"): "█", ("#", "."): "▀", (".", "#"): "▄"}.get((a, b), " ")
                for a, b in zip(top, bottom, strict=True)
            )
        )
    return lines


def best_scale(value: str, cols: int, rows: int, unicode: bool = True, largest: int = 12) -> int:
    """The largest scale from 1 to ``largest`` at which ``value`` fits ``cols`` x ``rows``; 0: none."""
    for scale in range(largest, 0, -1):
        width, height = big_size(value, scale, unicode)
        if width <= cols and height <= rows:
            return scale
    return 0


class Countdown(Widget, can_focus=False):
    """Shows :attr:`value` (``"0:35"``) as large as its content area allows."""

    value: reactive[str] = reactive("0:00", layout=False)

    def __init__(self, value: str = "0:00", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Countdown.value, value)

    def update(self, value: str) -> None:
        self.value = value

    def render(self) -> RenderResult:
        cols, rows = self.content_size
        unicode = text.GLYPHS.unicode
        scale = best_scale(self.value, cols, rows, unicode)
        if scale == 0:
            return Content(self.value)
        return Content("\n".join(render_big(self.value, scale, unicode)))
