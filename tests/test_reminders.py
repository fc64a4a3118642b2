"""Reminders: notify only when needed (fake notifiers on PATH), and the daily timer
(fake systemctl / launchctl in a fake home)."""

from __future__ import annotations

import io
import json
import plistlib
import stat
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.digest import DaySet, Digest
from tui.core.reminder_timers import MARKER, ReminderError, install, parse_time, uninstall
from tui.core.reminders import (
    Notifier,
    ReminderState,
    applescript_string,
    osascript_argv,
    path_which,
    remind,
    run_command,
    state_from_digest,
)

AT_RISK = ReminderState(today_done=False, rest_day=False, streak=12, at_risk=True, minutes=7)
NO_STREAK = ReminderState(today_done=False, rest_day=False, streak=0, at_risk=False, minutes=7)
COMMAND = "/opt/ham/bin/hamstring"


def fake_program(bin_dir: Path, name: str, *, exit_code: int = 0, stderr: str = "", sleep: bool = False) -> Path:
    """A program ``name`` in ``bin_dir`` that appends its arguments (one JSON list a line) to ``name.log``."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    log = bin_dir / f"{name}.log"
    body = f"import json, sys, time\nopen({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    if stderr:
        body += f"sys.stderr.write({stderr!r})\n"
    if sleep:
        body += "time.sleep(60)\n"
    body += f"sys.exit({exit_code})\n"
    program = bin_dir / name
    program.write_text(f"#!{sys.executable}\n{body}")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def notifier_on(bin_dir: Path) -> tuple[Notifier, io.StringIO]:
    bin_dir.mkdir(parents=True, exist_ok=True)
    err = io.StringIO()
    return Notifier(which=path_which({"PATH": str(bin_dir)}), stderr=err), err


# -- remind ---------------------------------------------------------------------


def test_notify_send_gets_the_streak_message(tmp_path: Path) -> None:
    log = fake_program(tmp_path / "bin", "notify-send")
    notifier, err = notifier_on(tmp_path / "bin")
    outcome = remind(AT_RISK, notifier=notifier, platform="linux")
    message = "12-day streak at risk: 7 min of stretching left to do today"
    assert calls(log) == [["--app-name=hamstring", "--", "hamstring", message]]
    assert outcome.to_json() == {
        "sent": True,
        "via": "notify-send",
        "message": message,
        "reason": "not done today",
        "note": None,
    }
    assert err.getvalue() == ""


def test_without_a_streak_the_message_says_so(tmp_path: Path) -> None:
    log = fake_program(tmp_path / "bin", "notify-send")
    notifier, _ = notifier_on(tmp_path / "bin")
    outcome = remind(NO_STREAK, notifier=notifier, platform="linux")
    assert outcome.message == "Time to stretch: 7 min today starts a streak"
    assert calls(log)[0][-1] == outcome.message
    assert "at risk" not in outcome.message


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (ReminderState(today_done=True, rest_day=False, streak=12, at_risk=False, minutes=7), "done today"),
        (ReminderState(today_done=False, rest_day=True, streak=12, at_risk=False, minutes=7), "rest day"),
        (ReminderState(today_done=True, rest_day=True, streak=0, at_risk=False, minutes=7), "done today"),
    ],
)
def test_nothing_is_sent_when_not_needed(tmp_path: Path, state: ReminderState, reason: str) -> None:
    log = fake_program(tmp_path / "bin", "notify-send")
    notifier, err = notifier_on(tmp_path / "bin")
    outcome = remind(state, notifier=notifier, platform="linux")
    assert calls(log) == []
    assert err.getvalue() == ""
    assert outcome.to_json() == {"sent": False, "via": None, "message": None, "reason": reason, "note": None}


def test_nothing_on_path_falls_back_to_stderr(tmp_path: Path) -> None:
    notifier, err = notifier_on(tmp_path / "empty")
    outcome = remind(AT_RISK, notifier=notifier, platform="linux")
    assert err.getvalue() == "hamstring: 12-day streak at risk: 7 min of stretching left to do today\n"
    assert outcome.sent and outcome.via == "stderr"
    assert outcome.note == "notify-send is not on PATH; the reminder went to stderr"


def test_default_stderr_is_the_process_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    remind(NO_STREAK, notifier=Notifier(which=path_which({"PATH": str(tmp_path / "empty")})), platform="linux")
    assert capsys.readouterr().err == "hamstring: Time to stretch: 7 min today starts a streak\n"


def test_a_failing_notifier_falls_back_to_stderr_and_says_why(tmp_path: Path) -> None:
    log = fake_program(tmp_path / "bin", "notify-send", exit_code=1, stderr="no \x1b[31mbus\x1b[0m\nhere")
    notifier, err = notifier_on(tmp_path / "bin")
    outcome = remind(AT_RISK, notifier=notifier, platform="linux")
    assert len(calls(log)) == 1
    assert outcome.via == "stderr" and outcome.sent
    assert err.getvalue().startswith("hamstring: 12-day streak at risk")
    assert outcome.note is not None and "\x1b" not in outcome.note and "\n" not in outcome.note
    assert outcome.note == "notify-send failed (exit 1: no [31mbus [0m here); the reminder went to stderr"


def test_a_hanging_notifier_is_given_up_on(tmp_path: Path) -> None:
    fake_program(tmp_path / "bin", "notify-send", sleep=True)
    result = run_command([str(tmp_path / "bin" / "notify-send")], timeout=0.5)
    assert not result.ok and result.detail == "no answer within 0.5 s"


def test_a_missing_program_does_not_raise(tmp_path: Path) -> None:
    result = run_command([str(tmp_path / "nowhere")])
    assert not result.ok and result.detail


def test_windows_goes_to_stderr(tmp_path: Path) -> None:
    fake_program(tmp_path / "bin", "notify-send")
    notifier, err = notifier_on(tmp_path / "bin")
    outcome = remind(AT_RISK, notifier=notifier, platform="win32")
    assert outcome.via == "stderr" and err.getvalue().startswith("hamstring: ")


def test_macos_uses_osascript(tmp_path: Path) -> None:
    log = fake_program(tmp_path / "bin", "osascript")
    notify_log = fake_program(tmp_path / "bin", "notify-send")
    notifier, _ = notifier_on(tmp_path / "bin")
    outcome = remind(AT_RISK, notifier=notifier, platform="darwin")
    assert outcome.via == "osascript"
    assert calls(log) == [
        [
            "-e",
            'display notification "12-day streak at risk: 7 min of stretching left to do today" with title "hamstring"',
        ]
    ]
    assert calls(notify_log) == []


def parse_applescript_literal(source: str) -> tuple[str, str]:
    """Read one AppleScript string literal at the start of ``source``: (its value, what follows)."""
    assert source[0] == '"'
    value = []
    i = 1
    while True:
        ch = source[i]
        if ch == "\\":
            value.append(source[i + 1])
            i += 2
        elif ch == '"':
            return "".join(value), source[i + 1 :]
        else:
            value.append(ch)
            i += 1


@given(st.text())
def test_applescript_text_never_breaks_out_of_its_string(text: str) -> None:
    argv = osascript_argv("/usr/bin/osascript", text)
    script = argv[2]
    prefix = "display notification "
    assert script.startswith(prefix)
    value, rest = parse_applescript_literal(script[len(prefix) :])
    assert rest == ' with title "hamstring"'
    assert value == "".join(ch if ch.isprintable() else " " for ch in text)
    assert all(ch.isprintable() for ch in script)


def test_applescript_escapes_quotes_and_backslashes() -> None:
    assert applescript_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert applescript_string("line\nbreak") == '"line break"'


def test_state_from_digest_follows_the_streak_rules() -> None:
    today = date(2025, 6, 18)
    done = DaySet([date(2025, 6, 15), date(2025, 6, 16), date(2025, 6, 17)])
    state = state_from_digest(Digest(done=done), today, 7)
    assert state == ReminderState(today_done=False, rest_day=False, streak=3, at_risk=True, minutes=7)
    rested = state_from_digest(Digest(done=done, rest=DaySet([today])), today, 7)
    assert rested.rest_day and rested.streak == 3 and not rested.at_risk
    assert remind(rested, notifier=Notifier(which=lambda name: None)).reason == "rest day"


# -- install / uninstall: systemd -----------------------------------------------


def linux_env(tmp_path: Path, *, systemctl_exit: int = 0) -> tuple[dict[str, str], Path, Path]:
    home = tmp_path / "home"
    home.mkdir()
    log = fake_program(tmp_path / "bin", "systemctl", exit_code=systemctl_exit, stderr="Failed to connect to bus")
    return {"PATH": str(tmp_path / "bin"), "HOME": str(home)}, home, log


def test_systemd_install_writes_the_timer_and_enables_it(tmp_path: Path) -> None:
    environ, home, log = linux_env(tmp_path)
    outcome = install("07:05", command=COMMAND, platform="linux", home=home, environ=environ)
    units = home / ".config" / "systemd" / "user"
    service, timer = units / "hamstring-remind.service", units / "hamstring-remind.timer"
    assert outcome.method == "systemd" and outcome.complete
    assert outcome.written == (service, timer)
    assert sorted(p.name for p in units.iterdir()) == ["hamstring-remind.service", "hamstring-remind.timer"]
    timer_text = timer.read_text()
    assert "OnCalendar=*-*-* 07:05:00\n" in timer_text and "Persistent=true\n" in timer_text
    assert "WantedBy=timers.target" in timer_text
    assert 'ExecStart="/opt/ham/bin/hamstring" "remind"\n' in service.read_text()
    assert f"# {MARKER}" in service.read_text().splitlines() and f"# {MARKER}" in timer_text.splitlines()
    assert calls(log) == [["--user", "daemon-reload"], ["--user", "enable", "--now", "hamstring-remind.timer"]]
    assert outcome.lines() == [
        f"wrote {service}",
        f"wrote {timer}",
        "ran: systemctl --user daemon-reload",
        "ran: systemctl --user enable --now hamstring-remind.timer",
    ]


def test_systemd_respects_xdg_config_home_and_quotes_the_command(tmp_path: Path) -> None:
    environ, home, _ = linux_env(tmp_path)
    environ["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    command = [sys.executable, "-m", "tui"]
    odd = ['/opt/my apps/50%/$HOME/ham"st\\ring']
    install("23:59", command=command, platform="linux", home=home, environ=environ)
    service = tmp_path / "xdg" / "systemd" / "user" / "hamstring-remind.service"
    assert f'ExecStart="{sys.executable}" "-m" "tui" "remind"\n' in service.read_text()
    install("23:59", command=odd, platform="linux", home=home, environ=environ)
    assert 'ExecStart="/opt/my apps/50%%/$$HOME/ham\\"st\\\\ring" "remind"\n' in service.read_text()
    assert not (home / ".config").exists()


def test_systemctl_failing_says_what_to_run(tmp_path: Path) -> None:
    environ, home, log = linux_env(tmp_path, systemctl_exit=1)
    outcome = install("21:30", command=COMMAND, platform="linux", home=home, environ=environ)
    assert not outcome.complete and len(outcome.written) == 2
    assert outcome.failed == ("systemctl --user daemon-reload: exit 1: Failed to connect to bus",)
    assert outcome.todo == (
        "to finish, run: systemctl --user daemon-reload && systemctl --user enable --now hamstring-remind.timer",
    )
    assert len(calls(log)) == 1


def test_reinstall_replaces_our_own_files(tmp_path: Path) -> None:
    environ, home, _ = linux_env(tmp_path)
    install("07:00", command=COMMAND, platform="linux", home=home, environ=environ)
    outcome = install("08:15", command=COMMAND, platform="linux", home=home, environ=environ)
    assert "OnCalendar=*-*-* 08:15:00" in outcome.written[1].read_text()


@pytest.mark.parametrize("which", ["service", "timer"])
def test_a_foreign_file_is_never_overwritten(tmp_path: Path, which: str) -> None:
    environ, home, log = linux_env(tmp_path)
    units = home / ".config" / "systemd" / "user"
    units.mkdir(parents=True)
    foreign = units / f"hamstring-remind.{which}"
    foreign.write_text("[Timer]\nOnCalendar=hourly\n")
    with pytest.raises(ReminderError, match="was not written by hamstring"):
        install("07:00", command=COMMAND, platform="linux", home=home, environ=environ)
    assert foreign.read_text() == "[Timer]\nOnCalendar=hourly\n"
    assert [p.name for p in units.iterdir()] == [foreign.name]
    with pytest.raises(ReminderError, match="was not written by hamstring"):
        uninstall(platform="linux", home=home, environ=environ)
    assert foreign.exists() and calls(log) == []


def test_a_symlink_or_directory_in_the_way_is_not_ours(tmp_path: Path) -> None:
    environ, home, _ = linux_env(tmp_path)
    units = home / ".config" / "systemd" / "user"
    units.mkdir(parents=True)
    (units / "hamstring-remind.service").mkdir()
    elsewhere = tmp_path / "elsewhere.timer"
    elsewhere.write_text(f"# {MARKER}\n")
    (units / "hamstring-remind.timer").symlink_to(elsewhere)
    with pytest.raises(ReminderError):
        install("07:00", command=COMMAND, platform="linux", home=home, environ=environ)
    assert elsewhere.read_text() == f"# {MARKER}\n"


def test_a_failed_write_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    environ, home, log = linux_env(tmp_path)
    (home / ".config").write_text("not a directory")
    with pytest.raises(ReminderError) as caught:
        install("07:00", command=COMMAND, platform="linux", home=home, environ=environ)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("could not write ")
    assert calls(log) == [] and (home / ".config").read_text() == "not a directory"


def test_systemd_uninstall_removes_exactly_our_files(tmp_path: Path) -> None:
    environ, home, log = linux_env(tmp_path)
    written = install("07:00", command=COMMAND, platform="linux", home=home, environ=environ).written
    neighbour = written[0].parent / "other.service"
    neighbour.write_text("[Service]\n")
    log.unlink()
    outcome = uninstall(platform="linux", home=home, environ=environ)
    assert outcome.removed == written and outcome.complete
    assert not any(p.exists() for p in written) and neighbour.exists()
    assert calls(log) == [["--user", "disable", "--now", "hamstring-remind.timer"], ["--user", "daemon-reload"]]
    again = uninstall(platform="linux", home=home, environ=environ)
    assert again.removed == () and again.method == "cron"


# -- launchd and cron -----------------------------------------------------------


def test_launchd_agent_on_macos(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    log = fake_program(tmp_path / "bin", "launchctl")
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(home)}
    outcome = install("06:45", command=COMMAND, platform="darwin", home=home, environ=environ)
    plist = home / "Library" / "LaunchAgents" / "io.hamstring.remind.plist"
    assert outcome.method == "launchd" and outcome.written == (plist,) and outcome.complete
    data = plistlib.loads(plist.read_bytes())
    assert data["Label"] == "io.hamstring.remind"
    assert data["ProgramArguments"] == [COMMAND, "remind"]
    assert data["StartCalendarInterval"] == {"Hour": 6, "Minute": 45}
    assert f"<!-- {MARKER} -->" in plist.read_text().splitlines()
    assert calls(log) == [["load", str(plist)]]
    install("06:50", command=COMMAND, platform="darwin", home=home, environ=environ)
    assert calls(log)[1:] == [["unload", str(plist)], ["load", str(plist)]]
    removed = uninstall(platform="darwin", home=home, environ=environ)
    assert removed.removed == (plist,) and not plist.exists()
    assert calls(log)[-1] == ["unload", str(plist)]


def test_no_service_manager_gives_the_crontab_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "bin").mkdir()
    environ = {"PATH": str(tmp_path / "bin"), "HOME": str(home)}
    outcome = install("07:05", command=COMMAND, platform="linux", home=home, environ=environ)
    assert outcome.method == "cron" and outcome.written == () and outcome.complete
    assert outcome.crontab_line == "5 7 * * * /opt/ham/bin/hamstring remind"
    assert outcome.lines() == ["add this line with `crontab -e`: 5 7 * * * /opt/ham/bin/hamstring remind"]
    assert list(home.iterdir()) == []
    spaced = install("00:00", command=["/opt/my apps/python", "-m", "tui"], platform="freebsd", environ=environ)
    assert spaced.crontab_line == "0 0 * * * '/opt/my apps/python' -m tui remind"
    with pytest.raises(ReminderError, match="%"):
        install("00:00", command="/opt/50%/hamstring", platform="linux", environ=environ)


@pytest.mark.parametrize(
    "text", ["24:00", "7:30", "07:60", "0730", "07-30", "07:3\uff10", " 07:30", "07:30\n", "", "-1:00", "07:30:00"]
)
def test_bad_times_are_refused_in_one_line(tmp_path: Path, text: str) -> None:
    with pytest.raises(ValueError) as caught:
        install(text, command=COMMAND, platform="linux", home=tmp_path, environ={"PATH": ""})
    assert "\n" not in str(caught.value) and "HH:MM" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_good_times() -> None:
    assert parse_time("00:00") == (0, 0)
    assert parse_time("23:59") == (23, 59)
    assert parse_time("09:07") == (9, 7)


@pytest.mark.parametrize("command", ["hamstring", "", ["/bin/ham", "a\nb"], []])
def test_the_command_must_be_an_absolute_clean_path(tmp_path: Path, command: str | list[str]) -> None:
    with pytest.raises(ReminderError):
        install("07:00", command=command, platform="linux", home=tmp_path, environ={"PATH": ""})
