"""Contract-relax cycles within a hold (see :mod:`tui.core.timer_plan`, which re-exports them).

Apart from the plan so that the catalog, which reads a stretch's ``cycles``, loads
without the rest of the session machinery.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .rules import HOLD_MAX_S

CyclePhase = Literal["contract", "relax"]
CYCLE_PHASE_MAX_S = 120
CYCLE_REPS_MAX = 20


def _whole(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Cycles:
    """Contract-relax cycles within a hold: contract, relax, ``reps`` times."""

    contract_s: int
    relax_s: int
    reps: int

    def __post_init__(self) -> None:
        _whole(self.contract_s, 1, CYCLE_PHASE_MAX_S, "contract_s")
        _whole(self.relax_s, 1, CYCLE_PHASE_MAX_S, "relax_s")
        _whole(self.reps, 1, CYCLE_REPS_MAX, "reps")
        if self.total_s > HOLD_MAX_S:
            raise ValueError(f"cycles must fit in {HOLD_MAX_S} s, not {self.total_s} s")

    @property
    def period_s(self) -> int:
        return self.contract_s + self.relax_s

    @property
    def total_s(self) -> int:
        """The hold the cycles fill: a longer hold ends with a plain hold, a shorter one cuts them."""
        return self.reps * self.period_s

    def reps_within(self, hold_s: float) -> int:
        """How many reps start within a hold of ``hold_s`` (a hold shorter than :attr:`total_s`
        cuts the last ones): what "rep 1 of N" counts to."""
        return max(1, min(self.reps, math.ceil(hold_s / self.period_s)))

    def at(self, elapsed: float) -> tuple[CyclePhase, int, float] | None:
        """``(phase, rep from 1, seconds left in that phase)`` ``elapsed`` seconds into the hold.

        ``None`` once the last rep is over (the rest of a longer hold is a plain hold).
        """
        if elapsed < 0 or elapsed >= self.total_s:
            return None
        rep = min(self.reps - 1, math.floor(elapsed / self.period_s))
        within = elapsed - rep * self.period_s
        if within < self.contract_s:
            return "contract", rep + 1, self.contract_s - within
        return "relax", rep + 1, self.period_s - within

    def to_dict(self) -> dict[str, int]:
        return {"contract_s": self.contract_s, "relax_s": self.relax_s, "reps": self.reps}

    @classmethod
    def from_dict(cls, raw: object) -> Cycles:
        """Cycles from ``{"contract_s": 5, "relax_s": 10, "reps": 3}``; ``ValueError`` if it does not fit."""
        if not isinstance(raw, Mapping) or set(raw) != {"contract_s", "relax_s", "reps"}:
            raise ValueError("cycles must be an object with contract_s, relax_s and reps")
        return cls(raw["contract_s"], raw["relax_s"], raw["reps"])
