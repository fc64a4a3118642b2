"""``hamstring export`` and ``hamstring import``."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import after_write, check_writable, open_store
from .errors import EXIT_OK, CommandError, UsageError
from .output import clean_json, note, out

if TYPE_CHECKING:
    import argparse


def export_target(output: str) -> tuple[Path, bool]:
    """Where ``export -o OUTPUT`` writes, and whether as a stream.

    A pipe or a character device (a terminal, ``/dev/null``) is written as a
    stream, never replaced; a regular file, or a symlink to one, is replaced
    atomically (the symlink's target, in its own directory); a new path in an
    existing directory is created. Anything else is refused (:class:`UsageError`).
    """
    path = Path(output).expanduser()
    try:
        found = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError(f"{path} is a symlink to nothing ({os.readlink(path)})") from None
        if not path.parent.is_dir():
            missing = not path.parent.exists() and not os.path.islink(path.parent)
            raise UsageError(f"{path.parent} {'does not exist' if missing else 'is not a directory'}") from None
        return path, False
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    if stat.S_ISREG(found.st_mode):
        return Path(os.path.realpath(path)), False
    if stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
        return path, True
    if stat.S_ISDIR(found.st_mode):
        raise UsageError(f"{path} is a directory")
    raise UsageError(f"{path} is not a regular file, a pipe or a character device; nothing written")


def _write_stream(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise CommandError(f"could not write {path}: {_reason(error)}") from None
    finally:
        os.close(fd)


def _reason(error: OSError) -> str:
    import errno

    return "the disk is full" if error.errno == errno.ENOSPC else error.strerror or str(error)


def cmd_export(args: argparse.Namespace) -> int:
    from ..core.transfer import checkins_csv, measurements_csv, to_csv, to_json

    if args.what != "sessions" and args.format != "csv":
        raise UsageError("--what goes with --format csv (the JSON export holds everything)")
    target = export_target(args.output) if args.output and args.output != "-" else None
    store = open_store(args)
    exported = store.export_all()
    if args.format == "csv":
        text = {"sessions": to_csv, "checkins": checkins_csv, "measurements": measurements_csv}[args.what](exported)
    else:
        text = clean_json(to_json(exported))
    if target is None:
        out(text, end="")
        return EXIT_OK
    path, stream = target
    if stream:
        _write_stream(path, text.encode("utf-8"))
    else:
        from ..core.files import StorageWriteError, atomic_write_bytes

        try:
            atomic_write_bytes(path, text.encode("utf-8"))
        except StorageWriteError as error:
            raise CommandError(str(error.strerror)) from None
    what = args.what if args.format == "csv" else "sessions"
    note(f"exported {len(exported[what])} {what} to {path}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    if args.from_source is not None:
        from .trackers import cmd_import_from

        return cmd_import_from(args)
    if args.habit is not None or args.dry_run:
        raise UsageError("--habit and --dry-run go with --from loop or --from harsh")
    from ..core.days import local_now
    from ..core.transfer import ImportProblem, parse_import

    if args.file == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(args.file).expanduser()
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        batch = parse_import(data, name, today=local_now().date())
    except ImportProblem as error:
        raise UsageError(f"nothing imported: {error}") from None
    store = open_store(args)
    check_writable(store)
    outcome = store.import_many(batch.sessions, batch.rest_days, incoming=batch.replica)
    after_write(store)
    kept = f", kept your copy of {outcome.conflicted} that differed" if outcome.conflicted else ""
    out(f"imported {outcome.added} sessions, skipped {outcome.skipped} already present{kept}")
    return EXIT_OK
