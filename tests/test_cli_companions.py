"""status, log, config, export and import: as a shell user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
from array import array
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_fixtures import NOW, TODAY, cli, utc  # noqa: F401  # utc: an autouse fixture
from tests.helpers import REPO, run_cli
from tui.core import digest as digests
from tui.core.factory import make_sessions
from tui.core.store import HistoryStore
from tui.core.transfer import CSV_FIELDS


def days_back(*offsets: int) -> list:
    return [make_sessions(1, end=TODAY - timedelta(days=o), seed=100 + o)[0] for o in offsets]


# -- status ----------------------------------------------------------------------------------
def test_status_json_on_an_empty_history(capsys, data_dir: Path) -> None:
    code, out, err = cli(capsys, "status", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "today": "2025-06-18",
        "today_done": False,
        "current_streak": 0,
        "at_risk": False,
        "longest_streak": 0,
        "strength": 0.0,
        "complete_sessions": 0,
        "total_sessions": 0,
        "last_session_date": None,
    }
    assert out.count("\n") == 1


def test_status_json_a_streak_at_risk(capsys, data_dir: Path) -> None:
    HistoryStore.open(data_dir).import_many(days_back(3, 2, 1))
    result = json.loads(cli(capsys, "status", "--json")[1])
    assert (result["current_streak"], result["at_risk"], result["today_done"]) == (3, True, False)
    assert result["longest_streak"] == 3 and result["last_session_date"] == "2025-06-17"
    assert 0 < result["strength"] < 1
    assert cli(capsys, "status", "--short")[1] == "3!\n"
    m = 0.5 ** (1 / 13)
    expected = round((1 - m**3) * m * 100)  # three days done, then today not yet
    assert result["strength"] == pytest.approx((1 - m**3) * m, abs=1e-4)
    assert cli(capsys, "status")[1] == f"hamstring: 3-day streak (today: not yet) · longest 3 · strength {expected}%\n"


def test_status_json_a_broken_streak(capsys, data_dir: Path) -> None:
    HistoryStore.open(data_dir).import_many(days_back(9, 8, 7, 6, 3))
    result = json.loads(cli(capsys, "status", "--json")[1])
    assert (result["current_streak"], result["at_risk"], result["longest_streak"]) == (0, False, 4)
    # No streak: a bare "0" (issue 17.12: it used to print "0·", which read as a rest day).
    assert cli(capsys, "status", "--short")[1] == "0\n"


def test_status_done_today(capsys, data_dir: Path) -> None:
    HistoryStore.open(data_dir).import_many(days_back(1, 0))
    assert cli(capsys, "status", "--short")[1] == "2✓\n"
    assert json.loads(cli(capsys, "status", "--json")[1])["today_done"] is True


def test_status_on_a_corrupt_history_recovers_and_says_so_on_stderr(capsys, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.json").write_text("{{{{")
    code, out, err = cli(capsys, "status", "--json")
    assert code == 0
    assert json.loads(out)["total_sessions"] == 0
    (aside,) = data_dir.glob("history.json.corrupt-*")
    assert err.count("\n") == 1 and str(aside) in err and "was damaged" in err
    assert aside.read_text() == "{{{{"


# -- log -------------------------------------------------------------------------------------
def test_log_of_a_day_that_leaves_no_streak_says_so(capsys, data_dir: Path) -> None:
    assert cli(capsys, "log", "--date", "2025-06-10")[1] == "logged 7 min for Tue 10 Jun 2025 · no streak today\n"


def test_log_today_and_a_past_date_counting_once(capsys, data_dir: Path) -> None:
    assert cli(capsys, "log")[1] == "logged 7 min for Wed 18 Jun 2025 · 1-day streak\n"
    assert (
        cli(capsys, "log", "--date", "2025-06-17", "--minutes", "12")[1]
        == "logged 12 min for Tue 17 Jun 2025 · 2-day streak\n"
    )
    # A second manual log of the same day is refused with the reason (issue 17.9: it used to add a second entry).
    code, out, err = cli(capsys, "log", "--date", "2025-06-17")
    assert code == 2 and out == "" and "already logged by hand" in err
    store = HistoryStore.open(data_dir)
    assert len(store.sessions()) == 2 and all(s.source == "manual" and s.complete for s in store.sessions())
    assert json.loads(cli(capsys, "status", "--json")[1])["current_streak"] == 2
    past = next(s for s in store.sessions() if s.duration_s == 720)
    assert past.date == date(2025, 6, 17) and past.ended_at.date() == date(2025, 6, 17)


def test_log_rest_day(capsys, data_dir: Path) -> None:
    code, out, _ = cli(capsys, "log", "--rest", "--date", "2025-06-10")
    assert code == 0 and "rest day" in out
    assert HistoryStore.open(data_dir).rest_days() == {date(2025, 6, 10)}


def test_log_rest_says_what_it_did_and_follows_the_apps_rules(capsys, data_dir: Path) -> None:
    code, out, _ = cli(capsys, "log", "--rest", "--date", "2025-06-10")
    assert (code, out) == (0, "marked Tue 10 Jun 2025 as a rest day (1 of 2 in 7 days)\n")
    # planned ahead (up to a year), as the Calendar's r allows
    code, out, _ = cli(capsys, "log", "--rest", "--date", "2025-12-24")
    assert (code, out) == (0, "marked Wed 24 Dec 2025 as a rest day (1 of 2 in 7 days)\n")
    code, _, err = cli(capsys, "log", "--rest", "--date", "2026-06-19")
    assert code == 2 and "more than a year ahead" in err and err.count("\n") == 1
    # the budget: a third rest day within 7 days is refused with the reason
    assert cli(capsys, "log", "--rest", "--date", "2025-06-12")[1].endswith("(2 of 2 in 7 days)\n")
    code, out, err = cli(capsys, "log", "--rest", "--date", "2025-06-14")
    assert code == 2 and out == "" and "rest-budget is 2" in err
    assert cli(capsys, "config", "rest-budget", "3")[0] == 0
    assert cli(capsys, "log", "--rest", "--date", "2025-06-14")[1].endswith("(3 of 3 in 7 days)\n")
    # a day with a finished session is not a rest day
    assert cli(capsys, "log")[0] == 0
    code, out, err = cli(capsys, "log", "--rest")
    assert code == 2 and out == "" and "already done" in err
    rest = HistoryStore.open(data_dir).rest_days()
    assert rest == {date(2025, 6, 10), date(2025, 12, 24), date(2025, 6, 12), date(2025, 6, 14)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2025-06-19"], "2025-06-19 is in the future"),
        (["--date", "2025-02-29"], "'2025-02-29' is not a real date"),
        (["--date", "18/06/2025"], "is not a real date in the form YYYY-MM-DD"),
        (["--minutes", "0"], "0 is not from 1 to 600"),
        (["--minutes", "601"], "601 is not from 1 to 600"),
        (["--rest", "--minutes", "5"], "--rest and --minutes do not go together"),
    ],
)
def test_log_refuses_bad_input_with_one_line_and_exit_2(capsys, data_dir: Path, args: list[str], message: str) -> None:
    code, out, err = cli(capsys, "log", *args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1
    assert not (data_dir / "history.json").exists()


def test_log_refusals_via_the_real_command(data_dir: Path) -> None:
    for args, message in (
        (["--date", "2999-01-01"], "is in the future"),
        (["--date", "2025-02-29"], "'2025-02-29' is not a real date"),
        (["--minutes", "0"], "0 is not from 1 to 600"),
        (["--rest", "--minutes", "5"], "--rest and --minutes do not go together"),
    ):
        result = run_cli("log", *args)
        assert result.returncode == 2, args
        assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (data_dir / "history.json").exists()


# -- config ----------------------------------------------------------------------------------
def test_config_lists_shows_sets_and_validates(capsys, data_dir: Path) -> None:
    code, out, _ = cli(capsys, "config")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "day-start-hour",
        "week-start",
        "bell",
        "theme",
        "hold",
        "transition",
        "rest-budget",
        "lead-in-position",
        "voice",
        "routine",
        "sync-dir",
    ]
    assert cli(capsys, "config", "bell", "off")[1] == "bell = off\n"
    assert cli(capsys, "config", "bell")[1] == "off\n"
    assert cli(capsys, "config", "day-start-hour", "3")[0] == 0
    assert cli(capsys, "config", "theme", "nord")[0] == 0
    assert cli(capsys, "config", "hold", "45")[0] == 0
    assert cli(capsys, "config", "transition", "0")[0] == 0
    assert cli(capsys, "config", "week-start", "Sunday")[0] == 0
    assert HistoryStore.open(data_dir).settings() == {
        "bell": "off", "day-start-hour": 3, "theme": "nord", "hold": 45, "transition": 0, "week-start": "sunday"
    }  # fmt: skip
    assert cli(capsys, "config", "hold", "default")[1] == "hold = (catalog holds)\n"
    for key, value in (
        ("day-start-hour", "7"),
        ("week-start", "friday"),
        ("bell", "loud"),
        ("theme", "neon"),
        ("hold", "4"),
        ("transition", "61"),
        ("hold", "x"),
    ):
        code, out, err = cli(capsys, "config", key, value)
        assert code == 2 and out == "" and err.count("\n") == 1, (key, value)
    code, _, err = cli(capsys, "config", "colour")
    assert code == 2 and "unknown setting 'colour'" in err


def test_theme_names_match_textual() -> None:
    from textual.theme import BUILTIN_THEMES

    from tui.core.settings import THEMES

    assert set(THEMES) == set(BUILTIN_THEMES)


# -- export and import ------------------------------------------------------------------------
def seed(data_dir: Path, count: int = 30, seed_value: int = 1, rest: tuple[date, ...] = ()) -> HistoryStore:
    store = HistoryStore.open(data_dir)
    store.import_many(make_sessions(count, end=TODAY, seed=seed_value), rest)
    return store


def test_json_round_trip_is_identical(capsys, tmp_path: Path, data_dir: Path) -> None:
    seed(data_dir, rest=(date(2025, 5, 1),))
    first = json.loads(cli(capsys, "export")[1])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))
    other = tmp_path / "other"
    assert (
        cli(capsys, "--data-dir", str(other), "import", str(path))[1]
        == "imported 30 sessions, skipped 0 already present\n"
    )
    second = json.loads(cli(capsys, "export", "--data-dir", str(other))[1])
    assert second["sessions"] == first["sessions"]
    assert second["rest_days"] == first["rest_days"] == ["2025-05-01"]
    assert first["format"] == "hamstring-history" and first["version"] == 1
    assert datetime.fromisoformat(first["exported_at"]) == NOW


def test_csv_round_trip_keeps_what_csv_carries(capsys, tmp_path: Path, data_dir: Path) -> None:
    seed(data_dir, count=20)
    path = tmp_path / "export.csv"
    assert cli(capsys, "export", "--format", "csv", "-o", str(path))[0] == 0
    first = path.read_text()
    rows = list(csv.reader(io.StringIO(first)))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == 21
    assert (
        rows[1][8]
        == "reclined-strap-stretch;active-forward-fold;half-splits;active-leg-raise;downward-dog;pyramid-pose;seated-forward-fold"
        or rows[1][6] == "false"
    )
    other = tmp_path / "other"
    assert (
        cli(capsys, "import", str(path), "--data-dir", str(other))[1]
        == "imported 20 sessions, skipped 0 already present\n"
    )
    assert cli(capsys, "export", "--format", "csv", "--data-dir", str(other))[1] == first


def test_merging_two_machines_converges_in_either_order(capsys, tmp_path: Path) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    shared = make_sessions(10, end=TODAY - timedelta(days=20), seed=3)
    HistoryStore.open(laptop).import_many(shared + make_sessions(5, end=TODAY, seed=4), [date(2025, 6, 1)])
    HistoryStore.open(desktop).import_many(shared + make_sessions(7, end=TODAY, seed=5), [date(2025, 6, 2)])
    laptop_file, desktop_file = tmp_path / "laptop.json", tmp_path / "desktop.json"
    cli(capsys, "export", "--data-dir", str(laptop), "-o", str(laptop_file))
    cli(capsys, "export", "--data-dir", str(desktop), "-o", str(desktop_file))
    assert (
        cli(capsys, "import", str(desktop_file), "--data-dir", str(laptop))[1]
        == "imported 7 sessions, skipped 10 already present\n"
    )
    assert (
        cli(capsys, "import", str(laptop_file), "--data-dir", str(desktop))[1]
        == "imported 5 sessions, skipped 10 already present\n"
    )

    def history(where: Path) -> tuple[list, list]:
        exported = json.loads(cli(capsys, "export", "--data-dir", str(where))[1])
        return sorted(exported["sessions"], key=lambda s: s["id"]), exported["rest_days"]

    assert history(laptop) == history(desktop)
    assert len(history(laptop)[0]) == 22 and history(laptop)[1] == ["2025-06-01", "2025-06-02"]
    before = (laptop / "history.json").read_bytes()
    assert (
        cli(capsys, "import", str(desktop_file), "--data-dir", str(laptop))[1]
        == "imported 0 sessions, skipped 17 already present\n"
    )
    assert json.loads((laptop / "history.json").read_bytes()) == json.loads(before)


BAD_IMPORTS = {
    "truncated JSON": lambda good: good[: len(good) // 2],
    "not an export": lambda good: b'{"sessions": []}',
    "a newer version": lambda good: good.replace(b'"version": 1', b'"version": 2', 1),
    "sessions not a list": lambda good: json.dumps(
        {"format": "hamstring-history", "version": 1, "sessions": {}}
    ).encode(),
    "a missing field": lambda good: good.replace(b'"duration_s"', b'"duration"', 1),
    "a wrong type": lambda good: good.replace(b'"complete": true', b'"complete": "yes"', 1),
    "a bad date": lambda good: good.replace(b'"date": "2025-', b'"date": "2025-13-', 1),
    "a bad rest day": lambda good: good.replace(b'"rest_days": [', b'"rest_days": ["tomorrow", ', 1),
    "a duplicate id": lambda good: _duplicate(good),
    "CSV with a bad row": lambda good: b",".join(CSV_FIELDS_B) + b"\nabc,2025-01-01,x,y,,1,true,timer,\n",
    "CSV with a wrong header": lambda good: b"id,day\n1,2\n",
    "binary": lambda good: bytes(range(256)),
    "empty": lambda good: b"",
}
CSV_FIELDS_B = [f.encode() for f in CSV_FIELDS]


def _duplicate(good: bytes) -> bytes:
    document = json.loads(good)
    document["sessions"].append(document["sessions"][0])
    return json.dumps(document).encode()


@pytest.mark.parametrize("kind", sorted(BAD_IMPORTS))
def test_malformed_imports_change_nothing_and_name_the_problem(
    capsys, tmp_path: Path, data_dir: Path, kind: str
) -> None:
    seed(data_dir, count=3, rest=(date(2025, 5, 1),))
    good = cli(capsys, "export")[1].encode()
    target = tmp_path / "target"
    HistoryStore.open(target).import_many(make_sessions(2, end=TODAY, seed=77))
    before = (target / "history.json").read_bytes()
    bad = tmp_path / "bad"
    bad.write_bytes(BAD_IMPORTS[kind](good))
    code, out, err = cli(capsys, "import", str(bad), "--data-dir", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"hamstring: nothing imported: {bad}") and err.count("\n") == 1
    assert (target / "history.json").read_bytes() == before


def test_errors_name_the_record_line_and_field(capsys, tmp_path: Path, data_dir: Path) -> None:
    seed(data_dir, count=3)
    document = json.loads(cli(capsys, "export")[1])
    document["sessions"][1]["steps"][2]["held_s"] = -4
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    err = cli(capsys, "import", str(bad))[2]
    assert "session 2: field 'steps[2].held_s': must be from 0 to 86400, not -4" in err
    csv_bad = tmp_path / "bad.csv"
    csv_bad.write_text(
        ",".join(CSV_FIELDS)
        + "\n"
        + "\n"
        + "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d11,2025-01-01,2025-01-01T08:00:00+00:00,2025-01-01T08:10:00+00:00,,six,true,timer,\n"
    )
    err = cli(capsys, "import", str(csv_bad))[2]
    assert "line 3: field 'duration_s': must be a whole number, not 'six'" in err


def test_a_100_mb_file_of_garbage_writes_nothing(tmp_path: Path, data_dir: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    with open(garbage, "wb") as handle:
        chunk = os.urandom(1 << 20)
        for _ in range(100):
            handle.write(chunk)
    result = run_cli("import", str(garbage))
    assert result.returncode == 2
    assert "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert not (data_dir / "history.json").exists()
    text_garbage = tmp_path / "garbage.txt"
    text_garbage.write_bytes(b"{" + b"x" * (100 << 20))
    result = run_cli("import", str(text_garbage))
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert not (data_dir / "history.json").exists()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_hypothesis_garbage_never_writes_or_raises(capsys, data_dir: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz"
    path.write_bytes(data)
    code, out, err = cli(capsys, "import", str(path))
    if code == 0:  # only a valid (if empty) export may be accepted
        assert out.startswith("imported ")
    else:
        assert code == 2 and "nothing imported" in err and err.count("\n") == 1
        assert not (data_dir / "history.json").exists()


json_leaf = st.none() | st.booleans() | st.integers(-10, 10**6) | st.text(max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["id", "date", "started_at", "ended_at", "tz", "duration_s", "complete", "source", "steps"]),
    value=json_leaf | st.lists(json_leaf, max_size=3),
)
def test_hypothesis_mutated_sessions_are_refused_by_field(
    capsys, data_dir: Path, tmp_path: Path, field: str, value: object
) -> None:
    session = make_sessions(1, end=TODAY, seed=9)[0].to_dict()
    session[field] = value
    document = {
        "format": "hamstring-history",
        "version": 1,
        "exported_at": NOW.isoformat(),
        "sessions": [session],
        "rest_days": [],
    }
    path = tmp_path / "mutated.json"
    path.write_text(json.dumps(document))
    code, out, err = cli(capsys, "import", str(path))
    if code == 0:
        assert out == "imported 1 sessions, skipped 0 already present\n"
        # start the next example afresh (a deleted session's tombstone would refuse the id)
        for made in data_dir.glob("history.json*"):
            made.unlink()
    else:
        assert code == 2 and f"field '{field}" in err


def test_export_to_a_directory_is_refused(capsys, tmp_path: Path, data_dir: Path) -> None:
    code, _, err = cli(capsys, "export", "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err


# -- speed: no textual ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [["status"], ["status", "--json"], ["log", "--rest"], ["config"], ["export"], ["stretches"], ["remind", "--json"]],
)
def test_shell_companions_never_import_textual(command: list[str], data_dir: Path) -> None:
    code = (
        "import sys\n"
        "from tui.__main__ import main\n"
        f"code = main({command!r})\n"
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "print('TEXTUAL', loaded, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL []" in result.stderr


def test_status_keeps_a_digest_and_recomputes_when_the_history_changes(capsys, data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.import_many(days_back(2, 1))
    assert cli(capsys, "status", "--short")[1] == "2!\n"
    digest_file = data_dir / "history.json.digest"
    assert digest_file.exists()
    cached = json.loads(digest_file.read_text())
    cached["done"] = digests._pack(
        array("l", [date(2025, 6, 18).toordinal()])
    )  # a tampered cache is used only while the history is unchanged...
    digest_file.write_text(json.dumps(cached))
    assert cli(capsys, "status", "--short")[1] == "1✓\n"
    store.record_session(days_back(0)[0])  # ...any write of the history makes it stale
    assert cli(capsys, "status", "--short")[1] == "3✓\n"
    (data_dir / "history.json").write_text("garbage")  # and a damaged history is still found and recovered
    code, _out, err = cli(capsys, "status", "--json")
    assert code == 0 and "was damaged" in err


# -- remind ----------------------------------------------------------------------------------
def fake_program(bin_dir: Path, name: str, log: Path, status: int = 0) -> None:
    """A stand-in for a system program: it writes its arguments to ``log``, one call a line."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    program = bin_dir / name
    program.write_text(f'#!/bin/sh\nprintf "%s\\037" "$@" >> "{log}"\necho >> "{log}"\nexit {status}\n')
    program.chmod(0o755)


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [line.split("\x1f")[:-1] for line in log.read_text().splitlines()]


