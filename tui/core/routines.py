"""Routines: ordered stretches with their holds, kept in the store's settings.

The built-in ``daily`` routine is every catalog stretch in catalog order with
its catalog hold. User routines live in the ``routines`` setting as
``{name: [{"stretch": id, "hold_s": seconds or null}, ...]}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalog import Catalog, Stretch

DAILY = "daily"
SETTING_KEY = "routines"
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


def daily(catalog: Catalog) -> Routine:
    return Routine(DAILY, tuple(RoutineItem(stretch.id) for stretch in catalog))


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
        hold = hold_override or item.hold_s or default_hold or stretch.hold_s
        resolved.append((stretch, hold))
    return resolved


def daily_log_minutes(settings: Mapping[str, Any], catalog: Catalog) -> int:
    """Minutes of holding in the daily routine (with the ``hold`` setting), rounded up.

    What a day logged by hand counts as, when no minutes are given.
    """
    routine = routines_from_setting(settings.get(SETTING_KEY), catalog)[DAILY]
    hold = settings.get("hold")
    default = hold if isinstance(hold, int) and not isinstance(hold, bool) and 5 <= hold <= 600 else None
    seconds = sum(h * (2 if s.one_sided else 1) for s, h in resolve(routine, catalog, default_hold=default))
    return max(1, -(-seconds // 60))


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """What the Session screen is asked to run."""

    routine: str = DAILY
    stretch_ids: tuple[str, ...] | None = None  # a one-off routine (from the catalog)
    hold_override: int | None = None
    transition_override: int | None = None
    autostart: bool = False
