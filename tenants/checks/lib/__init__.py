"""Helpers of the checks app without database writes: CSV formats, term validation, the matcher."""
