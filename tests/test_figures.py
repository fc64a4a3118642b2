"""Stretch figures: schema validation, the braille renderer and the catalog's figure field."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import builtin_catalog_dict
from tui.core.braille import BRAILLE_BASE, BRAILLE_BITS
from tui.core.catalog import CatalogError, builtin_catalog, load_catalog, parse_catalog
from tui.core.figures import (
    Figure,
    FigureError,
    parse_figure,
    parse_size,
    project_joints,
    render_figure,
    render_figure_text,
)

BUILTIN = builtin_catalog_dict()
RAW_FIGURES = {s["id"]: s["figure"] for s in BUILTIN["stretches"]}
FIGURES = {sid: parse_figure(raw) for sid, raw in RAW_FIGURES.items()}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def small_figure(**changes: Any) -> dict[str, Any]:
    """A valid figure with the working leg alone at the right and a block at the left."""
    figure: dict[str, Any] = {
        "aspect": 2.0,
        "head_r": 0.1,
        "joints": {
            "head": [0.1, 0.8],
            "neck": [0.1, 0.65],
            "shoulder": [0.1, 0.6],
            "hip": [0.1, 0.3],
            "knee_w": [0.9, 0.6],
            "ankle_w": [0.9, 0.9],
            "knee_o": [0.1, 0.15],
            "ankle_o": [0.1, 0.02],
        },
        "segments": [
            *(["head", "neck"], ["neck", "hip", 2], ["shoulder", "neck"]),
            *(["hip", "knee_w"], ["knee_w", "ankle_w"], ["hip", "knee_o"], ["knee_o", "ankle_o"]),
        ],
        "props": [{"type": "block", "x": 0.3, "y": 0.0, "w": 0.2, "h": 0.3}],
    }
    figure.update(changes)
    return figure


def dot_set(lines: tuple[str, ...], x: int, y: int) -> bool:
    char = lines[y // 4][x // 2]
    bits = 0 if char == " " else ord(char) - BRAILLE_BASE
    return bool(bits & BRAILLE_BITS[y % 4][x % 2])


def mirror_line(line: str) -> str:
    """The braille line flipped left to right, dot for dot."""
    out = []
    for char in reversed(line):
        bits = 0 if char == " " else ord(char) - BRAILLE_BASE
        flipped = 0
        for left, right in BRAILLE_BITS:
            flipped |= (right if bits & left else 0) | (left if bits & right else 0)
        out.append(chr(BRAILLE_BASE + flipped) if flipped else " ")
    return "".join(out)


# -- the seven built-in figures -----------------------------------------------------------------------------


def test_the_builtin_figures_load_when_first_drawn_and_a_user_file_is_checked_as_it_loads(tmp_path: Path) -> None:
    """The built-in catalog keeps its figures as read until one is wanted (the Calendar and the
    shell never load the figure code); a user's file is checked at once, so its problems are told."""
    import subprocess
    import sys

    probe = (
        "import sys; from tui.core.catalog import builtin_catalog; catalog = builtin_catalog(); "
        "print('tui.core.figures' in sys.modules); figure = catalog.stretches[0].figure; "
        "print('tui.core.figures' in sys.modules, type(figure).__name__)"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["False", "True", "Figure"]
    raw = builtin_catalog_dict()
    raw["stretches"][0]["figure"] = {"joints": "not a figure"}
    user = tmp_path / "stretches.json"
    user.write_text(json.dumps(raw))
    problems: list[CatalogError] = []
    catalog = load_catalog(user_path=user, builtin_path=None, figure_problems=problems)
    assert len(problems) == 1 and catalog.stretches[0].figure is None
    with pytest.raises(CatalogError):
        load_catalog(user_path=user)


def test_a_builtin_figure_that_does_not_parse_is_drawn_as_none_not_a_crash(tmp_path: Path) -> None:
    raw = builtin_catalog_dict()
    raw["stretches"][0]["figure"] = {"joints": "not a figure"}
    damaged = tmp_path / "builtin.json"
    damaged.write_text(json.dumps(raw))
    catalog = builtin_catalog(damaged)
    assert catalog.stretches[0].figure is None
    assert isinstance(catalog.stretches[1].figure, Figure)


def test_every_builtin_stretch_has_a_figure_that_round_trips() -> None:
    catalog = builtin_catalog()
    assert all(isinstance(stretch.figure, Figure) for stretch in catalog)
    again = parse_catalog(json.dumps(catalog.to_dict()), "round-trip.json")
    assert again == catalog.stretches
    for figure in FIGURES.values():
        assert parse_figure(figure.to_dict()) == figure


@pytest.mark.parametrize("sid", sorted(FIGURES))
def test_right_side_is_the_exact_mirror_of_the_left(sid: str) -> None:
    figure = FIGURES[sid]
    for cols, rows in [(10, 5), (11, 5), (17, 7), (30, 12), (41, 16), (60, 24), (79, 23), (120, 40)]:
        left = render_figure(figure, "left", cols, rows)
        right = render_figure(figure, "right", cols, rows)
        assert right.lines == tuple(mirror_line(line) for line in left.lines), (cols, rows)
        assert right.working == tuple(tuple(reversed(row)) for row in left.working)
        assert left.lines != right.lines  # no figure is symmetric, so mirroring shows


def corner_figure(aspect: float) -> Figure:
    """A figure with joints on all four corners of its box."""
    joints = {"hip": [0, 0], "knee_w": [1, 1], "ankle_w": [1, 0], "knee_o": [0, 1], "ankle_o": [0.5, 0]}
    joints |= {"neck": [0.5, 0.5], "shoulder": [0.5, 0.6], "head": [0.5, 0.8]}
    segments = [["hip", "knee_w"], ["knee_w", "ankle_w"], ["hip", "knee_o"], ["knee_o", "ankle_o"]]
    segments += [["hip", "neck"], ["neck", "shoulder"]]
    return parse_figure({"aspect": aspect, "head_r": 0.1, "joints": joints, "segments": segments})


def test_every_joint_lands_inside_the_grid_at_every_size() -> None:
    corners = [corner_figure(aspect) for aspect in (0.5, 1, 1.37, 2.7, 4)]
    for figure in [*FIGURES.values(), *corners]:
        for cols in range(10, 121):
            for rows in range(5, 41):
                for name, (x, y) in project_joints(figure, cols, rows).items():
                    assert 0 <= x < 2 * cols and 0 <= y < 4 * rows, (name, cols, rows)


@pytest.mark.parametrize("sid", sorted(FIGURES))
def test_every_joint_is_drawn_and_the_grid_has_the_asked_size(sid: str) -> None:
    figure = FIGURES[sid]
    for cols in range(10, 121, 9):
        for rows in range(5, 41, 7):
            drawn = render_figure(figure, "left", cols, rows)
            assert len(drawn.lines) == rows and all(len(line) == cols for line in drawn.lines)
            assert len(drawn.working) == rows and all(len(flags) == cols for flags in drawn.working)
            for name, (x, y) in project_joints(figure, cols, rows).items():
                assert dot_set(drawn.lines, x, y), (name, cols, rows)


def test_the_floor_is_the_bottom_dot_row() -> None:
    for figure in FIGURES.values():
        lines = render_figure(figure, "left", 30, 12).lines
        assert all(dot_set(lines, x, 47) for x in range(60))


def test_working_leg_cells_are_flagged_and_the_head_is_not() -> None:
    figure = parse_figure(small_figure())
    drawn = render_figure(figure, "left", 40, 16)
    dots = project_joints(figure, 40, 16)
    knee_x, knee_y = dots["knee_w"]
    head_x, head_y = dots["head"]
    assert drawn.working[knee_y // 4][knee_x // 2]
    assert not drawn.working[head_y // 4][head_x // 2]
    assert sum(map(sum, drawn.working)) > 5


def test_props_are_drawn() -> None:
    with_block = parse_figure(small_figure())
    bare = parse_figure(small_figure(props=[]))
    strap = parse_figure(small_figure(props=[{"type": "strap", "points": ["shoulder", [0.6, 0.95], "ankle_w"]}]))
    blanket = parse_figure(small_figure(props=[{"type": "blanket", "x": 0.3, "y": 0.0, "w": 0.4, "h": 0.3}]))
    # At 40x16 cells (80x64 dots) a box of aspect 2 spans x 0..79 and y 63..24 (39.5 dots per unit of
    # height), so the block from x 0.3 to 0.5 with its top at 0.3 has its top edge on dot row 63 - 12 = 51
    # from dot 24 to dot 40; the bare figure has no dots there.
    block_lines = render_figure(with_block, "left", 40, 16).lines
    bare_lines = render_figure(bare, "left", 40, 16).lines
    assert all(dot_set(block_lines, x, 51) for x in range(24, 41))
    assert not any(dot_set(bare_lines, x, 51) for x in range(24, 41))
    assert all(dot_set(block_lines, 24, y) for y in range(51, 64))  # its left side down to the floor
    strap_lines = render_figure(strap, "left", 40, 16).lines
    assert strap_lines != bare_lines
    blanket_lines = render_figure(blanket, "left", 40, 16).lines
    assert blanket_lines != bare_lines and blanket_lines != block_lines


def test_text_output_is_plain_without_colour_and_marked_with_it() -> None:
    figure = FIGURES["half-splits"]
    plain = render_figure_text(figure, "left", 30, 12, color=False)
    coloured = render_figure_text(figure, "left", 30, 12, color=True)
    assert "\x1b" not in plain and len(plain.split("\n")) == 12
    assert "\x1b[1;33m" in coloured and coloured.count("\x1b[1;33m") <= coloured.count("\x1b[0m")
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert all(line == line.rstrip() for line in plain.split("\n"))


def test_render_refuses_an_empty_area() -> None:
    with pytest.raises(ValueError):
        render_figure(FIGURES["downward-dog"], "left", 0, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("60x24", (60, 24)), ("10X5", (10, 5)), (" 300x100 ", (300, 100))],
)
def test_parse_size_accepts(text: str, expected: tuple[int, int]) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["60", "x24", "60x", "9x5", "10x4", "301x24", "60x101", "-1x5", "6e1x24", "1" * 30])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(text)
    assert "\n" not in str(caught.value)


# -- validation ---------------------------------------------------------------------------------------------


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    figure = small_figure()
    target: Any = figure
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return figure


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (["joints", "knee_w"], _DELETE, "joints.knee_w", "is missing"),
        (["joints", "knee_w"], [1.5, 0.2], "joints.knee_w x", "from 0 to 1, not 1.5"),
        (["joints", "ankle_o"], [0.2, float("nan")], "joints.ankle_o y", "from 0 to 1"),
        (["joints", "ankle_o"], [0.2, 10**400], "joints.ankle_o y", "a huge number"),
        (["joints", "hip"], [True, 0.3], "joints.hip x", "must be a number, not a boolean"),
        (["joints", "hip"], [0.1], "joints.hip", "must be a point"),
        (["joints", "tail"], [0.1, 0.1], "joints", 'unknown field "tail"'),
        (["joints", "head"], [0.02, 0.5], "joints.head", "must fit inside the box"),
        (["joints", "toe_w"], [0.5, 0.5], "joints.toe_w", "not joined"),
        (["segments", 2], ["hip", "tail"], "segments[3]", 'joins "tail"'),
        (["segments", 2], ["hip", "hip"], "segments[3]", "two different joints"),
        (["segments", 2], ["hip", "knee_w", True], "segments[3] thickness", "whole number from 1 to 3"),
        (["segments", 2], ["hip", "knee_w", 4], "segments[3] thickness", "whole number from 1 to 3"),
        (["segments"], [], "segments", "1 to 40 segments"),
        (["props", 0, "w"], 0.9, "props[1]", "must fit inside the box"),
        (["props", 0, "h"], 0, "props[1]", "width and a height above 0"),
        (["props", 0, "type"], "sofa", "props[1].type", 'not "sofa"'),
        (["props", 0], {"type": "strap", "points": ["hand", "hip"]}, "props[1].points[1]", '"hand" is not a joint'),
        (["props", 0], {"type": "strap", "points": ["hip"]}, "props[1].points", "2 to 12"),
        (["aspect"], 9, "aspect", "from 0.5 to 4, not 9"),
        (["head_r"], "big", "head_r", "must be a number, not text"),
        (["colour"], "red", "", 'unknown field "colour"'),
    ],
)
def test_broken_figures_name_the_point_or_field(path: list[Any], value: Any, field: str, words: str) -> None:
    with pytest.raises(FigureError) as caught:
        parse_figure(_with(path, value))
    assert caught.value.field == field
    assert words in caught.value.problem


