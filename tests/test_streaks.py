"""Streaks, strength and totals, across midnight, DST, odd zones and travel."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import tz_env
from tui.core.days import day_exists, local_now, local_tz_name, session_day
from tui.core.digest import digest_of
from tui.core.records import SessionRecord, StepRecord, new_session_id
from tui.core.streaks import (
    STRENGTH_MULTIPLIER,
    all_streaks,
    best_streaks,
    compute_stats,
    current_streak,
    strength,
    totals,
    week_start,
)

D = date.fromisoformat


def local_zone(name: str):
    """Run with the process's local time zone set to ``name`` (as a user's machine would be)."""
    return tz_env(name)


def session_at(local: datetime, day_start_hour: int = 0, minutes: int = 7, complete: bool = True) -> SessionRecord:
    """A session recorded the way the app does: the clock says ``local`` (aware) in its zone."""
    zone = local.tzinfo
    assert isinstance(zone, ZoneInfo)
    with local_zone(zone.key), time_machine.travel(local, tick=False):
        now = local_now()
        day = session_day(now, day_start_hour)
        tz = local_tz_name()
    return SessionRecord(
        id=new_session_id(),
        date=day,
        started_at=now,
        ended_at=now + timedelta(minutes=minutes),
        tz=tz,
        duration_s=minutes * 60,
        complete=complete,
        source="timer",
        steps=(StepRecord("downward-dog", "both", minutes * 60, False),),
    )


def evenings(zone: str, first: date, days: int, hour: int = 23, minute: int = 30) -> list[SessionRecord]:
    tz = ZoneInfo(zone)
    return [
        session_at(datetime(first.year, first.month, first.day, hour, minute, tzinfo=tz) + timedelta(days=n))
        for n in range(days)
    ]


def stats_on(sessions: list[SessionRecord], today: date, rest: set[date] = frozenset()):
    return compute_stats(sessions, rest, today)


# -- DST and odd zones ---------------------------------------------------------------------
@pytest.mark.parametrize("first", [D("2025-10-29"), D("2025-03-05")], ids=["fall-back", "spring-forward"])
def test_new_york_evenings_across_dst_make_a_7_day_streak(first: date) -> None:
    sessions = evenings("America/New_York", first, 7)
    assert [s.date for s in sessions] == [first + timedelta(days=n) for n in range(7)]
    assert all(s.tz == "America/New_York" for s in sessions)
    stats = stats_on(sessions, first + timedelta(days=6))
    assert stats.current.length == 7 and not stats.current.at_risk
    assert stats.longest.length == 7


def test_lord_howe_half_hour_dst_keeps_the_streak() -> None:
    sessions = evenings("Australia/Lord_Howe", D("2025-10-01"), 10, hour=23, minute=45)  # DST starts 2025-10-05
    assert len({s.date for s in sessions}) == 10
    assert stats_on(sessions, D("2025-10-10")).current.length == 10


def test_kathmandu_quarter_hour_offset_uses_the_local_date() -> None:
    sessions = evenings("Asia/Kathmandu", D("2025-01-01"), 5, hour=0, minute=10)  # UTC is still the day before
    assert [s.date for s in sessions] == [D("2025-01-01") + timedelta(days=n) for n in range(5)]
    assert all(s.started_at.utcoffset() == timedelta(hours=5, minutes=45) for s in sessions)
    assert stats_on(sessions, D("2025-01-05")).current.length == 5


def test_apia_skipped_2011_12_30_does_not_break_the_streak() -> None:
    assert not day_exists(D("2011-12-30"), "Pacific/Apia")
    tz = ZoneInfo("Pacific/Apia")
    days = [D("2011-12-27"), D("2011-12-28"), D("2011-12-29"), D("2011-12-31"), D("2012-01-01")]
    sessions = [session_at(datetime(d.year, d.month, d.day, 19, 0, tzinfo=tz)) for d in days]
    assert [s.date for s in sessions] == days
    stats = stats_on(sessions, D("2012-01-01"))
    assert stats.current.length == 5
    # The same dates in a zone where 2011-12-30 existed are a broken streak.
    berlin = [dataclasses.replace(s, tz="Europe/Berlin") for s in sessions]
    assert stats_on(berlin, D("2012-01-01")).current.length == 2


def test_travel_singapore_to_los_angeles_and_back_loses_and_doubles_nothing() -> None:
    sg, la = ZoneInfo("Asia/Singapore"), ZoneInfo("America/Los_Angeles")
    sessions = [
        session_at(datetime(2025, 5, 1, 7, 0, tzinfo=sg)),
        session_at(datetime(2025, 5, 2, 7, 0, tzinfo=sg)),
        session_at(datetime(2025, 5, 3, 7, 0, tzinfo=sg)),  # then fly east across the date line
        session_at(datetime(2025, 5, 3, 20, 0, tzinfo=la)),  # still May 3 in LA: the same day again
        session_at(datetime(2025, 5, 4, 20, 0, tzinfo=la)),
        session_at(datetime(2025, 5, 5, 20, 0, tzinfo=la)),  # fly home, lose a day on the way
        session_at(datetime(2025, 5, 7, 7, 0, tzinfo=sg)),
    ]
    stored = [s.date for s in sessions]
    assert stored == [
        D("2025-05-01"),
        D("2025-05-02"),
        D("2025-05-03"),
        D("2025-05-03"),
        D("2025-05-04"),
        D("2025-05-05"),
        D("2025-05-07"),
    ]
    stats = stats_on(sessions, D("2025-05-07"))
    assert stats.totals.sessions == 7
    assert stats.longest.length == 5  # May 1..5, May 3 counted once
    assert stats.current.length == 1  # May 6 was missed: the streak broke honestly
    assert [s.date for s in sessions] == stored  # nothing re-derived


# -- midnight, day start, clock changes ----------------------------------------------------
def test_sessions_at_23_59_59_and_00_00_00_count_for_their_own_days() -> None:
    tz = ZoneInfo("Europe/Berlin")
    late = session_at(datetime(2025, 6, 1, 23, 59, 59, tzinfo=tz))
    early = session_at(datetime(2025, 6, 2, 0, 0, 0, tzinfo=tz))
    assert (late.date, early.date) == (D("2025-06-01"), D("2025-06-02"))
    assert stats_on([late, early], D("2025-06-02")).current.length == 2


def test_day_start_hour_3_puts_01_30_on_the_previous_day() -> None:
    tz = ZoneInfo("Europe/Berlin")
    assert session_at(datetime(2025, 6, 2, 1, 30, tzinfo=tz), day_start_hour=3).date == D("2025-06-01")
    assert session_at(datetime(2025, 6, 2, 3, 0, tzinfo=tz), day_start_hour=3).date == D("2025-06-02")
    assert session_at(datetime(2025, 6, 2, 1, 30, tzinfo=tz), day_start_hour=0).date == D("2025-06-02")
    with pytest.raises(ValueError):
        session_day(datetime(2025, 6, 2, 1, 30, tzinfo=tz), 7)


def test_day_start_on_a_dst_night_is_wall_clock_time() -> None:
    tz = ZoneInfo("America/New_York")  # 2025-03-09 02:00 does not exist; 01:30 is before day start 3
    assert session_at(datetime(2025, 3, 9, 1, 30, tzinfo=tz), day_start_hour=3).date == D("2025-03-08")
    assert session_at(datetime(2025, 3, 9, 3, 30, tzinfo=tz), day_start_hour=3).date == D("2025-03-09")


def test_the_clock_set_back_a_day_neither_crashes_nor_counts_the_future() -> None:
    tz = ZoneInfo("Europe/Berlin")
    sessions = [session_at(datetime(2025, 6, d, 8, 0, tzinfo=tz)) for d in (1, 2, 3)]
    stats = stats_on(sessions, D("2025-06-02"))  # the clock now says June 2
    assert stats.current.length == 2 and stats.today_done
    assert stats.longest.length == 3


def test_leap_day_and_year_boundary() -> None:
    tz = ZoneInfo("Europe/Berlin")
    leap = [session_at(datetime(2024, 2, 27, 9, tzinfo=tz) + timedelta(days=n)) for n in range(4)]
    assert [s.date for s in leap] == [D("2024-02-27"), D("2024-02-28"), D("2024-02-29"), D("2024-03-01")]
    assert stats_on(leap, D("2024-03-01")).current.length == 4
    new_year = [session_at(datetime(2024, 12, 30, 9, tzinfo=tz) + timedelta(days=n)) for n in range(4)]
    stats = stats_on(new_year, D("2025-01-02"))
    assert stats.current.length == 4 and stats.totals.days_this_year == 2


# -- the rules ---------------------------------------------------------------------------
def test_at_risk_when_today_is_not_done_yet() -> None:
    done = {D("2025-06-01"), D("2025-06-02")}
    risk = current_streak(done, set(), D("2025-06-03"))
    assert (risk.length, risk.at_risk, risk.start) == (2, True, D("2025-06-01"))
    broken = current_streak(done, set(), D("2025-06-04"))
    assert (broken.length, broken.at_risk) == (0, False)
    today = current_streak(done | {D("2025-06-03")}, set(), D("2025-06-03"))
    assert (today.length, today.at_risk) == (3, False)


def test_rest_days_bridge_but_do_not_count() -> None:
    done = {D("2025-06-01"), D("2025-06-03"), D("2025-06-05")}
    rest = {D("2025-06-02"), D("2025-06-04"), D("2025-06-06")}
    current = current_streak(done, rest, D("2025-06-06"))
    assert (current.length, current.at_risk) == (3, False)
    assert all_streaks(done, rest) == [best_streaks(done, rest)[0]]
    assert best_streaks(done, rest)[0].start == D("2025-06-01") and best_streaks(done, rest)[0].end == D("2025-06-05")
    assert all_streaks(set(), rest) == []


def test_five_best_streaks_with_ranges() -> None:
    done = set()
    start = D("2025-01-01")
    for length in (1, 4, 2, 6, 3, 5):
        done |= {start + timedelta(days=n) for n in range(length)}
        start += timedelta(days=length + 1)
    best = best_streaks(done, set())
    assert [s.length for s in best] == [6, 5, 4, 3, 2]
    assert best[0].start == D("2025-01-11") and best[0].end == D("2025-01-16")


def test_strength_follows_loop_habit_tracker() -> None:
    m = STRENGTH_MULTIPLIER
    assert m == pytest.approx(0.5 ** (1 / 13))
    first = D("2025-01-01")
    assert strength({first}, set(), first) == pytest.approx(1 - m)
    every_day = {first + timedelta(days=n) for n in range(30)}
    assert strength(every_day, set(), first + timedelta(days=29)) == pytest.approx(1 - m**30)
    # thirteen days without it halve the score
    assert strength(every_day, set(), first + timedelta(days=42)) == pytest.approx((1 - m**30) * 0.5)
    # rest days leave it unchanged
    rest = {first + timedelta(days=30 + n) for n in range(13)}
    assert strength(every_day, rest, first + timedelta(days=42)) == pytest.approx(1 - m**30)
    assert strength(set(), set(), first) == 0.0


def test_totals_sessions_minutes_days_and_per_stretch_side() -> None:
    tz = ZoneInfo("Europe/Berlin")
    sessions = [session_at(datetime(2025, 6, d, 8, tzinfo=tz), minutes=d) for d in (2, 9, 15, 16)]  # Mon 2 ... Mon 16
    abandoned = session_at(datetime(2025, 6, 17, 8, tzinfo=tz), minutes=1, complete=False)
    t = totals(digest_of([*sessions, abandoned], (), {}), D("2025-06-18"))
    assert t.sessions == 4
    assert t.minutes_held == pytest.approx(2 + 9 + 15 + 16 + 1)
    assert t.seconds_held == (2 + 9 + 15 + 16 + 1) * 60
    assert t.days_this_week == 1  # Monday 16 (week starts Monday)
    assert (
        totals(digest_of(sessions, (), {}), D("2025-06-18"), first_weekday=6).days_this_week == 2
    )  # week from Sunday 15
    assert t.days_this_month == 4 and t.days_this_year == 4
    assert t.per_stretch_s == {"downward-dog": (2 + 9 + 15 + 16 + 1) * 60}
    assert t.per_side_s == {"both": (2 + 9 + 15 + 16 + 1) * 60}


# -- property: streaks equal a brute-force count --------------------------------------------
def brute_longest(done: set[date], rest: set[date]) -> int:
    if not done:
        return 0
    day, end = min(done | rest), max(done | rest)
    best = run = 0
    while day <= end:
        if day in done:
            run += 1
        elif day not in rest:
            run = 0
        best = max(best, run)
        day += timedelta(days=1)
    return best


def brute_current(done: set[date], rest: set[date], today: date) -> int:
    count = 0
    day = today if (today in done or today in rest) else today - timedelta(days=1)
    while True:
        if day in done:
            count += 1
        elif day not in rest:
            return count
        day -= timedelta(days=1)


days = st.integers(0, 60).map(lambda n: D("2025-01-01") + timedelta(days=n))


@settings(max_examples=400)
@given(st.sets(days), st.sets(days), days)
def test_streaks_equal_a_brute_force_count(done: set[date], rest: set[date], today: date) -> None:
    rest = rest - done
    past_done = {d for d in done if d <= today}
    past_rest = {d for d in rest if d <= today}
    assert current_streak(done, rest, today).length == brute_current(past_done, past_rest, today)
    longest = best_streaks(done, rest)
    assert (longest[0].length if longest else 0) == brute_longest(done, rest)


# -- any date a file can hold (#11.3: 9999-12-31 in an import bricked status, log and the app) ----
def strength_day_by_day(done: set[date], rest: set[date], today: date) -> float:
    """The definition, one day at a time (for short spans)."""
    if not done:
        return 0.0
    score = 0.0
    day = min(done)
    while day <= today:
        if day in done:
            score = score * STRENGTH_MULTIPLIER + (1 - STRENGTH_MULTIPLIER)
        elif day not in rest:
            score *= STRENGTH_MULTIPLIER
        day += timedelta(days=1)
    return score


def ordinal_current(done: set[date], rest: set[date], today: date) -> int:
    """The current streak counted on ordinals (they cannot overflow), for any dates."""
    done_o, rest_o = {d.toordinal() for d in done}, {d.toordinal() for d in rest}
    ordinal = today.toordinal() if today.toordinal() in done_o | rest_o else today.toordinal() - 1
    count = 0
    while ordinal in done_o or ordinal in rest_o:
        count += ordinal in done_o
        ordinal -= 1
    return count


def ordinal_longest(done: set[date], rest: set[date]) -> int:
    """The longest run: split the marked ordinals at their gaps (no walk over every day)."""
    done_o = {d.toordinal() for d in done}
    best = run = 0
    previous = None
    for ordinal in sorted(done_o | {d.toordinal() for d in rest}):
        if previous is not None and ordinal != previous + 1:
            run = 0
        run += ordinal in done_o
        best = max(best, run)
        previous = ordinal
    return best


EDGES = [date.min, date.min + timedelta(days=1), date.max - timedelta(days=1), date.max]
any_day = st.dates() | st.sampled_from(EDGES)
edge_sets = st.sets(any_day, max_size=6) | st.sets(
    st.sampled_from(EDGES).flatmap(
        lambda edge: st.integers(-5, 5).map(lambda n: date.fromordinal(min(max(edge.toordinal() + n, 1), 3652059)))
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(edge_sets, edge_sets, any_day, st.sampled_from([0, 6]))
def test_streak_math_never_overflows_on_any_date(
    done: set[date], rest: set[date], today: date, first_weekday: int
) -> None:
    current = current_streak(done, rest, today)
    assert current.length == ordinal_current(done, rest, today)
    runs = best_streaks(done, rest)
    assert (runs[0].length if runs else 0) == ordinal_longest(done, rest)
    score = strength(done, rest, today)
    assert 0.0 <= score <= 1.0
    sessions = [session_on(day) for day in done]
    stats = compute_stats(sessions, rest, today, first_weekday)
    assert stats.current == current and stats.strength == pytest.approx(score)
    assert week_start(today, first_weekday) <= today


def session_on(day: date) -> SessionRecord:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("UTC"))
    return SessionRecord(
        new_session_id(), day, moment, moment, "Pacific/Apia", 0, True, "import",
        (StepRecord("downward-dog", "both", 30, False),),
    )  # fmt: skip


@settings(max_examples=300)
@given(st.sets(days), st.sets(days), days)
def test_strength_equals_the_day_by_day_definition(done: set[date], rest: set[date], today: date) -> None:
    assert strength(done, rest, today) == strength_day_by_day(done, rest, today)


def test_the_first_and_last_days_a_date_can_hold() -> None:
    assert current_streak({date.min}, set(), date.min).length == 1
    assert current_streak({date.min}, {date.min + timedelta(days=1)}, date.min + timedelta(days=2)).length == 1
    assert current_streak({date.max}, set(), date.max).length == 1
    assert strength({date.min}, set(), date.max) == 0.0
    assert strength({date(9999, 12, 31)}, set(), D("2026-11-22")) == 0.0
    assert week_start(date.min, 6) == date.min and week_start(date.max, 0) == D("9999-12-27")
    stats = compute_stats([session_on(date.max), session_on(date.max - timedelta(days=2))], set(), date.max)
    assert stats.current.length == 1 and stats.longest is not None and stats.longest.end == date.max
