"""Run the benchmarks and print one table: figure, target, measured ratio, pass/fail.

usage: python -m bench [--quick] [--json FILE] [--pairs N] [--only GROUP ...]

Every figure is a ratio against a floor measured in the same run, in A B A B
pairs after warm-up runs: the median ratio is compared with the target, and
the min-max of the ratios shows the spread. Peak RSS comes from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import json_floor  # noqa: E402  (needs the sys.path entry above)
from bench.pty_run import PtyRun, time_to_text  # noqa: E402  (likewise)
from tui.core.factory import make_checkins, make_sessions  # noqa: E402  (likewise)
from tui.core.records import SessionRecord  # noqa: E402  (likewise)
from tui.core.store import HistoryStore  # noqa: E402  (likewise)

END = date(2026, 11, 1)


@dataclass
class Figure:
    name: str
    target: float | None  # None: reported for information, no target
    ratios: list[float] = field(default_factory=list)
    subject: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    unit: str = "s"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    @property
    def passed(self) -> bool:
        return self.target is None or self.median <= self.target

    def row(self) -> str:
        spread = f"{min(self.ratios):.2f}-{max(self.ratios):.2f}" if self.ratios else "-"
        subject = statistics.median(self.subject) if self.subject else float("nan")
        floor = statistics.median(self.floor) if self.floor else float("nan")
        scale, unit = {"s": (1000, "ms"), "KiB": (1 / 1024, "MiB"), "B": (1 / 1024, "KiB")}.get(self.unit, (100, "%"))
        measured = (
            f"{subject * scale:8.1f} {unit} vs {floor * scale:8.1f} {unit}"
            if self.unit != "%"
            else f"{subject * scale:8.2f} % of a core"
        )
        verdict = "info" if self.target is None else "pass" if self.passed else "FAIL"
        target = "    - " if self.target is None else f"{self.target:>5.2f}x"
        return f"{self.name:<52} {target} {self.median:>6.2f}x {spread:>11}  {measured:<32} {verdict}  {self.note}"


class Spawner:
    """Runs children through bench/spawner.py (see there why)."""

    def __init__(self) -> None:
        import subprocess

        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "bench" / "spawner.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str], env: dict[str, str]) -> tuple[float, int]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"args": args, "env": env}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["code"] != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {answer['stderr'].strip()}")
        return answer["elapsed"], answer["maxrss"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


SPAWNER: Spawner | None = None


def run_process(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    assert SPAWNER is not None
    return SPAWNER.run(args, env)


def paired(figure: Figure, floor: Callable[[], float], subject: Callable[[], float], pairs: int, warmup: int) -> Figure:
    for _ in range(warmup):
        floor()
        subject()
    for _ in range(pairs):
        a = floor()
        b = subject()
        figure.floor.append(a)
        figure.subject.append(b)
        figure.ratios.append(b / a)
    return figure


class Bench:
    def __init__(self, quick: bool, pairs: int | None):
        self.quick = quick
        self.pairs = pairs or (1 if quick else 7)
        self.warmup = 0 if quick else 2
        self.tmp = Path(tempfile.mkdtemp(prefix="hamstring-bench-"))
        self.python = sys.executable
        self.sizes = [0, 3650] if quick else [0, 3650, 10_000]
        self.dirs: dict[int, Path] = {}
        self.figures: list[Figure] = []

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- fixtures ----------------------------------------------------------------
    def fixture(self, size: int) -> Path:
        """A data directory holding ``size`` sessions made by the record factory."""
        if size not in self.dirs:
            where = self.tmp / f"history-{size}"
            store = HistoryStore.open(where)
            if size:
                store.import_many(make_sessions(size, end=END, seed=size))
            # Take today's backup now, not inside a measurement, and save the digest
            # as the app does on its first load (every later start reads it).
            HistoryStore.open(where).digest()
            self.dirs[size] = where
        return self.dirs[size]

    def fixture_with_checkins(self, size: int) -> Path:
        """``size`` sessions and ``size`` daily check-ins (the Progress screen's data)."""
        where = self.tmp / f"progress-{size}"
        if not where.exists():
            from tui.core.sync import Replica

            checkins = {c.id: c.to_dict() for c in make_checkins(size, end=END, seed=size + 1)}
            store = HistoryStore.open(where)
            store.import_many(make_sessions(size, end=END, seed=size), incoming=Replica(checkins=checkins))
            HistoryStore.open(where).digest()
        return where

    def env(self, data_dir: Path, **extra: str) -> dict[str, str]:
        env = dict(os.environ, HAMSTRING_DATA_DIR=str(data_dir), HAMSTRING_CONFIG_DIR=str(self.tmp / "config"))
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        env.update(extra)
        return env

    def console_script(self, *args: str) -> list[str]:
        """What the installed `hamstring` script runs (no runpy, unlike `python -m tui`)."""
        return [self.python, "-c", "import sys; from tui.cli import main; sys.exit(main())", *args]

    # -- floors --------------------------------------------------------------------
    def textual_floor(self) -> tuple[float, int]:
        return run_process([self.python, str(REPO / "bench" / "floor_app.py")], self.env(self.tmp / "unused"))

    def import_floor(self) -> float:
        return run_process([self.python, "-c", "import tinydb, platformdirs"], self.env(self.tmp / "unused"))[0]

    # -- figures ---------------------------------------------------------------------
    def app_run(self, mode: str, data_dir: Path, out: Path | None = None) -> tuple[float, int]:
        """The app started through bench/app_child.py (a measuring subclass, run headless)."""
        args = [self.python, str(REPO / "bench" / "app_child.py"), mode, *([str(out)] if out else [])]
        return run_process(args, self.env(data_dir))

    def first_frames(self) -> None:
        targets = {"catalog": 1.10, "session": 1.25, "calendar": 1.25}
        for size in self.sizes:
            data_dir = self.fixture(size)
            for screen, target in targets.items():
                figure = Figure(f"start to first frame: {screen}, {size} sessions", target)
                paired(
                    figure,
                    lambda: self.textual_floor()[0],
                    partial(self._first_frame, screen, data_dir),
                    self.pairs,
                    self.warmup,
                )
                self.figures.append(figure)
        figure = Figure(f"start, visit all three screens, quit ({self.sizes[-1]} sessions)", 1.8)
        data_dir = self.fixture(self.sizes[-1])
        paired(
            figure, lambda: self.textual_floor()[0], lambda: self.app_run("tour", data_dir)[0], self.pairs, self.warmup
        )
        self.figures.append(figure)

    def progress_first_frame(self) -> None:
        size = 3650
        data_dir = self.fixture_with_checkins(size)
        figure = Figure(f"start to first frame: progress, {size} sessions + {size} check-ins", 1.6)
        paired(
            figure,
            lambda: self.textual_floor()[0],
            partial(self._first_frame, "progress", data_dir),
            self.pairs,
            self.warmup,
        )
        self.figures.append(figure)

    def _first_frame(self, screen: str, data_dir: Path) -> float:
        return self.app_run(f"first-frame:{screen}", data_dir)[0]

    def _process_seconds(self, args: list[str], env: dict[str, str]) -> float:
        return run_process(args, env)[0]

    def status(self) -> None:
        data_dir = self.fixture(3650)
        figure = Figure("hamstring status, 3650 sessions", 1.5, note="floor: import tinydb, platformdirs")
        status = partial(self._process_seconds, self.console_script("status"), self.env(data_dir))
        paired(figure, self.import_floor, status, self.pairs, self.warmup)
        self.figures.append(figure)

    def bare_python(self) -> float:
        return run_process([self.python, "-c", "pass"], self.env(self.tmp / "unused"))[0]

    def status_prompt(self) -> None:
        """What a shell prompt pays on every command, against the interpreter alone."""
        data_dir = self.fixture(3650)
        for flags in ((), ("--short",), ("--json",)):
            shown = " ".join(("status", *flags))
            figure = Figure(f"hamstring {shown}, 3650 sessions (prompt)", 2.5, note="floor: python -c pass")
            subject = partial(self._process_seconds, self.console_script(*("status", *flags)), self.env(data_dir))
            paired(figure, self.bare_python, subject, self.pairs * 2, self.warmup)
            self.figures.append(figure)

    def sync_merge(self) -> None:
        """`hamstring sync` taking in a peer of 3,650 sessions into a local history of 3,650."""
        import uuid

        from tui.core.sync_files import PeerProblem, read_peer, write_own

        size = 3650
        template = self.tmp / "sync-local"
        folder = self.tmp / "sync-folder"
        config = self.tmp / "sync-config"
        if not template.exists():
            folder.mkdir()
            peer = HistoryStore.open(self.tmp / "sync-peer")
            peer.import_many(make_sessions(size, end=END, seed=size + 7))
            write_own(folder, str(uuid.UUID(int=7, version=4)), peer.replica())
            shutil.copytree(self.fixture(size), template)
            local = HistoryStore.open(template)
            local.set_setting("sync-dir", str(folder))
            local.digest()
        merged = self.tmp / "sync-merged"
        shutil.rmtree(merged, ignore_errors=True)
        shutil.copytree(template, merged)
        env = self.env(merged, HAMSTRING_CONFIG_DIR=str(config))
        run_process(self.console_script("sync"), env)  # the merged history: what the floor writes
        document = json.loads((merged / "history.json").read_bytes())
        scratch = self.tmp / "floor-sync.json"
        counter = iter(range(1000))
        peer_name = f"hamstring-{uuid.UUID(int=7, version=4)}.json"

        def subject() -> float:
            target = self.tmp / f"sync-run-{next(counter)}"
            shutil.copytree(template, target)  # a fresh local history each time (not timed)
            for own in folder.glob("hamstring-*.json"):  # and this computer's first sync: only the peer's file
                if own.name != peer_name:
                    own.unlink()
            seconds = run_process(self.console_script("sync"), self.env(target, HAMSTRING_CONFIG_DIR=str(config)))[0]
            shutil.rmtree(target, ignore_errors=True)
            return seconds - self._startup()

        def floor() -> float:
            # As the import row: the check every sync needs (the peer's file read and
            # validated), then an atomic dump of the merged history.
            started = time.perf_counter()
            found = read_peer(folder / peer_name)
            assert not isinstance(found, PeerProblem), found
            json_floor.atomic_dump(scratch, document)
            return time.perf_counter() - started

        figure = Figure(
            f"hamstring sync: a peer of {size} into {size} sessions",
            2.0,
            note="floor: validate the peer's file + atomic dump of the merged history; CLI start-up excluded",
        )
        paired(
            figure,
            floor,
            subject,
            max(1, self.pairs // 2),
            0 if self.quick else 1,
        )
        self.figures.append(figure)

    def load_and_stats(self) -> None:
        from tui.core import digest as digests
        from tui.core.settings import effective, first_weekday
        from tui.core.streaks import stats_from_digest

        for size in self.sizes[1:]:
            data_dir = self.fixture(size)
            path = data_dir / "history.json"

            def subject(cold: bool, path: Path = path, data_dir: Path = data_dir) -> float:
                if cold:
                    digests.path_for(path).unlink(missing_ok=True)
                started = time.perf_counter()
                store = HistoryStore.open(data_dir)
                digest = store.digest()
                stats_from_digest(digest, END, first_weekday(effective(digest.settings)))
                return time.perf_counter() - started

            subject(False)  # the app saves the digest on its first load; every later start reads it
            figure = Figure(
                f"load history + all calendar stats, {size} sessions", 1.5, note="floor: json.load; as the app starts"
            )
            paired(figure, partial(json_floor.load, path), partial(subject, False), self.pairs, self.warmup)
            self.figures.append(figure)
            figure = Figure(
                "  the same with no digest (first start after a change)",
                None,
                note="informational: full parse and checks",
            )
            paired(figure, partial(json_floor.load, path), partial(subject, True), self.pairs, self.warmup)
            self.figures.append(figure)
            subject(False)

    def record_one(self) -> None:
        for size in self.sizes[1:]:
            data_dir = self.fixture(size)
            scratch = self.tmp / f"floor-{size}.json"
            document = json.loads((data_dir / "history.json").read_bytes())
            store = HistoryStore.open(data_dir)
            store.sessions()  # a running app has its history loaded
            extra = iter(make_sessions(200, end=END, seed=99))  # other ids, dates a user can have

            def subject(store: HistoryStore = store, extra: Iterator[SessionRecord] = extra) -> float:
                session = next(extra)
                started = time.perf_counter()
                store.record_session(session)
                return time.perf_counter() - started

            figure = Figure(f"record one finished session, {size} sessions", 1.3, note="floor: atomic json.dump")
            floor = partial(json_floor.atomic_dump, scratch, document)
            paired(figure, floor, subject, self.pairs, self.warmup)
            self.figures.append(figure)

    def import_bulk(self) -> None:
        size = self.sizes[-1]
        source = self.fixture(size)
        export = self.tmp / "export.json"
        from tui.core.transfer import parse_import, to_json

        export.write_text(to_json(HistoryStore.open(source).export_all()))
        document = json.loads((source / "history.json").read_bytes())
        scratch = self.tmp / "floor-import.json"
        counter = iter(range(1000))

        def floor() -> float:
            started = time.perf_counter()
            parse_import(export.read_bytes(), "export")  # the validation every import needs
            json_floor.atomic_dump(scratch, document)
            return time.perf_counter() - started

        def subject() -> float:
            target = self.tmp / f"import-{next(counter)}"
            return run_process([self.python, "-m", "tui", "import", str(export)], self.env(target))[0] - self._startup()

        figure = Figure(
            f"hamstring import of {size} sessions (one write)",
            2.0,
            note="floor: validate + atomic dump; CLI start-up excluded",
        )
        paired(figure, floor, subject, max(1, self.pairs // 2), 0 if self.quick else 1)
        self.figures.append(figure)

    _startup_cache: float | None = None

    def _startup(self) -> float:
        """The CLI's fixed start-up (interpreter, imports): `hamstring --version`."""
        if self._startup_cache is None:
            runs = [
                run_process([self.python, "-m", "tui", "--version"], self.env(self.tmp / "unused"))[0] for _ in range(3)
            ]
            self._startup_cache = min(runs)
        return self._startup_cache

    def idle_cpu(self) -> None:
        seconds = 3 if self.quick else 30
        out = self.tmp / "timer.json"
        data_dir = self.fixture(0)
        self.app_run(f"timer:{seconds}", data_dir, out)
        result = json.loads(out.read_text())
        share = result["cpu_s"] / result["wall_s"]
        figure = Figure(
            f"CPU while a session timer runs {seconds} s", 0.02, unit="%", note="share of one core (target 2%)"
        )
        figure.subject.append(share)
        figure.ratios.append(share)
        self.figures.append(figure)

    def peak_rss(self) -> None:
        from tui.core import digest as digests

        size = self.sizes[-1]
        data_dir = self.fixture(size)
        HistoryStore.open(
            data_dir
        ).digest()  # the figures before wrote to this history: as the app would, renew its digest
        figure = Figure(f"peak RSS, calendar showing {size} sessions", 1.15, unit="KiB")
        paired(
            figure,
            lambda: float(self.textual_floor()[1]),
            lambda: float(self.app_run("loaded:calendar", data_dir)[1]),
            max(1, self.pairs // 2),
            0,
        )
        self.figures.append(figure)

        def cold() -> float:
            digests.path_for(data_dir / "history.json").unlink(missing_ok=True)
            return float(self.app_run("loaded:calendar", data_dir)[1])

        figure = Figure(
            "  the same with no digest (first start after a change)", None, unit="KiB", note="informational: full parse"
        )
        paired(figure, lambda: float(self.textual_floor()[1]), cold, 1, 0)
        self.figures.append(figure)

    def terminal(self) -> None:
        """The first frame in a real terminal: a pty at 120x40, until the Catalog's text is written."""
        data_dir = self.fixture(self.sizes[-1])
        from tui.core.catalog import builtin_catalog

        first_name = next(iter(builtin_catalog())).name
        floor_runs: list[PtyRun] = []
        app_runs: list[PtyRun] = []

        def floor() -> float:
            from bench.floor_app import TEXT

            run = time_to_text(
                [self.python, str(REPO / "bench" / "floor_app.py"), "--terminal"], self.env(data_dir), TEXT
            )
            floor_runs.append(run)
            return run.seconds

        def subject() -> float:
            run = time_to_text(self.console_script(), self.env(data_dir), first_name)
            app_runs.append(run)
            return run.seconds

        figure = Figure(
            f"start to Catalog text in a pty 120x40, {self.sizes[-1]} sessions",
            1.10,
            note="floor: bare Textual app in the same pty",
        )
        paired(figure, floor, subject, self.pairs, self.warmup)
        self.figures.append(figure)
        measured = slice(len(app_runs) - self.pairs, None)
        first = Figure("  of which until the first byte (imports, driver start)", None)
        first.floor = [r.first_byte for r in floor_runs[measured]]
        first.subject = [r.first_byte for r in app_runs[measured]]
        first.ratios = [a / b for a, b in zip(first.subject, first.floor, strict=True)]
        self.figures.append(first)
        volume = Figure("  bytes written until the screen went quiet", None, unit="B")
        volume.floor = [float(r.settled_bytes) for r in floor_runs[measured]]
        volume.subject = [float(r.settled_bytes) for r in app_runs[measured]]
        volume.ratios = [a / b for a, b in zip(volume.subject, volume.floor, strict=True)]
        self.figures.append(volume)
        after = Figure("  the text to the last redraw (work after the first frame)", None)
        after.floor = [r.settled - r.seconds for r in floor_runs[measured]]
        after.subject = [r.settled - r.seconds for r in app_runs[measured]]
        after.ratios = [a / b if b else float("nan") for a, b in zip(after.subject, after.floor, strict=True)]
        self.figures.append(after)

    STEPS = (
        "first_frames",
        "terminal",
        "status",
        "status_prompt",
        "progress_first_frame",
        "load_and_stats",
        "record_one",
        "import_bulk",
        "sync_merge",
        "idle_cpu",
        "peak_rss",
    )

    def run_all(self, only: list[str] | None = None) -> None:
        for name in self.STEPS:
            if not only or name in only:
                getattr(self, name)()


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small pass, to prove the benchmarks run (CI)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--pairs", type=int, help="A B pairs per figure (default 7, quick 1)")
    parser.add_argument(
        "--only",
        metavar="GROUP",
        action="append",
        choices=Bench.STEPS,
        help="run only this group of figures (repeatable)",
    )
    args = parser.parse_args()
    global SPAWNER
    # An installed hamstring runs from compiled bytecode (pip compiles it); the
    # children here run the repository's sources, so compile them the same way.
    import compileall

    compileall.compile_dir(REPO / "tui", quiet=1)
    SPAWNER = Spawner()  # before anything large is loaded here
    bench = Bench(args.quick, args.pairs)
    try:
        bench.run_all(args.only)
    finally:
        bench.close()
        SPAWNER.close()
    print(f"hamstring benchmarks ({'quick' if args.quick else 'full'}) on {machine()}")
    print(f"{'figure':<52} {'target':>6} {'median':>7} {'min-max':>11}  {'subject vs floor (medians)':<32} result")
    for figure in bench.figures:
        print(figure.row())
    targeted = [f for f in bench.figures if f.target is not None]
    failed = [f.name for f in targeted if not f.passed]
    print(f"targets met: {len(targeted) - len(failed)} of {len(targeted)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "quick": args.quick,
                    "figures": [asdict(f) | {"median": f.median, "passed": f.passed} for f in bench.figures],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
