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
        low = -((size - 1) // 2)
        for dy in range(low, low + size):
            if 0 <= y + dy < self.height:
                row = (y + dy) * self.width
                for dx in range(low, low + size):
                    if 0 <= x + dx < self.width and self.dots[row + x + dx] < value:
                        self.dots[row + x + dx] = value

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
        w, dots = self.width, self.dots
        for r in range(self.rows):
            chars: list[str] = []
            highs: list[int] = []
            base = 4 * r * w
            for c in range(self.cols):
                bits = high = 0
                for dot_row, pair in enumerate(BRAILLE_BITS):
                    index = base + dot_row * w + 2 * c
                    for dot_col in (0, 1):
                        value = dots[index + dot_col]
                        if value:
                            bits |= pair[dot_col]
                            high = max(high, value)
                chars.append(chr(BRAILLE_BASE + bits) if bits else " ")
                highs.append(high)
            lines.append("".join(chars))
            values.append(tuple(highs))
        return tuple(lines), tuple(values)
