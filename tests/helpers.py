"""Helpers shared by the tests (not fixtures)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tui ARGS`` in a subprocess, as a user's shell would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=60,
        cwd=REPO,
    )


def builtin_catalog_dict() -> dict[str, Any]:
    return json.loads((REPO / "stretches.json").read_text(encoding="utf-8"))


def make_read_only_history(data_dir: Path) -> Any:
    """A history written by a "newer hamstring" (schema 99): readable, never written."""
    from datetime import date

    from tui.core.store import HistoryStore

    writable = HistoryStore.open(data_dir)
    writable.set_rest_day(date(2020, 1, 1), True)
    writable.set_setting("bell", "on")
    path = data_dir / "history.json"
    document = json.loads(path.read_text())
    document["_meta"] = {"1": {"schema_version": 99}}
    path.write_text(json.dumps(document))
    store = HistoryStore.open(data_dir)
    assert store.read_only
    return store


class FakeClock:
    """A monotonic clock the test moves by hand (``advance``), starting at ``start`` seconds."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def tz_env(value: str | None) -> Iterator[None]:
    """Run with the process's ``TZ`` set to ``value`` (unset with None), as a user's machine would be."""
    old = os.environ.get("TZ")
    if value is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = value
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def shown_text(svg: str) -> list[str]:
    """The words of each line of a screenshot (``App.export_screenshot()``), as a person sees
    them: what is drawn on top, after the compositor clipped every widget."""
    lines: dict[int, list[str]] = {}
    for line, text in re.findall(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>([^<]*)</text>', svg):
        lines.setdefault(int(line), []).append(html.unescape(text).replace("\xa0", " "))
    return [" ".join("".join(parts).split()) for _, parts in sorted(lines.items())]
