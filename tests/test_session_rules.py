"""Issue #14 in the core: honest counting, lead-ins by position, routine counts, cycles and positions
in the catalog, the voice/routine/lead-in settings, and the countdown's scale."""

from __future__ import annotations

import json

import pytest

from tui.core.catalog import CatalogError, builtin_catalog, parse_catalog
from tui.core.routines import (
    KEEP_MIN_HELD_S,
    Routine,
    RoutineItem,
    RoutineSummary,
    daily,
    judge,
    judge_timer,
    resolve,
    routine_plan,
    summarize,
)
from tui.core.settings import SettingError, check_known, effective, routine_name_ok, setting
from tui.core.timer import SessionTimer
from tui.widgets.countdown import best_scale, big_size, render_big

CATALOG = builtin_catalog()
SETTINGS = effective({})


# -- honest counting -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reached_end", "held", "planned", "complete", "keep"),
    [
        (True, 45, 90, True, True),  # exactly half
        (True, 44.9, 90, False, True),  # under half: partial
        (True, 0, 90, False, True),  # every hold skipped: partial
        (False, 80, 90, False, True),  # abandoned: partial
        (False, KEEP_MIN_HELD_S, 90, False, True),
        (False, KEEP_MIN_HELD_S - 0.5, 90, False, False),  # abandoned with almost nothing: not kept
    ],
)
def test_judge(reached_end: bool, held: float, planned: float, complete: bool, keep: bool) -> None:
    verdict = judge(reached_end, held, planned)
    assert (verdict.complete, verdict.keep) == (complete, keep)
    assert (verdict.reason is None) == complete


def test_judge_timer_uses_held_and_planned_seconds() -> None:
    clock = [0.0]
    plan = routine_plan([(CATALOG.get("downward-dog"), 40)], SETTINGS, transition_override=0)
    timer = SessionTimer(plan, lambda: clock[0])
    timer.start()
    clock[0] = 19
    timer.skip()
    assert not judge_timer(timer).complete and "19 s of the planned 40 s" in (judge_timer(timer).reason or "")
    timer = SessionTimer(plan, lambda: clock[0])
    clock[0] = 0
    timer.start()
    clock[0] = 20
    timer.skip()
    assert judge_timer(timer).complete


# -- the daily order and the lead-ins ------------------------------------------------------------
def test_daily_goes_lying_seated_kneeling_all_fours_standing() -> None:
    positions = [CATALOG.get(item.stretch).position for item in daily(CATALOG).items]
    assert positions == ["lying", "lying", "seated", "kneeling", "all-fours", "standing", "standing"]


def test_a_new_position_gets_the_longer_lead_in() -> None:
    plan = routine_plan(resolve(daily(CATALOG), CATALOG), {**SETTINGS, "transition": 4, "lead-in-position": 12})
    leads = [(step.stretch, step.side, step.lead_s) for step in plan]
    assert leads[:5] == [
        ("reclined-strap-stretch", "left", 12),  # the first: getting down
        ("reclined-strap-stretch", "right", 4),  # switch sides
        ("active-leg-raise", "left", 4),  # still lying
        ("active-leg-raise", "right", 4),
        ("seated-forward-fold", "both", 12),  # sitting up
    ]
    assert [s for s, _, lead in leads if lead == 12] == [
        "reclined-strap-stretch", "seated-forward-fold", "half-splits", "downward-dog", "active-forward-fold"
    ]  # fmt: skip
    assert routine_plan(resolve(daily(CATALOG), CATALOG), SETTINGS, transition_override=0)[0].lead_s == 0


# -- one count everywhere -------------------------------------------------------------------------
def test_routine_summary_counts_only_existing_stretches() -> None:
    routine = Routine("mine", (RoutineItem("downward-dog"), RoutineItem("gone-stretch")))
    summary = summarize(routine, CATALOG, SETTINGS)
    assert summary == RoutineSummary(stretches=1, holds=1, hold_s=45, total_s=45 + 10)
    assert summary.describe("·") == "1 stretch · 1 hold · about 0:55"
    assert summarize(daily(CATALOG), CATALOG, SETTINGS).describe("·") == "7 stretches · 11 holds · about 7:50"


# -- the catalog: cycles and positions -------------------------------------------------------------
def _catalog_with(**fields: object) -> str:
    stretch = builtin_catalog().get("active-forward-fold").to_dict()
    stretch.update(fields)
    return json.dumps({"version": 1, "stretches": [stretch]})


