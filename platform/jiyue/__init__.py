"""Jiyue (集约): the Django project that hosts a province's government sites.

`platform/` has no ``__init__.py`` on purpose: the standard library's ``platform``
module must stay importable, so this package is found through ``platform/`` on
the path (see pyproject.toml).
"""
