"""Reliability of the history under kills and concurrent writers (figures are printed).

The full runs take a couple of minutes; they are the proof that the store
keeps every acknowledged change. ``python -m reliability`` runs the same code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reliability import concurrent, hostile, kills
from tui.core.document import CorruptHistory


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n[reliability] {text}")


def test_200_sigkills_lose_no_acknowledged_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    randomly, aimed = kills.run_in_parallel(tmp_path, random_kills=100, aimed_kills=100, sessions=10_000)
    show(capsys, randomly.summary())
    show(capsys, aimed.summary())
    for report in (randomly, aimed):
        assert report.problems == []
        assert report.sessions_at_start == 10_000
        assert report.failed_loads == 0 and report.lost_acknowledged == 0 and report.partial_in_flight == 0
        assert report.acknowledged > 0
    assert randomly.random_kills == 100 and aimed.aimed_kills == 100
    assert aimed.aimed_inside_write >= 50, "the aimed kills must mostly land inside a write"
    assert randomly.in_flight_absent + randomly.in_flight_present + aimed.in_flight_absent + aimed.in_flight_present > 0


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_writers_keep_every_session_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], processes: int
) -> None:
    report = concurrent.run(tmp_path, processes, per_process=200)
    show(capsys, report.summary())
    assert report.acknowledged == processes * 200
    assert report.present == processes * 200
    assert report.missing == 0 and report.duplicates == 0


def test_the_kill_checker_sees_a_duplicate_and_a_torn_file(tmp_path: Path) -> None:
    record = {"id": "a"}
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"sessions": {"1": record, "2": record}}))
    with pytest.raises(CorruptHistory, match="stored twice"):
        kills._file_state(path, validate=False)
    path.write_text('{"sessions": {"1": {"id": "a"')
    with pytest.raises(CorruptHistory):
        kills._file_state(path, validate=False)


def test_the_model_applies_changes_in_order() -> None:
    model = {"a": {"id": "a", "v": 1}}
    model = kills._apply(model, {"op": "insert", "record": {"id": "b", "v": 1}})
    model = kills._apply(model, {"op": "edit", "record": {"id": "a", "v": 2}})
    model = kills._apply(model, {"op": "delete", "id": "b"})
    assert model == {"a": {"id": "a", "v": 2}}


def test_every_hostile_case_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #11's hostile cases against the command line (``python -m reliability --group hostile``)."""
    report = hostile.run(tmp_path)
    show(capsys, report.summary())
    assert len(report.results) >= len(hostile.CASES) - 1  # only the faked clock may be skipped
    assert [result.line() for result in report.results if not result.held] == []
