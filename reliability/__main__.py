"""Run every reliability check at full size and print the figures.

usage: python -m reliability [--kills N] [--aimed N] [--sessions N] [--sync-ops N]
                             [--group kills|concurrent|hostile|sync ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import concurrent, hostile, kills, sync_convergence


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs at random moments (default 100)")
    parser.add_argument("--aimed", type=int, default=100, help="SIGKILLs aimed inside a write (default 100)")
    parser.add_argument("--sessions", type=int, default=10_000, help="history size for the kill test (default 10000)")
    parser.add_argument(
        "--group",
        action="append",
        choices=("kills", "concurrent", "hostile", "sync"),
        help="run only this group (repeatable; default: all)",
    )
    parser.add_argument(
        "--sync-ops", type=int, default=1000, help="random operations for the sync convergence run (default 1000)"
    )
    args = parser.parse_args()
    groups = set(args.group or ("kills", "concurrent", "hostile", "sync"))
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if "kills" in groups:
            for report in kills.run_in_parallel(base / "kills", args.kills, args.aimed, args.sessions):
                print(report.summary())
                for problem in report.problems:
                    print(f"  problem: {problem}")
                ok &= report.ok
        if "concurrent" in groups:
            for processes in (2, 4):
                report = concurrent.run(base / f"concurrent-{processes}", processes)
                print(report.summary())
                ok &= report.ok
        if "hostile" in groups:
            hostile_report = hostile.run(base / "hostile")
            print(hostile_report.summary())
            ok &= hostile_report.ok
        if "sync" in groups:
            sync_report = sync_convergence.run_convergence(args.sync_ops, base=base / "sync")
            print(sync_report.summary())
            for problem in sync_report.problems:
                print(f"  problem: {problem}")
            ok &= sync_report.ok
    print("all reliability checks passed" if ok else "RELIABILITY CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
