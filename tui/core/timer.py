"""The guided-session state machine, driven by an injected monotonic clock.

A routine becomes a *plan*: one step per hold (a one-sided stretch gives a
left and a right step). Each step has a lead-in phase ("Get ready" before a
stretch, "Switch sides" before the second leg) and a hold phase. The timer
only moves when asked (:meth:`SessionTimer.update`); the screen renders it.

Timing is exact: a phase that ends starts the next one at its planned end,
not at the moment the clock was read, so a session that is never paused
lasts exactly its plan however coarse the ticks are; pauses shift the phase
start by exactly the time paused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .catalog import Stretch
from .records import StepRecord

Phase = Literal["idle", "ready", "switch", "hold", "done"]
PHASE_LABELS: dict[str, str] = {
    "idle": "Not started",
    "ready": "Get ready",
    "switch": "Switch sides",
    "hold": "Hold",
    "done": "Done",
}
SIDE_LABELS = {"left": "Left leg", "right": "Right leg", "both": "Both legs"}
HOLD_MIN_S = 1
HOLD_MAX_S = 600
ADJUST_STEP_S = 5
COUNTDOWN_CUES = (3, 2, 1)
SNAPSHOT_VERSION = 1


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One hold of the plan, with the lead-in before it."""

    stretch: str
    name: str
    side: str
    hold_s: int
    lead_phase: Phase
    lead_s: int

    @property
    def side_label(self) -> str:
        return SIDE_LABELS[self.side]

    def to_dict(self) -> dict[str, Any]:
        return {
            "stretch": self.stretch,
            "name": self.name,
            "side": self.side,
            "hold_s": self.hold_s,
            "lead_phase": self.lead_phase,
            "lead_s": self.lead_s,
        }


def build_plan(items: Iterable[tuple[Stretch, int]], transition_s: int, switch_s: int) -> tuple[PlanStep, ...]:
    """Plan steps for ``(stretch, hold seconds)`` pairs: left then right for one-sided ones."""
    steps: list[PlanStep] = []
    for stretch, hold in items:
        if stretch.one_sided:
            steps.append(PlanStep(stretch.id, stretch.name, "left", hold, "ready", transition_s))
            steps.append(PlanStep(stretch.id, stretch.name, "right", hold, "switch", switch_s))
        else:
            steps.append(PlanStep(stretch.id, stretch.name, "both", hold, "ready", transition_s))
    return tuple(steps)


def plan_seconds(plan: Sequence[PlanStep]) -> int:
    return sum(step.lead_s + step.hold_s for step in plan)


@dataclass(slots=True)
class StepResult:
    held_s: float = 0.0
    skipped: bool = False
    reached: bool = False


# -- events the screen reacts to ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PhaseChanged:
    index: int
    phase: Phase


@dataclass(frozen=True, slots=True)
class Countdown:
    seconds_left: int


@dataclass(frozen=True, slots=True)
class Finished:
    pass


Event = PhaseChanged | Countdown | Finished


