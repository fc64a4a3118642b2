"""The session state machine, driven by a fake monotonic clock."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import FakeClock
from tui.core.catalog import builtin_catalog
from tui.core.timer import (
    Countdown,
    Finished,
    PhaseChanged,
    SessionTimer,
    build_plan,
    plan_seconds,
)

CATALOG = builtin_catalog()
STRAP = CATALOG.get("reclined-strap-stretch")  # one-sided
FOLD = CATALOG.get("seated-forward-fold")  # two-sided


def timer_for(items, transition=5, switch=5, clock=None):
    clock = clock or FakeClock()
    return SessionTimer(build_plan(items, transition, switch), clock), clock


def phases(events):
    return [(e.index, e.phase) for e in events if isinstance(e, PhaseChanged)]


def test_plan_holds_one_sided_stretches_left_then_right():
    plan = build_plan([(STRAP, 30), (FOLD, 60)], 5, 4)
    assert [(s.stretch, s.side, s.hold_s, s.lead_phase, s.lead_s) for s in plan] == [
        ("reclined-strap-stretch", "left", 30, "ready", 5),
        ("reclined-strap-stretch", "right", 30, "switch", 4),
        ("seated-forward-fold", "both", 60, "ready", 5),
    ]
    assert plan_seconds(plan) == 5 + 30 + 4 + 30 + 5 + 60


def test_every_transition_in_order():
    timer, clock = timer_for([(STRAP, 10), (FOLD, 20)])
    assert timer.phase == "idle" and timer.position() == 0
    assert phases(timer.start()) == [(0, "ready")]
    clock.advance(5)
    assert phases(timer.update()) == [(0, "hold")]
    clock.advance(10)
    assert phases(timer.update()) == [(1, "switch")]
    assert timer.phase_label == "Switch sides" and timer.step.side_label == "Right leg"
    clock.advance(5)
    assert phases(timer.update()) == [(1, "hold")]
    clock.advance(10)
    assert phases(timer.update()) == [(2, "ready")]
    clock.advance(5)
    assert phases(timer.update()) == [(2, "hold")]
    clock.advance(20)
    events = timer.update()
    assert phases(events) == [(2, "done")] and isinstance(events[-1], Finished)
    assert timer.finished_complete
    assert [(s.side, s.held_s, s.skipped) for s in timer.step_records()] == [
        ("left", 10, False),
        ("right", 10, False),
        ("both", 20, False),
    ]


def test_a_long_gap_passes_through_several_phases_at_once():
    timer, clock = timer_for([(STRAP, 10), (FOLD, 20)])
    timer.start()
    clock.advance(5 + 10 + 5 + 3)
    assert phases(timer.update()) == [(0, "hold"), (1, "switch"), (1, "hold")]
    assert timer.remaining() == pytest.approx(7)


def test_zero_transition_goes_straight_to_the_hold():
    timer, clock = timer_for([(STRAP, 10)], transition=0, switch=0)
    assert phases(timer.start()) == [(0, "hold")]
    clock.advance(10)
    assert phases(timer.update()) == [(1, "hold")]


def test_unpaused_session_lasts_exactly_the_plan_however_coarse_the_ticks():
    plan_items = [(s, s.hold_s) for s in CATALOG]
    timer, clock = timer_for(plan_items)
    total = plan_seconds(timer.plan)
    start = clock.now
    timer.start()
    rng = random.Random(4)
    finished_at = None
    while finished_at is None:
        clock.advance(rng.uniform(0.01, 2.5))
        if any(isinstance(e, Finished) for e in timer.update()):
            finished_at = clock.now
    # The plan ends at start + total; the tick that noticed it may be up to one tick later,
    # but every phase began at its planned moment:
    assert timer.total_seconds() == total
    assert timer.held_seconds() == sum(s.hold_s for s in timer.plan)
    assert finished_at - start >= total
    assert finished_at - start < total + 2.5


def test_phase_boundaries_are_exact_with_ticks_every_tenth():
    timer, clock = timer_for([(STRAP, 3)], transition=2, switch=2)
    timer.start(clock.now)
    boundaries = []
    for _ in range(200):
        clock.advance(0.1)
        for event in timer.update():
            if isinstance(event, PhaseChanged):
                boundaries.append((event.phase, round(timer._phase_start - 1000, 6)))
    assert boundaries == [("hold", 2.0), ("switch", 5.0), ("hold", 7.0), ("done", 7.0)]


def test_pause_is_exact_and_freezes_everything():
    timer, clock = timer_for([(FOLD, 20)], transition=0)
    timer.start()
    clock.advance(4.25)
    assert timer.toggle_pause() is True
    frozen = (timer.remaining(), timer.position())
    clock.advance(300)
    assert timer.update() == []
    assert (timer.remaining(), timer.position()) == frozen
    assert timer.next_change_in() is None
    assert timer.toggle_pause() is False
    assert timer.remaining() == pytest.approx(15.75)
    clock.advance(15.75)
    assert any(isinstance(e, Finished) for e in timer.update())
    assert timer.held_seconds() == 20


def test_countdown_cues_at_3_2_1_of_a_hold_only():
    timer, clock = timer_for([(FOLD, 6)], transition=5)
    timer.start()
    cues = []
    for _ in range(130):
        clock.advance(0.1)
        cues += [e.seconds_left for e in timer.update() if isinstance(e, Countdown)]
    assert cues == [3, 2, 1]


def test_skip_during_a_hold_marks_it_skipped_with_the_time_held():
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)])
    timer.start()
    clock.advance(5 + 12)
    assert phases(timer.skip()) == [(0, "hold"), (1, "switch")]  # catches up, then skips
    clock.advance(5 + 30)
    timer.update()
    assert timer.index == 2
    first = timer.step_records()[0]
    assert (first.held_s, first.skipped) == (12, True)


def test_skip_during_get_ready_skips_the_hold_and_at_the_end_finishes():
    timer, clock = timer_for([(FOLD, 60)])
    timer.start()
    clock.advance(2)
    events = timer.skip()
    assert isinstance(events[-1], Finished)
    assert timer.finished_complete  # it reached the end...
    (step,) = timer.step_records()
    assert step.skipped and step.held_s == 0  # ...but nothing was held, so it will not count


def test_back_returns_to_the_previous_step_and_resets_it():
    timer, clock = timer_for([(STRAP, 10), (FOLD, 20)])
    timer.start()
    clock.advance(5 + 10 + 5 + 4)
    timer.update()
    assert (timer.index, timer.phase) == (1, "hold")
    assert phases(timer.back()) == [(0, "ready")]
    assert timer.results[0].held_s == 0 and timer.results[1].reached is False
    assert timer.position() == 0


def test_back_at_the_first_step_restarts_it():
    timer, clock = timer_for([(FOLD, 20)])
    timer.start()
    clock.advance(9)
    assert phases(timer.back()) == [(0, "hold"), (0, "ready")]  # caught up, then restarted
    assert timer.remaining() == 5


def test_skip_and_back_keep_a_pause():
    timer, _clock = timer_for([(STRAP, 10), (FOLD, 20)])
    timer.start()
    timer.toggle_pause()
    timer.skip()
    assert timer.paused and timer.index == 1
    timer.back()
    assert timer.paused and timer.index == 0


def test_adjusting_the_hold_moves_the_end_and_the_total():
    timer, clock = timer_for([(FOLD, 20)], transition=0)
    timer.start()
    total = timer.total_seconds()
    timer.adjust(5)
    assert timer.remaining() == 25 and timer.total_seconds() == total + 5
    clock.advance(10)
    timer.adjust(-5)
    timer.adjust(-5)
    assert timer.remaining() == 5
    events = timer.adjust(-30)  # never below what was held: the hold ends now, after 10 s
    assert isinstance(events[-1], Finished)
    assert timer.held_seconds() == 10


def test_hold_adjustments_are_clamped_to_600():
    timer, _ = timer_for([(FOLD, 598)], transition=0)
    timer.start()
    timer.adjust(5)
    assert timer.holds[0] == 600


def test_a_routine_of_one_two_sided_stretch():
    timer, clock = timer_for([(FOLD, 1)], transition=0)
    timer.start()
    clock.advance(1)
    assert isinstance(timer.update()[-1], Finished)
    assert [(s.held_s, s.skipped) for s in timer.step_records()] == [(1, False)]


def test_abandon_keeps_what_was_held_and_is_incomplete():
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)])
    timer.start()
    clock.advance(5 + 30 + 5 + 7)
    events = timer.abandon()
    assert isinstance(events[-1], Finished)
    assert not timer.finished_complete
    records = timer.step_records()
    assert [(r.side, r.held_s, r.skipped) for r in records] == [("left", 30, False), ("right", 7, True)]


def test_an_abandoned_session_stays_where_it_stopped_and_a_finished_one_at_its_end():
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)])
    timer.start()
    clock.advance(5 + 30 + 5 + 7)
    timer.abandon()
    clock.advance(100)
    assert timer.position() == pytest.approx(5 + 30 + 5 + 7)  # not the whole plan: the bar is not full
    assert timer.position() < timer.total_seconds()
    finished, clock = timer_for([(FOLD, 20)], transition=0)
    finished.start()
    clock.advance(21)
    finished.update()
    assert finished.phase == "done" and finished.finished_complete
    assert finished.position() == finished.total_seconds()


def test_an_empty_plan_is_refused():
    with pytest.raises(ValueError):
        SessionTimer([], FakeClock())


def test_next_change_is_the_next_whole_second_of_the_countdown():
    timer, clock = timer_for([(FOLD, 20)], transition=0)
    timer.start()
    assert timer.next_change_in() == pytest.approx(1.0)
    clock.advance(0.3)
    assert timer.next_change_in() == pytest.approx(0.7)
    assert timer.shown_seconds() == 20


def test_snapshot_and_restore_resume_where_it_stopped_paused():
    timer, clock = timer_for([(STRAP, 30), (FOLD, 60)])
    timer.start()
    clock.advance(5 + 30 + 5 + 12)
    timer.update()
    timer.adjust(5)
    snapshot = timer.snapshot()
    later = FakeClock(50_000.0)
    restored = SessionTimer.restore(snapshot, later)
    assert (restored.index, restored.phase, restored.paused) == (1, "hold", True)
    assert restored.remaining() == pytest.approx(35 - 12)
    assert restored.results[0].held_s == 30
    restored.toggle_pause()
    later.advance(23)
    later.advance(5 + 60)
    assert isinstance(restored.update()[-1], Finished)
    assert [r.held_s for r in restored.step_records()] == [30, 35, 60]


@pytest.mark.parametrize(
    "broken",
    [{"version": 9}, {"version": 1, "plan": []}, {"version": 1, "plan": [{"bad": 1}]}],
)
def test_restore_refuses_a_snapshot_that_does_not_fit(broken):
    with pytest.raises((ValueError, KeyError, TypeError)):
        SessionTimer.restore(broken, FakeClock())


@settings(max_examples=150, deadline=None)
@given(
    holds=st.lists(st.integers(1, 600), min_size=1, max_size=6),
    transition=st.integers(0, 60),
    actions=st.lists(st.sampled_from(["tick", "pause", "skip", "back", "plus", "minus"]), max_size=40),
    gaps=st.lists(st.floats(0, 700), min_size=40, max_size=40),
)
def test_any_sequence_of_keys_keeps_the_timer_consistent(holds, transition, actions, gaps):
    stretches = list(CATALOG)
    items = [(stretches[i % len(stretches)], hold) for i, hold in enumerate(holds)]
    timer, clock = timer_for(items, transition, transition)
    timer.start()
    for action, gap in zip(actions, gaps, strict=False):
        clock.advance(gap)
        {"tick": timer.update, "pause": timer.toggle_pause, "skip": timer.skip, "back": timer.back,
         "plus": lambda: timer.adjust(5), "minus": lambda: timer.adjust(-5)}[action]()  # fmt: skip
        assert 0 <= timer.position() <= timer.total_seconds() + 1e-9
        assert 0 <= timer.remaining() <= 600
        assert all(1 <= h <= 600 for h in timer.holds)
        assert all(0 <= r.held_s <= h for r, h in zip(timer.results, timer.holds, strict=False))
    if timer.paused:
        timer.toggle_pause()
    clock.advance(10 * 700 * len(holds))
    timer.update()
    assert timer.phase == "done" and timer.finished_complete


@pytest.mark.parametrize("key", ["skip", "back", "abandon"])
def test_a_key_after_the_end_has_passed_still_reports_the_finish(key):
    """A laptop asleep past the end: the key's catch-up must not swallow Finished."""
    timer, clock = timer_for([(FOLD, 10)], transition=0)
    timer.start()
    clock.advance(3600)
    events = getattr(timer, key)()
    assert isinstance(events[-1], Finished)
    assert timer.finished_complete
    assert timer.held_seconds() == 10
