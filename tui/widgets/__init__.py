"""Reusable Textual widgets for hamstring."""
