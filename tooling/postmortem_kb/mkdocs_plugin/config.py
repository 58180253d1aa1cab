"""The plugin's options, as set under ``plugins: - postmortems:`` in mkdocs.yml.

They are declared, with their defaults, once: site_adapter.config.SiteOptions,
which `postmortem site generate` reads from mkdocs.yml itself. This is their
typed MkDocs form, so that MkDocs checks them and names a wrong one.
"""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c

from postmortem_kb.site_adapter.config import SiteOptions

_DEFAULT = SiteOptions()


class PostmortemsConfig(base.Config):  # type: ignore[no-untyped-call]
    """The options MkDocs validates; see SiteOptions for what each one does."""

    root = c.Type(str, default=_DEFAULT.root)
    edit_url_template = c.Optional(c.Type(str))
    today = c.Optional(c.Type((str, date)))
    git_dates = c.Type(bool, default=_DEFAULT.git_dates)
    related_limit = c.Type(int, default=_DEFAULT.related_limit)
    recent_limit = c.Type(int, default=_DEFAULT.recent_limit)
    search = c.Type(bool, default=_DEFAULT.search)
    render_processes = c.Optional(c.Type(int))

    def site_options(self) -> SiteOptions:
        """These options as the site adapter takes them."""
        today = self.today
        assert today is None or isinstance(today, str | date)  # as validated above
        return SiteOptions(
            root=self.root,
            edit_url_template=self.edit_url_template,
            today=today,
            git_dates=self.git_dates,
            related_limit=self.related_limit,
            recent_limit=self.recent_limit,
            search=self.search,
            render_processes=self.render_processes,
        )
