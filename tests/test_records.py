"""Record validation: the fast path agrees with the careful one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.records import (
    RecordError,
    SessionRecord,
    StepRecord,
    check_rest_date,
    check_session_date,
    manual_session,
    new_session_id,
    session_from_dict,
    step_from_dict,
    steps_from_list,
    validate_session,
)

values = (
    st.none()
    | st.booleans()
    | st.integers(-5, 100_000)
    | st.text(max_size=5)
    | st.sampled_from(["left", "right", "both", "downward-dog", "dog\x1b]0;x\x07", "a\u202eb", "x" * 101])
)
step_dicts = st.fixed_dictionaries(
    {"stretch": values, "side": values, "held_s": values, "skipped": values}
) | st.dictionaries(st.sampled_from(["stretch", "side", "held_s", "skipped", "extra"]), values, max_size=5)


def careful(steps: list) -> tuple[StepRecord, ...]:
    return tuple(step_from_dict(raw, index) for index, raw in enumerate(steps))


@settings(max_examples=500)
@given(st.lists(step_dicts | values, max_size=4))
def test_the_fast_path_accepts_and_refuses_exactly_what_the_careful_one_does(steps: list) -> None:
    try:
        expected = careful(steps)
    except RecordError as error:
        with pytest.raises(RecordError) as caught:
            steps_from_list(steps)
        assert str(caught.value) == str(error)
    else:
        assert steps_from_list(steps) == expected


def test_cached_steps_do_not_confuse_true_with_1_or_0_with_false() -> None:
    steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": 1, "skipped": False}])
    with pytest.raises(RecordError, match="held_s"):
        steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": True, "skipped": False}])
    with pytest.raises(RecordError, match="skipped"):
        steps_from_list([{"stretch": "downward-dog", "side": "both", "held_s": 1, "skipped": 0}])


def test_equal_steps_share_one_record() -> None:
    raw = {"stretch": "pyramid-pose", "side": "left", "held_s": 30, "skipped": False}
    first, second = steps_from_list([raw, dict(raw)])
    assert first is second


# -- validate before writing (#11.1) -----------------------------------------------------------
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def session(**changes: object) -> SessionRecord:
    fields: dict[str, object] = {
        "id": new_session_id(), "date": NOW.date(), "started_at": NOW, "ended_at": NOW + timedelta(minutes=5),
        "tz": "Europe/Berlin", "duration_s": 300, "complete": True, "source": "timer",
        "steps": (StepRecord("downward-dog", "both", 300, False),),
    }  # fmt: skip
    fields.update(changes)
    return SessionRecord(**fields)  # type: ignore[arg-type]


def test_validate_session_refuses_what_loading_would() -> None:
    good = session()
    assert validate_session(good) == good
    for bad, field in (
        (session(tz="CET-1CEST,M3.5.0,M10.5.0/3"), "tz"),
        (session(id="not-a-uuid"), "id"),
        (session(ended_at=NOW - timedelta(seconds=1)), "ended_at"),
        (session(started_at=NOW.replace(tzinfo=None)), "started_at"),
        (session(duration_s=-1), "duration_s"),
        (session(steps=(StepRecord("dog\x1b]0;PWNED\x07", "both", 30, False),)), "steps[0].stretch"),
    ):
        with pytest.raises(RecordError) as caught:
            validate_session(bad)
        assert caught.value.field == field


def test_a_manual_log_under_a_posix_rule_zone_stores_no_tz_and_loads_back() -> None:
    """A POSIX TZ went into ``tz``; the next full load set the whole history aside."""
    record = manual_session(date(2026, 11, 21), 7, NOW, "CET-1CEST,M3.5.0,M10.5.0/3")
    assert record.tz is None
    assert session_from_dict(record.to_dict()) == record
    assert manual_session(date(2026, 11, 20), 7, NOW, "Europe/Berlin").tz == "Europe/Berlin"


def test_manual_session_refuses_with_a_record_error_only() -> None:
    with pytest.raises(RecordError):
        manual_session(date(2026, 11, 21), 7, NOW.replace(tzinfo=None), None)
    for minutes in (0, 601, True):
        with pytest.raises(RecordError):
            manual_session(date(2026, 11, 21), minutes, NOW, None)  # type: ignore[arg-type]


@given(
    st.dates(),
    st.integers(1, 600),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])),
    st.none() | st.text(max_size=70),
)
def test_manual_session_builds_only_records_that_load(day: date, minutes: int, now: datetime, tz: str | None) -> None:
    try:
        record = manual_session(day, minutes, now, tz)
    except RecordError:
        return
    assert session_from_dict(record.to_dict()) == record


# -- dates at the edge (#11.3) -------------------------------------------------------------------
TODAY = date(2026, 11, 22)


def test_new_sessions_are_dated_1970_to_tomorrow() -> None:
    for day in (date(1970, 1, 1), TODAY, TODAY + timedelta(days=1)):
        assert check_session_date(day, TODAY) == day
    for day in (date(1969, 12, 31), TODAY + timedelta(days=2), date.max, date.min):
        with pytest.raises(RecordError) as caught:
            check_session_date(day, TODAY)
        assert caught.value.field == "date" and "\n" not in str(caught.value) and day.isoformat() in str(caught.value)
    assert check_session_date(date.max, date.max) == date.max


def test_rest_days_are_dated_1970_to_a_year_ahead() -> None:
    assert check_rest_date(TODAY + timedelta(days=365), TODAY)
    for day in (TODAY + timedelta(days=366), date(9999, 12, 31), date(1969, 12, 31)):
        with pytest.raises(RecordError):
            check_rest_date(day, TODAY)


def test_loading_stays_wide_for_what_an_older_hamstring_wrote() -> None:
    old = session(date=date(9999, 12, 31)).to_dict()
    old["steps"] = [{"stretch": "An Old Stretch (v0.1)", "side": "left", "held_s": 30, "skipped": False}]
    assert session_from_dict(old).date == date(9999, 12, 31)


@pytest.mark.parametrize("stretch", ["\x1b]0;PWNED\x07", "dog\x9b", "a\u202eb", "x\ny", "\x7f"])
def test_control_characters_in_a_step_id_are_refused(stretch: str) -> None:
    raw = session().to_dict()
    raw["steps"] = [{"stretch": stretch, "side": "left", "held_s": 30, "skipped": False}]
    with pytest.raises(RecordError) as caught:
        session_from_dict(raw)
    assert caught.value.field == "steps[0].stretch" and "control character" in str(caught.value)
    assert str(caught.value).isprintable()


def test_messages_show_hostile_values_escaped_and_short() -> None:
    raw = session().to_dict()
    raw["source"] = "\x1b]0;PWNED\x07" * 1000
    with pytest.raises(RecordError) as caught:
        session_from_dict(raw)
    assert str(caught.value).isprintable() and len(str(caught.value)) < 200
