"""A small braille canvas: a grid of dots, 2 across and 4 down per terminal cell.

Each dot holds a small number (0 is blank); a higher number is never
overwritten by a lower one, so a layer drawn with a higher value stays on top.
:meth:`Canvas.encode` turns the dots into lines of braille characters plus, per
cell, the highest value among its dots.
"""

from __future__ import annotations

import math
from itertools import pairwise

# The bit of each dot in a braille character, indexed [dot row][dot column] (Unicode braille patterns).
BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
BRAILLE_BASE = 0x2800

Dot = tuple[int, int]


class Canvas:
    def __init__(self, cols: int, rows: int):
        if cols < 1 or rows < 1:
            raise ValueError(f"a canvas needs at least 1x1 cells, not {cols}x{rows}")
        self.cols, self.rows = cols, rows
        self.width, self.height = 2 * cols, 4 * rows
        self.dots = bytearray(self.width * self.height)

    def plot(self, x: int, y: int, value: int, size: int = 1) -> None:
        """Set a ``size`` x ``size`` square of dots around (x, y); dots outside the canvas are skipped."""
        dots, width = self.dots, self.width
        if size == 1:  # nearly every dot drawn: the square's loops spared
            if 0 <= x < width and 0 <= y < self.height:
                index = y * width + x
                if dots[index] < value:
                    dots[index] = value
            return
        low = -((size - 1) // 2)
        for dy in range(low, low + size):
            if 0 <= y + dy < self.height:
                row = (y + dy) * width
                for dx in range(low, low + size):
                    if 0 <= x + dx < width and dots[row + x + dx] < value:
                        dots[row + x + dx] = value

    def line(self, a: Dot, b: Dot, value: int, size: int = 1, every: int = 1) -> None:
        """Bresenham's line from a to b, both ends included; ``every=2`` draws every other dot."""
        (x, y), (x1, y1) = a, b
        dx, dy = abs(x1 - x), -abs(y1 - y)
        sx, sy = (1 if x < x1 else -1), (1 if y < y1 else -1)
        error, step = dx + dy, 0
        while True:
            if step % every == 0:
                self.plot(x, y, value, size)
            if x == x1 and y == y1:
                return
            step += 1
            doubled = 2 * error
            if doubled >= dy:
                error += dy
                x += sx
            if doubled <= dx:
                error += dx
                y += sy

    def polyline(self, points: list[Dot], value: int, size: int = 1, every: int = 1) -> None:
        for a, b in pairwise(points):
            self.line(a, b, value, size, every)

    def disc(self, centre: Dot, radius: float, value: int) -> None:
        """A filled circle."""
        cx, cy = centre
        reach = math.ceil(radius)
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                if dx * dx + dy * dy <= radius * radius + 0.5:
                    self.plot(cx + dx, cy + dy, value)

    def mirror(self) -> None:
        """Flip the canvas left to right, dot for dot."""
        w = self.width
        for row in range(0, len(self.dots), w):
            self.dots[row : row + w] = self.dots[row : row + w][::-1]

    def encode(self) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
        """The lines of braille text (a blank cell is a space) and, per cell, its highest dot value."""
        lines: list[str] = []
        values: list[tuple[int, ...]] = []
        w, dots, cols = self.width, self.dots, self.cols
        blank_line, blank_values = " " * cols, (0,) * cols
        for r in range(self.rows):
            base = 4 * r * w
            if not any(dots[base : base + 4 * w]):  # most rows of a figure are mostly empty
                lines.append(blank_line)
                values.append(blank_values)
                continue
            # The cell's eight dots, row by row: (left, right) of dot rows 0 to 3.
            row0, row1, row2, row3 = (dots[base + i * w : base + (i + 1) * w] for i in range(4))
            chars: list[str] = []
            highs: list[int] = []
            for x in range(0, w, 2):
                a, b, c, d = row0[x], row0[x + 1], row1[x], row1[x + 1]
                e, f, g, h = row2[x], row2[x + 1], row3[x], row3[x + 1]
                if not (a or b or c or d or e or f or g or h):
                    chars.append(" ")
                    highs.append(0)
                    continue
                bits = (
                    (0x01 if a else 0)
                    | (0x08 if b else 0)
                    | (0x02 if c else 0)
                    | (0x10 if d else 0)
                    | (0x04 if e else 0)
                    | (0x20 if f else 0)
                    | (0x40 if g else 0)
                    | (0x80 if h else 0)
                )
                chars.append(chr(BRAILLE_BASE + bits))
                highs.append(max(a, b, c, d, e, f, g, h))
            lines.append("".join(chars))
            values.append(tuple(highs))
        return tuple(lines), tuple(values)
