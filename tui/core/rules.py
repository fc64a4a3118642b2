"""The limits every part of hamstring agrees on: one source for each rule.

The catalog, the timer, routines, settings and the command line all take
their bounds from here, so "the shortest hold" means the same everywhere.
"""

from __future__ import annotations

#: A hold, in seconds: a stretch's own, a routine's, a setting, ``session --hold``, ``+``/``-``.
HOLD_MIN_S = 5
HOLD_MAX_S = 600

#: Time to get into position and to switch sides, in seconds.
TRANSITION_MIN_S = 0
TRANSITION_MAX_S = 60
TRANSITION_DEFAULT_S = 5

#: Minutes of a session logged by hand.
LOG_MINUTES_MIN = 1
LOG_MINUTES_MAX = 600
