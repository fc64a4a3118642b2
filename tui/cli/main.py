"""``main``: parse, run one command, and turn every failure into one line and an exit status."""

from __future__ import annotations

import gc
import os
import sys
from types import SimpleNamespace

from .errors import EXIT_ERROR, EXIT_OK, EXIT_USAGE, AlreadySaid, CommandError, UsageError
from .output import OutputFailed, say
from .output import tell_pending as _tell_pending

# Nothing from typing at run time: `status` runs on every shell prompt, and
# typing (with re and enum) would be a fifth of its time. mypy reads this
# name as typing.TYPE_CHECKING.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up allocates many objects that live for the whole run, and the cyclic
    # garbage collector would walk them again and again while the modules load
    # (about a tenth of the start-up). The commands are short and make no cycles
    # worth collecting; the app freezes what the imports built and turns the collector
    # back on before it runs (tui/cli/app.py).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()
        if argv is None:
            # Run as the program, which ends now: leave what the command built to the operating
            # system rather than have the collector walk and free it object by object while the
            # interpreter shuts down (a tenth of a `sync` of two large histories).
            gc.freeze()


def _handler(args: Any) -> Callable[[Any], int]:
    name = getattr(args, "handler", "app:run_app")
    module, function = name.split(":")
    handler: Callable[[Any], int] = getattr(__import__(f"{__package__}.{module}", fromlist=[function]), function)
    return handler


def quick_status(arguments: Sequence[str]) -> SimpleNamespace | None:
    """``status [--short | --json] [--data-dir DIR]`` (``--data-dir`` before or after
    ``status``) read without building the parser, or None for any other shape (help,
    a usage error, another command): argparse then reads it as always.

    The answer is what the parser gives for the same words; a test checks they agree.
    """
    found: dict[str, Any] = {}
    shape = None
    words = iter(arguments)
    seen_command = False
    for word in words:
        if word == "status" and not seen_command:
            seen_command = True
        elif word in ("--short", "--json") and seen_command and shape is None:
            shape = word
        elif word == "--data-dir" and "data_dir" not in found:
            value = next(words, None)
            if value is None or value.startswith("-"):
                return None
            found["data_dir"] = value
        elif word.startswith("--data-dir=") and "data_dir" not in found:
            found["data_dir"] = word.removeprefix("--data-dir=")
        else:
            return None
    if not seen_command:
        return None
    return SimpleNamespace(
        **found, command="status", handler="history:cmd_status", json=shape == "--json", short=shape == "--short"
    )


def _run(argv: Sequence[str] | None) -> int:
    from .output import begin, prepare_streams

    begin()
    prepare_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        quick = quick_status(arguments) if arguments else None
        if quick is not None:  # the shell prompt's `status --short`: no parser to build
            args: Any = quick
        elif arguments:
            from .parser import build_parser

            parser = build_parser(full_help=any(a in ("-h", "--help") for a in arguments))
            try:
                args = parser.parse_args(arguments)
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
        if isinstance(error.__cause__, KeyboardInterrupt):
            return 130  # ctrl+c while a module loaded: Python hands it on inside a class's __set_name__
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
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
