"""Issue 14: the + and - keys in every phase, and what is recorded as held."""

from __future__ import annotations

import pytest

from tests.helpers import FakeClock
from tui.core import rules
from tui.core.catalog import builtin_catalog
from tui.core.timer import Finished, PhaseChanged, SessionTimer, build_plan

CATALOG = builtin_catalog()
STRAP = CATALOG.get("reclined-strap-stretch")  # one-sided
FOLD = CATALOG.get("seated-forward-fold")  # two-sided
DOG = CATALOG.get("downward-dog")


def timer_for(items, transition=5, switch=5):
    clock = FakeClock()
    return SessionTimer(build_plan(items, transition, switch), clock), clock


def phases(events):
    return [(e.index, e.phase) for e in events if isinstance(e, PhaseChanged)]


def test_the_limits_are_the_rules():
    from tui.core import timer

    assert (timer.HOLD_MIN_S, timer.HOLD_MAX_S) == (rules.HOLD_MIN_S, rules.HOLD_MAX_S) == (5, 600)


def test_minus_during_a_hold_never_shortens_the_next_get_ready_or_its_hold():
    """The report: - x4 during a hold; the next Get ready showed 0:04 and its 45 s hold started at 0:35."""
    timer, clock = timer_for([(FOLD, 30), (DOG, 45)], transition=5)
    timer.start()
    clock.advance(5 + 12)  # 12 s into the first hold
    for _ in range(4):
        timer.adjust(-5)
    # 30 - 20 = 10 would be behind us: the hold ends now, having lasted 12 s.
    assert (timer.index, timer.phase) == (1, "ready")
    assert timer.shown_seconds() == 5
    assert timer.holds[1] == 45 and timer.planned_hold() == 45
    clock.advance(5)
    timer.update()
    assert (timer.index, timer.phase, timer.shown_seconds()) == (1, "hold", 45)
    assert timer.results[0].held_s == 12 and not timer.results[0].skipped


def test_minus_never_takes_a_hold_below_five_seconds():
    timer, clock = timer_for([(FOLD, 20)], transition=0)
    timer.start()
    clock.advance(1)
    for _ in range(10):
        timer.adjust(-5)
    assert timer.holds[0] == rules.HOLD_MIN_S
    assert timer.remaining() == pytest.approx(4)
    clock.advance(4)
    assert isinstance(timer.update()[-1], Finished)
    assert timer.held_seconds() == 5


def test_paused_then_minus_seven_times_still_switches_sides():
    """The report: paused, then - x7, the right-leg hold began with no Switch sides."""
    timer, clock = timer_for([(STRAP, 30)], transition=5, switch=5)
    timer.start()
    clock.advance(5 + 8)
    timer.toggle_pause()
    clock.advance(60)
    events = []
    for _ in range(7):
        events += timer.adjust(-5)
    assert phases(events) == [(1, "switch")]  # the 5th - ended the 8 s hold (it cannot end before now)...
    assert timer.holds == [8, 20]  # ...the 6th and 7th, in "Switch sides", shortened the coming hold
    assert timer.paused and timer.phase == "switch" and timer.shown_seconds() == 5
    assert timer.results[0].held_s == 8
    clock.advance(100)  # still paused: nothing moves
    assert timer.update() == [] and timer.phase == "switch"
    timer.toggle_pause()
    clock.advance(4.5)
    assert timer.update() == [] and timer.phase == "switch"
    clock.advance(0.5)
    assert phases(timer.update()) == [(1, "hold")]
    assert timer.shown_seconds() == 20


def test_the_recorded_hold_is_what_was_held_not_the_clamped_length():
    """The report: held_s 1 recorded for a hold that lasted about 5 s."""
    timer, clock = timer_for([(FOLD, 20)], transition=0)
    timer.start()
    timer.adjust(5)
    clock.advance(10)
    timer.adjust(-5)
    timer.adjust(-5)
    assert timer.remaining() == 5
    events = timer.adjust(-30)  # at most it ends the hold now, after 10 s
    assert isinstance(events[-1], Finished)
    assert timer.held_seconds() == 10
    assert [(r.held_s, r.skipped) for r in timer.step_records()] == [(10, False)]


def test_minus_a_moment_before_the_end_ends_the_hold_then_not_later():
    timer, clock = timer_for([(FOLD, 20), (DOG, 30)], transition=5)
    timer.start()
    clock.advance(5 + 17.5)
    timer.adjust(-5)
    assert (timer.index, timer.phase) == (1, "ready")
    assert timer.results[0].held_s == 17.5
    assert timer.remaining() == 5


@pytest.mark.parametrize("lead", ["ready", "switch"])
@pytest.mark.parametrize(("delta", "expected"), [(5, 35), (-5, 25)])
def test_plus_and_minus_in_a_lead_in_adjust_the_coming_hold_only(lead, delta, expected):
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)], transition=5, switch=5)
    timer.start()
    if lead == "switch":
        clock.advance(5 + 30 + 2)
    else:
        clock.advance(2)
    timer.update()
    assert timer.phase == lead
    index = timer.index
    before = list(timer.holds)
    remaining = timer.remaining()
    timer.adjust(delta)
    assert timer.phase == lead and timer.remaining() == remaining  # the lead-in is untouched
    assert timer.planned_hold() == expected
    assert [h for i, h in enumerate(timer.holds) if i != index] == [h for i, h in enumerate(before) if i != index]
    clock.advance(remaining)
    timer.update()
    assert (timer.index, timer.phase, timer.shown_seconds()) == (index, "hold", expected)


def test_minus_in_a_lead_in_stops_at_five_seconds():
    timer, _clock = timer_for([(FOLD, 20)], transition=5)
    timer.start()
    for _ in range(10):
        timer.adjust(-5)
    assert timer.phase == "ready" and timer.remaining() == 5 and timer.planned_hold() == 5


def test_a_key_acts_on_the_phase_it_is_pressed_in():
    """A late tick: the hold already ended, so - adjusts the next step's coming hold, not the ended one."""
    timer, clock = timer_for([(FOLD, 20), (DOG, 30)], transition=5)
    timer.start()
    clock.advance(5 + 20 + 1)
    timer.adjust(-5)
    assert (timer.index, timer.phase) == (1, "ready")
    assert timer.holds == [20, 25]
    assert timer.results[0].held_s == 20


def test_plus_stops_at_the_maximum_and_a_short_plan_hold_is_never_raised_by_minus():
    timer, _ = timer_for([(FOLD, 598), (DOG, 2)], transition=0)
    timer.start()
    timer.adjust(5)
    assert timer.holds[0] == rules.HOLD_MAX_S
    timer.skip()
    timer.adjust(-5)
    assert timer.holds[1] == 2  # below the minimum already (an old plan): - leaves it, never raises it


def test_planned_and_held_seconds_for_the_counting_rule():
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)], transition=5)
    timer.start()
    clock.advance(5 + 30 + 5 + 10)
    timer.adjust(5)
    timer.skip()  # right leg: 10 of 35 s
    clock.advance(5 + 20)
    timer.abandon()
    assert timer.planned_hold_seconds() == 30 + 30 + 60
    assert timer.adjusted_hold_seconds() == 30 + 35 + 60
    assert timer.held_seconds() == 30 + 10 + 20
