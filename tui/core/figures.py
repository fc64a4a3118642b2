"""Stretch figures: a side view of the body as data, validated and drawn in braille.

A figure lives in a box ``aspect`` times as wide as it is tall. Every point is
``[x, y]`` with x from 0 (left edge) to 1 (right edge) and y from 0 (the floor)
to 1 (the top). Joints are named (:data:`JOINTS`); the working leg, the one
being stretched, uses the ``_w`` names and the other leg the ``_o`` names. The
figure as written is the left side; the right side is its exact mirror image.

The renderer draws into a grid of braille dots (2 across and 4 down per
terminal cell, so a dot is about square), with the floor as the bottom dot row.
It returns text plus, per cell, whether the cell shows the working leg.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Literal

from .braille import Canvas, Dot
from .values import Value

Side = Literal["left", "right"]
Point = tuple[float, float]

REQUIRED_JOINTS = ("head", "neck", "shoulder", "hip", "knee_w", "ankle_w", "knee_o", "ankle_o")
OPTIONAL_JOINTS = ("elbow", "hand", "elbow_f", "hand_f", "toe_w", "toe_o")
JOINTS = REQUIRED_JOINTS + OPTIONAL_JOINTS
WORKING_JOINTS = frozenset(name for name in JOINTS if name.endswith("_w"))
RECT_PROPS = ("block", "blanket")
PROP_TYPES = (*RECT_PROPS, "strap")
ASPECT_RANGE = (0.5, 4.0)
HEAD_R_RANGE = (0.02, 0.25)
THICKNESS_RANGE = (1, 3)
MAX_SEGMENTS = 40
MAX_PROPS = 12
MAX_STRAP_POINTS = 12
SIZE_LIMITS = ((10, 300), (5, 100))  # columns, rows accepted by parse_size
_EPSILON = 1e-9


class FigureError(ValueError):
    """A figure is unusable; ``field`` names the point or field (e.g. ``joints.knee_w``)."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)


class Segment(Value):
    """A limb or the trunk: a line from one joint to another, 1 to 3 units thick."""

    __slots__ = ("end", "start", "thickness")
    start: str
    end: str
    thickness: int

    def __init__(self, start: str, end: str, thickness: int = 1) -> None:
        self._fill(start=start, end=end, thickness=thickness)

    @property
    def working(self) -> bool:
        return self.start in WORKING_JOINTS or self.end in WORKING_JOINTS


class RectProp(Value):
    """A yoga block or a folded blanket: a rectangle in the figure's box."""

    __slots__ = ("h", "kind", "w", "x", "y")
    kind: Literal["block", "blanket"]
    x: float
    y: float
    w: float
    h: float

    def __init__(self, kind: Literal["block", "blanket"], x: float, y: float, w: float, h: float) -> None:
        self._fill(kind=kind, x=x, y=y, w=w, h=h)


class Strap(Value):
    """A strap: a dotted line through joints and points."""

    __slots__ = ("points",)
    points: tuple[str | Point, ...]  # joint names or [x, y] points

    def __init__(self, points: tuple[str | Point, ...]) -> None:
        self._fill(points=points)


class Figure(Value):
    """A pose: its box's aspect, the head's radius, the named joints, the segments and the props.

    A :class:`~tui.core.values.Value` like its parts, not a dataclass: the figure code loads
    with the first figure drawn, just before the Catalog's first frame, where defining five
    dataclasses took two milliseconds. (The records of what was done stay dataclasses.)
    """

    __slots__ = ("aspect", "head_r", "joints", "props", "segments")
    aspect: float
    head_r: float
    joints: tuple[tuple[str, Point], ...]
    segments: tuple[Segment, ...]
    props: tuple[RectProp | Strap, ...]

    def __init__(
        self,
        aspect: float,
        head_r: float,
        joints: tuple[tuple[str, Point], ...],
        segments: tuple[Segment, ...],
        props: tuple[RectProp | Strap, ...] = (),
    ) -> None:
        self._fill(aspect=aspect, head_r=head_r, joints=joints, segments=segments, props=props)

    def joint_map(self) -> dict[str, Point]:
        return dict(self.joints)

    def to_dict(self) -> dict[str, Any]:
        props: list[dict[str, Any]] = []
        for prop in self.props:
            if isinstance(prop, Strap):
                props.append({"type": "strap", "points": [p if isinstance(p, str) else list(p) for p in prop.points]})
            else:
                props.append({"type": prop.kind, "x": prop.x, "y": prop.y, "w": prop.w, "h": prop.h})
        return {
            "aspect": self.aspect,
            "head_r": self.head_r,
            "joints": {name: list(point) for name, point in self.joints},
            "segments": [
                [s.start, s.end] if s.thickness == 1 else [s.start, s.end, s.thickness] for s in self.segments
            ],
            "props": props,
        }


