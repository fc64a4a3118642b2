"""The ``hamstring`` command line: the app, and its shell companions.

Only the bare ``hamstring`` (and ``hamstring session``) start the Textual app;
every other subcommand works from ``tui.core`` alone and never imports
textual, so it stays fast enough for a shell prompt.

- :mod:`.parser`: the grammar (subcommands, flags, bounds);
- :mod:`.main`: dispatch and the one place failures become exit statuses;
- :mod:`.output`: safe text out (controls escaped, ASCII stand-ins, notices);
- one module per command group: :mod:`.catalog` (stretches), :mod:`.history`
  (status, log), :mod:`.config`, :mod:`.transfer` (export, import) and
  :mod:`.app` (the app and ``session``).
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
