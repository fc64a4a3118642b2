"""What the session timer reports: the events the screen reacts to, each with its cue.

Every event has a ``cue``: the kind of sound or words it deserves, or ``None``.

- :class:`PhaseChanged` -> ``get_ready``, ``switch_sides``, ``hold_start`` or ``done``
- :class:`Countdown` (3, 2, 1 before a hold ends) -> ``hold_ending``
- :class:`CycleChanged` (within a hold with contract-relax cycles) -> ``contract`` or ``relax``
- :class:`Finished` -> ``None`` (its ``PhaseChanged`` to ``done`` carries the cue)

When a hold with cycles starts, ``PhaseChanged(hold)`` comes first and
``CycleChanged(contract, rep 1)`` right after it, at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .timer_plan import CYCLE_LABELS, CyclePhase, Phase

Cue = Literal["get_ready", "switch_sides", "hold_start", "hold_ending", "contract", "relax", "done"]
PHASE_CUES: dict[str, Cue] = {"ready": "get_ready", "switch": "switch_sides", "hold": "hold_start", "done": "done"}


@dataclass(frozen=True, slots=True)
class PhaseChanged:
    index: int
    phase: Phase

    @property
    def cue(self) -> Cue | None:
        return PHASE_CUES.get(self.phase)


@dataclass(frozen=True, slots=True)
class Countdown:
    seconds_left: int

    @property
    def cue(self) -> Cue:
        return "hold_ending"


@dataclass(frozen=True, slots=True)
class CycleChanged:
    """A contract or relax phase began: ``rep`` of ``reps`` (from 1), lasting ``seconds``."""

    index: int
    phase: CyclePhase
    rep: int
    reps: int
    seconds: int

    @property
    def cue(self) -> Cue:
        return self.phase


@dataclass(frozen=True, slots=True)
class Finished:
    @property
    def cue(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class CycleState:
    """Where a hold with cycles is: ``phase`` of rep ``rep`` of ``reps``, ``remaining`` seconds of it."""

    phase: CyclePhase
    rep: int
    reps: int
    remaining: float

    @property
    def label(self) -> str:
        return CYCLE_LABELS[self.phase]


Event = PhaseChanged | Countdown | CycleChanged | Finished


def cues(events: Iterable[Event]) -> list[Cue]:
    """The cues of ``events``, in order (events without one left out)."""
    return [event.cue for event in events if event.cue is not None]
