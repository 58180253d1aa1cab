"""What the site needs from mkdocs.yml, read without MkDocs.

MkDocs parses mkdocs.yml for the plugin; ``postmortem site generate`` (for
Zensical, which runs no plugins) reads the same settings here: docs_dir,
site_dir, use_directory_urls, repo_url, edit_uri, nav, extra_css,
extra_javascript and the ``postmortems`` plugin's options, with MkDocs' defaults.
The plugin's options are declared once, in :class:`SiteOptions`; the plugin's
typed MkDocs config takes its defaults from there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.site_adapter.prerender import default_workers

PLUGIN_NAME = "postmortems"
CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class SiteOptions:
    """The ``postmortems`` plugin's options, as set under ``plugins: - postmortems:``."""

    # The repository root holding postmortems/ and schema/, relative to mkdocs.yml.
    root: str = "."
    # The link behind "Edit this postmortem"; {path} is the file's path from the
    # repository root. None: derived from repo_url + edit_uri (edit_url_template()).
    edit_url_template: str | None = None
    # The date "overdue" and "last 12 months" are measured from (YYYY-MM-DD); None: today (UTC).
    today: str | date | None = None
    # Read first-written / last-changed dates from git history.
    git_dates: bool = True
    # How many related incidents each postmortem shows (named and backlinked ones always show).
    related_limit: int = 10
    # How many recent incidents the home page lists.
    recent_limit: int = 10
    # Index the built site with Pagefind (the plugin after each build; else `postmortem site index`).
    search: bool = True
    # Processes that render the generated pages while MkDocs builds (0: none, MkDocs'
    # own process renders them); None: one less than the CPUs, at most two.
    render_processes: int | None = None

    @classmethod
    def from_mapping(cls, raw: Any, where: str) -> SiteOptions:
        """The options in ``raw`` (the plugin's mapping in mkdocs.yml); ``where`` names it in errors."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise ConfigurationError(f"{where}: the options must be a mapping")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in raw if key not in known)
        if unknown:
            raise ConfigurationError(
                f"{where}: unknown option {', '.join(unknown)}; the options are {', '.join(sorted(known))}"
            )
        values: dict[str, Any] = {}
        for name, value in raw.items():
            values[name] = _checked_option(name, value, where)
        return cls(**values)

    def render_workers(self) -> int:
        """How many processes render pages ahead of MkDocs (``render_processes``)."""
        if self.render_processes is None:
            return default_workers()
        return max(0, self.render_processes)

    def today_date(self) -> date:
        """``today`` as a date; an unreadable value is a ConfigurationError."""
        value = self.today
        if value is None:
            return datetime.now(UTC).date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ConfigurationError(
                f"today: '{value}' is not a date; write it as YYYY-MM-DD"
            ) from None


_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "root": (str,),
    "edit_url_template": (str,),
    "today": (str, date),
    "git_dates": (bool,),
    "related_limit": (int,),
    "recent_limit": (int,),
    "search": (bool,),
    "render_processes": (int,),
}


def _checked_option(name: str, value: Any, where: str) -> Any:
    if value is None and name in ("edit_url_template", "today", "render_processes"):
        return None
    types = _OPTION_TYPES[name]
    # YAML's true is an int to Python; a limit of `true` is a mistake, not 1.
    wrong_bool = isinstance(value, bool) and bool not in types
    if wrong_bool or not isinstance(value, types):
        expected = " or ".join(_TYPE_WORDS[t] for t in types)
        raise ConfigurationError(f"{where}: {name}: expected {expected}, got {value!r}")
    return value


_TYPE_WORDS = {str: "a string", date: "a date", bool: "true or false", int: "a whole number"}


@dataclass(frozen=True)
class DocsConfig:
    """The settings of mkdocs.yml the site adapter uses, with MkDocs' defaults filled in."""

    path: Path  # mkdocs.yml itself, absolute
    docs_dir: Path  # absolute
    site_dir: Path  # absolute
    use_directory_urls: bool = True
    repo_url: str | None = None
    edit_uri: str | None = None
    nav: list[Any] | None = None
    extra_css: tuple[str, ...] = ()
    extra_javascript: tuple[str, ...] = ()
    has_plugin: bool = False  # whether `plugins:` names this plugin
    options: SiteOptions = field(default_factory=SiteOptions)

    @property
    def root(self) -> Path:
        """The repository root the plugin's ``root`` option names."""
        return (self.path.parent / self.options.root).resolve()

    def edit_url_template(self) -> str | None:
        """The "Edit this postmortem" link template, as the plugin derives it."""
        return edit_url_template(
            self.options.edit_url_template,
            repo_url=self.repo_url,
            edit_uri=self.edit_uri,
            docs_dir=self.docs_dir,
            root=self.root,
        )


