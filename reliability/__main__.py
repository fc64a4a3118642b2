"""Run every reliability check at full size and print the figures.

usage: python -m reliability [--kills N] [--aimed N] [--sessions N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import concurrent, kills


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs at random moments (default 100)")
    parser.add_argument("--aimed", type=int, default=100, help="SIGKILLs aimed inside a write (default 100)")
    parser.add_argument("--sessions", type=int, default=10_000, help="history size for the kill test (default 10000)")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for report in kills.run_in_parallel(base / "kills", args.kills, args.aimed, args.sessions):
            print(report.summary())
            for problem in report.problems:
                print(f"  problem: {problem}")
            ok &= report.ok
        for processes in (2, 4):
            report = concurrent.run(base / f"concurrent-{processes}", processes)
            print(report.summary())
            ok &= report.ok
    print("all reliability checks passed" if ok else "RELIABILITY CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
