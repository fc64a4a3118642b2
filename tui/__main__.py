"""The ``hamstring`` command: the app, and its shell companions.

Only the bare ``hamstring`` (and ``hamstring session``) start the Textual app;
every other subcommand works from ``tui.core`` alone and never imports
textual, so it stays fast enough for a shell prompt.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .core import paths

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: one line, exit status 2."""


class CommandError(Exception):
    """Something failed that is not the user's input: one line, exit status 1."""


def _terminal_columns() -> int:
    """Like ``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal, else 80."""
    if os.environ.get("COLUMNS", "").isdigit() and int(os.environ["COLUMNS"]) > 0:
        return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _Formatter(argparse.HelpFormatter):
        """argparse's help layout, sized without ``shutil`` (which pulls in the
        compression modules: a tenth of a quick command's run time)."""

        def __init__(self, prog: str, **kwargs: Any) -> None:
            if kwargs.get("width") is None:
                kwargs["width"] = _terminal_columns() - 2
            super().__init__(prog, **kwargs)

    class _Parser(argparse.ArgumentParser):
        """argparse that reports a usage error as one line, exit status 2."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", _Formatter)
            super().__init__(*args, **kwargs)

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{self.prog}: {message} (try '{self.prog} --help')\n")

    return _Parser


def _data_dir_help() -> str:
    where = paths.data_dir()
    return f"where the history lives (default {where}; or set ${paths.DATA_DIR_ENV})"


def build_parser(full_help: bool = True) -> argparse.ArgumentParser:
    import argparse

    # --data-dir is accepted before or after the subcommand; SUPPRESS keeps a
    # subcommand's missing flag from overwriting the global one.
    parser_class = _parser_class()
    common = parser_class(add_help=False)
    # The paths in the help cost a platformdirs import: worked out only when help is asked for.
    data_dir_help = _data_dir_help() if full_help else "where the history lives"
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)

    parser = parser_class(
        prog="hamstring",
        description="A daily hamstring-stretching habit in your terminal. Run without a command to open the app.",
        epilog=(
            f"History file: {paths.data_dir() / paths.HISTORY_FILENAME}. Your own stretches: {paths.user_catalog_path()}."
            if full_help
            else None
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"hamstring {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)

    stretches = commands.add_parser(
        "stretches", help="print the catalog of stretches", description="Print the merged catalog.", parents=[common]
    )
    stretches.add_argument("--json", action="store_true", help="print the catalog as JSON, shaped like stretches.json")
    stretches.set_defaults(handler=cmd_stretches)

    session = commands.add_parser(
        "session",
        help="open the app on the Session screen and start a routine",
        description="Open the app on the Session screen and start a routine at once.",
        parents=[common],
    )
    session.add_argument("--routine", metavar="NAME", default="daily", help="the routine to run (default: daily)")
    session.add_argument("--hold", metavar="SECONDS", type=_int_in(1, 600), help="hold every stretch this long (1-600)")
    session.add_argument(
        "--transition", metavar="SECONDS", type=_int_in(0, 60), help="seconds to get ready and to switch sides (0-60)"
    )
    session.set_defaults(handler=cmd_session)

    status = commands.add_parser(
        "status",
        help="print today's state and your streak in one line",
        description="Print your streak.",
        parents=[common],
    )
    shape = status.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.add_argument(
        "--short", action="store_true", help="print the streak and a mark (✓ done today, ! at risk), for prompts"
    )
    status.set_defaults(handler=cmd_status)

    log = commands.add_parser(
        "log",
        help="log a session done away from the computer, or a rest day",
        description="Record a complete manual session (or a rest day) for today or a past date.",
        parents=[common],
    )
    log.add_argument("--date", metavar="YYYY-MM-DD", type=_past_or_today_date, help="the day (default: today)")
    log.add_argument(
        "--minutes", metavar="N", type=_int_in(1, 600), help="minutes stretched, 1-600 (default: the daily routine's)"
    )
    log.add_argument("--rest", action="store_true", help="mark the day as a planned rest day instead")
    log.set_defaults(handler=cmd_log)

    config = commands.add_parser(
        "config",
        help="list, show or change settings",
        description="List settings; 'config KEY' shows one; 'config KEY VALUE' changes it ('default' resets it).",
        parents=[common],
    )
    config.add_argument("key", nargs="?", metavar="KEY")
    config.add_argument("value", nargs="?", metavar="VALUE")
    config.set_defaults(handler=cmd_config)

    export = commands.add_parser(
        "export", help="write your whole history as JSON or CSV", description="Export the history.", parents=[common]
    )
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json (everything, default) or csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(handler=cmd_export)

    importer = commands.add_parser(
        "import",
        help="merge an export (JSON or CSV) into your history",
        description="Merge an export into your history; sessions already present are skipped.",
        parents=[common],
    )
    importer.add_argument(
        "file", metavar="FILE", help="an export made by 'hamstring export' ('-' reads standard input)"
    )
    importer.set_defaults(handler=cmd_import)
    return parser


def _past_or_today_date(text: str) -> date:
    import argparse

    from .core.records import RecordError, parse_date

    try:
        return parse_date(text.strip())
    except RecordError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real date in the form YYYY-MM-DD") from None


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        import argparse

        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not from {low} to {high}")
        return value

    return parse


# -- commands --------------------------------------------------------------------
def _load_catalog():
    from .core.catalog import CatalogError, load_catalog

    try:
        return load_catalog()
    except CatalogError as error:
        raise UsageError(str(error)) from None


def cmd_stretches(args: argparse.Namespace) -> int:
    catalog = _load_catalog()
    if args.json:
        print(json.dumps(catalog.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [("ID", "NAME", "SIDES", "HOLD", "EQUIPMENT")]
    for stretch in catalog:
        rows.append(
            (
                stretch.id,
                stretch.name,
                "each" if stretch.one_sided else "both",
                f"{stretch.hold_s}s",
                ", ".join(stretch.equipment) or "-",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    return EXIT_OK


def open_store(args: argparse.Namespace):
    """The history store; its notices (recovery, read-only) go to stderr, one line each."""
    from .core.store import HistoryStore

    store = HistoryStore.open(getattr(args, "data_dir", None))
    for notice in store.notices:
        print(f"hamstring: {notice}", file=sys.stderr)
    return store


def _today(store: Any) -> date:
    from .core.days import local_now, session_day
    from .core.settings import effective

    return session_day(local_now(), effective(store.settings())["day-start-hour"])


def _stats(store: Any):
    from .core.settings import effective, first_weekday
    from .core.streaks import stats_from_digest

    digest = store.digest()
    settings = effective(digest.settings)
    return stats_from_digest(digest, _today(store), first_weekday(settings))


def cmd_status(args: argparse.Namespace) -> int:
    from .core import digest as digests
    from .core.days import local_now, session_day
    from .core.schema import SCHEMA_VERSION
    from .core.settings import effective
    from .core.settings_file import read_settings
    from .core.streaks import best_streaks, current_streak, strength

    history = paths.history_path(getattr(args, "data_dir", None))
    found = digests.read_fresh(history, SCHEMA_VERSION)
    if found is None and not history.exists() and not history.parent.joinpath(history.name + ".lock").exists():
        found = digests.Digest()  # nothing recorded yet
    if found is None:  # the history changed since its digest: load it in full, with every check
        found = open_store(args).digest()
    settings = effective(read_settings(history.parent))
    today = session_day(local_now(), settings["day-start-hour"])
    rest = found.resting
    current = current_streak(found.done, rest, today)
    best = best_streaks(found.done, rest, count=1)
    longest = best[0].length if best else 0
    score = strength(found.done, rest, today)
    today_done = today in found.done
    if args.json:
        print(
            json.dumps(
                {
                    "today": today.isoformat(),
                    "today_done": today_done,
                    "current_streak": current.length,
                    "at_risk": current.at_risk,
                    "longest_streak": longest,
                    "strength": round(score, 4),
                    "total_sessions": found.counting_sessions,
                    "last_session_date": found.last_session_date.isoformat() if found.last_session_date else None,
                }
            )
        )
    elif args.short:
        mark = "✓" if today_done else "!" if current.at_risk else "·"
        print(f"{current.length}{mark}")
    else:
        streak = f"{current.length}-day streak" if current.length else "no streak yet"
        print(
            f"hamstring: {streak} (today: {'done' if today_done else 'not yet'}) · longest {longest} · strength {round(score * 100)}%"
        )
    return EXIT_OK


def cmd_log(args: argparse.Namespace) -> int:
    from .core.days import local_now, local_tz_name
    from .core.records import manual_session

    store = open_store(args)
    today = _today(store)
    day = args.date or today
    if day > today:
        raise UsageError(f"{day.isoformat()} is in the future (today is {today.isoformat()})")
    if args.rest and args.minutes is not None:
        raise UsageError("--rest and --minutes do not go together")
    _check_writable(store)
    if args.rest:
        _store_call(store.set_rest_day, day, True)
        store.renew_digest()
        print(f"marked {day:%a %d %b %Y} as a rest day")
        return EXIT_OK
    from .core.routines import daily_log_minutes

    minutes = args.minutes if args.minutes is not None else daily_log_minutes(store.settings(), _load_catalog())
    _store_call(store.mark_day, manual_session(day, minutes, local_now(), local_tz_name()))
    stats = _stats(store)
    print(f"logged {minutes} min for {day:%a %d %b %Y} · {stats.current.length}-day streak")
    return EXIT_OK


def _check_writable(store: Any) -> None:
    if store.read_only:
        raise CommandError(store.read_only_reason)


def _store_call(function: Callable[..., Any], *args: Any) -> Any:
    from .core.store import StoreError

    try:
        return function(*args)
    except StoreError as error:
        raise CommandError(str(error)) from None


def cmd_config(args: argparse.Namespace) -> int:
    from .core.settings import SETTINGS, SettingError, effective, setting

    store = open_store(args)
    values = effective(store.settings())
    if args.key is None:
        width = max(len(key) for key in SETTINGS)
        for key, spec in SETTINGS.items():
            print(f"{key.ljust(width)}  {spec.show(values[key]):<16}  # {spec.help}")
        return EXIT_OK
    try:
        spec = setting(args.key)
    except SettingError as error:
        raise UsageError(str(error)) from None
    if args.value is None:
        print(spec.show(values[spec.key]))
        return EXIT_OK
    if args.value.strip().lower() == "default":
        value = spec.default
    else:
        try:
            value = spec.parse(args.value)
        except SettingError as error:
            raise UsageError(f"{spec.key} {error}") from None
    _check_writable(store)
    _store_call(store.set_setting, spec.key, value)
    store.renew_digest()
    print(f"{spec.key} = {spec.show(value)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .core.files import StorageWriteError, atomic_write_bytes
    from .core.transfer import to_csv, to_json

    store = open_store(args)
    exported = _store_call(store.export_all)
    text = to_csv(exported) if args.format == "csv" else to_json(exported)
    if args.output and args.output != "-":
        from pathlib import Path

        target = Path(args.output).expanduser()
        if target.is_dir():
            raise UsageError(f"{target} is a directory")
        try:
            atomic_write_bytes(target, text.encode("utf-8"))
        except StorageWriteError as error:
            raise CommandError(str(error.strerror)) from None
        print(f"exported {len(exported['sessions'])} sessions to {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .core.transfer import ImportProblem, parse_import

    if args.file == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        from pathlib import Path

        path = Path(args.file).expanduser()
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        batch = parse_import(data, name)
    except ImportProblem as error:
        raise UsageError(f"nothing imported: {error}") from None
    store = open_store(args)
    _check_writable(store)
    added, skipped, conflicted = _store_call(store.import_many, batch.sessions, batch.rest_days)
    store.renew_digest()
    kept = f", kept your copy of {conflicted} that differed" if conflicted else ""
    print(f"imported {added} sessions, skipped {skipped} already present{kept}")
    return EXIT_OK


def cmd_session(args: argparse.Namespace) -> int:
    from .core.routines import routines_from_setting

    catalog = _load_catalog()
    store = open_store(args)
    routines = routines_from_setting(store.get_setting("routines"), catalog)
    if args.routine not in routines:
        raise UsageError(f"no routine named {args.routine!r} (known: {', '.join(routines)})")
    request = {
        "routine": args.routine,
        "hold_override": args.hold,
        "transition_override": args.transition,
        "autostart": True,
    }
    return run_app(args, start_mode="session", request=request)


def run_app(args: argparse.Namespace, start_mode: str = "catalog", request: dict | None = None) -> int:
    from .core.catalog import CatalogError, builtin_catalog

    try:
        builtin_catalog()
    except CatalogError as error:
        raise CommandError(f"hamstring is damaged: {error}") from None
    bench = os.environ.get("HAMSTRING_BENCH")  # set only by `python -m bench`
    if not bench and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise UsageError("the app needs an interactive terminal (try 'hamstring status' in scripts)")
    from .app import HamstringApp
    from .core.routines import SessionRequest

    session_request = SessionRequest(**request) if request else None
    if bench and bench.split(":")[-1] in ("session", "calendar"):
        start_mode = bench.split(":")[-1]
    if bench and bench.startswith("timer:"):
        start_mode, session_request = "session", SessionRequest(autostart=True)
    app = HamstringApp(
        data_dir=getattr(args, "data_dir", None),
        start_mode=start_mode,
        session_request=session_request,
    )
    app.run(headless=bool(bench), size=(100, 30) if bench else None)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up allocates many objects that live for the whole run, and the cyclic
    # garbage collector would walk them again and again while the modules load
    # (about a tenth of the start-up). The commands are short and make no cycles
    # worth collecting; the app turns the collector back on after its first frame.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments:
        parser = build_parser(full_help=any(a in ("-h", "--help") for a in arguments))
        args = parser.parse_args(arguments)
    else:  # plain `hamstring`, every morning: straight to the app, no parser to build
        args = SimpleNamespace()
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", run_app)
    try:
        return handler(args)
    except UsageError as error:
        print(f"hamstring: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as error:
        print(f"hamstring: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `hamstring export | head`); stay quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
