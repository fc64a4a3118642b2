"""`hamstring import --from loop|harsh`: another tracker's history, checked, shown, then written once."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli
from tests.test_importers import make_loop_db


def history_dates(data_dir: Path) -> list[str]:
    result = run_cli("history", "--json")
    assert result.returncode == 0, result.stderr
    return sorted(row["date"] for row in json.loads(result.stdout))


def test_loop_with_several_habits_needs_one_named(tmp_path: Path, data_dir: Path) -> None:
    db = make_loop_db(tmp_path / "loop.db")
    result = run_cli("import", "--from", "loop", str(db))
    assert result.returncode == 2 and "Stretch hamstrings" in result.stderr and "Read" in result.stderr
    assert not (data_dir / "history.json").exists()


def test_dry_run_says_what_and_writes_nothing_then_the_import_writes_once(tmp_path: Path, data_dir: Path) -> None:
    db = make_loop_db(tmp_path / "loop.db")
    dry = run_cli("import", "--from", "loop", str(db), "--habit", "Stretch hamstrings", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would add 3 sessions and 1 rest day" in dry.stdout and "2025-06-01 to 2025-06-06" in dry.stdout
    assert "streak" in dry.stdout and "strength" in dry.stdout
    assert not (data_dir / "history.json").exists()
    done = run_cli("import", "--from", "loop", str(db), "--habit", "stretch HAMSTRINGS")
    assert done.returncode == 0 and "added 3 sessions and 1 rest day" in done.stdout
    assert history_dates(data_dir) == ["2025-06-01", "2025-06-02", "2025-06-06"]
    notes = {row["date"]: row.get("note") for row in json.loads(run_cli("history", "--json").stdout)}
    assert notes["2025-06-01"] == "felt tight"
    again = run_cli("import", "--from", "loop", str(db), "--habit", "Stretch hamstrings")
    assert again.returncode == 0 and "nothing new" in again.stdout
    assert history_dates(data_dir) == ["2025-06-01", "2025-06-02", "2025-06-06"]


def test_harsh_log_and_bad_lines(tmp_path: Path, data_dir: Path) -> None:
    log = tmp_path / "log"
    log.write_text("2025-06-01 : Stretch : y\n2025-06-02 : Stretch : s\n2025-06-03 : Stretch : n\n")
    result = run_cli("import", "--from", "harsh", str(log))
    assert result.returncode == 0, result.stderr
    assert "added 1 session and 1 rest day" in result.stdout
    bad = tmp_path / "bad"
    bad.write_text("2025-06-01 : Stretch : y\nnot a line\n")
    refused = run_cli("import", "--from", "harsh", str(bad))
    assert refused.returncode == 2 and "line 2" in refused.stderr and "Traceback" not in refused.stderr


def test_a_file_that_is_not_what_from_says_is_one_line(tmp_path: Path, data_dir: Path) -> None:
    jpeg = tmp_path / "photo.db"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    result = run_cli("import", "--from", "loop", str(jpeg))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "photo.db" in result.stderr
    assert not (data_dir / "history.json").exists()


def test_habit_and_dry_run_need_from(tmp_path: Path, data_dir: Path) -> None:
    result = run_cli("import", str(tmp_path / "x.json"), "--dry-run")
    assert result.returncode == 2 and "--from" in result.stderr
