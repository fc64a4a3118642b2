"""The hostile cases of issue #11, run against the installed command line.

Each case gets a scratch data dir, runs ``hamstring`` in subprocesses as a
user's shell would, and says ``held`` or ``broke`` with what was seen.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTROL = ("\x1b", "\x07", "\x9b")


@dataclass
class Result:
    name: str
    held: bool
    seen: str

    def line(self) -> str:
        return f"  {'held ' if self.held else 'broke'}  {self.name}: {self.seen}"


@dataclass
class HostileReport:
    results: list[Result] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.held for result in self.results)

    def summary(self) -> str:
        held = sum(result.held for result in self.results)
        lines = [result.line() for result in self.results]
        return "\n".join([f"hostile: {held} of {len(self.results)} held", *lines])


def hamstring_command() -> list[str]:
    """The installed ``hamstring`` script beside this Python, else ``python -m tui``."""
    script = Path(sys.executable).parent / "hamstring"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


class Case:
    def __init__(self, base: Path, name: str) -> None:
        self.root = base / name.replace(" ", "-")
        self.data = self.root / "data"
        self.config = self.root / "config"
        self.data.mkdir(parents=True)

    def run(
        self, *args: str, env: dict[str, str] | None = None, stdout: object = subprocess.PIPE, code: str | None = None
    ):
        full = dict(os.environ, HAMSTRING_DATA_DIR=str(self.data), HAMSTRING_CONFIG_DIR=str(self.config))
        full["PYTHONPATH"] = str(REPO) + os.pathsep + full.get("PYTHONPATH", "")
        full.update(env or {})
        command = [sys.executable, "-c", code] if code else [*hamstring_command(), *args]
        return subprocess.run(
            command, stdout=stdout, stderr=subprocess.PIPE, env=full, cwd=self.root, timeout=60, check=False
        )

    def export_document(self) -> dict:
        return json.loads(self.run("export").stdout)


def _text(result: subprocess.CompletedProcess) -> str:
    out = result.stdout.decode(errors="replace") if isinstance(result.stdout, bytes) else ""
    return out + result.stderr.decode(errors="replace")


def _clean(result: subprocess.CompletedProcess) -> bool:
    return b"Traceback" not in result.stderr


def _err(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode(errors="replace").strip().splitlines()
    if "Traceback" in result.stderr.decode(errors="replace"):
        lines = ["traceback: " + lines[-1]]  # the exception is on the last line
    text = " | ".join(line[:160] for line in lines)
    return f"exit {result.returncode}" + (f", {text!r}" if text else "")


def _one_line(result: subprocess.CompletedProcess) -> bool:
    return result.stderr.count(b"\n") == 1 and _clean(result)


# -- the cases ------------------------------------------------------------------------------------------
def posix_tz_log(case: Case) -> tuple[bool, str]:
    case.run("log", "--date", "2025-11-20")
    middle = case.run("log", "--date", "2025-11-21", env={"TZ": "CET-1CEST,M3.5.0,M10.5.0/3"})
    last = case.run("log", "--date", "2025-11-22")
    dates = sorted(s["date"] for s in case.export_document()["sessions"])
    aside = list(case.data.glob("history.json.corrupt-*"))
    held = dates == ["2025-11-20", "2025-11-21", "2025-11-22"] and not aside and _clean(middle) and _clean(last)
    return held, f"dates kept {dates}, set aside {len(aside)}"


def _a_session(case: Case, **changes: object) -> dict:
    case.run("log", "--date", "2025-01-02")
    document = case.export_document()
    session = document["sessions"][0]
    session.update(changes)
    shutil.rmtree(case.data)
    case.data.mkdir()
    return document


def import_far_future(case: Case) -> tuple[bool, str]:
    document = _a_session(
        case,
        id="0b0e3f57-5c3a-4a39-9b5d-6d1f4a7a9c01",
        date="9999-12-31",
        started_at="9999-12-31T10:00:00+00:00",
        ended_at="9999-12-31T10:07:00+00:00",
    )
    document["rest_days"] = ["9999-12-31"]
    path = case.root / "far.json"
    path.write_text(json.dumps(document))
    imported = case.run("import", str(path))
    after = [case.run(*command) for command in (["status"], ["log"], ["config"])]
    held = imported.returncode == 2 and all(r.returncode == 0 and _clean(r) for r in after)
    return held, f"import {_err(imported)}; then status/log/config exit {[r.returncode for r in after]}"


def unreadable_history(case: Case) -> tuple[bool, str]:
    case.run("log")
    (case.data / "history.json").chmod(0)
    result = case.run("status")
    (case.data / "history.json").chmod(0o600)
    note = " (as root: permissions do not apply)" if os.geteuid() == 0 else ""
    return result.returncode in (0, 2) and _clean(result) and result.stderr.count(b"\n") <= 1, _err(result) + note


def history_is_a_directory(case: Case) -> tuple[bool, str]:
    (case.data / "history.json").mkdir()
    results = [case.run(*command) for command in (["status"], ["log"], ["export"])]
    held = all(r.returncode == 2 and _one_line(r) for r in results)
    return held, "; ".join(_err(r) for r in results)


def dangling_symlink(case: Case) -> tuple[bool, str]:
    history = case.data / "history.json"
    history.symlink_to(case.root / "synced" / "history.json")
    result = case.run("log")
    held = result.returncode == 2 and _one_line(result) and history.is_symlink() and not history.exists()
    return held, f"{_err(result)}; still a dangling symlink: {history.is_symlink() and not history.exists()}"


def export_to_fifo(case: Case) -> tuple[bool, str]:
    case.run("log")
    fifo = case.root / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = case.run("export", "-o", str(fifo))
    reader.join(timeout=30)
    streamed = bool(got) and b"hamstring-history" in got[0]
    held = result.returncode == 0 and stat.S_ISFIFO(fifo.lstat().st_mode) and streamed
    return held, f"{_err(result)}; still a FIFO: {stat.S_ISFIFO(fifo.lstat().st_mode)}, reader got it: {streamed}"


def export_to_device(case: Case) -> tuple[bool, str]:
    """A pty's device stands for /dev/null (a faulty build would replace the machine's /dev/null)."""
    case.run("log")
    master, slave = os.openpty()
    device = os.ttyname(slave)
    got = bytearray()

    def read() -> None:
        while b"hamstring-history" not in got:
            got.extend(os.read(master, 65536))

    threading.Thread(target=read, daemon=True).start()
    result = case.run("export", "-o", device)
    intact = os.path.exists(device) and stat.S_ISCHR(os.stat(device).st_mode)
    os.close(slave)
    os.close(master)
    held = result.returncode == 0 and intact and b"hamstring-history" in got
    return held, f"{_err(result)}; device intact: {intact}"


def export_through_symlink(case: Case) -> tuple[bool, str]:
    case.run("log")
    target = case.root / "dotfiles" / "export.json"
    target.parent.mkdir()
    target.write_text("old")
    link = case.root / "export.json"
    link.symlink_to(target)
    result = case.run("export", "-o", str(link))
    held = result.returncode == 0 and link.is_symlink() and "hamstring-history" in target.read_text()
    return (
        held,
        f"{_err(result)}; link kept: {link.is_symlink()}, target written: {'hamstring-history' in target.read_text()}",
    )


def export_to_socket(case: Case) -> tuple[bool, str]:
    path = case.root / "sock"
    held_socket = socket.socket(socket.AF_UNIX)
    held_socket.bind(str(path))
    try:
        result = case.run("export", "-o", str(path))
    finally:
        held_socket.close()
    return result.returncode == 2 and _one_line(result) and stat.S_ISSOCK(path.lstat().st_mode), _err(result)


def full_disk(case: Case) -> tuple[bool, str]:
    case.run("log")
    results = []
    for command in (["export"], ["status"], ["stretches"]):
        with open("/dev/full", "wb") as full:
            results.append(case.run(*command, stdout=full))
    held = all(r.returncode in (1, 2) and _one_line(r) and b"disk is full" in r.stderr for r in results)
    return held, "; ".join(_err(r) for r in results)


def ascii_output(case: Case) -> tuple[bool, str]:
    case.run("log")
    runs = []
    for env in (
        {"PYTHONIOENCODING": "ascii"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    ):
        runs += [
            case.run(*command, env=env) for command in (["status", "--short"], ["status"], ["stretches"], ["config"])
        ]
    held = all(r.returncode == 0 and not r.stderr for r in runs)
    return held, f"exits {[r.returncode for r in runs]}" + (
        "" if held else f", {_err(next(r for r in runs if r.stderr))}"
    )


def unusable_tz(case: Case) -> tuple[bool, str]:
    # One manual log a day: each zone logs a day of its own (the rule, not the zone, would refuse a second).
    days = [(date.today() - timedelta(days=n)).isoformat() for n in (1, 2)]
    runs = [
        case.run(*c, env={"TZ": tz})
        for tz, day in zip(("UTC+25", "UTC+24:59:59"), days, strict=True)
        for c in (["status"], ["log", "--date", day])
    ]
    held = all(r.returncode == 0 and _clean(r) for r in runs)
    return held, f"exits {[r.returncode for r in runs]}" + ("" if held else f", {_err(runs[0])}")


def year_3000(case: Case) -> tuple[bool, str] | None:
    try:
        import time_machine  # noqa: F401  (only to know the clock can be faked)
    except ImportError:
        return None
    code = (
        "import sys, time_machine\nfrom tui.cli import main\n"
        "with time_machine.travel('3000-06-01 12:00:00+00:00', tick=False):\n"
        "    codes = [main(['log']), main(['status'])]\n"
        "sys.exit(max(codes))\n"
    )
    result = case.run(code=code)
    return result.returncode == 0 and _clean(result), _err(result)[-200:]


def damaged_resume_file(case: Case) -> tuple[bool, str]:
    case.run("log")
    (case.data / "current-session.json").write_text(json.dumps({"version": 1, "index": "abc"}))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    runs = [case.run(*command) for command in (["status"], ["log", "--date", yesterday], ["config"], ["export"])]
    return all(r.returncode == 0 and _clean(r) for r in runs), f"exits {[r.returncode for r in runs]}"


def hostile_stretch_ids(case: Case) -> tuple[bool, str]:
    document = _a_session(case, id="2c7d9a43-0f2e-4a71-8a53-2f0f6f3f7c11")
    document["sessions"][0]["steps"] = [
        {"stretch": "\x1b]0;PWNED\x07", "side": "both", "held_s": 30, "skipped": False},
        {"stretch": "[bold red]x[/]", "side": "both", "held_s": 30, "skipped": False},
    ]
    path = case.root / "ids.json"
    path.write_text(json.dumps(document))
    imported = case.run("import", str(path))
    shown = [case.run(*command) for command in (["status"], ["export", "--format", "csv"])]
    leaked = any(c in _text(r) for r in [imported, *shown] for c in CONTROL)
    held = (imported.returncode == 2 or imported.returncode == 0) and not leaked and _clean(imported)
    return held, f"import {_err(imported)}; control characters in the output: {leaked}"


def csv_injection(case: Case) -> tuple[bool, str]:
    document = _a_session(case, id="5e1b2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e", tz=None)
    document["sessions"][0]["steps"] = [
        {"stretch": "=cmd|' /C calc'!A0", "side": "both", "held_s": 30, "skipped": False},
    ]
    path = case.root / "csv.json"
    path.write_text(json.dumps(document))
    imported = case.run("import", str(path))
    exported = case.run("export", "--format", "csv").stdout.decode()
    import csv
    import io

    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    live = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    return not live and _clean(imported), f"import {_err(imported)}; formula cells in the CSV: {live}"


CASES: dict[str, Callable[[Case], tuple[bool, str] | None]] = {
    "a session logged under a POSIX TZ rule": posix_tz_log,
    "an import dated 9999-12-31": import_far_future,
    "history.json chmod 000": unreadable_history,
    "history.json is a directory": history_is_a_directory,
    "history.json is a dangling symlink": dangling_symlink,
    "export -o a FIFO": export_to_fifo,
    "export -o a character device": export_to_device,
    "export -o a symlink to a file": export_through_symlink,
    "export -o a socket": export_to_socket,
    "output to /dev/full": full_disk,
    "ASCII-only output": ascii_output,
    "TZ=UTC+25 and UTC+24:59:59": unusable_tz,
    "a clock in the year 3000": year_3000,
    'a resume file with "index": "abc"': damaged_resume_file,
    "hostile stretch ids in an import": hostile_stretch_ids,
    "CSV injection": csv_injection,
}


def run(base: Path) -> HostileReport:
    report = HostileReport()
    for name, check in CASES.items():
        try:
            outcome = check(Case(base, name))
        except Exception as error:  # a case that cannot run is a broken promise, shown as such
            outcome = (False, f"the check itself failed: {type(error).__name__}: {error}")
        if outcome is None:
            continue  # cannot be arranged on this machine
        report.results.append(Result(name, *outcome))
    return report
