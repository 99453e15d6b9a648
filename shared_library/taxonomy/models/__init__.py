"""Models of this app (filled in by the editorial-plane issue)."""
