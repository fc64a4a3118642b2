"""Several processes record sessions into one history at the same moment.

Every session acknowledged by any process must be in the file exactly once.
usage (child): python -m reliability.concurrent DATA_DIR INDEX COUNT GO_FILE
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.core.document import decode_document
from tui.core.factory import make_sessions
from tui.core.storage import validate_document
from tui.core.store import HistoryStore

REPO = Path(__file__).resolve().parent.parent


@dataclass
class ConcurrencyReport:
    processes: int
    per_process: int
    acknowledged: int
    present: int
    duplicates: int
    missing: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.duplicates == 0 and self.present == self.processes * self.per_process

    def summary(self) -> str:
        return (
            f"{self.processes} processes x {self.per_process} sessions at once: {self.acknowledged} acknowledged, "
            f"{self.present} in the file, {self.missing} missing, {self.duplicates} duplicated; {self.seconds:.1f} s"
        )


def child(data_dir: str, index: int, count: int, go_file: str) -> None:
    sessions = make_sessions(count, end=date(2026, 1, 1), seed=1000 + index)
    store = HistoryStore.open(data_dir, lock_timeout=60)
    deadline = time.monotonic() + 60
    while not os.path.exists(go_file) and time.monotonic() < deadline:
        time.sleep(0.001)
    for session in sessions:
        store.record_session(session)
        print(session.id, flush=True)


def run(data_dir: Path, processes: int, per_process: int = 200) -> ConcurrencyReport:
    data_dir.mkdir(parents=True, exist_ok=True)
    go_file = data_dir / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "reliability.concurrent", str(data_dir), str(i), str(per_process), str(go_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for i in range(processes)
    ]
    time.sleep(0.5)  # let every child open the store before the start signal
    started = time.monotonic()
    go_file.touch()
    acknowledged: list[str] = []
    for process in children:
        out, err = process.communicate(timeout=300)
        if process.returncode != 0:
            raise RuntimeError(
                f"a writer failed: {err.strip().splitlines()[-1] if err.strip() else process.returncode}"
            )
        acknowledged.extend(out.split())
    seconds = time.monotonic() - started
    document = decode_document((data_dir / "history.json").read_bytes())
    validate_document(document)
    stored = [raw["id"] for raw in document["sessions"].values()]
    return ConcurrencyReport(
        processes=processes,
        per_process=per_process,
        acknowledged=len(acknowledged),
        present=len(set(stored)),
        duplicates=len(stored) - len(set(stored)),
        missing=len(set(acknowledged) - set(stored)),
        seconds=seconds,
    )


if __name__ == "__main__":
    child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
