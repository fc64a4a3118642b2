"""Issue 14: contract-relax cycles, lead-ins by body position, and the cue of every event."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import pytest

from tests.helpers import FakeClock
from tui.core.catalog import builtin_catalog
from tui.core.timer import (
    Countdown,
    CycleChanged,
    Cycles,
    PhaseChanged,
    SessionTimer,
    build_plan,
    cues,
    plan_seconds,
)

CATALOG = builtin_catalog()
STRAP = CATALOG.get("reclined-strap-stretch")  # one-sided
FOLD = CATALOG.get("seated-forward-fold")  # two-sided
DOG = CATALOG.get("downward-dog")
PNF = Cycles(contract_s=5, relax_s=10, reps=3)


def run(timer, clock, seconds, tick=0.25):
    events = []
    for _ in range(round(seconds / tick)):
        clock.advance(tick)
        events += timer.update()
    return events


# -- cycles ------------------------------------------------------------------------------
def test_cycles_parse_from_the_catalog_shape_and_refuse_nonsense():
    assert Cycles.from_dict({"contract_s": 5, "relax_s": 10, "reps": 3}) == PNF
    assert PNF.total_s == 45 and PNF.to_dict() == {"contract_s": 5, "relax_s": 10, "reps": 3}
    for bad in (
        {"contract_s": 0, "relax_s": 10, "reps": 3},
        {"contract_s": 5, "relax_s": 10, "reps": 0},
        {"contract_s": 5, "relax_s": True, "reps": 3},
        {"contract_s": 5.5, "relax_s": 10, "reps": 3},
        {"contract_s": 120, "relax_s": 120, "reps": 20},  # longer than the longest hold
        {"contract_s": 5, "relax_s": 10},
        {"contract_s": 5, "relax_s": 10, "reps": 3, "extra": 1},
        [5, 10, 3],
    ):
        with pytest.raises(ValueError):
            Cycles.from_dict(bad)


def test_without_cycles_the_plan_is_as_before():
    # The catalog now gives each stretch a position (issue #14): left out here, the plan is as before.
    plan = build_plan([(dataclasses.replace(STRAP, position=None), 30), (FOLD, 60)], 5, 4)
    assert all(step.cycles is None for step in plan)
    assert plan[0].to_dict() == {
        "stretch": "reclined-strap-stretch",
        "name": "Reclined Strap Stretch",
        "side": "left",
        "hold_s": 30,
        "lead_phase": "ready",
        "lead_s": 5,
    }


def test_a_hold_with_cycles_runs_contract_and_relax_and_cues_each():
    plan = build_plan([(FOLD, 45), (DOG, 20)], 5, 5, cycles={FOLD.id: PNF})
    assert plan[0].cycles == PNF and plan[1].cycles is None
    timer = SessionTimer(plan, clock := FakeClock())
    timer.start()
    assert timer.cycle_state() is None  # getting ready
    events = run(timer, clock, 5)
    assert [type(e) for e in events] == [PhaseChanged, CycleChanged]
    state = timer.cycle_state()
    assert (state.phase, state.rep, state.reps, state.remaining, state.label) == ("contract", 1, 3, 5, "Contract")
    events += run(timer, clock, 45)
    changes = [(e.phase, e.rep, e.seconds) for e in events if isinstance(e, CycleChanged)]
    assert changes == [
        ("contract", 1, 5),
        ("relax", 1, 10),
        ("contract", 2, 5),
        ("relax", 2, 10),
        ("contract", 3, 5),
        ("relax", 3, 10),
    ]
    assert cues(events) == [
        "hold_start",
        "contract",
        "relax",
        "contract",
        "relax",
        "contract",
        "relax",
        "hold_ending",
        "hold_ending",
        "hold_ending",
        "get_ready",
    ]
    assert (timer.index, timer.phase) == (1, "ready")
    assert timer.results[0].held_s == 45


def test_the_cycle_phase_and_its_time_left_follow_the_clock():
    timer = SessionTimer(build_plan([(FOLD, 45)], 0, 0, cycles={FOLD.id: PNF}), clock := FakeClock())
    timer.start()
    clock.advance(7.5)
    timer.update()
    state = timer.cycle_state()
    assert (state.phase, state.rep, state.remaining) == ("relax", 1, 7.5)
    assert timer.next_change_in() == pytest.approx(0.5)
    clock.advance(7.5 + 5 + 0.25)
    timer.update()
    state = timer.cycle_state()
    assert (state.phase, state.rep, state.remaining) == ("relax", 2, 9.75)


def test_the_screen_wakes_for_a_cycle_change_between_whole_seconds():
    """A hold of 45.5 s (an odd length after a restore) with 5 s phases: the change at 5 s comes first."""
    timer = SessionTimer(build_plan([(FOLD, 45)], 0, 0, cycles={FOLD.id: PNF}), clock := FakeClock())
    timer.start()
    timer.holds[0] = 45.5
    clock.advance(4.25)
    assert timer.next_change_in() == pytest.approx(0.25)  # the digit changes at 4.5 s...
    clock.advance(0.5)
    assert timer.next_change_in() == pytest.approx(0.25)  # ...and the contract ends at 5 s, before 5.5 s


def test_plus_on_a_cycled_hold_adds_a_plain_hold_after_the_last_rep():
    timer = SessionTimer(build_plan([(FOLD, 45)], 0, 0, cycles={FOLD.id: PNF}), clock := FakeClock())
    timer.start()
    timer.adjust(5)
    events = run(timer, clock, 46)
    assert [e.phase for e in events if isinstance(e, CycleChanged)][-1] == "relax"
    assert timer.cycle_state() is None and timer.phase == "hold" and timer.remaining() == 4


def test_minus_on_a_cycled_hold_cuts_the_cycles():
    timer = SessionTimer(build_plan([(FOLD, 45)], 0, 0, cycles={FOLD.id: PNF}), clock := FakeClock())
    timer.start()
    for _ in range(3):
        timer.adjust(-5)
    events = run(timer, clock, 30)
    assert [(e.phase, e.rep) for e in events if isinstance(e, CycleChanged)] == [
        ("relax", 1),
        ("contract", 2),
        ("relax", 2),
    ]
    assert timer.phase == "done" and timer.held_seconds() == 30


def test_a_hold_shorter_than_its_cycles_counts_only_the_reps_that_start():
    """A 5 s hold (``hamstring config hold 5``) on 5 s contract / 10 s relax x3: "1 of 1", not
    "1 of 3" with the hold over before rep 2; minus mid-hold recounts."""
    timer = SessionTimer(build_plan([(FOLD, 5)], 0, 0, cycles={FOLD.id: PNF}), FakeClock())
    timer.start()
    state = timer.cycle_state()
    assert state is not None and (state.phase, state.rep, state.reps) == ("contract", 1, 1)
    timer = SessionTimer(build_plan([(FOLD, 45)], 0, 0, cycles={FOLD.id: PNF}), FakeClock())
    timer.start()
    assert timer.cycle_state().reps == 3  # type: ignore[union-attr]
    for _ in range(3):
        timer.adjust(-5)  # 30 s: two reps start
    assert timer.cycle_state().reps == 2  # type: ignore[union-attr]
    assert [PNF.reps_within(s) for s in (1, 15, 16, 30, 31, 45, 600)] == [1, 1, 2, 2, 3, 3, 3]


@dataclass(frozen=True)
class CatalogStretch:
    """A stretch as a catalog that knows positions and cycles will give it."""

    id: str
    name: str
    one_sided: bool
    position: str | None = None
    cycles: object = None


def test_cycles_and_positions_are_taken_from_a_stretch_that_has_them():
    fold = CatalogStretch("fold", "Fold", False, "seated", {"contract_s": 5, "relax_s": 10, "reps": 3})
    (step,) = build_plan([(fold, 45)], 5, 5)
    assert step.cycles == PNF and step.position == "seated" and step.lead_s == 5


def test_a_cycled_plan_step_round_trips_through_json():
    plan = build_plan([(FOLD, 45)], 5, 5, cycles={FOLD.id: PNF}, positions={FOLD.id: "seated"})
    raw = json.loads(json.dumps(plan[0].to_dict()))
    assert raw["cycles"] == {"contract_s": 5, "relax_s": 10, "reps": 3} and raw["position"] == "seated"
    assert type(plan[0]).from_dict(raw) == plan[0]


# -- lead-ins by position ---------------------------------------------------------------------
def test_a_change_of_position_gets_the_longer_lead_in():
    items = [(STRAP, 30), (FOLD, 30), (DOG, 30), (CATALOG.get("pyramid-pose"), 30)]
    positions = {STRAP.id: "lying", FOLD.id: "seated", DOG.id: "standing", "pyramid-pose": "standing"}
    plan = build_plan(items, 5, 3, positions=positions)
    assert [(s.stretch, s.lead_phase, s.lead_s) for s in plan] == [
        (STRAP.id, "ready", 10),  # the first: from the keyboard to the floor
        (STRAP.id, "switch", 3),
        (FOLD.id, "ready", 10),
        (DOG.id, "ready", 10),
        ("pyramid-pose", "ready", 5),  # same position as before
        ("pyramid-pose", "switch", 3),
    ]
    longer = build_plan(items, 4, 3, positions=positions, position_change_s=20)
    assert [s.lead_s for s in longer if s.lead_phase == "ready"] == [20, 20, 20, 4]


def test_lead_ins_per_stretch_win_and_nothing_new_keeps_the_old_plan():
    items = [(STRAP, 30), (FOLD, 60)]
    assert build_plan(items, 5, 5) == build_plan(items, 5, 5, cycles={}, lead_s=None)
    assert [s.lead_s for s in build_plan(items, 5, 5)] == [5, 5, 5]
    plan = build_plan(items, 5, 4, lead_s=[12, None])
    assert [s.lead_s for s in plan] == [12, 4, 5]
    assert plan_seconds(plan) == 12 + 30 + 4 + 30 + 5 + 60


def test_the_timer_runs_each_lead_in_for_its_own_length():
    plan = build_plan([(FOLD, 10), (DOG, 10)], 5, 5, lead_s=[10, 5])
    timer = SessionTimer(plan, clock := FakeClock())
    timer.start()
    clock.advance(9.5)
    assert timer.update() == [] and timer.phase == "ready"
    clock.advance(0.5 + 10 + 5)
    assert [(e.index, e.phase) for e in timer.update()] == [(0, "hold"), (1, "ready"), (1, "hold")]


# -- cues ---------------------------------------------------------------------------------------
def test_every_phase_change_has_its_cue_in_order():
    timer = SessionTimer(build_plan([(STRAP, 5), (FOLD, 5)], 5, 5), clock := FakeClock())
    events = timer.start() + run(timer, clock, 40)
    assert cues(events) == [
        "get_ready",
        "hold_start",
        "hold_ending",
        "hold_ending",
        "hold_ending",
        "switch_sides",
        "hold_start",
        "hold_ending",
        "hold_ending",
        "hold_ending",
        "get_ready",
        "hold_start",
        "hold_ending",
        "hold_ending",
        "hold_ending",
        "done",
    ]
    assert [e.seconds_left for e in events if isinstance(e, Countdown)] == [3, 2, 1] * 3


@pytest.mark.parametrize(
    ("hold", "transition", "switch", "extra"),
    [(0, 5, 5, {}), (601, 5, 5, {}), (30, 61, 5, {}), (30, 5, -1, {}), (30, 5, 5, {"position_change_s": 61})],
)
def test_a_plan_that_could_not_be_resumed_is_refused_when_built(hold, transition, switch, extra):
    """Validate before writing: every plan the timer snapshots must load again."""
    with pytest.raises(ValueError):
        build_plan([(STRAP, hold)], transition, switch, **extra)
