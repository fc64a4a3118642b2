"""``main``: parse, run one command, and turn every failure into one line and an exit status."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from .errors import EXIT_ERROR, EXIT_OK, EXIT_USAGE, AlreadySaid, CommandError, UsageError
from .output import OutputFailed, say
from .output import tell_pending as _tell_pending


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


def _handler(args: Any) -> Callable[[Any], int]:
    name = getattr(args, "handler", "app:run_app")
    module, function = name.split(":")
    handler: Callable[[Any], int] = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    return handler


def _run(argv: Sequence[str] | None) -> int:
    from .output import begin, prepare_streams

    begin()
    prepare_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments:
            from .parser import build_parser

            parser = build_parser(full_help=any(a in ("-h", "--help") for a in arguments))
            try:
                args: Any = parser.parse_args(arguments)
            except SystemExit:
                _flush()  # --help, --version or a usage error: make sure it was written
                raise
        else:  # plain `hamstring`, every morning: straight to the app, no parser to build
            args = SimpleNamespace()
        handler = _handler(args)
        if getattr(args, "command", None) not in (None, "session"):
            from .output import tell_tz_problem

            tell_tz_problem()
        code = handler(args)
        _tell_pending()
        _flush()
        return code
    except UsageError as error:
        _tell_pending()
        say(error)
        return EXIT_USAGE
    except CommandError as error:
        _tell_pending()
        say(error)
        return EXIT_ERROR
    except AlreadySaid as error:
        _tell_pending()
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `hamstring export | head`); stay quiet.
        _silence_stdout()
        return EXIT_OK
    except OutputFailed as error:
        _silence_stdout()
        _tell_pending()
        say(f"cannot write the output: {error}")
        return EXIT_ERROR
    except Exception as error:
        described = _described(error)
        if described is None:
            raise
        _tell_pending()
        say(described)
        return EXIT_USAGE


def _described(error: Exception) -> str | None:
    """One line for a failure of the history or the data dir, or None for a bug."""
    store = sys.modules.get("tui.core.store")
    if store is not None and isinstance(error, store.StoreError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return None


def _flush() -> None:
    from .output import flush

    flush()


def _silence_stdout() -> None:
    """Whatever is still buffered for stdout goes nowhere (no second error at exit)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
