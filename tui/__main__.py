"""``python -m tui`` and the ``hamstring`` script: see :mod:`tui.cli`."""

from __future__ import annotations

import sys

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
