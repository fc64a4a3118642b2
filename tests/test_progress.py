"""Progress: weekly aggregation against a brute-force reference, the JSON shape, the sentence, series, table."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.checkins import CheckIn, Measurement, new_checkin, new_measurement
from tui.core.progress import (
    BAR_WIDTH,
    EMPTY_SENTENCE,
    Week,
    done_series,
    measurement_series,
    pain_series,
    progress_json,
    progress_sentence,
    progress_table,
    round1,
    weekly_progress,
)

NOW = datetime(2025, 3, 10, 20, 0, tzinfo=UTC)


def checkin(day: date, pain: int, stiffness: int | None = None, hour: int = 20) -> CheckIn:
    return new_checkin(
        day, pain, stiffness, None, datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=hour)
    )


# -- weekly aggregation against a brute-force reference ---------------------------------------
def brute_weeks(items: list[CheckIn], done: list[date], today: date, weeks: int, first_weekday: int) -> list[Week]:
    start = today
    while start.weekday() != first_weekday:
        start -= timedelta(days=1)
    starts = [start - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    result = []
    for week_start in starts:
        days = [week_start + timedelta(days=offset) for offset in range(7)]
        days = [day for day in days if day <= today]
        days_done = sum(1 for day in days if day in done)
        pains, stiff = [], []
        for day in days:
            same = [c for c in items if c.date == day]
            if same:
                newest = max(same, key=lambda c: (c.recorded_at, c.id))
                pains.append(newest.pain)
                if newest.stiffness is not None:
                    stiff.append(newest.stiffness)
        result.append(
            Week(
                start=week_start,
                days_done=days_done,
                pain_avg=sum(pains) / len(pains) if pains else None,
                stiffness_avg=sum(stiff) / len(stiff) if stiff else None,
                checkins=len(pains),
            )
        )
    return result


todays = st.dates(min_value=date(2020, 12, 20), max_value=date(2026, 1, 10))
# Day offsets from today: spread over about three years, bunched near today, and a few in the future.
offsets = st.integers(-1100, 30) | st.integers(-20, 3)
zones = st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone(timedelta(hours=5, minutes=30))])  # fmt: skip


@st.composite
def histories(draw: st.DrawFn) -> tuple[date, list[CheckIn], list[date]]:
    today = draw(todays)
    items = []
    for offset in draw(st.lists(offsets, max_size=60)):
        day = today + timedelta(days=offset)
        recorded = datetime.combine(day, datetime.min.time(), draw(zones)) + timedelta(
            minutes=draw(st.integers(0, 3000))
        )
        items.append(
            CheckIn(
                id=str(draw(st.uuids())),
                date=day,
                pain=draw(st.integers(0, 10)),
                stiffness=draw(st.none() | st.integers(0, 10)),
                note=None,
                recorded_at=recorded,
            )
        )
    done = [today + timedelta(days=offset) for offset in draw(st.lists(offsets, max_size=200))]
    return today, items, done


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(1, 60), st.sampled_from([0, 6]) | st.integers(0, 6))
def test_weekly_progress_matches_a_day_by_day_count(
    history: tuple[date, list[CheckIn], list[date]], weeks: int, first_weekday: int
) -> None:
    today, items, done = history
    got = weekly_progress(items, done, today=today, weeks=weeks, week_start=first_weekday)
    assert got == brute_weeks(items, done, today, weeks, first_weekday)
    assert len(got) == weeks
    assert all(week.start.weekday() == first_weekday for week in got)
    assert got[-1].start <= today < got[-1].start + timedelta(days=7)
    assert got == weekly_progress(reversed(items), iter(done), today=today, weeks=weeks, week_start=first_weekday)


def test_weeks_cross_the_year_boundary_from_either_week_start() -> None:
    today = date(2025, 1, 2)  # a Thursday
    items = [checkin(date(2024, 12, 29), 6), checkin(date(2024, 12, 30), 4), checkin(date(2025, 1, 2), 2)]
    done = [date(2024, 12, 29), date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 3)]
    monday = weekly_progress(items, done, today=today, weeks=2, week_start=0)
    assert monday == [
        Week(date(2024, 12, 23), days_done=1, pain_avg=6.0, stiffness_avg=None, checkins=1),
        Week(date(2024, 12, 30), days_done=2, pain_avg=3.0, stiffness_avg=None, checkins=2),
    ]
    sunday = weekly_progress(items, done, today=today, weeks=2, week_start=6)
    assert [week.start for week in sunday] == [date(2024, 12, 22), date(2024, 12, 29)]
    assert (sunday[1].days_done, sunday[1].pain_avg, sunday[1].checkins) == (3, 4.0, 3)  # 2025-01-03 is tomorrow


def test_a_later_checkin_replaces_the_days_first_one_in_the_week() -> None:
    day = date(2025, 3, 10)
    morning = new_checkin(day, 8, 6, None, NOW - timedelta(hours=10))
    evening = new_checkin(day, 2, None, None, NOW)
    (week,) = weekly_progress([evening, morning], [], today=day, weeks=1, week_start=0)
    assert (week.pain_avg, week.stiffness_avg, week.checkins) == (2.0, None, 1)


@pytest.mark.parametrize(("weeks", "first_weekday"), [(0, 0), (-1, 0), (4, 7), (4, -1)])
def test_weekly_progress_refuses_a_nonsense_request(weeks: int, first_weekday: int) -> None:
    with pytest.raises(ValueError):
        weekly_progress([], [], today=date(2025, 3, 10), weeks=weeks, week_start=first_weekday)


# -- the JSON shape ---------------------------------------------------------------------------
def test_progress_json_has_exactly_the_documented_shape() -> None:
    today = date(2025, 3, 12)  # a Wednesday
    items = [checkin(date(2025, 3, 3), 2, 1), checkin(date(2025, 3, 4), 2), checkin(date(2025, 3, 5), 2, 2)]
    items += [checkin(date(2025, 3, 6), 3), checkin(date(2025, 3, 10), 5, 3), checkin(date(2025, 3, 11), 4, 4)]
    items += [checkin(date(2025, 3, 11), 6, 5, hour=8)]  # replaced by the evening one
    now = datetime(2025, 3, 12, 9, tzinfo=UTC)
    measurements = [
        new_measurement("2025-03-11", "slr", 70, "right", now),
        new_measurement("2025-03-11", "slr", "68.5", "left", now),
        new_measurement("2025-03-11", "sit-and-reach", "-4.5", None, now),
        new_measurement("2025-03-01", "slr", 65, "right", now),
    ]
    weeks = weekly_progress(items, [date(2025, 3, 3), date(2025, 3, 11)], today=today, weeks=3, week_start=0)
    document = progress_json(weeks, measurements)
    assert document == {
        "weeks": [
            {"start": "2025-02-24", "days_done": 0, "pain_avg": None, "stiffness_avg": None, "checkins": 0},
            {"start": "2025-03-03", "days_done": 1, "pain_avg": 2.3, "stiffness_avg": 1.5, "checkins": 4},
            {"start": "2025-03-10", "days_done": 1, "pain_avg": 4.5, "stiffness_avg": 3.5, "checkins": 2},
        ],
        "measurements": [
            {"date": "2025-03-01", "kind": "slr", "side": "right", "value": 65.0},
            {"date": "2025-03-11", "kind": "sit-and-reach", "side": None, "value": -4.5},
            {"date": "2025-03-11", "kind": "slr", "side": "left", "value": 68.5},
            {"date": "2025-03-11", "kind": "slr", "side": "right", "value": 70.0},
        ],
    }
    text = json.dumps(document)
    assert '"pain_avg": null' in text and '"side": null' in text


def test_averages_round_half_up_on_the_written_decimal() -> None:
    assert round1(2.25) == 2.3  # round() would give 2.2
    assert round1(1.15) == 1.2  # 1.15 is stored a little below; its written form is what counts
    assert round1(17 / 3) == 5.7
    assert round1(0.04999) == 0.0
    week = Week(date(2025, 3, 3), 0, 9 / 4, 23 / 20, 4)
    assert progress_json([week], [])["weeks"][0]["pain_avg"] == 2.3
    assert progress_json([week], [])["weeks"][0]["stiffness_avg"] == 1.2


# -- the sentence -----------------------------------------------------------------------------
TODAY = date(2025, 6, 30)


def daily(first: date, last: date, pain: int, every: int = 1) -> list[CheckIn]:
    return [checkin(first + timedelta(days=n), pain) for n in range(0, (last - first).days + 1, every)]


def test_the_sentence_for_no_checkins_tells_how_to_start() -> None:
    assert progress_sentence([], [], TODAY) == EMPTY_SENTENCE
    assert progress_sentence([], [TODAY], TODAY) == EMPTY_SENTENCE
    assert progress_sentence([checkin(TODAY + timedelta(days=1), 4)], [], TODAY) == EMPTY_SENTENCE
    assert "hamstring checkin --pain N" in EMPTY_SENTENCE


def test_the_sentence_compares_before_the_first_session_with_the_last_four_weeks() -> None:
    first_session = date(2025, 4, 1)
    before = daily(date(2025, 3, 4), date(2025, 3, 31), 5, every=4)  # 7 check-ins at 5
    before[0] = checkin(before[0].date, 6)  # average 5.142...
    recent = daily(TODAY - timedelta(days=27), TODAY, 3, every=7)  # 4 check-ins at 3
    middle = daily(date(2025, 4, 10), date(2025, 5, 20), 9, every=5)  # counted in neither window
    sentence = progress_sentence(before + recent + middle, [first_session, TODAY], TODAY)
    assert (
        sentence == "Average pain 5.1 in the 4 weeks before your first session, 3.0 in the last 4 weeks (11 check-ins)."
    )


def test_the_sentence_says_since_then_when_the_first_session_is_recent() -> None:
    first_session = TODAY - timedelta(days=10)
    before = daily(first_session - timedelta(days=28), first_session - timedelta(days=1), 6, every=9)
    after = daily(first_session, TODAY, 4, every=5)
    sentence = progress_sentence(before + after, [first_session], TODAY)
    assert sentence == "Average pain 6.0 in the 4 weeks before your first session, 4.0 since then (7 check-ins)."


def test_the_sentence_compares_the_first_weeks_of_checkins_when_nothing_came_before() -> None:
    first_session = date(2025, 1, 6)
    early = daily(date(2025, 1, 6), date(2025, 2, 2), 7, every=2)  # 14 check-ins at 7
    recent = daily(TODAY - timedelta(days=27), TODAY, 2, every=3)  # 10 check-ins at 2
    sentence = progress_sentence(early + recent, [first_session], TODAY)
    assert sentence == "Average pain 7.0 in your first 4 weeks of check-ins, 2.0 in the last 4 weeks (24 check-ins)."
    # Too few before the first session: the first weeks of check-ins are used instead.
    few_before = [checkin(date(2025, 1, 1), 9), checkin(date(2025, 1, 2), 9)]
    assert progress_sentence(few_before + early + recent, [first_session], TODAY).startswith(
        "Average pain 7.3 in your first 4 weeks of check-ins"
    )


def test_the_sentence_gives_the_last_four_weeks_alone_when_there_is_no_comparison() -> None:
    recent = daily(TODAY - timedelta(days=20), TODAY, 4, every=5)  # 5 check-ins, first weeks overlap
    assert progress_sentence(recent, [], TODAY) == "Average pain 4.0 in the last 4 weeks (5 check-ins)."
    assert progress_sentence(recent, [TODAY - timedelta(days=20)], TODAY) == (
        "Average pain 4.0 in the last 4 weeks (5 check-ins)."
    )


def test_the_sentence_with_too_few_recent_checkins() -> None:
    assert progress_sentence([checkin(TODAY, 4)], [TODAY], TODAY) == (
        "Only 1 check-in in the last 4 weeks (pain 4); a 4-week average needs at least 3."
    )
    two = [checkin(TODAY, 4), checkin(TODAY - timedelta(days=3), 5)]
    assert progress_sentence(two, [], TODAY) == (
        "Only 2 check-ins in the last 4 weeks (average pain 4.5); a 4-week average needs at least 3."
    )
    old = [checkin(date(2025, 1, 5), 6), checkin(date(2025, 2, 1), 3)]
    assert progress_sentence(old, [date(2025, 1, 5)], TODAY) == (
        "No check-ins in the last 4 weeks; the latest, on 2025-02-01, had pain 3 (2 check-ins in all)."
    )


ADVICE = ("improv", "should", "cure", "treat", "better", "worse", "recommend", "doctor", "heal")


@settings(max_examples=200, deadline=None)
@given(histories())
def test_the_sentence_is_one_line_of_figures_never_advice(history: tuple[date, list[CheckIn], list[date]]) -> None:
    today, items, done = history
    sentence = progress_sentence(items, done, today)
    assert sentence.endswith(".") and "\n" not in sentence
    assert not any(word in sentence.lower() for word in ADVICE)


# -- series -----------------------------------------------------------------------------------
def test_series_are_ready_to_plot() -> None:
    weeks = [Week(date(2025, 3, 3), 5, 4.25, None, 4), Week(date(2025, 3, 10), 2, None, None, 0)]
    assert pain_series(weeks) == [(date(2025, 3, 3), 4.25)]
    assert done_series(weeks) == [(date(2025, 3, 3), 5), (date(2025, 3, 10), 2)]
    now = datetime(2025, 3, 12, 9, tzinfo=UTC)
    measurements = [
        new_measurement("2025-03-11", "slr", 70, "right", now),
        new_measurement("2025-03-02", "slr", 61, "right", now),
        new_measurement("2025-03-11", "slr", 68, "left", now),
        new_measurement("2025-03-05", "sit-and-reach", "-4.5", None, now),
    ]
    assert measurement_series(measurements, "slr") == {
        "left": [(date(2025, 3, 11), 68.0)],
        "right": [(date(2025, 3, 2), 61.0), (date(2025, 3, 11), 70.0)],
    }
    assert measurement_series(measurements, "sit-and-reach") == {None: [(date(2025, 3, 5), -4.5)]}
    assert measurement_series([], "slr") == {"left": [], "right": []}
    with pytest.raises(ValueError):
        measurement_series(measurements, "knee")


def test_series_keep_every_measurement_of_a_day_in_recorded_order() -> None:
    ids = [str(uuid.UUID(int=n)) for n in range(2)]
    morning = Measurement(ids[1], date(2025, 3, 5), "sit-and-reach", 1.0, None, datetime(2025, 3, 5, 8, tzinfo=UTC))
    evening = Measurement(ids[0], date(2025, 3, 5), "sit-and-reach", 3.0, None, datetime(2025, 3, 5, 20, tzinfo=UTC))
    assert measurement_series([evening, morning], "sit-and-reach") == {None: [(date(2025, 3, 5), 1.0), (date(2025, 3, 5), 3.0)]}  # fmt: skip


# -- the text table ---------------------------------------------------------------------------
def test_the_table_fits_80_columns_and_is_plain_ascii_by_default() -> None:
    weeks = [
        Week(date(2025, 2, 24), 7, 10.0, 9.0, 7),
        Week(date(2025, 3, 3), 3, 2.25, None, 2),
        Week(date(2025, 3, 10), 0, None, None, 0),
    ]
    lines = progress_table(weeks)
    assert lines == [
        "Week of     Days done  Pain  Check-ins  Pain 0-10",
        "2025-02-24          7  10.0          7  " + "#" * BAR_WIDTH,
        "2025-03-03          3   2.3          2  " + "#" * 7,
        "2025-03-10          0     -          0",
    ]
    unicode = progress_table(weeks, "unicode")
    assert unicode[1].endswith("█" * BAR_WIDTH)
    assert unicode[2].endswith("██████▊")  # 6.75 columns
    for line in lines + unicode:
        assert len(line) <= 80
    assert all(line.isascii() for line in lines)


@given(st.floats(0, 10), st.floats(0, 10), st.sampled_from(["ascii", "unicode"]))
def test_a_bar_fits_its_width_and_grows_with_pain(low: float, high: float, style: str) -> None:
    low, high = sorted((low, high))
    rows = progress_table([Week(date(2025, 3, 3), 7, low, None, 7), Week(date(2025, 3, 10), 7, high, None, 7)], style)  # type: ignore[arg-type]
    bars = [row[40:] for row in rows[1:]]
    assert all(len(bar) <= BAR_WIDTH for bar in bars)
    assert len(bars[0]) <= len(bars[1])
