"""Reliability runs for the history store: kills, concurrent writers.

``python -m reliability`` runs them at full size and prints the figures; the
test suite runs the same code (tests/test_reliability.py).
"""
