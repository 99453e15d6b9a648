"""Writes of the checks app (one module per domain)."""
