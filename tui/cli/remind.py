"""``hamstring remind``: a desktop notification only when today still needs stretching,
and ``--install HH:MM`` / ``--uninstall`` for the daily timer that runs it.

The facts come from the same digest reading as ``status`` (:func:`.history.read_today`);
the notification and the timers are :mod:`tui.core.reminders` and
:mod:`tui.core.reminder_timers`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from .errors import EXIT_ERROR, EXIT_OK, CommandError, UsageError
from .output import clean, out, say

if TYPE_CHECKING:
    import argparse


def cmd_remind(args: argparse.Namespace) -> int:
    if args.install is not None:
        return _install(args)
    if args.uninstall:
        return _uninstall(args)
    from ..core.reminders import remind, state_from_digest
    from ..core.routines import daily_log_minutes
    from .common import load_catalog
    from .history import read_today

    digest, stored, day = read_today(args)
    minutes = daily_log_minutes(stored, load_catalog())
    outcome = remind(state_from_digest(digest, day, minutes))
    if args.json:
        out(json.dumps(outcome.to_json()))
    elif outcome.via is None:
        out(f"nothing to remind: {outcome.reason}")
    elif outcome.via != "stderr":
        out(f"reminded via {outcome.via}: {clean(outcome.message)}")
    elif outcome.note:
        say(outcome.note)  # the reminder itself is on stderr already
    return EXIT_OK  # a reminder that could not be shown as a notification went to stderr: still exit 0


ENV_PROGRAM = "/usr/bin/env"


def _command(args: argparse.Namespace) -> list[str]:
    """How the timer runs hamstring: this script's absolute path (or this Python with ``-m tui``),
    and the data dir and config dir when they were chosen."""
    from ..core import paths

    script = sys.argv[0] if sys.argv else ""
    if script and os.path.basename(script) != "__main__.py" and os.path.isfile(script):
        argv = [os.path.abspath(script)]
    else:
        argv = [os.path.abspath(sys.executable), "-m", "tui"]
    if getattr(args, "data_dir", None) or os.environ.get(paths.DATA_DIR_ENV):
        argv += ["--data-dir", str(paths.data_dir(getattr(args, "data_dir", None)).absolute())]
    if os.environ.get(paths.CONFIG_DIR_ENV) and os.path.isfile(ENV_PROGRAM):
        # No flag names the config dir (your stretches, the sync id): the timer gets the variable.
        argv = [ENV_PROGRAM, f"{paths.CONFIG_DIR_ENV}={paths.config_dir().absolute()}", *argv]
    return argv


def _report(outcome: object, as_json: bool) -> int:
    from ..core.reminder_timers import InstallOutcome

    assert isinstance(outcome, InstallOutcome)
    if as_json:
        out(json.dumps(outcome.to_json()))
    else:
        for line in outcome.lines():
            out(clean(line))
    return EXIT_OK if outcome.complete else EXIT_ERROR


def _install(args: argparse.Namespace) -> int:
    from ..core.reminder_timers import ReminderError, install

    try:
        outcome = install(args.install, command=_command(args))
    except ValueError as error:
        raise UsageError(f"--install {error}") from None
    except ReminderError as error:
        raise CommandError(str(error)) from None
    return _report(outcome, args.json)


def _uninstall(args: argparse.Namespace) -> int:
    from ..core.reminder_timers import ReminderError, uninstall

    try:
        outcome = uninstall()
    except ReminderError as error:
        raise CommandError(str(error)) from None
    return _report(outcome, args.json)