@pytest.fixture
def fake_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Only the fake notify-send and systemctl on PATH; the systemd user dir under a fake XDG_CONFIG_HOME."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    fake_program(bin_dir, "notify-send", log)
    fake_program(bin_dir, "systemctl", log)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("sys.platform", "linux")
    return tmp_path / "xdg" / "systemd" / "user", log


def test_remind_notifies_only_when_today_is_not_done(capsys, data_dir: Path, fake_system) -> None:
    _units, log = fake_system
    HistoryStore.open(data_dir).import_many(days_back(1, 2, 3))
    code, out, err = cli(capsys, "remind", "--json")
    assert code == 0 and err == ""
    told = json.loads(out)
    assert told["sent"] and told["via"] == "notify-send" and told["reason"] == "not done today"
    message = "3-day streak at risk: 7 min of stretching left to do today"
    assert told["message"] == message
    assert calls(log) == [["--app-name=hamstring", "--", "hamstring", message]]
    assert cli(capsys, "log")[0] == 0
    code, out, _ = cli(capsys, "remind")
    assert (code, out) == (0, "nothing to remind: done today\n")
    assert len(calls(log)) == 1  # no second notification


def test_remind_on_a_rest_day_does_nothing_and_without_a_notifier_says_it_on_stderr(
    capsys, data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setattr("sys.platform", "linux")
    code, out, err = cli(capsys, "remind")
    assert code == 0 and out == ""
    assert "hamstring: Time to stretch: 7 min today starts a streak" in err
    assert "notify-send is not on PATH" in err
    assert cli(capsys, "log", "--rest")[0] == 0
    code, out, err = cli(capsys, "remind", "--json")
    assert code == 0 and json.loads(out) == {
        "sent": False,
        "via": None,
        "message": None,
        "reason": "rest day",
        "note": None,
    }


def test_remind_install_and_uninstall_a_systemd_timer_and_say_which_files(
    capsys, data_dir: Path, config_dir: Path, fake_system
) -> None:
    units, log = fake_system
    code, out, err = cli(capsys, "remind", "--install", "19:30")
    assert code == 0, err
    service, timer = units / "hamstring-remind.service", units / "hamstring-remind.timer"
    assert f"wrote {service}\n" in out and f"wrote {timer}\n" in out
    assert "OnCalendar=*-*-* 19:30:00" in timer.read_text()
    exec_line = next(line for line in service.read_text().splitlines() if line.startswith("ExecStart="))
    assert f'"--data-dir" "{data_dir}" "remind"' in exec_line  # the history this reminder reads
    assert exec_line.startswith(f'ExecStart="/usr/bin/env" "HAMSTRING_CONFIG_DIR={config_dir}" ')  # its stretches
    assert calls(log) == [["--user", "daemon-reload"], ["--user", "enable", "--now", "hamstring-remind.timer"]]
    code, out, _ = cli(capsys, "remind", "--uninstall", "--json")
    done = json.loads(out)
    assert code == 0 and done["removed"] == [str(service), str(timer)] and done["complete"]
    assert not service.exists() and not timer.exists()
    code, out, err = cli(capsys, "remind", "--install", "25:00")
    assert code == 2 and out == "" and "not a time of day" in err and err.count("\n") == 1


def test_remind_install_never_overwrites_a_file_it_did_not_write(capsys, data_dir: Path, fake_system) -> None:
    units, _log = fake_system
    units.mkdir(parents=True)
    (units / "hamstring-remind.timer").write_text("[Timer]\nOnCalendar=daily\n")
    code, out, err = cli(capsys, "remind", "--install", "08:00")
    assert code == 1 and out == "" and "was not written by hamstring" in err
    assert (units / "hamstring-remind.timer").read_text() == "[Timer]\nOnCalendar=daily\n"
