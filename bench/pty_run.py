"""Start a program in a pseudo-terminal and time until a text appears on its screen.

This is what a person sees: the time from the command to the words in their
terminal, with Textual's real (not headless) driver writing real escape codes.
Besides the total, each run reports where the time went: until the first
byte (interpreter, imports, driver start-up), and the bytes written until the
text showed (output volume).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

# CSI, OSC (ended by BEL or ST), and two-byte escapes: removed before looking for the text,
# since style changes may fall between its words.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


@dataclass
class PtyRun:
    seconds: float  # start to the text on screen
    first_byte: float  # start to the first byte the program wrote
    bytes_to_text: int  # bytes read until the text showed (whole reads)
    settled_bytes: int = 0  # bytes written until the screen went quiet (first frame and any redraws)
    settled: float = 0.0  # start to the last byte before it went quiet


def _drain(
    master: int, output: bytearray, started: float, quiet: float = 0.25, limit: float = 2.0
) -> tuple[int, float]:
    """Keep reading until nothing comes for ``quiet`` seconds: what the program wrote after the text."""
    last = time.perf_counter()
    while time.perf_counter() - last < quiet and time.perf_counter() - started < limit:
        ready, _, _ = select.select([master], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        last = time.perf_counter()
    return len(output), last - started


def time_to_text(
    args: list[str], env: dict[str, str], text: str, size: tuple[int, int] = (120, 40), timeout: float = 60.0
) -> PtyRun:
    """Run ``args`` in a fresh pty of ``size`` (columns, rows); stop it once ``text`` is on screen."""
    columns, rows = size
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
    needle = text.encode()
    started = time.perf_counter()
    child = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = bytearray()
    first_byte: float | None = None
    try:
        while True:
            left = started + timeout - time.perf_counter()
            if left <= 0:
                raise RuntimeError(f"{' '.join(args)}: {text!r} not shown in {timeout:.0f} s: {bytes(output[-400:])!r}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{' '.join(args)} ended before {text!r} showed: {bytes(output[-400:])!r}")
            if first_byte is None:
                first_byte = time.perf_counter() - started
            output += chunk
            if needle in _ESCAPES.sub(b"", bytes(output)):
                run = PtyRun(time.perf_counter() - started, first_byte, len(output))
                run.settled_bytes, run.settled = _drain(master, output, started)
                return run
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)