class SessionTimer:
    """Where a guided session is, and how it moves on."""

    def __init__(self, plan: Sequence[PlanStep], clock: Callable[[], float]):
        if not plan:
            raise ValueError("a session needs at least one step")
        self.plan = tuple(plan)
        self.clock = clock
        self.holds = [step.hold_s for step in self.plan]
        self.results = [StepResult() for _ in self.plan]
        self.index = 0
        self.phase: Phase = "idle"
        self._phase_start = 0.0
        self._paused_at: float | None = None
        self._last_shown: int | None = None
        self.finished_complete = False

    # -- state ---------------------------------------------------------------------
    @property
    def step(self) -> PlanStep:
        return self.plan[self.index]

    @property
    def next_step(self) -> PlanStep | None:
        return self.plan[self.index + 1] if self.index + 1 < len(self.plan) else None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def running(self) -> bool:
        return self.phase not in ("idle", "done")

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]

    def _now(self, now: float | None) -> float:
        return self.clock() if now is None else now

    def phase_duration(self, index: int | None = None, phase: Phase | None = None) -> float:
        index = self.index if index is None else index
        phase = self.phase if phase is None else phase
        if phase == "hold":
            return float(self.holds[index])
        if phase in ("ready", "switch"):
            return float(self.plan[index].lead_s)
        return 0.0

    def elapsed(self, now: float | None = None) -> float:
        """Seconds into the current phase, pauses excluded."""
        if not self.running:
            return 0.0
        moment = self._paused_at if self._paused_at is not None else self._now(now)
        return max(0.0, moment - self._phase_start)

    def remaining(self, now: float | None = None) -> float:
        return max(0.0, self.phase_duration() - self.elapsed(now))

    def shown_seconds(self, now: float | None = None) -> int:
        """The countdown as displayed: whole seconds, rounded up."""
        return math.ceil(round(self.remaining(now), 6))

    def total_seconds(self) -> float:
        return float(sum(step.lead_s + hold for step, hold in zip(self.plan, self.holds, strict=False)))

    def position(self, now: float | None = None) -> float:
        """Seconds of the plan behind us: the phases before this one plus the elapsed part."""
        if self.phase == "idle":
            return 0.0
        if self.phase == "done":
            return self.total_seconds()
        before = sum(
            step.lead_s + hold for step, hold in zip(self.plan[: self.index], self.holds[: self.index], strict=False)
        )
        if self.phase == "hold":
            before += self.step.lead_s
        return before + min(self.elapsed(now), self.phase_duration())

    def held_seconds(self) -> float:
        return sum(result.held_s for result in self.results)

    def next_change_in(self, now: float | None = None) -> float | None:
        """Seconds until something shown changes (the countdown digit or the phase)."""
        if not self.running or self.paused:
            return None
        remaining = self.remaining(now)
        fraction = remaining - math.floor(remaining)
        return fraction if fraction > 1e-6 else min(1.0, remaining) if remaining > 0 else 0.0

    # -- moving ------------------------------------------------------------------------
    def _first_phase(self, index: int) -> Phase:
        step = self.plan[index]
        return step.lead_phase if step.lead_s > 0 else "hold"

    def _enter(self, index: int, phase: Phase, start: float) -> PhaseChanged:
        self.index = index
        self.phase = phase
        self._phase_start = start
        self._last_shown = None
        if phase in ("ready", "switch", "hold"):
            self.results[index].reached = True
        return PhaseChanged(index, phase)

    def _finish(self, complete: bool) -> list[Event]:
        self.phase = "done"
        self._paused_at = None
        self.finished_complete = complete
        return [PhaseChanged(self.index, "done"), Finished()]

    def start(self, now: float | None = None) -> list[Event]:
        if self.phase != "idle":
            return []
        moment = self._now(now)
        events: list[Event] = [self._enter(0, self._first_phase(0), moment)]
        return events + self.update(moment)

    def update(self, now: float | None = None) -> list[Event]:
        """Advance through every phase that has ended by ``now``; returns what happened."""
        if not self.running or self.paused:
            return []
        moment = self._now(now)
        events: list[Event] = []
        while self.running:
            duration = self.phase_duration()
            if moment - self._phase_start < duration:
                break
            ended_at = self._phase_start + duration
            if self.phase == "hold":
                self.results[self.index].held_s = duration
                if self.index + 1 >= len(self.plan):
                    events.extend(self._finish(complete=True))
                    return events
                events.append(self._enter(self.index + 1, self._first_phase(self.index + 1), ended_at))
            else:
                events.append(self._enter(self.index, "hold", ended_at))
        if self.phase == "hold":
            shown = self.shown_seconds(moment)
            if shown in COUNTDOWN_CUES and self._last_shown is not None and shown < self._last_shown:
                events.append(Countdown(shown))
            self._last_shown = shown
        return events

    def toggle_pause(self, now: float | None = None) -> bool:
        """Pause or resume; returns whether the timer is now paused."""
        if not self.running:
            return False
        moment = self._now(now)
        if self._paused_at is None:
            self.update(moment)
            if self.running:
                self._paused_at = moment
        else:
            self._phase_start += moment - self._paused_at
            self._paused_at = None
        return self.paused

    def _settle_current(self, moment: float, skipped: bool) -> None:
        result = self.results[self.index]
        if self.phase == "hold":
            result.held_s = min(self.elapsed(moment), self.phase_duration())
        result.skipped = skipped

    def _catch_up(self, now: float | None) -> tuple[float, list[Event]]:
        """Bring the timer up to ``now`` before a key acts on it.

        The events of the catch-up are returned too: if the session ended
        meanwhile (a laptop that slept), the caller must pass that on.
        """
        moment = self._now(now)
        return moment, self.update(moment)

    def skip(self, now: float | None = None) -> list[Event]:
        """Leave this step for the next one; a hold not finished is marked skipped."""
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        was_paused = self.paused
        self._settle_current(moment, skipped=True)
        if self.index + 1 >= len(self.plan):
            self._paused_at = None
            return events + self._finish(complete=True)
        events.append(self._move_to(self.index + 1, moment, was_paused))
        return events

    def back(self, now: float | None = None) -> list[Event]:
        """Go back to the previous step (or restart the first) and do it again."""
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        was_paused = self.paused
        target = max(0, self.index - 1)
        for index in range(target, self.index + 1):
            self.results[index] = StepResult()
        events.append(self._move_to(target, moment, was_paused))
        return events

    def _move_to(self, index: int, moment: float, paused: bool) -> Event:
        """Start step ``index`` from its first phase at ``moment``, paused again if it was."""
        self._paused_at = None
        event = self._enter(index, self._first_phase(index), moment)
        if paused:
            self._paused_at = moment
        return event

    def adjust(self, delta: int, now: float | None = None) -> list[Event]:
        """Lengthen or shorten the current step's hold by ``delta`` seconds (1..600)."""
        if not self.running:
            return []
        self.holds[self.index] = max(HOLD_MIN_S, min(HOLD_MAX_S, self.holds[self.index] + delta))
        self._last_shown = None
        return self.update(now)

    def abandon(self, now: float | None = None) -> list[Event]:
        """Stop here: the session ends incomplete (unless it had already reached its end)."""
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        self._settle_current(moment, skipped=self.phase != "hold" or self.elapsed(moment) < self.phase_duration())
        return events + self._finish(complete=False)

    # -- results ------------------------------------------------------------------------
    def step_records(self) -> tuple[StepRecord, ...]:
        """What was done, step by step (steps never reached are left out)."""
        records = []
        for step, result in zip(self.plan, self.results, strict=False):
            if not result.reached:
                continue
            records.append(StepRecord(step.stretch, step.side, round(result.held_s), result.skipped))
        return tuple(records)

    # -- resume after a crash ---------------------------------------------------------------
    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        return {
            "version": SNAPSHOT_VERSION,
            "plan": [step.to_dict() for step in self.plan],
            "holds": list(self.holds),
            "results": [[r.held_s, r.skipped, r.reached] for r in self.results],
            "index": self.index,
            "phase": self.phase,
            "elapsed": round(self.elapsed(now), 3),
            "complete": self.finished_complete,
        }

    @classmethod
    def restore(cls, snapshot: dict[str, Any], clock: Callable[[], float]) -> SessionTimer:
        """Rebuild a timer from :meth:`snapshot`, paused where it stopped.

        Raises ``ValueError`` (or ``KeyError``/``TypeError``) for a snapshot that does not fit.
        """
        if snapshot.get("version") != SNAPSHOT_VERSION:
            raise ValueError("unknown snapshot version")
        plan = [PlanStep(**raw) for raw in snapshot["plan"]]
        timer = cls(plan, clock)
        holds = [int(h) for h in snapshot["holds"]]
        results = [StepResult(float(h), bool(s), bool(r)) for h, s, r in snapshot["results"]]
        if len(holds) != len(plan) or len(results) != len(plan):
            raise ValueError("snapshot lengths do not match its plan")
        timer.holds = holds
        timer.results = results
        index = int(snapshot["index"])
        phase = snapshot["phase"]
        if not 0 <= index < len(plan) or phase not in PHASE_LABELS:
            raise ValueError("snapshot position is out of range")
        timer.index = index
        timer.phase = phase
        timer.finished_complete = bool(snapshot.get("complete", False))
        if timer.running:
            now = clock()
            timer._phase_start = now - float(snapshot["elapsed"])
            timer._paused_at = now
        return timer
