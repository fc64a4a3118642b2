"""Check-ins and measurements: validation of every field, round trips, the builders' messages."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.checkins import (
    CHECKIN_FIELDS,
    MEASUREMENT_FIELDS,
    CheckIn,
    InputError,
    Measurement,
    check_note,
    checkin_from_dict,
    latest_per_day,
    measurement_from_dict,
    new_checkin,
    new_measurement,
)
from tui.core.records import RecordError

NOW = datetime(2025, 3, 10, 20, 30, tzinfo=timezone(timedelta(hours=1)))
TODAY = NOW.date()
ID = "0b9f8c2e-8d6a-4f1e-9c3b-2a7d5e6f1a2b"


def checkin_dict(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": ID,
        "date": "2025-03-09",
        "pain": 4,
        "stiffness": 2,
        "note": "tight after the drive",
        "recorded_at": "2025-03-09T21:00:00+01:00",
    }
    raw.update(changes)
    return raw


def measurement_dict(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": ID,
        "date": "2025-03-09",
        "kind": "slr",
        "value": 72.5,
        "side": "left",
        "recorded_at": "2025-03-09T21:00:00+01:00",
    }
    raw.update(changes)
    return raw


# -- strategies -------------------------------------------------------------------------------
offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=offsets)
days = st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 1, 1))
note_characters = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")).filter(
    lambda char: char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
notes = st.none() | st.text(note_characters, max_size=500).map(lambda text: text.strip() or None)
checkins = st.builds(
    CheckIn,
    id=st.uuids().map(str),
    date=days,
    pain=st.integers(0, 10),
    stiffness=st.none() | st.integers(0, 10),
    note=notes,
    recorded_at=moments,
)
sit_and_reach = st.builds(
    Measurement,
    id=st.uuids().map(str),
    date=days,
    kind=st.just("sit-and-reach"),
    value=st.integers(-500, 800).map(lambda tenths: round(tenths / 10, 1)),
    side=st.none(),
    recorded_at=moments,
)
slr = st.builds(
    Measurement,
    id=st.uuids().map(str),
    date=days,
    kind=st.just("slr"),
    value=st.integers(0, 1500).map(lambda tenths: round(tenths / 10, 1)),
    side=st.sampled_from(["left", "right"]),
    recorded_at=moments,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
plausible = st.sampled_from(
    [ID, "2025-03-09", "2025-13-01", "1969-12-31", 0, 10, 11, -1, 12.5, 80.0, 150, "left", "right", "both",
     "slr", "sit-and-reach", "2025-03-09T21:00:00+01:00", "2025-03-09T21:00:00", "", " ", "a\x1bb", "\ud800"]
)  # fmt: skip
field_values = plausible | json_values


def raw_records(names: tuple[str, ...]) -> st.SearchStrategy[object]:
    complete = st.fixed_dictionaries(dict.fromkeys(names, field_values))
    partial = st.dictionaries(st.sampled_from([*names, "extra"]), field_values, max_size=len(names) + 1)
    return complete | partial | json_values


# -- any input: a record or a RecordError --------------------------------------------------------
@settings(max_examples=400)
@given(raw_records(CHECKIN_FIELDS), st.none() | days)
def test_any_checkin_input_gives_a_record_or_a_record_error(raw: object, today: date | None) -> None:
    try:
        checkin = checkin_from_dict(raw, today=today)
    except RecordError as error:
        assert error.field and error.problem
    else:
        assert checkin_from_dict(checkin.to_dict()) == checkin


@settings(max_examples=400)
@given(raw_records(MEASUREMENT_FIELDS), st.none() | days)
def test_any_measurement_input_gives_a_record_or_a_record_error(raw: object, today: date | None) -> None:
    try:
        measurement = measurement_from_dict(raw, today=today)
    except RecordError as error:
        assert error.field and error.problem
    else:
        assert measurement_from_dict(measurement.to_dict()) == measurement


@given(checkins)
def test_a_checkin_survives_to_dict_json_and_from_dict(checkin: CheckIn) -> None:
    assert checkin_from_dict(json.loads(json.dumps(checkin.to_dict(), ensure_ascii=False))) == checkin


@given(sit_and_reach | slr)
def test_a_measurement_survives_to_dict_json_and_from_dict(measurement: Measurement) -> None:
    assert measurement_from_dict(json.loads(json.dumps(measurement.to_dict()))) == measurement


# -- each field -------------------------------------------------------------------------------
def test_a_good_checkin_reads_back() -> None:
    checkin = checkin_from_dict(checkin_dict(id=ID.upper(), note="  tight  ", extra="ignored"))
    assert checkin.id == ID
    assert checkin.date == date(2025, 3, 9)
    assert (checkin.pain, checkin.stiffness, checkin.note) == (4, 2, "tight")
    assert checkin.recorded_at == datetime(2025, 3, 9, 20, 0, tzinfo=UTC)
    assert checkin_from_dict(checkin_dict(stiffness=None, note=None)).stiffness is None
    assert checkin_from_dict(checkin_dict(note="   ")).note is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"id": 7}, "id"),
        ({"date": "2025-02-30"}, "date"),
        ({"date": "2025-W10-1"}, "date"),
        ({"date": "1969-12-31"}, "date"),
        ({"date": None}, "date"),
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": True}, "pain"),
        ({"pain": 4.0}, "pain"),
        ({"pain": "4"}, "pain"),
        ({"pain": None}, "pain"),
        ({"stiffness": 11}, "stiffness"),
        ({"stiffness": False}, "stiffness"),
        ({"note": 5}, "note"),
        ({"note": "x" * 501}, "note"),
        ({"note": "line\nbreak"}, "note"),
        ({"note": "bell\x07"}, "note"),
        ({"note": "csi\x9b"}, "note"),
        ({"note": "evil\u202egnp.exe"}, "note"),
        ({"note": "para\u2029graph"}, "note"),
        ({"note": "lone \ud800"}, "note"),
        ({"recorded_at": "2025-03-09T21:00:00"}, "recorded_at"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
    ],
)
def test_each_bad_checkin_field_is_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError) as caught:
        checkin_from_dict(checkin_dict(**changes))
    assert caught.value.field == field


@pytest.mark.parametrize("name", CHECKIN_FIELDS)
def test_a_missing_checkin_field_is_named(name: str) -> None:
    raw = checkin_dict()
    del raw[name]
    with pytest.raises(RecordError, match=f"'{name}': is missing"):
        checkin_from_dict(raw)


@pytest.mark.parametrize("huge", [10**400, 10**5000], ids=["400-digits", "5000-digits"])
def test_a_huge_number_is_refused_in_a_short_line(huge: int) -> None:
    for build, field in ((lambda: checkin_from_dict(checkin_dict(pain=huge)), "pain"),
                         (lambda: measurement_from_dict(measurement_dict(value=huge)), "slr")):  # fmt: skip
        with pytest.raises(RecordError) as caught:
            build()
        assert caught.value.field == field
        assert len(str(caught.value)) < 100


def test_a_future_date_is_refused_only_when_today_is_given() -> None:
    raw = checkin_dict(date="2025-03-11")
    assert checkin_from_dict(raw).date == date(2025, 3, 11)  # a clock set back still reads the history
    assert checkin_from_dict(raw, today=date(2025, 3, 11)).date == date(2025, 3, 11)
    with pytest.raises(RecordError, match="future"):
        checkin_from_dict(raw, today=TODAY)
    with pytest.raises(RecordError, match="future"):
        measurement_from_dict(measurement_dict(date="2025-03-11"), today=TODAY)


def test_a_good_measurement_reads_back() -> None:
    slr_left = measurement_from_dict(measurement_dict())
    assert (slr_left.kind, slr_left.value, slr_left.side) == ("slr", 72.5, "left")
    reach = measurement_from_dict(measurement_dict(kind="sit-and-reach", value=-3, side=None))
    assert reach.value == -3.0 and isinstance(reach.value, float) and reach.side is None
    assert measurement_from_dict(measurement_dict(kind="sit-and-reach", value=80, side=None)).value == 80.0
    assert measurement_from_dict(measurement_dict(kind="sit-and-reach", value=-50, side=None)).value == -50.0
    assert measurement_from_dict(measurement_dict(value=150)).value == 150.0
    assert measurement_from_dict(measurement_dict(value=0)).value == 0.0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "hamstring"}, "kind"),
        ({"kind": None}, "kind"),
        ({"kind": ["slr"]}, "kind"),
        ({"value": 150.1}, "slr"),
        ({"value": -0.1}, "slr"),
        ({"value": "70"}, "slr"),
        ({"value": True}, "slr"),
        ({"value": float("nan")}, "slr"),
        ({"value": float("inf")}, "slr"),
        ({"value": 70.25}, "slr"),
        ({"value": 10**400}, "slr"),
        ({"kind": "sit-and-reach", "value": 80.1, "side": None}, "sit-and-reach"),
        ({"kind": "sit-and-reach", "value": -50.1, "side": None}, "sit-and-reach"),
        ({"kind": "sit-and-reach", "value": 0.30000000000000004, "side": None}, "sit-and-reach"),
        ({"side": None}, "side"),
        ({"side": "both"}, "side"),
        ({"kind": "sit-and-reach", "value": 5, "side": "left"}, "side"),
        ({"date": "2025-3-9"}, "date"),
        ({"recorded_at": 1741550400}, "recorded_at"),
    ],
)
def test_each_bad_measurement_field_is_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError) as caught:
        measurement_from_dict(measurement_dict(**changes))
    assert caught.value.field == field


# -- the note rule ----------------------------------------------------------------------------
def test_check_note_strips_and_keeps_ordinary_text() -> None:
    assert check_note("  felt tight — 🧘🏽‍♀️ then better\t") == "felt tight — 🧘🏽‍♀️ then better"
    assert check_note("   ") == ""
    assert check_note(" " + "x" * 500 + "\n") == "x" * 500
    with pytest.raises(RecordError, match="at most 500"):
        check_note("x" * 501)
    with pytest.raises(RecordError, match=r"U\+001B") as caught:
        check_note("\x1b[31mred")
    assert caught.value.field == "note"
    with pytest.raises(RecordError):
        check_note(None)


# -- builders ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "pain", "stiffness", "note", "message"),
    [
        (None, "11", None, None, "pain must be from 0 to 10, not 11"),
        (None, 11, None, None, "pain must be from 0 to 10, not 11"),
        (None, "-1", None, None, "pain must be from 0 to 10, not -1"),
        (None, "x", None, None, "pain must be a whole number from 0 to 10, not 'x'"),
        (None, "4.5", None, None, "pain must be a whole number from 0 to 10, not '4.5'"),
        (None, "", None, None, "pain must be a whole number from 0 to 10, not ''"),
        (None, 3, "12", None, "stiffness must be from 0 to 10, not 12"),
        (None, 3, "stiff", None, "stiffness must be a whole number from 0 to 10, not 'stiff'"),
        ("2025-03-11", 3, None, None, "date must not be in the future, not 2025-03-11 (today is 2025-03-10)"),
        ("1969-12-31", 3, None, None, "date must be 1970-01-01 or later, not 1969-12-31"),
        ("2025-02-30", 3, None, None, "date is not a real date: '2025-02-30'"),
        ("yesterday", 3, None, None, "date must be a date like 2025-01-31, not 'yesterday'"),
        (None, 3, None, "x" * 501, "note must be at most 500 characters, not 501"),
        (None, 3, None, "a\nb", "note must not contain control characters or line breaks (U+000A)"),
    ],
)
def test_new_checkin_refuses_bad_input_in_one_line(
    day: str | None, pain: int | str, stiffness: str | None, note: str | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        new_checkin(day, pain, stiffness, note, NOW)
    assert str(caught.value) == message
    assert isinstance(caught.value, RecordError)


def test_new_checkin_builds_a_valid_record_for_today_or_a_given_day() -> None:
    checkin = new_checkin(None, " 7 ", "3", "  after gardening ", NOW)
    assert (checkin.date, checkin.pain, checkin.stiffness, checkin.note) == (TODAY, 7, 3, "after gardening")
    assert checkin.recorded_at == NOW
    assert uuid.UUID(checkin.id).version == 4
    assert checkin_from_dict(checkin.to_dict(), today=TODAY) == checkin
    assert new_checkin("2025-03-01", 0, None, "", NOW).note is None
    assert new_checkin(date(2025, 3, 1), 10, None, None, NOW).pain == 10
    # Past midnight with a day-start shift, "today" is the day before the clock's date.
    late = datetime(2025, 3, 11, 1, 30, tzinfo=UTC)
    assert new_checkin(None, 2, None, None, late, today=date(2025, 3, 10)).date == date(2025, 3, 10)
    with pytest.raises(InputError, match="future"):
        new_checkin("2025-03-11", 2, None, None, late, today=date(2025, 3, 10))
    with pytest.raises(ValueError, match="aware"):
        new_checkin(None, 2, None, None, datetime(2025, 3, 10, 12))


@pytest.mark.parametrize(
    ("kind", "value", "side", "message"),
    [
        ("sit-and-reach", "90", None, "sit-and-reach must be from -50 to 80 cm, not 90"),
        ("sit-and-reach", "-50.2", None, "sit-and-reach must be from -50 to 80 cm, not -50.2"),
        ("sit-and-reach", "x", None, "sit-and-reach must be a number of cm, not 'x'"),
        ("sit-and-reach", "12,5", None, "sit-and-reach must be a number of cm, not '12,5'"),
        ("sit-and-reach", "5", "left", "side must be left out for sit-and-reach, not 'left'"),
        ("slr", "70", None, "side is required for slr: left or right"),
        ("slr", "70", "both", "side must be left or right for slr, not 'both'"),
        ("slr", "151", "left", "slr must be from 0 to 150 degrees, not 151"),
        ("slr", "nan", "left", "slr must be a number of degrees, not 'nan'"),
        ("slr", "1e2", "left", "slr must be a number of degrees, not '1e2'"),
        ("slr", float("inf"), "left", "slr must be a number of degrees, not inf"),
        ("knee", "1", None, "kind must be sit-and-reach or slr, not 'knee'"),
    ],
)
def test_new_measurement_refuses_bad_input_in_one_line(
    kind: str, value: float | str, side: str | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        new_measurement(None, kind, value, side, NOW)
    assert str(caught.value) == message


def test_new_measurement_rounds_to_one_decimal_and_reads_back() -> None:
    reach = new_measurement("2025-03-01", "sit-and-reach", "-12.34", None, NOW)
    assert (reach.date, reach.value, reach.side) == (date(2025, 3, 1), -12.3, None)
    raise_ = new_measurement(None, "slr", 71, "right", NOW)
    assert (raise_.date, raise_.value, raise_.side) == (TODAY, 71.0, "right")
    assert new_measurement(None, "sit-and-reach", "80.04", None, NOW).value == 80.0
    assert new_measurement(None, "sit-and-reach", ".5", None, NOW).value == 0.5
    for measurement in (reach, raise_):
        assert measurement_from_dict(measurement.to_dict(), today=TODAY) == measurement


@given(st.floats(-60, 160) | st.text(max_size=8), st.sampled_from(["slr", "sit-and-reach"]))
def test_what_a_builder_makes_always_reads_back(value: float | str, kind: str) -> None:
    side = "left" if kind == "slr" else None
    try:
        measurement = new_measurement(None, kind, value, side, NOW)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert measurement_from_dict(measurement.to_dict(), today=TODAY) == measurement


# -- one check-in a day -----------------------------------------------------------------------
def _brute_latest(items: list[CheckIn]) -> dict[date, CheckIn]:
    result = {}
    for day in sorted({c.date for c in items}):
        same = [c for c in items if c.date == day]
        newest = max(c.recorded_at for c in same)
        result[day] = max((c for c in same if c.recorded_at == newest), key=lambda c: c.id)
    return result


small_checkins = st.builds(
    CheckIn,
    id=st.sampled_from([str(uuid.UUID(int=n)) for n in range(6)]),
    date=st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 1, 4)),
    pain=st.integers(0, 10),
    stiffness=st.none() | st.integers(0, 10),
    note=st.none(),
    recorded_at=st.sampled_from(
        [
            datetime(2025, 1, 1, 9, tzinfo=UTC),
            datetime(2025, 1, 1, 10, tzinfo=timezone(timedelta(hours=1))),  # the same instant as 09:00Z
            datetime(2025, 1, 1, 8, tzinfo=timezone(timedelta(hours=-5))),  # later than 09:00Z
        ]
    ),
)


@given(st.lists(small_checkins, max_size=12, unique_by=lambda c: c.id), st.randoms())
def test_latest_per_day_keeps_the_newest_then_the_largest_id(items: list[CheckIn], rng: random.Random) -> None:
    expected = _brute_latest(items)
    assert latest_per_day(items) == expected
    assert list(latest_per_day(items)) == sorted(expected)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert latest_per_day(shuffled) == expected


@given(st.lists(small_checkins, max_size=12), st.randoms())
def test_latest_per_day_does_not_depend_on_order_even_with_duplicated_ids(
    items: list[CheckIn], rng: random.Random
) -> None:
    shuffled = list(items)
    rng.shuffle(shuffled)
    first, second = latest_per_day(items), latest_per_day(shuffled)
    assert first == second
    assert {day: c.recorded_at.utcoffset() for day, c in first.items()} == {
        day: c.recorded_at.utcoffset() for day, c in second.items()
    }


def test_a_second_checkin_the_same_day_replaces_the_first() -> None:
    first = new_checkin("2025-03-09", 6, None, None, NOW - timedelta(hours=2))
    second = new_checkin("2025-03-09", 3, None, None, NOW)
    other = new_checkin("2025-03-08", 5, None, None, NOW)
    assert latest_per_day([second, other, first]) == {date(2025, 3, 8): other, date(2025, 3, 9): second}
