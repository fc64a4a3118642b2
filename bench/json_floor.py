"""The JSON floors: a plain json.load, and an atomic dump + fsync + replace, of one file."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def load(path: Path) -> float:
    started = time.perf_counter()
    with open(path, "rb") as handle:
        json.load(handle)
    return time.perf_counter() - started


def atomic_dump(path: Path, document: object) -> float:
    """Serialise ``document``, write it beside ``path``, fsync, replace, fsync the folder."""
    started = time.perf_counter()
    temp = path.with_name(path.name + ".floor.tmp")
    data = json.dumps(document, separators=(",", ":")).encode()
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return time.perf_counter() - started
