"""hamstring: a terminal app for a daily hamstring-stretching habit."""

__version__ = "0.1.0"
