"""Benchmarks: `python -m bench.<name> [--quick]` from the repo root; the last line on
stdout is one JSON object with the figures and their targets (DESIGN.md)."""
