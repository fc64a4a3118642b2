"""The stretch catalog: loading, validation and merging of user overrides.

The built-in catalog ships as ``stretches.json``; a user may add stretches or
override built-in ones (same ``id``) with their own ``stretches.json`` in the
config directory. Every problem with a file becomes one :class:`CatalogError`
whose message names the file, the stretch and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import paths
from .document import first_line
from .figure_source import FigureSource as FigureSource  # named here for callers
from .rules import HOLD_MAX_S, HOLD_MIN_S
from .text import control_problem, json_reason

if TYPE_CHECKING:
    from .figures import Figure
    from .timer_cycles import Cycles

CATALOG_VERSION = 1
STEPS_MIN = 3
STEPS_MAX = 8
SIDES = ("each", "both")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Sides = Literal["each", "both"]
#: Body positions, in the order the daily routine takes them (fewest trips up and down).
POSITIONS = ("lying", "seated", "kneeling", "all-fours", "standing")

#: Shown once on first start and always in the help: when to stop and get advice.
SAFETY_NOTE = (
    "Stretch to a gentle pull, never to pain. Stop and ask a doctor or physiotherapist before going on "
    "if you feel a sharp or shooting pain, numbness or tingling down a leg, or if you have hurt your back recently."
)


class CatalogError(ValueError):
    """A catalog file is unusable. ``str(error)`` is one line for the user."""

    def __init__(self, source: str, problem: str, stretch: str | None = None, field: str | None = None):
        self.source = source
        self.problem = problem
        self.stretch = stretch
        self.field = field
        where = [source]
        if stretch is not None:
            where.append(f"stretch {stretch}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(": ".join(where) + f": {problem}")


@dataclass(frozen=True, slots=True)
class Stretch:
    id: str
    name: str
    summary: str
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    sides: Sides
    hold_s: int
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    cautions: tuple[str, ...]
    figure_source: FigureSource | None = None
    cycles: Cycles | None = None  # contract-relax cycles within the hold
    position: str | None = None  # one of POSITIONS

    @property
    def figure(self) -> Figure | None:
        return None if self.figure_source is None else self.figure_source.figure

    @property
    def one_sided(self) -> bool:
        return self.sides == "each"

    @property
    def sides_label(self) -> str:
        """How a hold is done: ``each leg`` (one leg, then the other) or ``both legs`` (at once)."""
        return "each leg" if self.one_sided else "both legs"

    def to_dict(self) -> dict[str, Any]:
        figure: dict[str, Any] = {} if self.figure is None else {"figure": self.figure.to_dict()}
        if self.cycles is not None:
            figure["cycles"] = self.cycles.to_dict()
        if self.position is not None:
            figure["position"] = self.position
        return {
            "id": self.id,
            "name": self.name,
            "summary": self.summary,
            "targets": list(self.targets),
            "equipment": list(self.equipment),
            "sides": self.sides,
            "hold_s": self.hold_s,
            "steps": list(self.steps),
            "cues": list(self.cues),
            "cautions": list(self.cautions),
            **figure,
        }


@dataclass(frozen=True, slots=True)
class Catalog:
    """An ordered, id-unique collection of stretches."""

    stretches: tuple[Stretch, ...]

    def __iter__(self) -> Iterator[Stretch]:
        return iter(self.stretches)

    def __len__(self) -> int:
        return len(self.stretches)

    def __contains__(self, stretch_id: object) -> bool:
        return any(s.id == stretch_id for s in self.stretches)

    def get(self, stretch_id: str) -> Stretch | None:
        for stretch in self.stretches:
            if stretch.id == stretch_id:
                return stretch
        return None

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.stretches]

    def to_dict(self) -> dict[str, Any]:
        return {"version": CATALOG_VERSION, "stretches": [s.to_dict() for s in self.stretches]}

    def merged_with(self, overrides: tuple[Stretch, ...]) -> Catalog:
        """This catalog with ``overrides`` replacing same-id stretches in place and the rest appended."""
        by_id = {s.id: s for s in overrides}
        merged = [by_id.pop(s.id, s) for s in self.stretches]
        merged.extend(s for s in overrides if s.id in by_id)
        return Catalog(tuple(merged))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _text(source: str, sid: str, raw: Mapping[str, Any], field: str) -> str:
    value = raw[field]
    if not isinstance(value, str):
        raise CatalogError(source, f"must be text, not {_type_name(value)}", sid, field)
    problem = control_problem(value)  # before stripping: a tab or newline at either end is refused too
    if problem is not None:
        raise CatalogError(source, problem, sid, field)
    value = value.strip()
    if not value:
        raise CatalogError(source, "must not be empty", sid, field)
    return value


def _text_list(
    source: str, sid: str, raw: Mapping[str, Any], field: str, min_items: int = 0, max_items: int | None = None
) -> tuple[str, ...]:
    value = raw[field]
    if not isinstance(value, list):
        raise CatalogError(source, f"must be a list of text, not {_type_name(value)}", sid, field)
    items: list[str] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise CatalogError(source, f"item {index} must be non-empty text", sid, field)
        problem = control_problem(item)
        if problem is not None:
            raise CatalogError(source, f"item {index} {problem}", sid, field)
        items.append(item.strip())
    if len(items) < min_items or (max_items is not None and len(items) > max_items):
        span = f"{min_items} to {max_items}" if max_items is not None else f"at least {min_items}"
        raise CatalogError(source, f"needs {span} items, has {len(items)}", sid, field)
    return tuple(items)


REQUIRED_FIELDS = ("id", "name", "summary", "targets", "equipment", "sides", "hold_s", "steps", "cues", "cautions")


def _figure(
    source: str, sid: str, raw: Mapping[str, Any], figure_problems: list[CatalogError] | None, check: bool
) -> FigureSource | None:
    """The optional ``figure``; when checked, a broken one raises, or with ``figure_problems`` is
    noted there and dropped. Unchecked (the built-in file), it is parsed when first wanted."""
    if raw.get("figure") is None:
        return None
    if not check:
        return FigureSource(raw["figure"], where=(source, sid))
    from .figures import FigureError, parse_figure

    try:
        return FigureSource(raw["figure"], parse_figure(raw["figure"]), (source, sid))
    except FigureError as error:
        field = f"figure.{error.field}" if error.field else "figure"
        if figure_problems is None:
            raise CatalogError(source, error.problem, sid, field) from None
        figure_problems.append(CatalogError(source, f"{error.problem} (shown without its figure)", sid, field))
        return None


def _cycles(source: str, sid: str, raw: Mapping[str, Any], hold: int) -> Cycles | None:
    """The optional ``cycles`` (contract, relax, reps); they must fit in the stretch's hold."""
    if raw.get("cycles") is None:
        return None
    from .timer_cycles import Cycles

    try:
        cycles = Cycles.from_dict(raw["cycles"])
    except (ValueError, TypeError) as error:
        raise CatalogError(source, str(error), sid, "cycles") from None
    if cycles.total_s > hold:
        raise CatalogError(source, f"last {cycles.total_s} s, longer than hold_s ({hold} s)", sid, "cycles")
    return cycles


