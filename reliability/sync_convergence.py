"""Three computers keep one history through three synced folders copied by a simulated sync tool.

Each computer has its own state and its own folder. The sync tool copies whole
files between folders in random order, sometimes half a file (the rest comes
later), sometimes as a conflict copy, and leaves stray temp files, while the
computers log, delete and move sessions, mark and unmark rest days, check in
and merge at random. After a quiet round (every file copied everywhere, every
computer merges, twice) all three states must be identical, hold every change
that was not deleted, and no deleted record may have come back.

usage: python -m reliability.sync_convergence [--ops N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core import sync, sync_files
from tui.core.records import manual_session

T0 = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
FIRST_DAY = date(2025, 1, 1)
SKEWS = (0, -1799, 13)  # seconds: one clock half an hour slow; no two edits share an instant
CONFLICT_NAMES = (
    "{stem}.sync-conflict-20250101-1200{n:02d}-ABCDEFG.json",
    "{stem} (conflicted copy 2025-01-{n:02d}).json",
    "{stem} (Case Conflict {n}).json",
    "{stem} (conflicted copy 2025-01-01 1200{n:02d}).json",
    "{stem} {n}.json",
)
MAX_CONFLICT_COPIES = 8  # per folder, so that merges stay quick


@dataclass
class Machine:
    index: int
    id: str
    folder: Path
    state: sync.Replica = field(default_factory=sync.Replica)
    deleted: set[str] = field(default_factory=set)

    def stamp(self, step: int) -> str:
        return (T0 + timedelta(minutes=step, seconds=SKEWS[self.index])).isoformat()

    def write(self) -> None:
        sync_files.write_own(self.folder, self.id, self.state)


@dataclass
class ConvergenceReport:
    ops: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    final_sessions: int = 0
    final_rest_days: int = 0
    final_checkins: int = 0
    final_tombstones: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        c = self.counts
        return (
            f"sync convergence: {self.ops} operations (seed {self.seed}) on 3 computers: "
            f"{c['log']} sessions logged, {c['delete']} deleted, {c['move']} moved, "
            f"{c['mark']} rest days marked, {c['unmark']} unmarked, {c['checkin']} check-ins; "
            f"{c['merge']} merges, {c['copies']} copies ({c['truncated']} truncated, "
            f"{c['conflict']} conflict copies, {c['stray']} stray temp files), "
            f"{c['skipped']} damaged reads skipped; final: {self.final_sessions} sessions, "
            f"{self.final_rest_days} rest days, {self.final_checkins} check-ins, "
            f"{self.final_tombstones} tombstones, "
            f"{'identical on all 3' if self.ok else f'{len(self.problems)} PROBLEMS'}; {self.seconds:.1f} s"
        )


class Simulation:
    def __init__(self, base: Path, ops: int, seed: int):
        self.rng = random.Random(seed)
        self.report = ConvergenceReport(
            ops,
            seed,
            dict.fromkeys(
                (
                    "log",
                    "delete",
                    "move",
                    "mark",
                    "unmark",
                    "checkin",
                    "merge",
                    "copies",
                    "truncated",
                    "conflict",
                    "stray",
                    "skipped",
                ),
                0,
            ),
        )
        self.machines = []
        for index in range(3):
            config, folder = base / f"config-{index}", base / f"sync-{index}"
            folder.mkdir(parents=True)
            self.machines.append(Machine(index, sync_files.machine_id(config), folder))
        # What was acknowledged, to check the end against (independent of merge).
        self.versions: dict[str, list[dict[str, Any]]] = {}
        self.marks: dict[str, dict[str, Any]] = {}
        self.checkins: dict[str, dict[str, Any]] = {}
        self.tombstoned: set[str] = set()
        self.truncated: set[Path] = set()
        self.conflicts: dict[Path, int] = {}

    # -- the computers ----------------------------------------------------------------------
    def operate(self, machine: Machine, step: int) -> None:
        rng, now = self.rng, machine.stamp(step)
        kind = rng.choices(("log", "delete", "move", "mark", "unmark", "checkin", "merge"), (30, 9, 14, 10, 7, 8, 22))[
            0
        ]
        sessions, rest = sorted(machine.state.sessions), sorted(machine.state.rest_days())
        if kind == "merge":
            self.merge(machine)
            return
        if kind == "log" or (kind in ("delete", "move") and not sessions):
            kind = "log"
            day = FIRST_DAY + timedelta(days=rng.randrange(40))
            record = manual_session(day, rng.randint(1, 20), datetime.combine(day, T0.timetz()), "UTC").to_dict()
            machine.state = sync.put_session(machine.state, record)
            self.versions[record["id"]] = [record]
        elif kind == "delete":
            sid = rng.choice(sessions)
            machine.state = sync.delete(machine.state, sid, now)
            machine.deleted.add(sid)
            self.tombstoned.add(sid)
        elif kind == "move":
            sid = rng.choice(sessions)
            machine.state = sync.move_session(machine.state, sid, FIRST_DAY + timedelta(days=rng.randrange(40)), now)
            self.versions[sid].append(machine.state.sessions[sid])
        elif kind == "unmark" and rest:
            day = rng.choice(rest)
            gone = [mid for mid, mark in machine.state.rest_marks.items() if mark["date"] == day.isoformat()]
            machine.state = sync.unmark_rest(machine.state, day, now)
            self.tombstoned.update(gone)
        elif kind in ("mark", "unmark"):
            kind = "mark"
            machine.state = sync.mark_rest(machine.state, FIRST_DAY + timedelta(days=rng.randrange(40)), now)
            self.marks.update(machine.state.rest_marks)
        else:
            checkin: dict[str, Any] = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "pain": rng.randint(0, 10),
            }
            machine.state = sync.put_checkin(machine.state, checkin)
            self.checkins[checkin["id"]] = checkin
        self.report.counts[kind] += 1
        machine.write()

    def merge(self, machine: Machine, quiet: bool = False) -> None:
        found = sync_files.gather(machine.folder, machine.id)
        for problem in found.problems:
            self.report.counts["skipped"] += 1
            if problem.path not in self.truncated:
                self.report.problems.append(f"computer {machine.index}: a whole file was refused: {problem}")
        result = sync.merge(machine.state, *found.replicas)
        machine.state = result.state
        self.report.counts["merge"] += 1
        back = machine.deleted & set(machine.state.sessions)
        if back:
            self.report.problems.append(f"computer {machine.index}: deleted sessions came back: {sorted(back)[:3]}")
        if result.changed or quiet:
            machine.write()

    # -- the sync tool ----------------------------------------------------------------------
    def files_in(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.glob("hamstring-*.json") if p.is_file())

    def owner_file(self, folder: Path) -> str:
        owner = next(m for m in self.machines if m.folder == folder)
        return sync_files.own_file_name(owner.id)

    def copy_once(self) -> None:
        rng = self.rng
        source, target = rng.sample([m.folder for m in self.machines], 2)
        candidates = [p for p in self.files_in(source) if p not in self.truncated]
        if not candidates:
            return
        path = rng.choice(candidates)
        data = path.read_bytes()
        destination = target / path.name
        self.report.counts["copies"] += 1
        roll = rng.random()
        if path.name == self.owner_file(target) or (roll < 0.06 and destination.exists()):
            if destination.exists() and destination.read_bytes() != data:
                self.conflict_copy(target, path.name, data)
            return
        if roll < 0.2 and path.name.count(" ") == 0 and ".sync-conflict-" not in path.name:
            destination.write_bytes(data[: rng.randrange(len(data))])  # half synced: the rest comes later
            self.truncated.add(destination)
            self.report.counts["truncated"] += 1
            return
        temp = target / f".syncthing.{path.name}.tmp"
        temp.write_bytes(data)
        if roll < 0.25:  # a stray temp file, as a killed sync tool leaves behind
            (target / f".syncthing.{path.name}.{rng.randrange(999)}.tmp").write_bytes(data[: len(data) // 2])
            self.report.counts["stray"] += 1
        os.replace(temp, destination)
        self.truncated.discard(destination)

    def conflict_copy(self, folder: Path, name: str, data: bytes) -> None:
        count = self.conflicts.get(folder, 0)
        if count >= MAX_CONFLICT_COPIES:
            return
        self.conflicts[folder] = count + 1
        stem = name.removesuffix(".json").split(" ")[0].split(".sync-conflict-")[0]
        pattern = self.rng.choice(CONFLICT_NAMES)
        (folder / pattern.format(stem=stem, n=count + 2)).write_bytes(data)
        self.report.counts["conflict"] += 1

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> ConvergenceReport:
        started = time.perf_counter()
        for step in range(self.report.ops):
            self.operate(self.rng.choice(self.machines), step)
            for _ in range(self.rng.randrange(4)):
                self.copy_once()
        for _ in range(2):  # the quiet round: every computer's file everywhere, everyone merges
            for machine in self.machines:
                data = (machine.folder / sync_files.own_file_name(machine.id)).read_bytes()
                for other in self.machines:
                    if other is not machine:
                        (other.folder / sync_files.own_file_name(machine.id)).write_bytes(data)
                        self.truncated.discard(other.folder / sync_files.own_file_name(machine.id))
            for machine in self.machines:
                self.merge(machine, quiet=True)
        self.check()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def check(self) -> None:
        problems, first = self.report.problems, self.machines[0].state
        for machine in self.machines[1:]:
            if machine.state != first:
                problems.append(f"computer {machine.index} differs from computer 0")
        expected = {
            sid: max(versions, key=lambda v: datetime.fromisoformat(v.get("edited_at", "0001-01-01T00:00:00+00:00")))
            for sid, versions in self.versions.items()
            if sid not in self.tombstoned
        }
        for machine in self.machines:
            state = machine.state
            if state.sessions != expected:
                missing = set(expected) - set(state.sessions)
                wrong = {sid for sid in expected if sid in state.sessions and state.sessions[sid] != expected[sid]}
                back = set(state.sessions) - set(expected)
                problems.append(
                    f"computer {machine.index}: {len(missing)} sessions missing, {len(wrong)} not at their "
                    f"latest edit, {len(back)} deleted ones back"
                )
            rest = {date.fromisoformat(m["date"]) for mid, m in self.marks.items() if mid not in self.tombstoned}
            if state.rest_days() != rest:
                problems.append(f"computer {machine.index}: rest days differ from the acknowledged ones")
            if state.checkins != self.checkins:
                problems.append(f"computer {machine.index}: check-ins differ from the acknowledged ones")
            if not self.tombstoned <= set(state.tombstones):
                problems.append(f"computer {machine.index}: tombstones missing")
            for other in self.machines:
                if other is not machine:
                    copy = sync_files.read_peer(other.folder / sync_files.own_file_name(machine.id))
                    if copy != state:
                        problems.append(f"computer {machine.index}: its file in folder {other.index} is not its state")
        self.report.final_sessions = len(first.sessions)
        self.report.final_rest_days = len(first.rest_days())
        self.report.final_checkins = len(first.checkins)
        self.report.final_tombstones = len(first.tombstones)


def run_convergence(ops: int = 1000, seed: int = 1, base: Path | None = None) -> ConvergenceReport:
    """Run the simulation in ``base`` (a new temporary directory by default)."""
    if base is not None:
        return Simulation(base, ops, seed).run()
    with tempfile.TemporaryDirectory(prefix="hamstring-sync-") as tmp:
        return Simulation(Path(tmp), ops, seed).run()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability.sync_convergence", description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=1000, help="random operations (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    report = run_convergence(args.ops, args.seed)
    print(report.summary())
    for problem in report.problems:
        print(f"  problem: {problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
