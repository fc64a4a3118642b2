"""Backups of the history: one a day after a validated load, 14 daily and 12
monthly kept, and a copy before every migration."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from ..document import CorruptHistory, Document, decode_document, empty_document, schema_version_of, serialise
from ..files import StorageWriteError, atomic_copy, atomic_write_bytes, describe

KEEP_DAILY = 14
KEEP_MONTHLY = 12
BACKUP_PATTERN = re.compile(r"^history-(\d{4}-\d{2}-\d{2})\.json$")


def utc_stamp(moment: datetime) -> str:
    """``YYYYMMDDTHHMMSSZ`` for file names; a clock too far off to convert to UTC
    (near year 1 or 9999) keeps its own wall time rather than failing."""
    with contextlib.suppress(OverflowError, ValueError, OSError):
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )


class Backups:
    """The ``backups`` folder beside the history."""

    def __init__(self, directory: Path, history: Path, clock: Callable[[], datetime], notices: list[str]) -> None:
        self.directory = directory
        self.history = history
        self.clock = clock
        self.notices = notices

    def found(self) -> list[tuple[date, Path]]:
        """The daily and monthly backups, by day (files named otherwise are left alone)."""
        found: list[tuple[date, Path]] = []
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return found
        for entry in entries:
            match = BACKUP_PATTERN.match(entry.name)
            if match:
                try:
                    found.append((date.fromisoformat(match.group(1)), entry))
                except ValueError:
                    continue
        return found

    def daily(self, document: Document) -> None:
        """Today's backup of a validated document (nothing if there is one already)."""
        self._daily(lambda target: atomic_write_bytes(target, serialise(document)))

    def daily_copy(self) -> None:
        """Today's backup as a byte copy of the history, known good (its digest is fresh)."""
        self._daily(lambda target: atomic_copy(self.history, target))

    def _daily(self, write: Callable[[Path], None]) -> None:
        if not self.history.exists():
            return
        target = self.directory / f"history-{self.clock().date().isoformat()}.json"
        if target.exists():
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write(target)
        except StorageWriteError as error:
            self.notices.append(f"could not write the daily backup {target}: {error.reason}")
            return
        except OSError as error:
            self.notices.append(f"could not write the daily backup {target}: {describe(error)}")
            return
        self.prune()

    def prune(self) -> None:
        backups = sorted(self.found(), reverse=True)
        keep = {path for _, path in backups[:KEEP_DAILY]}
        newest_per_month: dict[tuple[int, int], Path] = {}
        for day, path in backups:
            newest_per_month.setdefault((day.year, day.month), path)
        keep.update(list(newest_per_month.values())[:KEEP_MONTHLY])
        for _, path in backups:
            if path not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()

    def before_migration(self, version: int, data: bytes) -> Path:
        """Save the bytes of a schema-``version`` history before it is migrated; raises ``OSError``."""
        target = self.directory / f"history-v{version}-before-migration-{utc_stamp(self.clock())}.json"
        self.directory.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
        return target

    def newest_good(self, validate: Callable[[Document], object], schema: int) -> tuple[Path | None, Document]:
        """The newest backup in schema ``schema`` that passes ``validate``, else an empty history."""
        for _day, backup in sorted(self.found(), reverse=True):
            try:
                document = decode_document(backup.read_bytes())
                if schema_version_of(document) != schema:
                    continue
                validate(document)
            except (OSError, CorruptHistory):
                continue
            return backup, document
        return None, empty_document()
