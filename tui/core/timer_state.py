"""The session timer's results and snapshots (``current-session.json``), hostile until checked.

Version 1 (before contract-relax cycles) and version 2 both load. Anything
that does not fit raises ``ValueError`` with a short reason. Values that an
older version could write (a hold shorter than today's minimum of 5 s) are
accepted, so a session saved by it is never lost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .rules import HOLD_MAX_S
from .timer_plan import PHASE_LABELS, Phase, PlanStep

if TYPE_CHECKING:
    from .timer import SessionTimer

#: 2 adds optional ``cycles``/``position`` to plan steps and allows fractional holds; 1 still loads.
SNAPSHOT_VERSION = 2
SNAPSHOT_VERSIONS = (1, 2)


@dataclass(slots=True)
class StepResult:
    held_s: float = 0.0
    skipped: bool = False
    reached: bool = False


@dataclass(frozen=True, slots=True)
class SnapshotState:
    plan: tuple[PlanStep, ...]
    holds: tuple[float, ...]
    results: tuple[tuple[float, bool, bool], ...]
    index: int
    phase: Phase
    elapsed: float
    complete: bool


def _seconds(value: object, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} must be a number of seconds")
    if not 0 <= value <= high:
        raise ValueError(f"{what} must be from 0 to {high} seconds")
    return float(value)


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false")
    return value


def dump(timer: SessionTimer, now: float | None = None) -> dict[str, Any]:
    """The timer as a JSON-ready dictionary."""
    return {
        "version": SNAPSHOT_VERSION,
        "plan": [step.to_dict() for step in timer.plan],
        "holds": list(timer.holds),
        "results": [[r.held_s, r.skipped, r.reached] for r in timer.results],
        "index": timer.index,
        "phase": timer.phase,
        "elapsed": timer.elapsed(now),
        "complete": timer.finished_complete,
    }


def apply(timer: SessionTimer, state: SnapshotState) -> None:
    """Put a fresh timer (made from the state's plan) where the snapshot stopped, paused."""
    timer.holds = list(state.holds)
    timer.results = [StepResult(held, skipped, reached) for held, skipped, reached in state.results]
    timer.index = state.index
    timer.phase = state.phase
    timer.finished_complete = state.complete
    if timer.running:
        now = timer.clock()
        timer._phase_start = now - min(state.elapsed, timer.phase_duration())
        timer._paused_at = now


def load_state(snapshot: dict[str, Any]) -> SnapshotState:
    """The checked content of a snapshot dictionary."""
    version = snapshot.get("version") if isinstance(snapshot, dict) else None
    if isinstance(version, bool) or version not in SNAPSHOT_VERSIONS:
        raise ValueError("unknown snapshot version")
    raw_plan = snapshot["plan"]
    if not isinstance(raw_plan, list) or not raw_plan:
        raise ValueError("a snapshot needs a plan of at least one step")
    plan = tuple(PlanStep.from_dict(raw) for raw in raw_plan)
    raw_holds, raw_results = snapshot["holds"], snapshot["results"]
    if not isinstance(raw_holds, list) or not isinstance(raw_results, list):
        raise ValueError("a snapshot's holds and results must be lists")
    if len(raw_holds) != len(plan) or len(raw_results) != len(plan):
        raise ValueError("snapshot lengths do not match its plan")
    holds = tuple(_seconds(hold, HOLD_MAX_S, "a hold") for hold in raw_holds)
    if any(hold <= 0 for hold in holds):
        raise ValueError("a hold must be longer than 0 seconds")
    results = []
    for raw, hold in zip(raw_results, holds, strict=True):
        if not isinstance(raw, list) or len(raw) != 3:
            raise ValueError("a step result must be [held, skipped, reached]")
        held = min(_seconds(raw[0], math.inf, "held seconds"), hold)
        results.append((held, _flag(raw[1], "skipped"), _flag(raw[2], "reached")))
    index, phase = snapshot["index"], snapshot["phase"]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(plan):
        raise ValueError("snapshot position is out of range")
    if phase not in PHASE_LABELS:
        raise ValueError("snapshot phase is unknown")
    return SnapshotState(
        plan=plan,
        holds=holds,
        results=tuple(results),
        index=index,
        phase=phase,
        elapsed=_seconds(snapshot["elapsed"], math.inf, "elapsed"),
        complete=_flag(snapshot.get("complete", False), "complete"),
    )
