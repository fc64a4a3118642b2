"""SIGKILL a writer of the history at random moments and inside its writes.

After every kill the file must load and validate, every acknowledged change
must be in it, and the change in flight must be wholly present or wholly
absent. The model of what the file must hold is rebuilt from the writer's own
acknowledgements (see :mod:`reliability.writer`).
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tui.core.document import CorruptHistory, decode_document
from tui.core.factory import make_sessions
from tui.core.storage import validate_document
from tui.core.store import HistoryStore

REPO = Path(__file__).resolve().parent.parent


@dataclass
class KillReport:
    sessions_at_start: int = 0
    rounds: int = 0
    random_kills: int = 0
    aimed_kills: int = 0
    aimed_inside_write: int = 0
    temp_files_left: int = 0
    acknowledged: int = 0
    in_flight_present: int = 0
    in_flight_absent: int = 0
    failed_loads: int = 0
    lost_acknowledged: int = 0
    partial_in_flight: int = 0
    write_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.failed_loads or self.lost_acknowledged or self.partial_in_flight or self.problems)

    def summary(self) -> str:
        median = statistics.median(self.write_ms) if self.write_ms else 0.0
        return (
            f"kill test on {self.sessions_at_start} sessions: {self.random_kills} random + {self.aimed_kills} aimed "
            f"SIGKILLs ({self.aimed_inside_write} landed inside a file write, {self.temp_files_left} left a temp file); "
            f"{self.acknowledged} acknowledged changes, lost {self.lost_acknowledged}; "
            f"in-flight change wholly present {self.in_flight_present}, wholly absent {self.in_flight_absent}, "
            f"partial {self.partial_in_flight}; failed loads {self.failed_loads}; "
            f"median write {median:.0f} ms; {self.seconds:.0f} s"
        )


def _apply(model: dict[str, dict[str, Any]], change: dict[str, Any]) -> dict[str, dict[str, Any]]:
    updated = dict(model)
    if change["op"] == "delete":
        updated.pop(change["id"], None)
    else:
        updated[change["record"]["id"]] = change["record"]
    return updated


def _file_state(path: Path, validate: bool = True) -> dict[str, dict[str, Any]]:
    """The sessions in the file by id; raises :class:`CorruptHistory` if it does not load.

    ``validate=False`` only decodes: a state equal to the model is valid anyway,
    because the model holds nothing but validated records.
    """
    document = decode_document(path.read_bytes())
    if validate:
        validate_document(document)
    state: dict[str, dict[str, Any]] = {}
    for raw in document.get("sessions", {}).values():
        if raw.get("id") in state:
            raise CorruptHistory(f"session {raw['id']} is stored twice")
        state[raw.get("id")] = raw
    return state


class _Writer:
    """A writer child and a thread reading its protocol lines."""

    def __init__(self, data_dir: Path, seed: int):
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reliability.writer", str(data_dir), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.lines.put(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by the kill
        self.lines.put(None)

    def wait_for(self, key: str, count: int, timeout: float) -> bool:
        """Block until the ``count``-th message with ``key`` has arrived."""
        deadline = time.monotonic() + timeout
        while sum(1 for m in self.seen if key in m) < count:
            try:
                message = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return False
            if message is None:
                return False
            self.seen.append(message)
        return True

    def kill(self) -> list[dict[str, Any]]:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        while True:
            message = self.lines.get(timeout=10)
            if message is None:
                break
            self.seen.append(message)
        return self.seen


def prepare(data_dir: Path, sessions: int) -> None:
    store = HistoryStore.open(data_dir)
    store.import_many(make_sessions(sessions, end=date(2026, 11, 1), seed=7))


def run(
    data_dir: Path,
    random_kills: int = 100,
    aimed_kills: int = 100,
    sessions: int = 10_000,
    seed: int = 2024,
    max_delay: float = 1.2,
) -> KillReport:
    """Run the kill rounds against a history of ``sessions`` sessions in ``data_dir``."""
    started = time.monotonic()
    rng = random.Random(seed)
    prepare(data_dir, sessions)
    history = data_dir / "history.json"
    model = _file_state(history)
    report = KillReport(sessions_at_start=len(model))
    write_estimate = 0.05
    for round_number in range(random_kills + aimed_kills):
        aimed = round_number >= random_kills
        writer = _Writer(data_dir, seed * 1000 + round_number)
        target_write = None
        if aimed:
            # Let it write once or twice, then kill somewhere inside the next write.
            target = rng.randint(1, 3)
            if not writer.wait_for("writing", target, timeout=60):
                report.problems.append(f"round {round_number}: the writer never wrote: {writer.process.stderr.read()}")
                writer.kill()
                continue
            target_write = [m for m in writer.seen if "writing" in m][target - 1]["writing"]
            time.sleep(rng.uniform(0, write_estimate))
        else:
            time.sleep(rng.uniform(0, max_delay))
        messages = writer.kill()
        report.rounds += 1
        report.random_kills += not aimed
        report.aimed_kills += aimed
        report.write_ms.extend(m["ms"] for m in messages if "ms" in m)
        if report.write_ms:
            write_estimate = statistics.median(report.write_ms) / 1000
        if aimed and not any(m.get("written") == target_write for m in messages):
            report.aimed_inside_write += 1
        report.temp_files_left += sum(1 for p in data_dir.iterdir() if p.name.endswith(".tmp"))

        begun = {m["begin"]: m for m in messages if "begin" in m}
        acked = [m["ack"] for m in messages if "ack" in m]
        for n in acked:
            model = _apply(model, begun.pop(n))
        report.acknowledged += len(acked)
        in_flight = next(iter(begun.values()), None)
        try:
            state = _file_state(history, validate=False)
            if state != model and (in_flight is None or state != _apply(model, in_flight)):
                state = _file_state(history)  # anything unexpected must at least validate
        except (CorruptHistory, OSError) as error:
            report.failed_loads += 1
            report.problems.append(f"round {round_number}: the file does not load: {error}")
            break
        if state == model:
            report.in_flight_absent += in_flight is not None
            continue
        if in_flight is not None and state == _apply(model, in_flight):
            model = state
            report.in_flight_present += 1
            continue
        missing = [key for key in model if key not in state or state[key] != model[key]]
        report.lost_acknowledged += len(missing)
        report.partial_in_flight += len(missing) == 0
        report.problems.append(
            f"round {round_number}: file differs from the acknowledged model ({len(missing)} records)"
        )
        model = state
    # One last clean start: the stale temp files go and nothing is reported damaged.
    final = HistoryStore.open(data_dir)
    if final.notices:
        report.problems.extend(final.notices)
    if any(p.name.endswith(".tmp") for p in data_dir.iterdir()):
        report.problems.append("temp files survived a clean start")
    report.seconds = time.monotonic() - started
    return report


def run_in_parallel(base: Path, random_kills: int, aimed_kills: int, sessions: int) -> tuple[KillReport, KillReport]:
    """The random and the aimed rounds at once, each on its own history (two cores)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as pool:
        randomly = pool.submit(run, base / "random", random_kills, 0, sessions, 11)
        aimed = pool.submit(run, base / "aimed", 0, aimed_kills, sessions, 12)
        return randomly.result(), aimed.result()
