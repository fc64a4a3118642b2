"""Issue 14: random keys against a model of the timer, and snapshots old and new.

The model below is deliberately naive: it walks the clock forward and adds
every second spent in a hold to that step, so "held" is measured, not
settled. Gaps are multiples of 1/8 s, exact in binary, so model and timer
can be compared exactly.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import FakeClock
from tui.core import rules
from tui.core.catalog import builtin_catalog
from tui.core.timer import Cycles, PhaseChanged, SessionTimer, build_plan

CATALOG = builtin_catalog()
STRETCHES = list(CATALOG)

#: A snapshot written by the version before cycles (current-session.json of an older run).
SNAPSHOT_V1 = {
    "version": 1,
    "plan": [
        {"stretch": "reclined-strap-stretch", "name": "Reclined Strap Stretch", "side": "left", "hold_s": 30,
         "lead_phase": "ready", "lead_s": 5},
        {"stretch": "reclined-strap-stretch", "name": "Reclined Strap Stretch", "side": "right", "hold_s": 30,
         "lead_phase": "switch", "lead_s": 5},
        {"stretch": "seated-forward-fold", "name": "Seated Forward Fold", "side": "both", "hold_s": 60,
         "lead_phase": "ready", "lead_s": 5},
    ],
    "holds": [30, 35, 60],
    "results": [[30.0, False, True], [0.0, False, True], [0.0, False, False]],
    "index": 1,
    "phase": "hold",
    "elapsed": 12.75,
    "complete": False,
}  # fmt: skip


class Model:
    """What the timer should do, walked second by second of the plan."""

    def __init__(self, plan):
        self.leads = [step.lead_s for step in plan]
        self.holds = [float(step.hold_s) for step in plan]
        self.held = [0.0] * len(plan)
        self.paused = False
        self.done = False
        self._enter(0)

    def _enter(self, index):
        self.index, self.elapsed = index, 0.0
        self.phase = "lead" if self.leads[index] > 0 else "hold"

    def _next(self):
        if self.index + 1 < len(self.leads):
            self._enter(self.index + 1)
        else:
            self.done, self.paused = True, False

    def advance(self, gap):
        while gap > 0 and not self.done and not self.paused:
            duration = self.leads[self.index] if self.phase == "lead" else self.holds[self.index]
            left = duration - self.elapsed
            spent = min(gap, left)
            if self.phase == "hold":
                self.held[self.index] += spent
            gap -= spent
            self.elapsed += spent
            if self.elapsed >= duration:
                if self.phase == "lead":
                    self.phase, self.elapsed = "hold", 0.0
                else:
                    self._next()

    def key(self, action):
        if self.done:
            return
        if action == "space":
            self.paused = not self.paused
        elif action == "n":
            self._next()
        elif action == "b":
            target = max(0, self.index - 1)
            for index in range(target, self.index + 1):
                self.held[index] = 0.0
            self._enter(target)
        elif action in ("+", "-"):
            hold = self.holds[self.index]
            if action == "+":
                hold = min(max(hold, rules.HOLD_MAX_S), hold + 5)
            else:
                hold = max(min(hold, rules.HOLD_MIN_S), hold - 5)
            if self.phase == "hold" and hold <= self.elapsed:
                self.holds[self.index] = self.elapsed
                self._next()
            else:
                self.holds[self.index] = hold
        elif action == "restore":
            self.paused = True


def apply_key(timer, action, clock):
    if action == "tick":
        timer.update()
    elif action == "space":
        timer.toggle_pause()
    elif action == "n":
        timer.skip()
    elif action == "b":
        timer.back()
    elif action in ("+", "-"):
        timer.adjust(5 if action == "+" else -5)
    elif action == "restore":
        timer.update()  # the screen saves right after the timer moved
        snapshot = json.loads(json.dumps(timer.snapshot()))
        clock.advance(3600)  # hamstring was closed for an hour
        return SessionTimer.restore(snapshot, clock)
    return timer


ACTIONS = st.sampled_from(["tick", "space", "n", "b", "+", "-", "restore"])


@settings(max_examples=300, deadline=None)
@given(
    holds=st.lists(st.integers(1, 90), min_size=1, max_size=5),
    leads=st.lists(st.integers(0, 12), min_size=2, max_size=2),
    cycled=st.booleans(),
    steps=st.lists(st.tuples(st.integers(0, 8 * 120).map(lambda k: k / 8), ACTIONS), max_size=40),
)
def test_random_keys_match_the_model(holds, leads, cycled, steps):
    items = [(STRETCHES[i % len(STRETCHES)], hold) for i, hold in enumerate(holds)]
    cycles = {stretch.id: Cycles(3, 4, 2) for stretch, _ in items} if cycled else None
    clock = FakeClock()
    timer = SessionTimer(build_plan(items, leads[0], leads[1], cycles=cycles), clock)
    model = Model(timer.plan)
    timer.start()
    for gap, action in steps:
        clock.advance(gap)
        model.advance(gap)
        before = list(timer.holds)
        timer = apply_key(timer, action, clock)
        model.key(action)
        # The timer is where the model is.
        assert timer.phase == "done" if model.done else timer.running
        if not model.done:
            step = timer.plan[model.index]
            phase = "hold" if model.phase == "hold" else step.lead_phase
            assert (timer.index, timer.phase, timer.paused) == (model.index, phase, model.paused)
            assert timer.elapsed() == pytest.approx(model.elapsed, abs=1e-9)
            # A running phase always has time left (an ended one would have been left).
            assert timer.phase_duration() - timer.elapsed() > 0
            assert timer.remaining() > 0
            if step.cycles is not None and timer.phase == "hold" and (state := timer.cycle_state()):
                assert 0 < state.remaining <= max(step.cycles.contract_s, step.cycles.relax_s)
                assert 1 <= state.rep <= step.cycles.reps
        # Only the step the key was pressed in changes its hold, within the limits.
        assert timer.holds == pytest.approx(model.holds, abs=1e-9)
        changed = [i for i, (old, new) in enumerate(zip(before, timer.holds, strict=True)) if old != new]
        assert len(changed) <= 1
        assert all(0 < h <= rules.HOLD_MAX_S for h in timer.holds)
        # Held seconds are exactly the seconds spent in hold phases.
        live = timer.elapsed() if timer.phase == "hold" else 0.0
        for index, result in enumerate(timer.results):
            extra = live if index == timer.index else 0.0
            assert result.held_s + extra == pytest.approx(model.held[index], abs=1e-9)
            assert result.held_s <= timer.holds[index] + 1e-9
    if timer.paused:
        timer.toggle_pause()
    clock.advance(10_000)
    timer.update()
    assert timer.phase == "done" and timer.finished_complete
    assert timer.held_seconds() <= timer.adjusted_hold_seconds() + 1e-9


def test_a_snapshot_of_the_version_before_cycles_still_loads():
    clock = FakeClock(50_000.0)
    timer = SessionTimer.restore(json.loads(json.dumps(SNAPSHOT_V1)), clock)
    assert (timer.index, timer.phase, timer.paused) == (1, "hold", True)
    assert timer.remaining() == pytest.approx(35 - 12.75)
    assert timer.holds == [30, 35, 60] and all(step.cycles is None for step in timer.plan)
    timer.toggle_pause()
    clock.advance(35 - 12.75 + 5 + 60)
    timer.update()
    assert timer.phase == "done" and [r.held_s for r in timer.step_records()] == [30, 35, 60]


def test_a_cycled_session_round_trips_through_the_resume_file_mid_cycle():
    clock = FakeClock()
    fold = CATALOG.get("seated-forward-fold")
    timer = SessionTimer(build_plan([(fold, 45)], 5, 5, cycles={fold.id: Cycles(5, 10, 3)}), clock)
    timer.start()
    clock.advance(5 + 22.5)
    timer.update()
    timer.toggle_pause()
    snapshot = json.loads(json.dumps(timer.snapshot()))
    assert snapshot["version"] == 2
    assert snapshot["plan"][0]["cycles"] == {"contract_s": 5, "relax_s": 10, "reps": 3}
    restored = SessionTimer.restore(snapshot, later := FakeClock(9_000.0))
    assert restored.plan == timer.plan
    assert restored.cycle_state() == timer.cycle_state()
    assert (restored.cycle_state().phase, restored.cycle_state().rep) == ("relax", 2)
    restored.toggle_pause()
    events = restored.update()  # the cue of the phase under way, again, on resuming
    assert [(e.phase, e.rep) for e in events if not isinstance(e, PhaseChanged)] == [("relax", 2)]
    assert restored.snapshot(later.now) == SessionTimer.restore(restored.snapshot(later.now), later).snapshot()


@pytest.mark.parametrize(
    "damage",
    [
        {"version": 3},
        {"version": True},
        {"plan": []},
        {"plan": "x"},
        {"holds": [30, 35]},
        {"holds": [30, 35, -1]},
        {"holds": [30, 35, 0]},
        {"holds": [30, 35, float("nan")]},
        {"holds": [30, 35, 601]},
        {"holds": [30, "35", 60]},
        {"results": [[30.0, False, True], [0.0, False, True], [-1.0, False, False]]},
        {"results": [[30.0, False, True], [0.0, False, True], [0.0, "no", False]]},
        {"results": [[30.0, False, True], [0.0, False, True], [0.0, False]]},
        {"index": 3},
        {"index": True},
        {"phase": "stretching"},
        {"elapsed": -1},
        {"elapsed": float("inf")},
        {"elapsed": "12"},
        {"complete": "yes"},
    ],
)
def test_a_damaged_snapshot_is_refused_with_a_reason(damage):
    broken = {**SNAPSHOT_V1, **damage}
    with pytest.raises(ValueError):
        SessionTimer.restore(broken, FakeClock())


@pytest.mark.parametrize(
    "step",
    [
        {"hold_s": 0},
        {"hold_s": True},
        {"lead_s": -1},
        {"side": "middle"},
        {"lead_phase": "hold"},
        {"name": 3},
        {"cycles": {"contract_s": 5}},
        {"position": 4},
        {"surprise": 1},
    ],
)
def test_a_damaged_plan_step_is_refused(step):
    plan = [dict(SNAPSHOT_V1["plan"][0], **step), *SNAPSHOT_V1["plan"][1:]]
    with pytest.raises(ValueError):
        SessionTimer.restore({**SNAPSHOT_V1, "plan": plan}, FakeClock())


def test_a_snapshot_past_its_phase_end_resumes_at_the_end_of_that_phase_not_beyond():
    """A phase that had already run out when saved ends on resume, and the next phase gets its full time."""
    clock = FakeClock()
    timer = SessionTimer.restore({**SNAPSHOT_V1, "elapsed": 500.0}, clock)
    assert timer.remaining() == 0
    timer.toggle_pause()
    assert [(e.index, e.phase) for e in timer.update() if isinstance(e, PhaseChanged)] == [(2, "ready")]
    assert timer.remaining() == 5 and timer.results[1].held_s == 35
