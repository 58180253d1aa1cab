"""Fast tests of the pieces under the site: git history parsing, URLs, the plugin's options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from postmortem_kb.analysis.related import RelatedIncident, related_incidents
from postmortem_kb.collection.index import Collection
from postmortem_kb.mkdocs_plugin.plugin import PostmortemsPlugin
from postmortem_kb.pages.html import esc
from postmortem_kb.pages.related import RelatedIndex
from postmortem_kb.pages.site import markdown_document
from postmortem_kb.pages.urls import relative_url
from postmortem_kb.project.repository import Project
from postmortem_kb.site_adapter.urls import SiteLinker as Linker
from postmortem_kb.site_adapter.urls import page_url
from postmortem_kb.validation.checker import Checker
from postmortem_kb.vcs.history import parse_log, read_history
from postmortem_testkit.sites import EDGE, MKDOCS_YML, write_project


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str]) -> Path:
        return write_project(tmp_path / "kb", files)

    return make


LOG = (
    "\x1e2025-05-10T10:00:00+02:00\n\n"
    "R100\tpostmortems/old.md\tpostmortems/new.md\n"
    "M\tpostmortems/a.md\n"
    "\x1e2025-04-02T10:00:00Z\n\n"
    "M\tpostmortems/old.md\n"
    "A\tpostmortems/b.md\n"
    "D\tpostmortems/gone.md\n"
    "\x1e2025-03-20T10:00:00Z\n\n"
    "A\tpostmortems/old.md\n"
    "A\tpostmortems/a.md\n"
    "A\tpostmortems/b.md\n"
)


def test_parse_log_counts_revisions_and_follows_renames() -> None:
    files = parse_log(LOG)
    renamed = files["postmortems/new.md"]
    assert renamed.revisions == 3
    assert renamed.first_written == datetime(2025, 3, 20, 10, tzinfo=UTC)
    assert renamed.last_changed == datetime(2025, 5, 10, 8, tzinfo=UTC)
    assert files["postmortems/a.md"].revisions == 2
    # b.md was deleted and added again on 2025-04-02: the older b.md is another file.
    assert files["postmortems/b.md"].revisions == 1
    assert files["postmortems/b.md"].first_written == datetime(2025, 4, 2, 10, tzinfo=UTC)


def test_history_is_unknown_without_a_repository(tmp_path: Path) -> None:
    history = read_history(tmp_path)
    assert not history.available
    assert history.for_path(tmp_path / "x.md").first_written is None


def test_a_shallow_clone_knows_last_changes_but_not_first_writes(tmp_path: Path) -> None:
    origin = git.Repo.init(tmp_path / "origin")
    folder = tmp_path / "origin" / "postmortems"
    folder.mkdir()
    who = git.Actor("A", "a@example.com")
    for when, text in (("2025-01-01T10:00:00+00:00", "one"), ("2025-02-01T10:00:00+00:00", "two")):
        (folder / "a.md").write_text(text, encoding="utf-8")
        origin.index.add(["postmortems/a.md"])
        stamp = f"{int(datetime.fromisoformat(when).timestamp())} +0000"
        origin.index.commit(text, author=who, committer=who, author_date=stamp, commit_date=stamp)
    git.Repo.clone_from(f"file://{tmp_path / 'origin'}", tmp_path / "clone", depth=1)
    history = read_history(tmp_path / "clone" / "postmortems")
    assert history.available and history.shallow
    seen = history.for_path(tmp_path / "clone" / "postmortems" / "a.md")
    assert seen.last_changed == datetime(2025, 2, 1, 10, tzinfo=UTC)
    assert seen.first_written is None
    assert seen.revisions is None


def test_history_of_a_missing_folder_is_unknown(tmp_path: Path) -> None:
    history = read_history(tmp_path / "nowhere")
    assert not history.available
    assert "is not a folder" in history.reason


def test_history_is_unknown_before_the_first_commit(tmp_path: Path) -> None:
    git.Repo.init(tmp_path)
    (tmp_path / "postmortems").mkdir()
    history = read_history(tmp_path / "postmortems")
    assert history.for_path(tmp_path / "postmortems" / "x.md").revisions is None


@pytest.mark.parametrize(
    ("src", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("causes/index.md", True, "causes/"),
        ("causes/dns.md", True, "causes/dns/"),
        ("causes/dns.md", False, "causes/dns.html"),
        ("index.md", False, "index.html"),
        ("schema/postmortem.schema.json", True, "schema/postmortem.schema.json"),
    ],
)
def test_page_url(src: str, directory_urls: bool, url: str) -> None:
    assert page_url(src, directory_urls) == url


@pytest.mark.parametrize(
    ("target", "source", "href"),
    [
        ("causes/dns/", "incidents/x/", "../../causes/dns/"),
        ("", "incidents/x/", "../../"),
        ("", "", "./"),
        ("causes/dns/", "causes/", "dns/"),
        ("causes/dns.html", "incidents/x.html", "../causes/dns.html"),
        ("archive/2025/", "archive/", "2025/"),
    ],
)
def test_relative_url(target: str, source: str, href: str) -> None:
    assert relative_url(target, source) == href


def test_linker_adds_fragments() -> None:
    assert Linker().href("archive/index.md", "archive/2025.md", "2025-03") == "2025/#2025-03"


def test_markdown_document_escapes_the_title() -> None:
    document = markdown_document('<script>alert("x")</script>', "body")
    assert "<script>" not in document
    assert esc("<b>") == "&lt;b&gt;"
    assert document.endswith("\n\nbody")


def test_markdown_document_hides_the_table_of_contents_of_a_listing() -> None:
    front = yaml.safe_load(markdown_document("Recurring causes", hide=("toc",)).split("---")[1])
    assert front == {"title": "Recurring causes", "hide": ["toc"]}
    assert "hide" not in markdown_document("An incident", "body")


def _plugin_for(root: Path, **options: Any) -> tuple[PostmortemsPlugin, Any]:
    config = load_config(str(root / "mkdocs.yml"))
    plugin = config.plugins["postmortems"]
    assert isinstance(plugin, PostmortemsPlugin)
    for key, value in options.items():
        plugin.config[key] = value
    return plugin, config


def test_serve_watches_postmortems_and_schema(project: Callable[..., Path]) -> None:
    root = project({"2024-11-02-edge-lb-partial-outage.md": EDGE})
    plugin, config = _plugin_for(root)
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)
    assert sorted(server.watched) == [str(root / "postmortems"), str(root / "schema")]


def test_today_option_must_be_a_date(project: Callable[..., Path]) -> None:
    root = project({"2024-11-02-edge-lb-partial-outage.md": EDGE})
    plugin, config = _plugin_for(root, today="June")
    with pytest.raises(PluginError, match="YYYY-MM-DD"):
        plugin.on_config(config)
    plugin, config = _plugin_for(root, today=date(2025, 1, 1))
    plugin.on_config(config)
    assert plugin._site().ctx.today == date(2025, 1, 1)


def test_edit_link_derived_from_repo_url_and_edit_uri(project: Callable[..., Path]) -> None:
    root = project({"2024-11-02-edge-lb-partial-outage.md": EDGE})
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace(
            '      edit_url_template: "https://git.example.com/kb/edit/main/{path}"\n', ""
        )
        + "repo_url: https://git.example.com/kb\nedit_uri: edit/trunk/site/\n",
        encoding="utf-8",
    )
    plugin, config = _plugin_for(root)
    plugin.on_config(config)
    record = plugin._site().ctx.collection.records[0]
    assert plugin._site().ctx.edit_url(record) == (
        "https://git.example.com/kb/edit/trunk/postmortems/2024-11-02-edge-lb-partial-outage.md"
    )


def test_related_index_matches_the_analysis_definition(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from corpus import generate  # type: ignore[import-not-found]

    generate(tmp_path / "kb", 150, seed=7)
    project = Project(tmp_path / "kb")
    result = Checker(project).check()
    assert not result.errors
    collection = Collection(result.records, project.taxonomy)
    index = RelatedIndex(collection)

    def key(found: list[RelatedIncident]) -> list[tuple[object, ...]]:
        return [
            (e.record.id, e.named, e.backlink, e.shared_causes, e.shared_services) for e in found
        ]

    for record in collection.records:
        for limit in (3, 10):
            assert key(index.related(record, limit)) == key(
                related_incidents(collection, record, limit)
            ), record.id