def _position(source: str, sid: str, raw: Mapping[str, Any]) -> str | None:
    value = raw.get("position")
    if value is None:
        return None
    if value not in POSITIONS:
        shown = json.dumps(value) if isinstance(value, str) and control_problem(value) is None else _type_name(value)
        raise CatalogError(source, f"must be one of {', '.join(POSITIONS)}, not {shown[:40]}", sid, "position")
    return str(value)


def parse_stretch(
    raw: Any, source: str, position: int, figure_problems: list[CatalogError] | None = None, check_figures: bool = True
) -> Stretch:
    """Validate one stretch object; ``position`` (1-based) names it when its id is unusable.

    A broken ``figure`` raises like any other field unless ``figure_problems`` is given: then the
    problem is appended there and the stretch is kept with ``figure=None``.
    """
    label = f"#{position}"
    if not isinstance(raw, dict):
        raise CatalogError(source, f"must be an object, not {_type_name(raw)}", label)
    raw_id = raw.get("id")
    if isinstance(raw_id, str) and control_problem(raw_id) is None and ID_PATTERN.match(raw_id.strip()):
        label = f"'{raw_id.strip()}'"  # only a slug names the stretch in a message: it is safe to show
    for field in REQUIRED_FIELDS:
        if field not in raw:
            raise CatalogError(source, "is missing", label, field)
    sid = _text(source, label, raw, "id")
    if not ID_PATTERN.match(sid):
        raise CatalogError(source, "must be a lowercase slug such as 'seated-forward-fold'", label, "id")
    sides = raw["sides"]
    if sides not in SIDES:
        raise CatalogError(source, f'must be "each" or "both", not {json.dumps(sides)}', label, "sides")
    hold = raw["hold_s"]
    if isinstance(hold, bool) or not isinstance(hold, int):
        raise CatalogError(source, f"must be a whole number of seconds, not {_type_name(hold)}", label, "hold_s")
    if not HOLD_MIN_S <= hold <= HOLD_MAX_S:
        raise CatalogError(source, f"must be from {HOLD_MIN_S} to {HOLD_MAX_S} seconds, not {hold}", label, "hold_s")
    return Stretch(
        id=sid,
        name=_text(source, label, raw, "name"),
        summary=_text(source, label, raw, "summary"),
        targets=_text_list(source, label, raw, "targets", min_items=1),
        equipment=_text_list(source, label, raw, "equipment"),
        sides=sides,
        hold_s=hold,
        steps=_text_list(source, label, raw, "steps", STEPS_MIN, STEPS_MAX),
        cues=_text_list(source, label, raw, "cues"),
        cautions=_text_list(source, label, raw, "cautions"),
        figure_source=_figure(source, label, raw, figure_problems, check_figures),
        cycles=_cycles(source, label, raw, hold),
        position=_position(source, label, raw),
    )


