"""``hamstring stretches``: the merged catalog as a table or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .common import load_catalog
from .errors import EXIT_OK
from .output import clean, clean_json, out

if TYPE_CHECKING:
    import argparse


def cmd_stretches(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.json:
        out(clean_json(json.dumps(catalog.to_dict(), indent=2, ensure_ascii=False)))
        return EXIT_OK
    rows = [("ID", "NAME", "SIDES", "HOLD", "EQUIPMENT")]
    for stretch in catalog:
        rows.append(
            (
                clean(stretch.id),
                clean(stretch.name),
                "each" if stretch.one_sided else "both",
                f"{stretch.hold_s}s",
                clean(", ".join(stretch.equipment) or "-"),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    return EXIT_OK
