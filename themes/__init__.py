"""Themes: templates and static assets for sites' public pages."""
