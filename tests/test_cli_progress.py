"""``hamstring checkin``, ``measure`` and ``progress`` (issue #15)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli_fixtures import TODAY, cli, utc  # noqa: F401  # utc: an autouse fixture
from tui.core.store import HistoryStore


def history_bytes(data_dir: Path) -> bytes | None:
    path = data_dir / "history.json"
    return path.read_bytes() if path.exists() else None


def test_checkin_and_measure_are_kept(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert cli(capsys, "checkin", "--pain", "4", "--stiffness", "2", "--note", "long drive")[:2] == (
        0,
        "checked in for Wed 18 Jun 2025: pain 4, stiffness 2\n",
    )
    assert cli(capsys, "measure", "sit-and-reach", "-3.5", "--date", "2025-06-17")[0] == 0
    code, out, _ = cli(capsys, "measure", "slr", "70", "--side", "left")
    assert code == 0 and out == "slr (left) 70 degrees on Wed 18 Jun 2025\n"
    store = HistoryStore.open(data_dir)
    (checkin,) = store.checkins()
    assert (checkin.date, checkin.pain, checkin.stiffness, checkin.note) == (TODAY, 4, 2, "long drive")
    assert [(m.kind, m.value, m.side) for m in store.measurements()] == [
        ("sit-and-reach", -3.5, None),
        ("slr", 70.0, "left"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "--pain", "11"], "pain must be from 0 to 10, not 11"),
        (["checkin", "--pain", "-1"], "pain must be from 0 to 10, not -1"),
        (["checkin", "--pain", "x"], "pain must be a whole number"),
        (["checkin", "--pain", "3", "--stiffness", "12"], "stiffness must be from 0 to 10"),
        (["checkin", "--pain", "3", "--date", "2025-06-19"], "must not be in the future"),
        (["checkin", "--pain", "3", "--date", "2025-02-30"], "not a real date"),
        (["checkin", "--pain", "3", "--note", "a\x1b[2Jb"], "control characters"),
        (["measure", "reach", "3"], "kind must be sit-and-reach or slr"),
        (["measure", "slr", "70"], "side is required for slr"),
        (["measure", "slr", "70", "--side", "up"], "side must be left or right"),
        (["measure", "sit-and-reach", "81"], "from -50 to 80 cm"),
        (["measure", "slr", "nan", "--side", "left"], "must be a number of degrees"),
    ],
)
def test_bad_values_are_one_line_exit_2_and_nothing_written(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: list[str], message: str
) -> None:
    before = history_bytes(data_dir)
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert "\x1b" not in err
    assert history_bytes(data_dir) == before


def test_progress_json_weeks_oldest_first_from_the_week_start(capsys: pytest.CaptureFixture[str]) -> None:
    for days, pain in ((0, 2), (1, 4), (8, 6)):
        day = (TODAY - timedelta(days=days)).isoformat()
        assert cli(capsys, "checkin", "--pain", str(pain), "--date", day)[0] == 0
    assert cli(capsys, "log", "--date", "2025-06-16", "--minutes", "10")[0] == 0
    assert cli(capsys, "measure", "slr", "65", "--side", "right")[0] == 0
    code, out, _ = cli(capsys, "progress", "--weeks", "3", "--json")
    found = json.loads(out)
    assert code == 0 and [w["start"] for w in found["weeks"]] == ["2025-06-02", "2025-06-09", "2025-06-16"]
    assert found["weeks"][-1] == {
        "start": "2025-06-16",
        "days_done": 1,
        "pain_avg": 3.0,
        "stiffness_avg": None,
        "checkins": 2,
    }
    assert found["weeks"][1]["pain_avg"] == 6.0
    assert found["measurements"] == [{"date": "2025-06-18", "kind": "slr", "side": "right", "value": 65.0}]
    assert cli(capsys, "config", "week-start", "sunday")[0] == 0
    found = json.loads(cli(capsys, "progress", "--weeks", "2", "--json")[1])
    assert [w["start"] for w in found["weeks"]] == ["2025-06-08", "2025-06-15"]
    assert date.fromisoformat(found["weeks"][-1]["start"]).weekday() == 6


def test_progress_text_has_the_table_and_the_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "progress", "--weeks", "2")
    assert code == 0 and out.splitlines()[0].startswith("Week of") and "No check-ins yet" in out
    cli(capsys, "checkin", "--pain", "5")
    out = cli(capsys, "progress", "--weeks", "1")[1]
    assert "2025-06-16" in out and "5.0" in out and "Only 1 check-in in the last 4 weeks" in out
    assert cli(capsys, "progress", "--weeks", "0")[0] == 2


def test_csv_export_of_checkins_and_measurements(capsys: pytest.CaptureFixture[str]) -> None:
    cli(capsys, "checkin", "--pain", "3", "--note", '=HYPERLINK("x")')
    cli(capsys, "measure", "sit-and-reach", "-2")
    code, out, _ = cli(capsys, "export", "--format", "csv", "--what", "checkins")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "id,date,pain,stiffness,note,recorded_at"
    assert '"\'=HYPERLINK(""x"")"' in lines[1] and '"2025-06-18","3",""' in lines[1]
    out = cli(capsys, "export", "--format", "csv", "--what", "measurements")[1]
    assert out.splitlines()[0] == "id,date,kind,side,value,recorded_at" and '"sit-and-reach","","\'-2.0"' in out
    assert cli(capsys, "export", "--what", "checkins")[0] == 2  # JSON holds everything already
