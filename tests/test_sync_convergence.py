"""Three computers, three synced folders, a simulated sync tool: the histories converge.

The full size (1,000 operations) runs from ``python -m reliability.sync_convergence``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reliability.sync_convergence import run_convergence
from tui.core import sync, sync_files


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_three_computers_converge_and_keep_every_acknowledged_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    report = run_convergence(ops=200, seed=seed, base=tmp_path)
    with capsys.disabled():
        print(f"\n[sync] {report.summary()}")
    assert report.problems == []
    counts = report.counts
    # The run did what it claims: every kind of change, damaged copies and conflict copies.
    for kind in ("log", "delete", "move", "mark", "unmark", "checkin", "merge", "truncated", "conflict", "skipped"):
        assert counts[kind] > 0, kind
    # A session two computers deleted before hearing of each other counts twice in "delete".
    assert counts["log"] - counts["delete"] <= report.final_sessions < counts["log"]
    assert report.final_checkins == counts["checkin"]
    assert report.final_tombstones >= counts["delete"]


def test_the_check_sees_edits_that_do_not_travel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every version looks the same age: merge keeps the local one and moves never spread.
    monkeypatch.setattr(sync, "version_key", lambda record: (0, None, ""))
    report = run_convergence(ops=200, seed=1, base=tmp_path)
    assert any("not at their latest edit" in problem for problem in report.problems)


def test_the_check_sees_deleted_sessions_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sync_files.gather

    def without_tombstones(*args: Any, **kwargs: Any) -> sync_files.Gathered:
        found = real(*args, **kwargs)
        return replace(found, replicas=[replace(r, tombstones={}) for r in found.replicas])

    monkeypatch.setattr(sync_files, "gather", without_tombstones)
    report = run_convergence(ops=200, seed=1, base=tmp_path)
    assert any("came back" in problem or "deleted ones back" in problem for problem in report.problems)
