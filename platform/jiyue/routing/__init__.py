"""Host-based routing: which site (schema, URLconf) serves a request.

This package is the only place that switches the connection's schema for a request
(STYLE.md, "Explicit tenant scope")."""