def parse_catalog(
    data: str | bytes, source: str, figure_problems: list[CatalogError] | None = None, check_figures: bool = True
) -> tuple[Stretch, ...]:
    """Parse and validate the text of a catalog file. Raises :class:`CatalogError` only
    (``check_figures=False``: the figures are checked when first drawn, see :class:`FigureSource`)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # a byte order mark is accepted, as an import accepts one
        except UnicodeDecodeError as error:
            raise CatalogError(source, f"is not UTF-8 text (bad byte at offset {error.start})") from None
    elif data.startswith("\ufeff"):
        data = data[1:]
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise CatalogError(
            source, f"is not valid JSON: {json_reason(error.msg)} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise CatalogError(source, "is not valid JSON: nested too deeply") from None
    except ValueError as error:  # a number too long to convert, say
        raise CatalogError(source, f"is not valid JSON: {first_line(error)}") from None
    if not isinstance(document, dict):
        raise CatalogError(source, f"must hold a JSON object, not {_type_name(document)}")
    version = document.get("version")
    if version != CATALOG_VERSION or isinstance(version, bool):
        shown = "missing" if "version" not in document else json.dumps(version)
        raise CatalogError(source, f"must be {CATALOG_VERSION}, not {shown}", field="version")
    raw_stretches = document.get("stretches")
    if not isinstance(raw_stretches, list):
        shown = "missing" if "stretches" not in document else _type_name(raw_stretches)
        raise CatalogError(source, f"must be a list of stretches, not {shown}", field="stretches")
    stretches: list[Stretch] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_stretches, start=1):
        stretch = parse_stretch(raw, source, position, figure_problems, check_figures)
        if stretch.id in seen:
            raise CatalogError(source, "is used by another stretch in this file", f"'{stretch.id}'", "id")
        seen.add(stretch.id)
        stretches.append(stretch)
    return tuple(stretches)


def read_catalog_file(
    path: Path, figure_problems: list[CatalogError] | None = None, check_figures: bool = True
) -> tuple[Stretch, ...]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(str(path), f"cannot be read ({error.strerror or error})") from None
    return parse_catalog(data, str(path), figure_problems, check_figures)


_BUILTIN: dict[Path, tuple[tuple[int, int] | None, Catalog]] = {}  # as last read: by path, (mtime, size)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def builtin_catalog(builtin_path: Path | None = None) -> Catalog:
    """The catalog shipped with hamstring, read again only when its file changed (the app's
    start checks it, then loads it with the user's file)."""
    path = builtin_path or paths.builtin_catalog_path()
    identity = _file_identity(path)
    cached = _BUILTIN.get(path)
    if cached is not None and identity is not None and cached[0] == identity:
        return cached[1]
    stretches = read_catalog_file(path, check_figures=False)  # shipped and tested: drawn when first wanted
    if not stretches:
        raise CatalogError(str(path), "holds no stretches", field="stretches")
    _BUILTIN[path] = (identity, Catalog(stretches))
    return _BUILTIN[path][1]


def load_catalog(
    user_path: Path | None = None, builtin_path: Path | None = None, figure_problems: list[CatalogError] | None = None
) -> Catalog:
    """The built-in catalog merged with the user's file, if there is one.

    ``user_path`` defaults to ``stretches.json`` in the user config directory. With
    ``figure_problems`` (the app), a broken figure in the user's file is noted there and that
    stretch shows without a figure; without it (the shell), it raises :class:`CatalogError`.
    """
    catalog = builtin_catalog(builtin_path)
    user_path = user_path if user_path is not None else paths.user_catalog_path()
    if user_path.is_file():
        catalog = catalog.merged_with(read_catalog_file(user_path, figure_problems))
    return catalog
