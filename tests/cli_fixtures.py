"""What the CLI tests of check-ins, edits and sync share: a fixed UTC clock and an in-process run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine

from tui.cli.main import main

NOW = datetime(2025, 6, 18, 9, 0, tzinfo=UTC)  # a Wednesday
TODAY = date(2025, 6, 18)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    with time_machine.travel(NOW, tick=False):
        yield
    monkeypatch.delenv("TZ")
    time.tzset()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of one in-process run."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code  # type: ignore[assignment]  # argparse exits with an int
    out, err = capsys.readouterr()
    return int(code), out, err