def test_text_from_the_file_is_never_shown_raw() -> None:
    figure = small_figure()
    figure["joints"]["\x1b[31m\n"] = [0.1, 0.1]
    with pytest.raises(FigureError) as caught:
        parse_figure(figure)
    assert not CONTROL.search(str(caught.value))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=16,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated_figures(draw: st.DrawFn) -> Any:
    figure = copy.deepcopy(draw(st.sampled_from(sorted(RAW_FIGURES.values(), key=json.dumps))))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(figure)
        path = draw(st.sampled_from(paths))
        parent: Any = figure
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return figure


def _check(raw: Any) -> None:
    try:
        figure = parse_figure(raw)
    except FigureError as error:
        assert not CONTROL.search(str(error))
    else:
        assert parse_figure(figure.to_dict()) == figure
        drawn = render_figure(figure, "right", 13, 6)
        assert len(drawn.lines) == 6


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_figures())
def test_mutated_figures_are_rejected_by_name_or_drawn(raw: Any) -> None:
    _check(raw)


@settings(max_examples=200)
@given(json_values)
def test_arbitrary_values_are_rejected_with_a_figure_error(raw: Any) -> None:
    with pytest.raises(FigureError):
        parse_figure(raw)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_figures(), json_values))
def test_a_built_in_figure_parsed_late_is_a_figure_or_one_named_problem(raw: Any) -> None:
    """The built-in figures are parsed when first drawn (FigureSource): whatever a damaged
    install holds there, asking for the figure gives a figure or None, never an exception,
    and None comes with one line naming the file, the stretch and the field."""
    from tui.core.catalog import FigureSource

    source = FigureSource(raw, where=("stretches.json", "'half-splits'"))
    again = FigureSource(copy.deepcopy(raw))
    assert source == again and hash(source) == hash(again)  # by the figure as written
    figure = source.figure
    assert source.figure is figure  # parsed once
    if figure is None:
        problem = source.problem
        assert problem is not None and "\n" not in str(problem) and not CONTROL.search(str(problem))
        assert str(problem).startswith("stretches.json: stretch 'half-splits': field 'figure")
    else:
        assert source.problem is None and figure == parse_figure(raw)