def read_docs_config(path: Path) -> DocsConfig:
    """The site settings in ``path`` (a mkdocs.yml); a missing or broken file is a
    ConfigurationError naming it."""
    path = path.absolute()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"{path}: no such file; the site is configured in {CONFIG_FILE} "
            "(pass its path with --config-file)"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"{path}: not valid UTF-8") from None
    try:
        raw = yaml.load(text, Loader=_ConfigLoader)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path}: not valid YAML: {exc}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: the configuration must be a mapping")
    return _docs_config(path, raw)


def _docs_config(path: Path, raw: dict[str, Any]) -> DocsConfig:
    base = path.parent
    plugin, options = _plugin_options(raw.get("plugins"), f"{path}: plugins: {PLUGIN_NAME}")
    repo_url = _optional_str(raw, "repo_url", path)
    edit_uri = _optional_str(raw, "edit_uri", path)
    nav = raw.get("nav")
    if nav is not None and not isinstance(nav, list):
        raise ConfigurationError(f"{path}: nav: must be a list")
    directory_urls = raw.get("use_directory_urls", True)
    if not isinstance(directory_urls, bool):
        raise ConfigurationError(f"{path}: use_directory_urls: expected true or false")
    return DocsConfig(
        path=path,
        docs_dir=(base / _str(raw, "docs_dir", "docs", path)).resolve(),
        site_dir=(base / _str(raw, "site_dir", "site", path)).resolve(),
        use_directory_urls=directory_urls,
        repo_url=repo_url,
        edit_uri=default_edit_uri(repo_url, edit_uri),
        nav=nav,
        extra_css=_paths(raw.get("extra_css")),
        extra_javascript=_paths(raw.get("extra_javascript")),
        has_plugin=plugin,
        options=options,
    )


def _plugin_options(plugins: Any, where: str) -> tuple[bool, SiteOptions]:
    # mkdocs.yml lists plugins as names or one-entry mappings, or maps names to options.
    entries: list[tuple[Any, Any]] = []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict):
                entries += list(item.items())
            else:
                entries.append((item, None))
    for name, options in entries:
        if name == PLUGIN_NAME:
            return True, SiteOptions.from_mapping(options, where)
    return False, SiteOptions()


def _str(raw: dict[str, Any], key: str, default: str, path: Path) -> str:
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigurationError(f"{path}: {key}: expected a string, got {value!r}")
    return value


def _optional_str(raw: dict[str, Any], key: str, path: Path) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(f"{path}: {key}: expected a string, got {value!r}")
    return value


def _paths(value: Any) -> tuple[str, ...]:
    # extra_javascript entries may be mappings ({path: x.js, type: module}).
    if not isinstance(value, list):
        return ()
    found = []
    for entry in value:
        if isinstance(entry, dict):
            entry = entry.get("path")
        if isinstance(entry, str):
            found.append(entry)
    return tuple(found)


def default_edit_uri(repo_url: str | None, edit_uri: str | None) -> str | None:
    """``edit_uri`` as MkDocs completes it: a default for GitHub, GitLab and Bitbucket
    repositories, and always a trailing slash."""
    if edit_uri is None and repo_url is not None:
        host = urlsplit(repo_url).netloc.lower()
        if host in ("github.com", "gitlab.com"):
            edit_uri = "edit/master/docs/"
        elif host == "bitbucket.org":
            edit_uri = "src/default/docs/"
    if edit_uri and not edit_uri.endswith("/"):
        edit_uri += "/"
    return edit_uri


def edit_url_template(
    explicit: str | None,
    *,
    repo_url: str | None,
    edit_uri: str | None,
    docs_dir: Path,
    root: Path,
) -> str | None:
    """The "Edit this postmortem" link template (``{path}`` from the repository root):
    ``explicit`` if set, else derived from ``repo_url`` + ``edit_uri`` when ``edit_uri``
    points at the docs folder, else None (no link)."""
    if explicit:
        return explicit
    if not repo_url or not edit_uri or "://" in edit_uri:
        return None
    # edit_uri points at the docs folder ("edit/main/site/"); postmortems live beside it.
    docs = os.path.relpath(docs_dir, root).replace(os.sep, "/").strip("/")
    edit = edit_uri.strip("/")
    if edit != docs and not edit.endswith("/" + docs):
        return None
    prefix = edit[: len(edit) - len(docs)].strip("/")
    return f"{repo_url.rstrip('/')}/{prefix}/{{path}}" if prefix else None


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads any mkdocs.yml: Material's docs suggest tags such as
    ``!!python/name:material.extensions.emoji.to_svg``, which name Python objects
    this reader never needs; they read as their plain value. ``!ENV`` reads the
    environment, as MkDocs does."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # `!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the default.
    default = None
    if isinstance(node, yaml.SequenceNode):
        names = [str(loader.construct_object(child)) for child in node.value]
        if len(names) > 1:
            default = loader.construct_object(node.value[-1])
            names = names[:-1]
    elif isinstance(node, yaml.ScalarNode):
        names = [str(loader.construct_scalar(node))]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a variable name or a list of them", node.start_mark
        )
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            # Typed as YAML would type the value written in place: `true`, `8000`.
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _plain(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None  # pragma: no cover - YAML has no other node kinds


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", _plain)
