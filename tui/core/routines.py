"""Routines: ordered stretches with their holds, kept in the store's settings.

The built-in ``daily`` routine is every catalog stretch with its catalog hold,
ordered by body position so that it spares getting up and down: lying, then
seated, kneeling, all fours, standing (stretches without a position last; the
catalog's order within a position). User routines live in the ``routines``
setting as ``{name: [{"stretch": id, "hold_s": seconds or null}, ...]}``.

Also here, so every screen agrees: a routine's plan and its counts
(:func:`routine_plan`, :class:`RoutineSummary`), and when a session counts for
the day (:func:`judge`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalog import POSITIONS, Catalog, Stretch
from .settings import ROUTINES_KEY

if TYPE_CHECKING:
    from .timer import PlanStep, SessionTimer

DAILY = "daily"
SETTING_KEY = ROUTINES_KEY
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _\-]{0,39}$")
TRANSITION_DEFAULT_S = 5
TRANSITION_MAX_S = 60


class RoutineError(ValueError):
    """A routine name or content is not acceptable; the message is one line."""


@dataclass(frozen=True, slots=True)
class RoutineItem:
    stretch: str
    hold_s: int | None = None  # None: the stretch's default hold

    def to_dict(self) -> dict[str, Any]:
        return {"stretch": self.stretch, "hold_s": self.hold_s}

    def hold_for(self, stretch: Stretch, default_hold: int | None = None, hold_override: int | None = None) -> int:
        """The hold a session gives it: ``hold_override`` (``--hold``), then this item's own hold,
        then ``default_hold`` (the ``hold`` setting, see :func:`setting_hold`), then the catalog's."""
        return hold_override or self.hold_s or default_hold or stretch.hold_s


def setting_hold(settings: Mapping[str, Any]) -> int | None:
    """The ``hold`` setting as a hold for every stretch, or None (each stretch's own)."""
    from .rules import HOLD_MAX_S, HOLD_MIN_S

    hold = settings.get("hold")
    usable = isinstance(hold, int) and not isinstance(hold, bool) and HOLD_MIN_S <= hold <= HOLD_MAX_S
    return hold if usable else None


@dataclass(frozen=True, slots=True)
class Routine:
    name: str
    items: tuple[RoutineItem, ...]

    @property
    def builtin(self) -> bool:
        return self.name == DAILY


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise RoutineError("a routine name is 1 to 40 letters, digits, spaces, '-' or '_'")
    return name


def _position_rank(stretch: Stretch) -> int:
    return POSITIONS.index(stretch.position) if stretch.position in POSITIONS else len(POSITIONS)


def daily(catalog: Catalog) -> Routine:
    """Every stretch, lying first and standing last (a stable sort: the catalog's order within a position)."""
    ordered = sorted(catalog, key=_position_rank)
    return Routine(DAILY, tuple(RoutineItem(stretch.id) for stretch in ordered))


def routines_from_setting(value: Any, catalog: Catalog) -> dict[str, Routine]:
    """``daily`` plus the user's routines from the setting (malformed entries are left out)."""
    from .timer import HOLD_MAX_S, HOLD_MIN_S

    routines = {DAILY: daily(catalog)}
    if not isinstance(value, Mapping):
        return routines
    for name, raw_items in value.items():
        if (
            not isinstance(name, str)
            or name == DAILY
            or not NAME_PATTERN.match(name)
            or not isinstance(raw_items, list)
        ):
            continue
        items = []
        for raw in raw_items:
            if not isinstance(raw, Mapping) or not isinstance(raw.get("stretch"), str):
                continue
            hold = raw.get("hold_s")
            if hold is not None and (
                isinstance(hold, bool) or not isinstance(hold, int) or not HOLD_MIN_S <= hold <= HOLD_MAX_S
            ):
                hold = None
            items.append(RoutineItem(raw["stretch"], hold))
        routines[name] = Routine(name, tuple(items))
    return routines


def routines_to_setting(routines: Mapping[str, Routine]) -> dict[str, list[dict[str, Any]]]:
    return {name: [item.to_dict() for item in r.items] for name, r in routines.items() if name != DAILY}


def change_routine(current: Any, old_name: str | None, routine: Routine | None) -> dict[str, Any]:
    """The ``routines`` setting as stored now (``current``) with one routine changed.

    ``old_name`` is the routine as it was (None: a new one), ``routine`` what it
    becomes (None: deleted). A rename keeps its place; every other routine is kept
    exactly as stored, so two copies editing different routines never lose each
    other's. Raises :class:`RoutineError` for a name that is not acceptable.
    """
    stored: dict[str, Any] = dict(current) if isinstance(current, Mapping) else {}
    if routine is not None:
        check_name(routine.name)
        if routine.builtin:
            raise RoutineError("the daily routine is built in and cannot be changed")
    changed: dict[str, Any] = {}
    placed = False
    for name, items in stored.items():
        if name == old_name or (routine is not None and name == routine.name):
            if routine is not None and not placed:
                changed[routine.name] = [item.to_dict() for item in routine.items]
                placed = True
            continue
        changed[name] = items
    if routine is not None and not placed:
        changed[routine.name] = [item.to_dict() for item in routine.items]
    return changed


