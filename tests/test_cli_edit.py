"""``hamstring history``, ``delete``, ``move``, ``note`` and ``unrest`` (issue #16)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_fixtures import cli, utc  # noqa: F401  # utc: an autouse fixture
from tui.core.store import HistoryStore

MISSING = "00000000-0000-4000-8000-000000000000"


def logged(capsys: pytest.CaptureFixture[str], *days: str) -> list[str]:
    for day in days:
        assert cli(capsys, "log", "--date", day, "--minutes", "10")[0] == 0
    rows = json.loads(cli(capsys, "history", "--json")[1])
    return [row["id"] for row in rows]


def test_history_lists_every_session_with_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    ids = logged(capsys, "2025-06-10", "2025-06-12", "2025-06-14")
    code, out, _ = cli(capsys, "history", "--from", "2025-06-11", "--to", "2025-06-13", "--json")
    assert code == 0 and [row["id"] for row in json.loads(out)] == [ids[1]]
    assert json.loads(out)[0] == {
        "id": ids[1],
        "date": "2025-06-12",
        "source": "manual",
        "minutes": 10.0,
        "complete": True,
        "note": None,
    }
    text = cli(capsys, "history")[1].splitlines()
    assert len(text) == 3 and text[0].startswith(ids[0]) and "2025-06-10" in text[0]
    assert cli(capsys, "history", "--from", "2025-06-13", "--to", "2025-06-11")[0] == 2


def test_delete_is_all_or_nothing_and_sticks(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    ids = logged(capsys, "2025-06-10", "2025-06-12")
    before = (data_dir / "history.json").read_bytes()
    code, out, err = cli(capsys, "delete", ids[0], MISSING)
    assert code == 2 and out == "" and MISSING in err and "nothing deleted" in err
    assert (data_dir / "history.json").read_bytes() == before
    code, _, err = cli(capsys, "delete", "not-an-id\x1b[2J")
    assert code == 2 and "\x1b" not in err
    assert cli(capsys, "delete", ids[0])[:2] == (0, "deleted 1 session\n")
    assert cli(capsys, "delete", ids[0])[0] == 2  # already deleted
    exported = HistoryStore.open(data_dir).export_all()
    assert ids[0] in {t["id"] for t in exported["tombstones"]}


def test_move_and_note(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    (sid,) = logged(capsys, "2025-06-10")
    assert cli(capsys, "move", sid, "2025-06-11")[0] == 0
    assert cli(capsys, "note", sid, "hips tight")[:2] == (0, "note saved\n")
    (row,) = json.loads(cli(capsys, "history", "--json")[1])
    assert row["date"] == "2025-06-11" and row["note"] == "hips tight"
    for bad in (["move", sid, "2025-06-25"], ["move", sid, "1969-12-31"], ["move", MISSING, "2025-06-11"]):
        code, out, err = cli(capsys, *bad)
        assert code == 2 and out == "" and err.count("\n") == 1, bad
    assert cli(capsys, "move", sid, "2025-13-01")[0] == 2
    assert cli(capsys, "note", sid, "x" * 501)[0] == 2
    assert cli(capsys, "note", MISSING, "hi")[0] == 2
    (row,) = json.loads(cli(capsys, "history", "--json")[1])
    assert row["date"] == "2025-06-11" and row["note"] == "hips tight"
    assert cli(capsys, "note", sid, "")[:2] == (0, "note removed\n")


def test_unrest_removes_a_rest_day(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert cli(capsys, "log", "--rest", "--date", "2025-06-15")[0] == 0
    assert HistoryStore.open(data_dir).rest_days() == {__import__("datetime").date(2025, 6, 15)}
    assert cli(capsys, "unrest", "2025-06-15")[0] == 0
    assert HistoryStore.open(data_dir).rest_days() == frozenset()
    # Already as asked: nothing changed, said, exit 0 (as `log --rest` on a rest day).
    code, out, _ = cli(capsys, "unrest", "2025-06-15")
    assert code == 0 and "not a rest day: nothing changed" in out
    assert HistoryStore.open(data_dir).rest_days() == frozenset()


def test_move_keeps_the_log_rules(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    """No session moves into the future, and no day gets a second manual log by a move."""
    from datetime import timedelta

    from tests.cli_fixtures import TODAY

    today = TODAY
    first, second = logged(capsys, "2025-06-10", "2025-06-11")
    code, _, err = cli(capsys, "move", first, "2025-06-11")
    assert code == 2 and "already logged by hand" in err
    tomorrow = (today + timedelta(days=1)).isoformat()
    code, _, err = cli(capsys, "move", second, tomorrow)
    assert code == 2 and "future" in err
    rows = json.loads(cli(capsys, "history", "--json")[1])
    assert sorted(row["date"] for row in rows) == ["2025-06-10", "2025-06-11"]
