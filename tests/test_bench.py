"""The benchmarks run (tiny, once): they report, they do not assert timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def test_quick_benchmark_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    names = [figure["name"] for figure in report["figures"]]
    for expected in (
        "start to first frame: catalog",
        "start to first frame: calendar",
        "start to Catalog text in a pty 120x40",
        "visit all three screens",
        "hamstring status",
        "hamstring status --short, 3650 sessions (prompt)",
        "hamstring status --json, 3650 sessions (prompt)",
        "start to first frame: progress, 3650 sessions + 3650 check-ins",
        "hamstring sync: a peer of 3650",
        "load history",
        "record one finished session",
        "hamstring import",
        "CPU while a session timer",
        "peak RSS",
    ):
        assert any(expected in name for name in names), expected
    for figure in report["figures"]:
        assert figure["ratios"] and all(ratio > 0 for ratio in figure["ratios"]), figure["name"]
    assert "targets met:" in result.stdout
