from .entries import INDEX_FORMAT, SearchEntry

__all__ = ["INDEX_FORMAT", "SearchEntry"]
