"""The daily timer that runs ``hamstring remind``: a systemd user timer on Linux,
a launchd agent on macOS, or else a crontab line for the user to add.

Pure Python with light imports. Every file written carries a marker comment
line; a file without it is never overwritten or removed. Service-manager
commands go through an injected runner and never raise; the one exception is
:class:`ReminderError` (bad command, a file that is not ours, a write that
failed), whose message is one line for the shell; a bad time is a ValueError.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reminders import CommandResult, Runner, Which, one_line, path_which, run_command

MARKER = "managed-by: hamstring remind"  # in a comment line of every file we write
UNIT = "hamstring-remind"
LAUNCHD_LABEL = "io.hamstring.remind"
MAX_READ = 1 << 16


class ReminderError(Exception):
    """A reminder could not be installed or removed; the message is one line."""


@dataclass(frozen=True, slots=True)
class InstallOutcome:
    method: str  # "systemd", "launchd" or "cron"
    time: str | None  # "HH:MM" for an install
    written: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    ran: tuple[str, ...] = ()  # commands that succeeded
    failed: tuple[str, ...] = ()  # "command: why", one line each
    todo: tuple[str, ...] = ()  # what the user still has to do
    crontab_line: str | None = None

    @property
    def complete(self) -> bool:
        """Nothing failed (a crontab line to add by hand is the expected cron path, not a failure)."""
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "time": self.time,
            "written": [str(p) for p in self.written],
            "removed": [str(p) for p in self.removed],
            "ran": list(self.ran),
            "failed": list(self.failed),
            "todo": list(self.todo),
            "crontab_line": self.crontab_line,
            "complete": self.complete,
        }

    def lines(self) -> list[str]:
        """What to print, one line each."""
        out = [f"wrote {p}" for p in self.written] + [f"removed {p}" for p in self.removed]
        out += [f"ran: {c}" for c in self.ran] + [f"failed: {c}" for c in self.failed]
        out += list(self.todo)
        if not out:
            out.append("nothing to do: no reminder was installed")
        return out


def parse_time(text: str) -> tuple[int, int]:
    """``HH:MM`` (00:00 to 23:59, two digits each) as (hour, minute); ValueError otherwise."""
    digits = "0123456789"
    if len(text) == 5 and text[2] == ":" and all(c in digits for c in text[:2] + text[3:]):
        hour, minute = int(text[:2]), int(text[3:])
        if hour <= 23 and minute <= 59:
            return hour, minute
    raise ValueError(f"{text!r} is not a time of day: give HH:MM, from 00:00 to 23:59")


def _command_argv(command: str | Sequence[str]) -> list[str]:
    argv = [command] if isinstance(command, str) else list(command)
    if not argv or not os.path.isabs(argv[0]):
        raise ReminderError(f"the command must start with an absolute path, not {argv[:1]!r}")
    if any(not arg or not arg.isprintable() for arg in argv):
        raise ReminderError(f"the command {argv!r} has an empty part or a control character")
    return [*argv, "remind"]


def _systemd_quote(arg: str) -> str:
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def _home(home: Path | None, environ: Mapping[str, str]) -> Path:
    return home if home is not None else Path(environ.get("HOME") or Path.home())


def systemd_dir(home: Path, environ: Mapping[str, str]) -> Path:
    config = environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and os.path.isabs(config) else home / ".config"
    return base / "systemd" / "user"


def launchd_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


def _is_ours(path: Path) -> bool | None:
    """None: no file there; True: a regular file with our marker line; False: anything else."""
    try:
        if not path.is_symlink() and not path.exists():
            return None
        if path.is_symlink() or not path.is_file():
            return False
        with open(path, "rb") as handle:
            text = handle.read(MAX_READ).decode("utf-8", "replace")
    except OSError:
        return False
    marks = {f"# {MARKER}", f"<!-- {MARKER} -->"}
    return any(line.strip() in marks for line in text.splitlines())


def _check_ours(paths: Sequence[Path]) -> None:
    for path in paths:
        if _is_ours(path) is False:
            raise ReminderError(f"{path} exists and was not written by hamstring: move it away first")


def _write(paths_and_texts: Sequence[tuple[Path, str]]) -> tuple[Path, ...]:
    from .files import atomic_write_bytes

    written: list[Path] = []
    for path, text in paths_and_texts:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, text.encode("utf-8"))
        except OSError as error:
            reason = error.strerror or str(error)
            raise ReminderError(f"could not write {path}: {one_line(reason)}") from None
        written.append(path)
    return tuple(written)


def _remove(paths: Sequence[Path]) -> tuple[Path, ...]:
    removed: list[Path] = []
    for path in paths:
        if _is_ours(path):
            try:
                path.unlink()
            except OSError as error:
                raise ReminderError(f"could not remove {path}: {one_line(error.strerror or str(error))}") from None
            removed.append(path)
    return tuple(removed)


def _steps(steps: Sequence[list[str]], which: Which, run: Runner) -> tuple[list[str], list[str]]:
    """Run each command (its program found with ``which``); stop at the first failure."""
    ran: list[str] = []
    failed: list[str] = []
    for argv in steps:
        shown = " ".join(argv)
        program = which(argv[0])
        result = run([program, *argv[1:]]) if program else CommandResult(False, f"{argv[0]} is not on PATH")
        if not result.ok:
            failed.append(f"{shown}: {result.detail}")
            break
        ran.append(shown)
    return ran, failed


def _systemd_units(argv: list[str], hour: int, minute: int) -> tuple[str, str]:
    service = (
        f"# {MARKER}\n[Unit]\nDescription=hamstring: a reminder when today's stretching is not done yet\n\n"
        f"[Service]\nType=oneshot\nExecStart={' '.join(_systemd_quote(a) for a in argv)}\n"
    )
    timer = (
        f"# {MARKER}\n[Unit]\nDescription=hamstring: daily stretching reminder at {hour:02d}:{minute:02d}\n\n"
        f"[Timer]\nOnCalendar=*-*-* {hour:02d}:{minute:02d}:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"
    )
    return service, timer


def _launchd_plist(argv: list[str], hour: int, minute: int) -> str:
    import plistlib

    body = plistlib.dumps(
        {
            "Label": LAUNCHD_LABEL,
            "ProgramArguments": argv,
            "StartCalendarInterval": {"Hour": hour, "Minute": minute},
            "RunAtLoad": False,
        },
        sort_keys=False,
    ).decode("utf-8")
    head, _, rest = body.partition("<plist")
    return f"{head}<!-- {MARKER} -->\n<plist{rest}"


def _cron_line(argv: list[str], hour: int, minute: int) -> str:
    import shlex

    if any("%" in arg for arg in argv):
        raise ReminderError("the command has a % in it, which a crontab line cannot carry: install hamstring elsewhere")
    return f"{minute} {hour} * * * {shlex.join(argv)}"


@dataclass(frozen=True, slots=True)
class _System:
    platform: str
    home: Path
    environ: Mapping[str, str]
    which: Which
    run: Runner

    @property
    def units(self) -> tuple[Path, Path]:
        directory = systemd_dir(self.home, self.environ)
        return directory / f"{UNIT}.service", directory / f"{UNIT}.timer"


def _system(
    platform: str, home: Path | None, environ: Mapping[str, str] | None, which: Which | None, run: Runner | None
) -> _System:
    env = os.environ if environ is None else environ
    return _System(platform, _home(home, env), env, which or path_which(env), run or run_command)


def install(
    time_hh_mm: str,
    *,
    command: str | Sequence[str],
    platform: str = sys.platform,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    which: Which | None = None,
    run: Runner | None = None,
) -> InstallOutcome:
    """Set a daily ``<command> remind`` at ``time_hh_mm`` with what the system has.

    ValueError for a bad time; :class:`ReminderError` for a bad command, a file
    in the way that is not ours, or a write that failed (files written by this
    call are then removed again).
    """
    hour, minute = parse_time(time_hh_mm)
    argv = _command_argv(command)
    system = _system(platform, home, environ, which, run)
    when = f"{hour:02d}:{minute:02d}"
    if platform == "darwin" and system.which("launchctl"):
        plist = launchd_path(system.home)
        _check_ours([plist])
        if _is_ours(plist):  # a reinstall: unload the old agent first (failure is fine, it may not be loaded)
            _steps([["launchctl", "unload", str(plist)]], system.which, system.run)
        written = _write([(plist, _launchd_plist(argv, hour, minute))])
        ran, failed = _steps([["launchctl", "load", str(plist)]], system.which, system.run)
        todo = (f"to finish, run: launchctl load {plist}",) if failed else ()
        return InstallOutcome("launchd", when, written=written, ran=tuple(ran), failed=tuple(failed), todo=todo)
    if platform != "darwin" and system.which("systemctl"):
        service, timer = system.units
        _check_ours([service, timer])
        service_text, timer_text = _systemd_units(argv, hour, minute)
        existed = [p for p in (service, timer) if _is_ours(p)]
        try:
            written = _write([(service, service_text), (timer, timer_text)])
        except ReminderError:
            for path in (service, timer):
                if path not in existed and _is_ours(path):
                    path.unlink(missing_ok=True)
            raise
        steps = [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"]]
        ran, failed = _steps(steps, system.which, system.run)
        todo = (f"to finish, run: {' && '.join(' '.join(s) for s in steps)}",) if failed else ()
        return InstallOutcome("systemd", when, written=written, ran=tuple(ran), failed=tuple(failed), todo=todo)
    line = _cron_line(argv, hour, minute)
    return InstallOutcome("cron", when, crontab_line=line, todo=(f"add this line with `crontab -e`: {line}",))


def uninstall(
    *,
    platform: str = sys.platform,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    which: Which | None = None,
    run: Runner | None = None,
) -> InstallOutcome:
    """Remove what :func:`install` set up: exactly our files, after stopping the timer or agent.

    :class:`ReminderError` when a file there is not ours (nothing is touched) or cannot be removed.
    """
    system = _system(platform, home, environ, which, run)
    if platform == "darwin":
        return _uninstall_launchd(system)
    return _uninstall_systemd(system)


def _uninstall_launchd(system: _System) -> InstallOutcome:
    plist = launchd_path(system.home)
    _check_ours([plist])
    if not _is_ours(plist):
        return _cron_uninstall()
    ran, failed = _steps([["launchctl", "unload", str(plist)]], system.which, system.run)
    return InstallOutcome("launchd", None, removed=_remove([plist]), ran=tuple(ran), failed=tuple(failed))


def _uninstall_systemd(system: _System) -> InstallOutcome:
    units = system.units
    _check_ours(units)
    if not any(_is_ours(p) for p in units):
        return _cron_uninstall()
    ran: list[str] = []
    failed: list[str] = []
    manager = system.which("systemctl") is not None
    if manager:
        ran, failed = _steps([["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"]], system.which, system.run)
    removed = _remove(units)
    if manager:
        more_ran, more_failed = _steps([["systemctl", "--user", "daemon-reload"]], system.which, system.run)
        ran += more_ran
        failed += more_failed
    todo = (f"to finish, run: systemctl --user stop {UNIT}.timer; systemctl --user daemon-reload",) if failed else ()
    return InstallOutcome("systemd", None, removed=removed, ran=tuple(ran), failed=tuple(failed), todo=todo)


def _cron_uninstall() -> InstallOutcome:
    return InstallOutcome(
        "cron",
        None,
        todo=("no timer file of hamstring's here; if you added a crontab line, remove it with `crontab -e`",),
    )
