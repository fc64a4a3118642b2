"""The local time zone from a hostile environment: TZ values, clocks far off, the ends of the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import tz_env
from tui.core.days import day_exists, local_now, local_tz_name, session_day, tz_problem, usable_tz_name
from tui.core.records import manual_session, session_from_dict

UNUSABLE = ["UTC+25", "UTC+24:59:59", "UTC-25", "XYZ-30"]
NO_IANA_NAME = ["CET-1CEST,M3.5.0,M10.5.0/3", "garbage", "", "EST+5EDT,M3.2.0/2,M11.1.0/2", "Europe/Nowhere", "../etc"]


@pytest.mark.parametrize("value", UNUSABLE)
def test_an_unusable_tz_gives_utc_now_and_one_notice(value: str) -> None:
    with tz_env(value):
        with pytest.raises(ValueError):
            datetime.now().astimezone()  # what every command and the app called before
        now = local_now()
        problem = tz_problem()
        name = local_tz_name()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=5)
    assert problem == f"TZ='{value}' is not a usable time zone; using UTC"
    assert name is None


def test_a_usable_zone_has_no_problem_and_its_own_offset() -> None:
    # A timestamp, not an aware datetime: time-machine would set TZ to the datetime's zone.
    with tz_env("Asia/Kolkata"), time_machine.travel(datetime(2026, 1, 5, 12, tzinfo=UTC).timestamp(), tick=False):
        assert tz_problem() is None
        assert local_now().utcoffset() == timedelta(hours=5, minutes=30)
        assert local_tz_name() == "Asia/Kolkata"


def test_the_problem_text_escapes_what_the_environment_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.core.days as days

    class Unusable(datetime):
        def astimezone(self, tz=None):  # type: ignore[no-untyped-def, override]
            raise ValueError("offset must be a timedelta strictly between")

    monkeypatch.setattr(days, "datetime", Unusable)
    monkeypatch.setenv("TZ", "Nowhere+25\x1b]0;PWNED\x07" + "x" * 200)
    problem = tz_problem()
    assert problem is not None and problem.startswith("TZ='Nowhere+25\\x1b]0;PWNED\\x07")
    assert problem.isprintable() and len(problem) < 140
    monkeypatch.delenv("TZ")
    assert tz_problem() == "the local time zone is not usable; using UTC"
    assert local_now().utcoffset() == timedelta(0)


@pytest.mark.parametrize("value", NO_IANA_NAME)
def test_a_tz_without_an_iana_name_gives_none(value: str) -> None:
    """A POSIX rule was stored as the record's ``tz`` and the next load threw the history away (#11.1)."""
    with tz_env(value):
        assert local_tz_name() is None


@pytest.mark.parametrize("value", ["Europe/Berlin", ":Europe/Berlin", "UTC", "EST5EDT"])
def test_a_zone_name_in_tz_is_kept(value: str) -> None:
    with tz_env(value):
        assert local_tz_name() == value.lstrip(":")


def test_a_zone_file_in_tz_gives_the_name_it_links_to(tmp_path) -> None:
    berlin = zone_file("Europe/Berlin")
    if berlin is None:
        pytest.skip("no system zoneinfo directory here")
    link = tmp_path / "localtime"
    link.symlink_to(berlin)
    with tz_env(f":{link}"):
        assert local_tz_name() == "Europe/Berlin"
    with tz_env(str(tmp_path / "missing")):
        assert local_tz_name() is None


def zone_file(name: str):
    from pathlib import Path

    for root in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo"):
        if (Path(root) / name).is_file():
            return Path(root) / name
    return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=30).filter(lambda text: "\x00" not in text))
def test_any_tz_name_given_back_is_loadable_and_storable(value: str) -> None:
    with tz_env(value):
        name = local_tz_name()
    if name is not None:
        assert usable_tz_name(name)
        ZoneInfo(name)


tz_values = st.sampled_from(UNUSABLE + NO_IANA_NAME + ["Europe/Berlin", "Pacific/Apia", "Asia/Kathmandu", "UTC"]) | (
    st.text(max_size=20).filter(lambda text: "\x00" not in text)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tz_values,
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)),
    st.integers(1, 600),
    st.integers(0, 6),
    st.integers(-3, 0),
)
def test_a_session_logged_under_any_tz_and_clock_loads_back(
    value: str, moment: datetime, minutes: int, day_start: int, back: int
) -> None:
    """For any TZ and clock, the record built round-trips through the loader (#11.1, #11.11)."""
    with tz_env(value), time_machine.travel(moment.timestamp(), tick=False):  # a timestamp keeps our TZ
        now = local_now()
        day = session_day(now, day_start)
        if back and day - date.min > timedelta(days=-back):
            day += timedelta(days=back)
        record = manual_session(day, minutes, now, local_tz_name())
    assert now.tzinfo is not None
    assert session_from_dict(record.to_dict()) == record


def test_session_day_and_day_exists_hold_at_the_ends_of_the_calendar() -> None:
    assert session_day(datetime(1, 1, 1, 1, 30, tzinfo=UTC), 3) == date.min
    assert session_day(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), 6) == date.max
    assert day_exists(date.max, "Pacific/Kiritimati")
    assert day_exists(date.min, "Pacific/Apia")
    assert not day_exists(date(2011, 12, 30), "Pacific/Apia")


def test_etc_timezone_is_read_only_when_it_names_a_usable_zone(tmp_path) -> None:
    from tui.core.days import _etc_timezone

    named = tmp_path / "timezone"
    named.write_text("Europe/Berlin\n", encoding="utf-8")
    assert _etc_timezone(str(named)) == "Europe/Berlin"
    named.write_text("CET-1CEST,M3.5.0,M10.5.0/3\n", encoding="utf-8")
    assert _etc_timezone(str(named)) is None
    named.write_bytes(b"\xff\x1b]0;x\x07")
    assert _etc_timezone(str(named)) is None
    assert _etc_timezone(str(tmp_path / "missing")) is None
    assert _etc_timezone(str(tmp_path)) is None  # a directory


@pytest.mark.parametrize("value", ["Nowhere/Bogus", ":Mars/Olympus_Mons", "Bogus"])
def test_a_zone_name_this_machine_does_not_know_is_told_not_silently_utc(value: str) -> None:
    with tz_env(value):
        problem = tz_problem()
        offset = local_now().utcoffset()
    assert problem is not None and "names no time zone" in problem and "using UTC" in problem
    assert offset == timedelta(0)  # what the C library does with it


def test_month_pages_are_the_calendar_modules_and_reach_the_ends_of_time() -> None:
    import calendar

    from tui.core.days import DAY_NAMES, MONTH_NAMES, days_in_month, month_weeks

    assert list(MONTH_NAMES) == list(calendar.month_name)[1:] and list(DAY_NAMES) == list(calendar.day_name)
    for year in (1, 4, 1900, 2000, 2024, 2025, 9999):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
            for first in range(7):
                weeks = month_weeks(year, month, first)
                assert all(len(week) == 7 and week[0].weekday() in (first, weeks[0][0].weekday()) for week in weeks)
                try:
                    expected = calendar.Calendar(first).monthdatescalendar(year, month)
                except ValueError:  # the calendar module cannot show 0001-01 or 9999-12 from every weekday
                    assert weeks[0][0] >= date.min and weeks[-1][-1] <= date.max
                    continue
                assert weeks == expected