def resolve(
    routine: Routine, catalog: Catalog, hold_override: int | None = None, default_hold: int | None = None
) -> list[tuple[Stretch, int]]:
    """The routine's stretches with the hold each gets.

    Precedence: ``hold_override`` (``--hold``), then the routine's own hold,
    then ``default_hold`` (the ``hold`` setting), then the catalog's. Stretch
    ids no longer in the catalog are left out.
    """
    resolved = []
    for item in routine.items:
        stretch = catalog.get(item.stretch)
        if stretch is None:
            continue
        resolved.append((stretch, item.hold_for(stretch, default_hold, hold_override)))
    return resolved


def daily_log_minutes(settings: Mapping[str, Any], catalog: Catalog) -> int:
    """Minutes of holding in the daily routine (with the ``hold`` setting), rounded up.

    What a day logged by hand counts as, when no minutes are given.
    """
    routine = routines_from_setting(settings.get(SETTING_KEY), catalog)[DAILY]
    resolved = resolve(routine, catalog, default_hold=setting_hold(settings))
    seconds = sum(h * (2 if s.one_sided else 1) for s, h in resolved)
    return max(1, -(-seconds // 60))


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """What the Session screen is asked to run (``routine`` None: the ``routine`` setting's)."""

    routine: str | None = None
    stretch_ids: tuple[str, ...] | None = None  # a one-off routine (from the catalog)
    hold_override: int | None = None
    transition_override: int | None = None
    autostart: bool = False


# -- a routine's plan and its counts -----------------------------------------------------------
def routine_plan(
    items: list[tuple[Stretch, int]],
    settings: Mapping[str, Any],
    transition_override: int | None = None,
) -> tuple[PlanStep, ...]:
    """The plan of ``items`` with the settings' lead-ins: ``lead-in-position`` before a stretch in
    another body position than the one before (and the first), ``transition`` before one in the
    same position and to switch sides. A ``transition_override`` (``session --transition``) sets both."""
    from .rules import LEAD_IN_POSITION_DEFAULT_S, TRANSITION_DEFAULT_S
    from .timer import build_plan

    transition = settings.get("transition", TRANSITION_DEFAULT_S)
    change = settings.get("lead-in-position", LEAD_IN_POSITION_DEFAULT_S)
    if transition_override is not None:
        transition = change = transition_override
    return build_plan(items, transition, transition, position_change_s=change)


@dataclass(frozen=True, slots=True)
class RoutineSummary:
    """What a routine amounts to, the one definition every screen shows.

    ``stretches``: distinct stretches that exist in the catalog; ``holds``: timed holds (a
    one-sided stretch has two); ``hold_s``: seconds of holding; ``total_s``: with the lead-ins.
    """

    stretches: int
    holds: int
    hold_s: int
    total_s: int

    @classmethod
    def of(cls, plan: tuple[PlanStep, ...] | list[PlanStep]) -> RoutineSummary:
        return cls(
            stretches=len({step.stretch for step in plan}),
            holds=len(plan),
            hold_s=sum(step.hold_s for step in plan),
            total_s=sum(step.hold_s + step.lead_s for step in plan),
        )

    def describe(self, dot: str = "\u00b7") -> str:
        """``3 stretches · 5 holds · about 4:10``"""
        stretches = f"{self.stretches} stretch{'' if self.stretches == 1 else 'es'}"
        holds = f"{self.holds} hold{'' if self.holds == 1 else 's'}"
        return f"{stretches} {dot} {holds} {dot} about {self.total_s // 60}:{self.total_s % 60:02d}"


def summarize(
    routine: Routine, catalog: Catalog, settings: Mapping[str, Any], hold_override: int | None = None
) -> RoutineSummary:
    """The summary of ``routine`` as a session would run it with ``settings``."""
    items = resolve(routine, catalog, hold_override, setting_hold(settings))
    return RoutineSummary.of(routine_plan(items, settings))


# -- honest counting ------------------------------------------------------------------------
#: An abandoned session with less holding than this is not kept at all.
KEEP_MIN_HELD_S = 10


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a session that ended amounts to: ``complete`` (it counts for the day), ``keep``
    (it is written to the history) and ``reason`` (one line, why it does not count)."""

    complete: bool
    keep: bool
    reason: str | None = None


def judge(reached_end: bool, held_s: float, planned_hold_s: float) -> Verdict:
    """The one rule: a session counts for the day when it reached its end and at least half of its
    planned hold seconds were really held. Otherwise it is kept as partial, unless it was abandoned
    with under :data:`KEEP_MIN_HELD_S` seconds held (then it is not kept)."""
    if reached_end and held_s * 2 >= planned_hold_s:
        return Verdict(True, True)
    if not reached_end:
        if held_s < KEEP_MIN_HELD_S:
            return Verdict(False, False, f"Abandoned with under {KEEP_MIN_HELD_S} s held: not kept.")
        return Verdict(False, True, "Abandoned before the end: kept as partial.")
    return Verdict(
        False,
        True,
        f"Only {round(held_s)} s of the planned {round(planned_hold_s)} s were held (half is needed): kept as partial.",
    )


def judge_timer(timer: SessionTimer) -> Verdict:
    """:func:`judge` for a timer that finished (``finished_complete``: it reached its end)."""
    return judge(timer.finished_complete, timer.held_seconds(), timer.planned_hold_seconds())
