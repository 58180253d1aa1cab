"""The MkDocs plugin ``postmortems``: a thin adapter over ``postmortem_kb.site_adapter``,
``postmortem_kb.pages`` and ``postmortem_kb.site_search``.

Only this package imports mkdocs.
"""
