"""One rule set for rest days and manual logs, for the shell and the app (#17.9, #17.10)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.records import SessionRecord, StepRecord, manual_session, new_session_id
from tui.core.rules_days import can_log_day, can_mark_rest
from tui.core.settings import SETTINGS, effective

D = date.fromisoformat
TODAY = D("2026-03-18")
NOW = datetime(2026, 3, 18, 18, 0, tzinfo=UTC)


def timed(day: date, complete: bool = True) -> SessionRecord:
    start = datetime.combine(day, datetime.min.time(), UTC)
    return SessionRecord(
        new_session_id(), day, start, start + timedelta(minutes=5), "UTC", 300, complete, "timer",
        (StepRecord("downward-dog", "both", 300, False),),
    )  # fmt: skip


def test_a_rest_day_is_refused_on_a_day_that_is_done() -> None:
    """``log --rest`` on a day with sessions succeeded silently: 'done · rest day'."""
    reason = can_mark_rest(D("2026-03-17"), TODAY, [timed(D("2026-03-17"))], frozenset(), 2)
    assert reason is not None and "already done" in reason and "2026-03-17" in reason
    reason = can_mark_rest(D("2026-03-17"), TODAY, [manual_session(D("2026-03-17"), 5, NOW, None)], frozenset(), 2)
    assert reason is not None and "already done" in reason


def test_an_abandoned_session_does_not_stop_a_rest_day() -> None:
    assert can_mark_rest(D("2026-03-17"), TODAY, [timed(D("2026-03-17"), complete=False)], frozenset(), 2) is None


def test_rest_days_may_be_planned_up_to_a_year_ahead_not_beyond() -> None:
    assert can_mark_rest(TODAY + timedelta(days=1), TODAY, [], frozenset(), 2) is None
    assert can_mark_rest(TODAY + timedelta(days=365), TODAY, [], frozenset(), 2) is None
    reason = can_mark_rest(TODAY + timedelta(days=366), TODAY, [], frozenset(), 2)
    assert reason is not None and "more than a year ahead" in reason
    assert can_mark_rest(date.max, TODAY, [], frozenset(), 2) is not None
    assert can_mark_rest(D("1969-12-31"), TODAY, [], frozenset(), 2) is not None
    assert can_mark_rest(date.max, date.max, [], frozenset(), 2) is None  # no overflow at the end


def test_the_budget_allows_at_most_n_rest_days_in_any_seven() -> None:
    """``r`` on missed days took a streak from 4 to 6: rest days rescued it without limit."""
    rest = frozenset({D("2026-03-10"), D("2026-03-12")})
    reason = can_mark_rest(D("2026-03-14"), TODAY, [], rest, 2)
    assert reason is not None and "more than 2 rest days in 7 days" in reason and "rest-budget" in reason
    assert can_mark_rest(D("2026-03-17"), TODAY, [], rest, 2) is None  # 03-11..03-17 holds only 03-12
    assert can_mark_rest(D("2026-03-14"), TODAY, [], rest, 3) is None
    assert can_mark_rest(D("2026-03-12"), TODAY, [], rest, 0) is None  # already a rest day: nothing changes
    reason = can_mark_rest(D("2026-03-16"), TODAY, [], frozenset(), 0)
    assert reason is not None and "rest-budget is 0" in reason


@given(
    st.sets(st.integers(0, 40), max_size=20),
    st.integers(0, 40),
    st.integers(0, 7),
)
def test_the_budget_holds_in_every_window_after_each_allowed_mark(marked: set[int], new: int, budget: int) -> None:
    start = D("2026-01-01")
    rest: set[date] = set()
    for offset in [*sorted(marked), new]:
        day = start + timedelta(days=offset)
        if can_mark_rest(day, TODAY, [], frozenset(rest), budget) is None:
            rest.add(day)
    for first in range(-7, 48):
        window = {start + timedelta(days=first + n) for n in range(7)}
        assert len(window & rest) <= budget


def test_a_second_manual_log_for_a_day_is_refused() -> None:
    """``log --date`` twice added two entries, and 'Remove the manual log' removed both."""
    day = D("2026-03-15")
    assert can_log_day(day, TODAY, []) is None
    assert can_log_day(day, TODAY, [timed(day)]) is None  # a timed session: logging adds a manual one
    reason = can_log_day(day, TODAY, [manual_session(day, 5, NOW, None)])
    assert reason is not None and "already logged by hand" in reason


def test_logging_is_for_1970_to_today() -> None:
    assert can_log_day(TODAY, TODAY, []) is None
    reason = can_log_day(TODAY + timedelta(days=1), TODAY, [])
    assert reason is not None and "in the future" in reason
    assert can_log_day(D("1969-12-31"), TODAY, []) is not None


def test_rest_budget_setting() -> None:
    spec = SETTINGS["rest-budget"]
    assert spec.default == 2 and effective({})["rest-budget"] == 2
    assert spec.parse("0") == 0 and spec.parse("7") == 7
    for bad in ("8", "-1", "x"):
        with pytest.raises(ValueError):
            spec.parse(bad)
    assert effective({"rest-budget": 9})["rest-budget"] == 2
