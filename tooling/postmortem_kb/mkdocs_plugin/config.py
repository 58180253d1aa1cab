"""The plugin's options, as set under ``plugins: - postmortems:`` in mkdocs.yml."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c


class PostmortemsConfig(base.Config):  # type: ignore[no-untyped-call]
    # The repository root holding postmortems/ and schema/, relative to mkdocs.yml.
    # The folder names are fixed so that `postmortem check` and the site read the same files.
    root = c.Type(str, default=".")
    # Link behind "Edit this postmortem"; {path} is the file's path from the repository root,
    # e.g. https://github.com/org/postmortems/edit/main/{path}. Default: derived from
    # repo_url + edit_uri when edit_uri ends with the docs_dir, else no link.
    edit_url_template = c.Optional(c.Type(str))
    # The date "overdue" and "last 12 months" are measured from (YYYY-MM-DD); default today (UTC).
    today = c.Optional(c.Type((str, date)))
    # Read first-written / last-changed dates from git history.
    git_dates = c.Type(bool, default=True)
    # How many related incidents each postmortem shows (named and backlinked ones always show).
    related_limit = c.Type(int, default=10)
    # How many recent incidents the home page lists.
    recent_limit = c.Type(int, default=10)
    # Site search: index the built site with Pagefind after each build (postmortem_kb.site_search).
    search = c.Type(bool, default=True)
