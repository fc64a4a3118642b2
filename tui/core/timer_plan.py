"""The plan of a guided session: one step per hold, with its lead-in and cycles.

A routine becomes a *plan*: one step per hold (a one-sided stretch gives a
left and a right step). Each step has a lead-in ("Get ready" before a stretch,
"Switch sides" before the second leg) and a hold, which may run
contract-relax *cycles*. :mod:`tui.core.timer` runs the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .catalog import Stretch
from .rules import HOLD_MAX_S, TRANSITION_MAX_S, TRANSITION_MIN_S

# Cycles live apart, so the catalog (which reads them) loads without the rest of the plan.
from .timer_cycles import CYCLE_PHASE_MAX_S as CYCLE_PHASE_MAX_S
from .timer_cycles import CYCLE_REPS_MAX as CYCLE_REPS_MAX
from .timer_cycles import CyclePhase as CyclePhase
from .timer_cycles import Cycles as Cycles
from .timer_cycles import _whole

Phase = Literal["idle", "ready", "switch", "hold", "done"]
PHASE_LABELS: dict[str, str] = {
    "idle": "Not started",
    "ready": "Get ready",
    "switch": "Switch sides",
    "hold": "Hold",
    "done": "Done",
}
CYCLE_LABELS: dict[str, str] = {"contract": "Contract", "relax": "Relax"}
SIDE_LABELS = {"left": "Left leg", "right": "Right leg", "both": "Both legs"}
LEAD_PHASES = ("ready", "switch")
#: The lead-in before a stretch done in another body position than the one before it.
POSITION_CHANGE_DEFAULT_S = 10


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One hold of the plan, with the lead-in before it."""

    stretch: str
    name: str
    side: str
    hold_s: int
    lead_phase: Phase
    lead_s: int
    cycles: Cycles | None = None
    position: str | None = None

    def __post_init__(self) -> None:
        """Only steps that a snapshot can be read back from (a hold of 1 s is an old plan's)."""
        _whole(self.hold_s, 1, HOLD_MAX_S, "hold_s")
        _whole(self.lead_s, TRANSITION_MIN_S, TRANSITION_MAX_S, "lead_s")
        if not isinstance(self.stretch, str) or not isinstance(self.name, str):
            raise ValueError("a plan step's stretch and name must be text")
        if self.side not in SIDE_LABELS or self.lead_phase not in LEAD_PHASES:
            raise ValueError("a plan step's side or lead-in is unknown")
        if self.position is not None and not isinstance(self.position, str):
            raise ValueError("a plan step's position must be text")
        if self.cycles is not None and not isinstance(self.cycles, Cycles):
            raise ValueError("a plan step's cycles must be Cycles")

    @property
    def side_label(self) -> str:
        return SIDE_LABELS[self.side]

    def to_dict(self) -> dict[str, Any]:
        raw: dict[str, Any] = {
            "stretch": self.stretch,
            "name": self.name,
            "side": self.side,
            "hold_s": self.hold_s,
            "lead_phase": self.lead_phase,
            "lead_s": self.lead_s,
        }
        if self.cycles is not None:
            raw["cycles"] = self.cycles.to_dict()
        if self.position is not None:
            raw["position"] = self.position
        return raw

    @classmethod
    def from_dict(cls, raw: object) -> PlanStep:
        """A step from :meth:`to_dict` (today's or an older version's); ``ValueError`` if it does not fit."""
        if not isinstance(raw, Mapping):
            raise ValueError("a plan step must be an object")
        known = {"stretch", "name", "side", "hold_s", "lead_phase", "lead_s", "cycles", "position"}
        if not {"stretch", "name", "side", "hold_s", "lead_phase", "lead_s"} <= set(raw) <= known:
            raise ValueError("a plan step has missing or unknown fields")
        cycles = raw.get("cycles")
        return cls(
            raw["stretch"],
            raw["name"],
            raw["side"],
            raw["hold_s"],
            raw["lead_phase"],
            raw["lead_s"],
            None if cycles is None else Cycles.from_dict(cycles),
            raw.get("position"),
        )


def _cycles_of(stretch: Stretch, cycles: Mapping[str, Cycles] | None) -> Cycles | None:
    found: object = cycles.get(stretch.id) if cycles is not None else None
    if found is None:
        found = getattr(stretch, "cycles", None)  # a catalog that knows cycles
    if found is None or isinstance(found, Cycles):
        return found
    return Cycles.from_dict(found)


def build_plan(
    items: Iterable[tuple[Stretch, int]],
    transition_s: int,
    switch_s: int,
    *,
    lead_s: Sequence[int | None] | None = None,
    positions: Mapping[str, str] | None = None,
    position_change_s: int | None = None,
    cycles: Mapping[str, Cycles] | None = None,
) -> tuple[PlanStep, ...]:
    """Plan steps for ``(stretch, hold seconds)`` pairs: left then right for one-sided ones.

    The "Get ready" before a stretch lasts ``transition_s``, and "Switch sides"
    ``switch_s``, unless:

    - ``lead_s`` gives one lead-in per item (``None`` keeps the rule below);
    - ``positions`` (stretch id to body position, else the stretch's own
      ``position``) or ``position_change_s`` are given: then a stretch in
      another position than the one before it (and the first) gets
      ``position_change_s`` (default 10 s), and one in the same position
      ``transition_s``.

    ``cycles`` (stretch id to :class:`Cycles`, else the stretch's own
    ``cycles``) gives a hold contract-relax cycles. A hold outside 1..600 s
    or a lead-in outside 0..60 s raises ``ValueError``.
    """
    by_position = positions is not None or position_change_s is not None
    change_s = POSITION_CHANGE_DEFAULT_S if position_change_s is None else position_change_s
    steps: list[PlanStep] = []
    previous: str | None = None
    for number, (stretch, hold) in enumerate(items):
        position = positions.get(stretch.id) if positions is not None else None
        if position is None:
            found = getattr(stretch, "position", None)
            position = found if isinstance(found, str) else None
        ready_s = transition_s
        if by_position and (number == 0 or position is None or position != previous):
            ready_s = change_s
        own_lead = lead_s[number] if lead_s is not None and number < len(lead_s) else None
        if own_lead is not None:
            ready_s = own_lead
        previous = position
        held = _cycles_of(stretch, cycles)
        sides: list[tuple[str, Phase, int]] = [("both", "ready", ready_s)]
        if stretch.one_sided:
            sides = [("left", "ready", ready_s), ("right", "switch", switch_s)]
        for side, lead_phase, lead in sides:
            steps.append(PlanStep(stretch.id, stretch.name, side, hold, lead_phase, lead, held, position))
    return tuple(steps)


def plan_seconds(plan: Sequence[PlanStep]) -> int:
    return sum(step.lead_s + step.hold_s for step in plan)
