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
#: The longer lead-in before a stretch done in another body position (lying, seated, ...).
LEAD_IN_POSITION_DEFAULT_S = 10

#: Minutes of a session logged by hand.
LOG_MINUTES_MIN = 1
LOG_MINUTES_MAX = 600

#: Rest days allowed in any 7 consecutive days (the ``rest-budget`` setting).
REST_BUDGET_MIN = 0
REST_BUDGET_MAX = 7
REST_BUDGET_DEFAULT = 2

#: How far from today a new or imported record may be dated (loading an
#: existing history stays wide: it takes any date a file can hold).
EARLIEST_YEAR = 1970
SESSION_DAYS_AHEAD = 1  # a session: up to tomorrow (a clock or zone a little ahead)
REST_DAYS_AHEAD = 365  # a rest day: planned up to a year ahead
