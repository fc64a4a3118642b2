"""A child process that edits the history until it is killed.

Protocol, one JSON object per line on stdout (flushed at once):
  {"ready": N}                                  opened, N sessions known
  {"begin": n, "op": "insert"|"edit", "record": {...}}
  {"begin": n, "op": "delete", "id": "..."}
  {"writing": n}                                the atomic file write starts
  {"written": n, "ms": t}                       the atomic file write returned
  {"ack": n}                                    the store call returned
usage: python -m reliability.writer DATA_DIR SEED
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
import time
from datetime import date, timedelta

from tui.core import storage
from tui.core.factory import make_session
from tui.core.store import HistoryStore


def emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(data_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    current = {"n": 0}
    real_write = storage.atomic_write_bytes

    def traced_write(path, data):
        emit({"writing": current["n"]})
        started = time.perf_counter()
        real_write(path, data)
        emit({"written": current["n"], "ms": round((time.perf_counter() - started) * 1000, 2)})

    storage.atomic_write_bytes = traced_write  # history writes only: backups use store's own import
    store = HistoryStore.open(data_dir)
    known = {session.id: session for session in store.sessions()}
    emit({"ready": len(known)})
    n = 0
    while True:
        n += 1
        current["n"] = n
        roll = rng.random()
        if roll < 0.6 or len(known) < 10:
            record = make_session(rng, date(2030, 1, 1) + timedelta(days=rng.randint(0, 3000)))
            emit({"begin": n, "op": "insert", "record": record.to_dict()})
            store.record_session(record)
            known[record.id] = record
        elif roll < 0.85:
            target = known[rng.choice(list(known))]
            record = dataclasses.replace(target, duration_s=rng.randint(0, 5000), complete=rng.random() < 0.5)
            emit({"begin": n, "op": "edit", "record": record.to_dict()})
            store.record_session(record)
            known[record.id] = record
        else:
            victim = rng.choice(list(known))
            emit({"begin": n, "op": "delete", "id": victim})
            store.delete_session(victim)
            del known[victim]
        emit({"ack": n})


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