# -- validation ---------------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _shown(value: Any) -> str:
    """A value from the file, safe to show: short text JSON-quoted (escapes included), anything else by kind."""
    if isinstance(value, str) and len(value) <= 20:
        return json.dumps(value)
    return _kind(value)


def _number(value: Any, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FigureError(field, f"must be a number, not {_kind(value)}")
    if not low <= value <= high:  # also false for NaN; big ints compare without overflow
        shown = value if isinstance(value, float) or abs(value) < 10**12 else "a huge number"
        raise FigureError(field, f"must be from {low:g} to {high:g}, not {shown}")
    return float(value)


def _keys(raw: Mapping[str, Any], field: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
    for key in raw:
        if key not in allowed:
            raise FigureError(field, f"has an unknown field {_shown(key)} (known: {', '.join(allowed)})")
    for key in required:
        if key not in raw:
            raise FigureError(f"{field}.{key}" if field else key, "is missing")


def _point(value: Any, field: str) -> Point:
    if not isinstance(value, list) or len(value) != 2:
        raise FigureError(field, f"must be a point [x, y], not {_kind(value)}")
    return _number(value[0], f"{field} x", 0.0, 1.0), _number(value[1], f"{field} y", 0.0, 1.0)


def _joints(raw: Any, aspect: float, head_r: float) -> dict[str, Point]:
    if not isinstance(raw, dict):
        raise FigureError("joints", f"must be an object of named points, not {_kind(raw)}")
    _keys(raw, "joints", JOINTS, REQUIRED_JOINTS)
    joints = {name: _point(raw[name], f"joints.{name}") for name in JOINTS if name in raw}
    hx, hy = joints["head"]
    if not (head_r <= hy <= 1 - head_r and head_r <= hx * aspect <= aspect - head_r):
        raise FigureError("joints.head", f"the head (radius {head_r:g}) must fit inside the box")
    return joints


def _segment(raw: Any, field: str, joints: Mapping[str, Point]) -> Segment:
    if not isinstance(raw, list) or len(raw) not in (2, 3):
        raise FigureError(field, f'must be ["joint", "joint"] or ["joint", "joint", thickness], not {_kind(raw)}')
    for end in raw[:2]:
        if not isinstance(end, str) or end not in joints:
            raise FigureError(field, f"joins {_shown(end)}, which is not a joint of this figure")
    if raw[0] == raw[1]:
        raise FigureError(field, "must join two different joints")
    thickness = 1
    if len(raw) == 3:
        value = raw[2]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
            raise FigureError(f"{field} thickness", f"must be a whole number from 1 to 3, not {_kind(value)}")
        thickness = value
    return Segment(raw[0], raw[1], thickness)


def _prop(raw: Any, field: str, joints: Mapping[str, Point]) -> RectProp | Strap:
    if not isinstance(raw, dict):
        raise FigureError(field, f"must be an object, not {_kind(raw)}")
    kind = raw.get("type")
    if kind not in PROP_TYPES:
        raise FigureError(f"{field}.type", f"must be one of {', '.join(PROP_TYPES)}, not {_shown(kind)}")
    if kind == "strap":
        _keys(raw, field, ("type", "points"), ("points",))
        points = raw["points"]
        if not isinstance(points, list) or not 2 <= len(points) <= MAX_STRAP_POINTS:
            raise FigureError(f"{field}.points", f"must be a list of 2 to {MAX_STRAP_POINTS} joints or points")
        parsed: list[str | Point] = []
        for index, point in enumerate(points, start=1):
            if isinstance(point, str):
                if point not in joints:
                    raise FigureError(f"{field}.points[{index}]", f"{_shown(point)} is not a joint of this figure")
                parsed.append(point)
            else:
                parsed.append(_point(point, f"{field}.points[{index}]"))
        return Strap(tuple(parsed))
    _keys(raw, field, ("type", "x", "y", "w", "h"), ("x", "y", "w", "h"))
    x = _number(raw["x"], f"{field}.x", 0.0, 1.0)
    y = _number(raw["y"], f"{field}.y", 0.0, 1.0)
    w = _number(raw["w"], f"{field}.w", 0.0, 1.0)
    h = _number(raw["h"], f"{field}.h", 0.0, 1.0)
    if w <= 0 or h <= 0:
        raise FigureError(field, "must have a width and a height above 0")
    if x + w > 1 + _EPSILON or y + h > 1 + _EPSILON:
        raise FigureError(field, "must fit inside the box (x + w and y + h at most 1)")
    return RectProp(kind, x, y, w, h)


def parse_figure(raw: Any) -> Figure:
    """Validate a figure as read from JSON. Raises :class:`FigureError` only."""
    if not isinstance(raw, dict):
        raise FigureError("", f"must be an object, not {_kind(raw)}")
    _keys(raw, "", ("aspect", "head_r", "joints", "segments", "props"), ("joints", "segments"))
    aspect = _number(raw.get("aspect", 1.0), "aspect", *ASPECT_RANGE)
    head_r = _number(raw.get("head_r", 0.07), "head_r", *HEAD_R_RANGE)
    joints = _joints(raw["joints"], aspect, head_r)
    raw_segments = raw["segments"]
    if not isinstance(raw_segments, list) or not 1 <= len(raw_segments) <= MAX_SEGMENTS:
        raise FigureError("segments", f"must be a list of 1 to {MAX_SEGMENTS} segments")
    segments = tuple(_segment(s, f"segments[{i}]", joints) for i, s in enumerate(raw_segments, start=1))
    joined = {name for s in segments for name in (s.start, s.end)}
    for name in joints:
        if name != "head" and name not in joined:
            raise FigureError(f"joints.{name}", "is not joined to the body by any segment")
    raw_props = raw.get("props", [])
    if not isinstance(raw_props, list) or len(raw_props) > MAX_PROPS:
        raise FigureError("props", f"must be a list of at most {MAX_PROPS} props")
    props = tuple(_prop(p, f"props[{i}]", joints) for i, p in enumerate(raw_props, start=1))
    return Figure(aspect, head_r, tuple(joints.items()), segments, props)


def parse_size(text: str) -> tuple[int, int]:
    """``"COLSxROWS"`` as two whole numbers within :data:`SIZE_LIMITS`; raises ValueError with a one-line message."""
    cols_text, sep, rows_text = text.strip().lower().partition("x")
    if not sep or not cols_text.isdigit() or not rows_text.isdigit() or len(cols_text + rows_text) > 8:
        raise ValueError(f"size must look like 60x24 (columns x rows), not {text[:20]!r}")
    cols, rows = int(cols_text), int(rows_text)
    (cmin, cmax), (rmin, rmax) = SIZE_LIMITS
    if not (cmin <= cols <= cmax and rmin <= rows <= rmax):
        raise ValueError(f"size must be {cmin} to {cmax} columns and {rmin} to {rmax} rows, not {cols}x{rows}")
    return cols, rows


# -- drawing ------------------------------------------------------------------------------------------------

_BODY, _WORKING = 1, 2


class RenderedFigure(Value):
    """``lines`` of braille text (empty cells are spaces) and, per cell, whether it shows the working leg."""

    __slots__ = ("lines", "working")
    lines: tuple[str, ...]
    working: tuple[tuple[bool, ...], ...]

    def __init__(self, lines: tuple[str, ...], working: tuple[tuple[bool, ...], ...]) -> None:
        self._fill(lines=lines, working=working)


class _Box:
    """Maps the figure's box onto a dot grid: as large as fits, centred, its floor on the bottom dot row."""

    def __init__(self, figure: Figure, canvas: Canvas):
        self.width, self.height = canvas.width, canvas.height
        span_x, span_y = self.width - 1, self.height - 1
        self.scale = min(span_x / figure.aspect, span_y)  # dots per unit of box height
        self.x_scale = figure.aspect * self.scale
        self.x0 = (span_x - self.x_scale) / 2

    def dot(self, point: Point) -> Dot:
        """The dot of a point of the box; inside the grid for any point from 0 to 1 (no clamping needed)."""
        return round(self.x0 + point[0] * self.x_scale), round((self.height - 1) - point[1] * self.scale)

    def line_size(self, thickness: int) -> int:
        return max(1, round(thickness * math.sqrt(self.scale) / 5))


def project_joints(figure: Figure, cols: int, rows: int) -> dict[str, Dot]:
    """Where each joint lands in the dot grid of the left-side figure at ``cols`` x ``rows`` cells."""
    box = _Box(figure, Canvas(cols, rows))
    return {name: box.dot(point) for name, point in figure.joints}


def render_figure(figure: Figure, side: Side, cols: int, rows: int) -> RenderedFigure:
    """Draw ``figure`` into ``cols`` x ``rows`` cells; ``side="right"`` is the exact mirror of the left."""
    canvas = Canvas(cols, rows)
    box = _Box(figure, canvas)
    joints = {name: box.dot(point) for name, point in figure.joints}
    for prop in figure.props:
        if isinstance(prop, RectProp):
            (left, bottom), (right, top) = box.dot((prop.x, prop.y)), box.dot((prop.x + prop.w, prop.y + prop.h))
            canvas.polyline([(left, bottom), (left, top), (right, top), (right, bottom), (left, bottom)], _BODY)
            if prop.kind == "blanket" and bottom - top >= 4:  # the fold of a blanket tall enough to show it
                middle = (top + bottom) // 2
                canvas.line((left, middle), (right, middle), _BODY, every=2)
    canvas.line((0, canvas.height - 1), (canvas.width - 1, canvas.height - 1), _BODY)  # the floor
    for segment in figure.segments:
        value = _WORKING if segment.working else _BODY
        canvas.line(joints[segment.start], joints[segment.end], value, box.line_size(segment.thickness))
    canvas.disc(joints["head"], figure.head_r * box.scale, _BODY)
    for prop in figure.props:
        if isinstance(prop, Strap):
            points = [joints[p] if isinstance(p, str) else box.dot(p) for p in prop.points]
            canvas.polyline(points, _BODY, every=2)
    if side == "right":
        canvas.mirror()
    lines, values = canvas.encode()
    return RenderedFigure(lines, tuple(tuple(v == _WORKING for v in row) for row in values))


WORKING_SGR = "\x1b[1;33m"  # bold yellow in the shell, where there is no theme
RESET_SGR = "\x1b[0m"


def render_figure_text(figure: Figure, side: Side, cols: int, rows: int, *, color: bool) -> str:
    """The figure as printable lines without trailing blanks; with ``color`` the working leg is bold yellow."""
    drawn = render_figure(figure, side, cols, rows)
    out: list[str] = []
    for line, flags in zip(drawn.lines, drawn.working, strict=True):
        line = line.rstrip()
        if color and any(flags):
            pieces, hot = [], False
            for char, flag in zip(line, flags, strict=False):
                if flag != hot:
                    pieces.append(WORKING_SGR if flag else RESET_SGR)
                    hot = flag
                pieces.append(char)
            line = "".join(pieces) + (RESET_SGR if hot else "")
        out.append(line)
    return "\n".join(out)
