"""Check dictionaries in the public schema (see models/dictionaries.py)."""
from .dictionaries import (
    DEFAULT_LEADER_TITLES, TERM_MAX_LENGTH, Dictionary, DictionaryKind, DictionaryVersion, Severity, Term,
)

__all__ = ["DEFAULT_LEADER_TITLES", "TERM_MAX_LENGTH", "Dictionary", "DictionaryKind", "DictionaryVersion",
           "Severity", "Term"]