# -- the catalog's figure field -----------------------------------------------------------------------------


def _user_file(config_dir: Path, figure: Any) -> Path:
    document = builtin_catalog_dict()
    stretch = document["stretches"][2]
    stretch["figure"] = figure
    document["stretches"] = [stretch]
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "stretches.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_broken_user_figure_names_file_stretch_and_point(config_dir: Path) -> None:
    broken = copy.deepcopy(RAW_FIGURES["half-splits"])
    broken["joints"]["knee_w"] = [1.2, 0.5]
    path = _user_file(config_dir, broken)
    with pytest.raises(CatalogError) as caught:
        load_catalog()
    assert caught.value.stretch == "'half-splits'" and caught.value.field == "figure.joints.knee_w x"
    assert str(caught.value).startswith(f"{path}: stretch 'half-splits': field 'figure.joints.knee_w x': ")


def test_the_app_keeps_the_stretch_without_its_figure(config_dir: Path) -> None:
    _user_file(config_dir, {"joints": "none", "segments": []})
    problems: list[CatalogError] = []
    catalog = load_catalog(figure_problems=problems)
    stretch = catalog.get("half-splits")
    assert stretch is not None and stretch.figure is None and stretch.steps
    assert len(problems) == 1 and problems[0].field == "figure.joints"
    assert "shown without its figure" in str(problems[0])
    assert catalog.get("pyramid-pose") is not None and catalog.get("pyramid-pose").figure is not None  # type: ignore[union-attr]


def test_a_stretch_without_a_figure_is_valid_and_round_trips(config_dir: Path) -> None:
    _user_file(config_dir, None)
    stretch = load_catalog().get("half-splits")
    assert stretch is not None and stretch.figure is None and "figure" not in stretch.to_dict()