def test_the_forward_fold_has_cycles_that_fill_its_hold() -> None:
    fold = CATALOG.get("active-forward-fold")
    assert fold.cycles is not None and (fold.cycles.contract_s, fold.cycles.relax_s, fold.cycles.reps) == (5, 10, 3)
    assert fold.cycles.total_s == fold.hold_s
    assert all(s.position for s in CATALOG)
    (again,) = parse_catalog(json.dumps(CATALOG.to_dict() | {"stretches": [fold.to_dict()]}), "x")
    assert again == fold  # what it writes it reads back


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"cycles": {"contract_s": 5, "relax_s": 10}}, "cycles", "contract_s, relax_s and reps"),
        ({"cycles": {"contract_s": 0, "relax_s": 10, "reps": 3}}, "cycles", "contract_s must be"),
        ({"cycles": {"contract_s": 10, "relax_s": 10, "reps": 3}}, "cycles", "longer than hold_s"),
        ({"cycles": [5, 10, 3]}, "cycles", "must be an object"),
        ({"position": "upside-down"}, "position", "must be one of lying"),
        ({"position": 3}, "position", "not a number"),
    ],
)
def test_broken_cycles_or_position_name_file_stretch_and_field(fields: dict, field: str, words: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(_catalog_with(**fields), "my.json")
    message = str(caught.value)
    assert message.startswith("my.json: stretch 'active-forward-fold': field '" + field + "'") and words in message
    assert "\n" not in message


# -- settings --------------------------------------------------------------------------------------
def test_voice_routine_and_lead_in_settings() -> None:
    assert SETTINGS["voice"] == "off" and SETTINGS["routine"] == "daily" and SETTINGS["lead-in-position"] == 10
    assert setting("voice").parse(" ON ") == "on"
    assert setting("voice").parse("espeak-ng -s 140 {text}") == "espeak-ng -s 140 {text}"
    for bad in ("", "-x {text}", "say 'unclosed", "a\x1bb"):
        with pytest.raises(SettingError):
            setting("voice").parse(bad)
    assert effective({"voice": "\x07", "lead-in-position": 61, "routine": "!"})["voice"] == "off"
    assert setting("lead-in-position").parse("0") == 0
    with pytest.raises(SettingError):
        setting("lead-in-position").parse("61")
    assert setting("routine").parse(" morning ") == "morning"
    with pytest.raises(SettingError):
        setting("routine").parse("bad/name")
    check_known("routine", "morning", {"routines": {"morning": []}})
    with pytest.raises(SettingError, match="names no routine"):
        check_known("routine", "evening", {"routines": {"morning": []}})


def test_routine_names_agree_with_the_routines_pattern() -> None:
    from tui.core.routines import NAME_PATTERN

    for name in ("daily", "a", "Morning 2", "x_y-z", "-x", " x", "x" * 40, "x" * 41, "é", "", "a/b", "a\n"):
        assert routine_name_ok(name) == bool(NAME_PATTERN.match(name) and not name.endswith("\n")), name


# -- the countdown ---------------------------------------------------------------------------------
def test_the_countdown_scales_with_its_space() -> None:
    assert best_scale("0:30", 84, 16) == 6 and big_size("0:30", 6) == (78, 15)  # 160x50: a third of the height
    assert best_scale("0:30", 30, 7) == 2  # 80x24
    assert best_scale("0:30", 20, 3) == 1  # 40x12
    assert best_scale("0:30", 10, 2) == 0  # plain text
    drawn = render_big("0:30", 3)
    assert len(drawn) == big_size("0:30", 3)[1] and {len(line) for line in drawn} == {big_size("0:30", 3)[0]}
    ascii_drawn = render_big("1:05", 2, unicode=False)
    assert all(set(line) <= {"#", " "} for line in ascii_drawn) and len(ascii_drawn) == 5


def test_a_session_judged_complete_counts_even_when_its_last_hold_was_cut_with_n() -> None:
    """The verdict and the calendar agree: 20 of 40 s held, then `n`, is a day done."""
    from datetime import UTC, date, datetime

    from tui.core.records import SessionRecord

    clock = [0.0]
    plan = routine_plan([(CATALOG.get("downward-dog"), 40)], SETTINGS, transition_override=0)
    timer = SessionTimer(plan, lambda: clock[0])
    timer.start()
    clock[0] = 20
    timer.skip()
    verdict = judge_timer(timer)
    now = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    steps = timer.step_records()
    assert verdict.complete and all(step.skipped for step in steps)
    record = SessionRecord(
        "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d12", date(2025, 6, 1), now, now, None, 20, True, "timer", steps
    )
    assert record.counts
    skipped_at_once = SessionRecord(
        record.id,
        record.date,
        now,
        now,
        None,
        0,
        True,
        "timer",
        tuple(s.__class__(s.stretch, s.side, 0, True) for s in steps),
    )
    assert not skipped_at_once.counts
