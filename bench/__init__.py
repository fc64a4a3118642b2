"""Benchmarks for hamstring, each reported as a ratio against a bare floor.

Run ``python -m bench`` (``--quick`` for the CI smoke run, ``--json FILE`` to
save the results). Timings live here, never in the test suite.
"""
