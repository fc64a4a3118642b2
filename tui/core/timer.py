"""The guided-session state machine, driven by an injected monotonic clock.

A routine becomes a *plan*: one step per hold (a one-sided stretch gives a
left and a right step). Each step has a lead-in phase ("Get ready" before a
stretch, "Switch sides" before the second leg) and a hold phase. The timer
only moves when asked (:meth:`SessionTimer.update`); the screen renders it.

Timing is exact: a phase that ends starts the next one at its planned end,
not at the moment the clock was read, so a session that is never paused
lasts exactly its plan however coarse the ticks are; pauses shift the phase
start by exactly the time paused.

The plan and its steps live in :mod:`.timer_plan`, the events and their cues
in :mod:`.timer_events`, results and snapshots in :mod:`.timer_state`; all
are importable from here as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from . import rules, timer_state
from .records import StepRecord
from .timer_events import Countdown, Cue, CycleChanged, CycleState, Event, Finished, PhaseChanged, cues
from .timer_plan import (
    CYCLE_LABELS,
    PHASE_LABELS,
    POSITION_CHANGE_DEFAULT_S,
    SIDE_LABELS,
    CyclePhase,
    Cycles,
    Phase,
    PlanStep,
    build_plan,
    plan_seconds,
)
from .timer_state import SNAPSHOT_VERSION, StepResult

#: Kept for those who import them from here: the rules' values.
HOLD_MIN_S = rules.HOLD_MIN_S
HOLD_MAX_S = rules.HOLD_MAX_S
ADJUST_STEP_S = 5
COUNTDOWN_CUES = (3, 2, 1)


class SessionTimer:
    """Where a guided session is, and how it moves on."""

    def __init__(self, plan: Sequence[PlanStep], clock: Callable[[], float]):
        if not plan:
            raise ValueError("a session needs at least one step")
        self.plan = tuple(plan)
        self.clock = clock
        #: Each step's hold as it stands (``+``/``-`` change the current one).
        self.holds: list[float] = [step.hold_s for step in self.plan]
        self.results = [StepResult() for _ in self.plan]
        self.index = 0
        self.phase: Phase = "idle"
        self._phase_start = 0.0
        self._paused_at: float | None = None
        self._last_shown: int | None = None
        self._last_cycle: tuple[int, str, int] | None = None
        self.finished_complete = False
        self._ended_at: float | None = None  # seconds of the plan behind us when abandoned

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

    def planned_hold(self, index: int | None = None) -> float:
        """The hold of step ``index`` (the current one) as it stands: in a lead-in, the coming hold."""
        return self.holds[self.index if index is None else index]

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

    def cycle_state(self, now: float | None = None) -> CycleState | None:
        """The contract or relax phase under way, for a hold with cycles (else ``None``)."""
        cycles = self.step.cycles
        if self.phase != "hold" or cycles is None:
            return None
        elapsed = self.elapsed(now)
        where = cycles.at(elapsed) if elapsed < self.phase_duration() else None
        if where is None:
            return None
        phase, rep, left = where
        return CycleState(phase, rep, cycles.reps_within(self.phase_duration()), min(left, self.remaining(now)))

    def total_seconds(self) -> float:
        return float(sum(step.lead_s + hold for step, hold in zip(self.plan, self.holds, strict=False)))

    def position(self, now: float | None = None) -> float:
        """Seconds of the plan behind us: the phases before this one plus the elapsed part."""
        if self.phase == "idle":
            return 0.0
        if self.phase == "done":
            return self.total_seconds() if self._ended_at is None else self._ended_at
        before = sum(
            step.lead_s + hold for step, hold in zip(self.plan[: self.index], self.holds[: self.index], strict=False)
        )
        if self.phase == "hold":
            before += self.step.lead_s
        return before + min(self.elapsed(now), self.phase_duration())

    def held_seconds(self) -> float:
        """Seconds really held in finished holds: exactly the time spent in hold phases."""
        return sum(result.held_s for result in self.results)

    def planned_hold_seconds(self) -> int:
        """The hold seconds of the plan as it started (before any ``+``/``-``)."""
        return sum(step.hold_s for step in self.plan)

    def adjusted_hold_seconds(self) -> float:
        """The hold seconds of the plan as it stands, with every ``+``/``-``."""
        return float(sum(self.holds))

    def next_change_in(self, now: float | None = None) -> float | None:
        """Seconds until something shown changes (the countdown digit, a cycle or the phase)."""
        if not self.running or self.paused:
            return None
        remaining = self.remaining(now)
        fraction = remaining - math.floor(remaining)
        change = fraction if fraction > 1e-6 else min(1.0, remaining) if remaining > 0 else 0.0
        cycle = self.cycle_state(now)
        if cycle is not None and cycle.remaining > 1e-6:
            change = min(change, cycle.remaining)
        return change

    # -- moving ------------------------------------------------------------------------
    def _first_phase(self, index: int) -> Phase:
        step = self.plan[index]
        return step.lead_phase if step.lead_s > 0 else "hold"

    def _enter(self, index: int, phase: Phase, start: float) -> PhaseChanged:
        self.index = index
        self.phase = phase
        self._phase_start = start
        self._last_shown = None
        self._last_cycle = None
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
        return events + self._hold_cues(moment)

    def _hold_cues(self, moment: float) -> list[Event]:
        """The 3-2-1 before a hold ends, and each new contract or relax phase."""
        events: list[Event] = []
        if self.phase != "hold":
            return events
        cycle = self.cycle_state(moment)
        key = None if cycle is None else (self.index, cycle.phase, cycle.rep)
        if cycle is not None and key != self._last_cycle:
            cycles = self.step.cycles
            seconds = 0 if cycles is None else cycles.contract_s if cycle.phase == "contract" else cycles.relax_s
            events.append(CycleChanged(self.index, cycle.phase, cycle.rep, cycle.reps, seconds))
        self._last_cycle = key
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

    def _leave_step(self, moment: float, skipped: bool) -> list[Event]:
        """Settle this step and start the next one (or finish), keeping a pause."""
        was_paused = self.paused
        self._settle_current(moment, skipped=skipped)
        if self.index + 1 >= len(self.plan):
            self._paused_at = None
            return self._finish(complete=True)
        return [self._move_to(self.index + 1, moment, was_paused)]

    def skip(self, now: float | None = None) -> list[Event]:
        """Leave this step for the next one; a hold not finished is marked skipped."""
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        return events + self._leave_step(moment, skipped=True)

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
        """Lengthen or shorten the current step's hold by ``delta`` seconds, in any phase.

        In a lead-in it changes the coming hold. A hold never goes below
        :data:`HOLD_MIN_S` (nor is one already shorter raised), above
        :data:`HOLD_MAX_S`, nor below what has been held of it: at most it
        ends now, as held. No other step and no lead-in is touched.
        """
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        hold = self.holds[self.index]
        # Limits move a hold towards them, never away: an old 2 s hold is not raised by "-".
        hold = min(max(hold, HOLD_MAX_S), hold + delta) if delta >= 0 else max(min(hold, HOLD_MIN_S), hold + delta)
        self._last_shown = None
        if self.phase != "hold":
            self.holds[self.index] = hold
            return events
        held = self.elapsed(moment)
        if hold > held:
            self.holds[self.index] = hold
            return events + self.update(moment)
        self.holds[self.index] = held
        return events + self._leave_step(moment, skipped=False)

    def abandon(self, now: float | None = None) -> list[Event]:
        """Stop here: the session ends incomplete (unless it had already reached its end)."""
        if not self.running:
            return []
        moment, events = self._catch_up(now)
        if not self.running:
            return events
        self._ended_at = self.position(moment)
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
        return timer_state.dump(self, now)

    @classmethod
    def restore(cls, snapshot: dict[str, Any], clock: Callable[[], float]) -> SessionTimer:
        """Rebuild a timer from :meth:`snapshot` (this version's or version 1), paused where it stopped.

        Raises ``ValueError`` (or ``KeyError``/``TypeError``) for a snapshot that does not fit.
        """
        state = timer_state.load_state(snapshot)
        timer = cls(state.plan, clock)
        timer_state.apply(timer, state)
        return timer


__all__ = [
    "ADJUST_STEP_S",
    "COUNTDOWN_CUES",
    "CYCLE_LABELS",
    "HOLD_MAX_S",
    "HOLD_MIN_S",
    "PHASE_LABELS",
    "POSITION_CHANGE_DEFAULT_S",
    "SIDE_LABELS",
    "SNAPSHOT_VERSION",
    "Countdown",
    "Cue",
    "CycleChanged",
    "CyclePhase",
    "CycleState",
    "Cycles",
    "Event",
    "Finished",
    "Phase",
    "PhaseChanged",
    "PlanStep",
    "SessionTimer",
    "StepResult",
    "build_plan",
    "cues",
    "plan_seconds",
]
