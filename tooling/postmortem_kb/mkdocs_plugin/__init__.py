"""The MkDocs plugin ``postmortems``: a thin adapter over ``postmortem_kb.pages``.

Only this package imports mkdocs.
"""
