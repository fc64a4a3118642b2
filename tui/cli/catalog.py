"""``hamstring stretches``: the merged catalog as a table or JSON, or one stretch's figure."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from .common import load_catalog
from .errors import EXIT_OK, UsageError
from .output import can_encode, clean, clean_json, out

if TYPE_CHECKING:
    import argparse

    from ..core.catalog import Catalog, Stretch

FIGURE_SIZE = (40, 16)  # columns, rows: about a third of an 80x24 terminal's width, most of its height


def cmd_stretches(args: argparse.Namespace) -> int:
    if args.figure is None and (args.side is not None or args.size is not None):
        raise UsageError("--side and --size go with --figure ID")
    catalog = load_catalog()
    if args.figure is not None:
        return print_figure(catalog, args.figure, args.side or "left", args.size or FIGURE_SIZE)
    if args.json:
        for stretch in catalog:
            _check_figure(stretch)  # a figure that does not parse is told, not left out of the JSON
        out(clean_json(json.dumps(catalog.to_dict(), indent=2, ensure_ascii=False)))
        return EXIT_OK
    rows = [("ID", "NAME", "SIDES", "HOLD", "EQUIPMENT")]
    for stretch in catalog:
        rows.append(
            (
                clean(stretch.id),
                clean(stretch.name),
                stretch.sides_label,
                f"{stretch.hold_s}s",
                clean(", ".join(stretch.equipment) or "-"),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    return EXIT_OK


def use_colour() -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (https://no-color.org) or ``TERM=dumb``."""
    stdout = sys.stdout
    return (
        stdout is not None
        and stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "") != "dumb"
    )


def _check_figure(stretch: Stretch) -> None:
    """A figure that does not parse: only a built-in one (the user's are checked as their file
    loads); the built-in file's are parsed only when wanted, so here."""
    source = stretch.figure_source
    if source is not None and source.problem is not None:
        raise UsageError(f"hamstring is damaged: {source.problem}")


def print_figure(catalog: Catalog, stretch_id: str, side: str, size: tuple[int, int]) -> int:
    """Only the figure: braille lines, the working leg in colour when :func:`use_colour`."""
    from ..core.figures import render_figure_text

    stretch = catalog.get(stretch_id)
    if stretch is None:
        raise UsageError(f"no stretch has the id {clean(stretch_id)!r}; the ids are: {', '.join(catalog.ids)}")
    _check_figure(stretch)
    if stretch.figure is None:
        raise UsageError(f'stretch {stretch.id} has no figure (add a "figure" to it in your stretches.json)')
    if not can_encode("\u28ff"):
        raise UsageError("this output cannot show braille: use a UTF-8 locale (for example LANG=C.UTF-8)")
    cols, rows = size
    out(render_figure_text(stretch.figure, "right" if side == "right" else "left", cols, rows, color=use_colour()))
    return EXIT_OK
