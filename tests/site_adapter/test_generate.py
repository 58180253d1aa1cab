"""`postmortem site generate` and `postmortem site index`: the site's pages as files in the
docs folder (for Zensical, which runs no plugins), under a manifest, and the reading of
mkdocs.yml without MkDocs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from postmortem_kb.cli import cli
from postmortem_kb.errors import ConfigurationError
from postmortem_kb.processes import default_jobs
from postmortem_kb.site_adapter import generate as generate_module
from postmortem_kb.site_adapter.config import SiteOptions, read_docs_config
from postmortem_kb.site_adapter.files import BODY_SLOT, markdown_inside
from postmortem_kb.site_adapter.manifest import MANIFEST_NAME, Manifest, digest
from postmortem_testkit import run_cli
from postmortem_testkit.sites import (
    EDGE,
    MKDOCS_YML,
    PAYMENTS,
    XSS_SCRIPT,
    Site,
    build,
    build_shared_site,
)
from postmortem_testkit.sites import write_project as _write_project

ZENSICAL = Path(sys.executable).with_name("zensical")
EDGE_FILE = "2024-11-02-edge-lb-partial-outage.md"
PAYMENTS_FILE = "2025-03-14-payments-502.md"


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str] | None = None, home: str | None = None) -> Path:
        files = {EDGE_FILE: EDGE, PAYMENTS_FILE: PAYMENTS} if files is None else files
        return _write_project(tmp_path / "kb", files, home)

    return make


def generate(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(["--root", str(root), "site", "generate", *args])
    return result.exit_code, result.stdout, result.stderr


def listed(folder: Path) -> set[str]:
    return set(Manifest.read(folder).entries)


# -- the files render as the plugin's pages ----------------------------------------


def _article(page: Path) -> str:
    """A built page's content, without what the theme adds around the generated HTML."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert match, f"{page}: no article"
    content = match.group(1)
    # Permalinks: toc adds them to headings it sees. The title and the card sit in the
    # md_in_html element around the author's Markdown in a file, so they get them too.
    content = re.sub(
        r'<a class="headerlink" href="#[^"]*" title="[^"]*">(&para;|¶)</a>', "", content
    )
    # Material's edit button (the plugin sets a postmortem's edit URL; see README).
    content = re.sub(r'<a href="[^"]*" title="Edit this page" class="md-content__button.*?</a>', "", content, flags=re.S)  # fmt: skip
    content = content.replace('<a id="__skip" tabindex="-1"></a>', "")  # Zensical's skip link
    # An element turned into a tree element writes a valueless attribute with a value.
    content = content.replace('data-pagefind-body="data-pagefind-body"', "data-pagefind-body")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", content)).strip()


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_shared_site(tmp_path_factory.mktemp("generate") / "kb")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_zensical_renders_the_generated_files_as_the_plugin_renders_its_pages(
    plugin_site: Site, tmp_path: Path, directory_urls: bool
) -> None:
    """Every page, hostile titles, git dates and the home page's merge included."""
    mkdocs = shutil.copytree(plugin_site.root, tmp_path / "mkdocs", symlinks=True)
    shutil.rmtree(mkdocs / "build")
    zensical = shutil.copytree(mkdocs, tmp_path / "zensical", symlinks=True)
    setting = f"use_directory_urls: {'true' if directory_urls else 'false'}\n"
    (mkdocs / "mkdocs.yml").write_text(MKDOCS_YML + setting, encoding="utf-8")
    assert build(mkdocs, "--strict").returncode == 0

    # Generated into a folder of their own: the home page merges site/index.md's text.
    code, _out, err = generate(zensical, "--out", str(zensical / "docs"))
    assert code == 0, err
    (zensical / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("docs_dir: site", "docs_dir: docs") + setting, encoding="utf-8"
    )
    built = subprocess.run(
        [str(ZENSICAL), "build", "--strict", "--clean"],
        cwd=zensical,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr

    ours, theirs = mkdocs / "build" / "site", zensical / "build" / "site"
    pages = sorted(p.relative_to(ours) for p in ours.rglob("*.html") if p.name != "404.html")
    assert pages == sorted(
        p.relative_to(theirs) for p in theirs.rglob("*.html") if p.name != "404.html"
    )
    assert len(pages) > 20
    different = [str(p) for p in pages if _article(ours / p) != _article(theirs / p)]
    assert different == []
    incident = (
        "incidents/2025-05-01-checkout-escape/index.html"
        if directory_urls
        else "incidents/2025-05-01-checkout-escape.html"
    )
    assert XSS_SCRIPT not in (theirs / incident).read_text(encoding="utf-8")


def test_page_files_hold_the_body_as_markdown_in_html(project: Callable[..., Path]) -> None:
    root = project()
    assert generate(root)[0] == 0
    text = (root / "site" / "incidents" / "2025-03-14-payments-502.md").read_text("utf-8")
    assert text.startswith('---\ntitle: "Payments API returns 502')
    # Out of the generator's own search index: the site's search is Pagefind.
    assert "\nsearch:\n  exclude: true\n---\n" in text
    assert '<div class="pmkb-incident" data-pagefind-body markdown="1">' in text
    assert re.search(
        r'<div class="pmkb-body" markdown="1">\n\n+## Summary\n\nA short summary.', text
    )
    # Links name the docs folder's files, relative to this one; the generator makes URLs.
    assert 'href="../causes/config-change.md"' in text


def test_markdown_goes_inside_every_element_around_the_slot() -> None:
    html = (
        f'<div class="a">\n<p>x<br></p>\n<section>\n{BODY_SLOT}\n</section>\n</div>\n<p>after</p>'
    )
    assert markdown_inside(html, BODY_SLOT, "## Hi\n") == (
        '<div class="a" markdown="1">\n<p>x<br></p>\n<section markdown="1">\n'
        "\n\n## Hi\n\n\n</section>\n</div>\n<p>after</p>"
    )


# -- the manifest: only its own files are replaced or removed -----------------------


def test_mkdocs_builds_its_own_pages_over_generated_files(project: Callable[..., Path]) -> None:
    """After `site generate` in the same checkout, `mkdocs build --strict` passes and
    shows the postmortems as they are now, not as the files were generated."""
    root = project()
    assert generate(root)[0] == 0
    docs = root / "site"
    assert {"index.md", "guide/index.md", "incidents/2025-03-14-payments-502.md"} <= listed(docs)
    path = root / "postmortems" / PAYMENTS_FILE
    path.write_text(path.read_text("utf-8").replace("returns 502", "returns 503"), "utf-8")
    result = build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    site = root / "build" / "site"
    page = (site / "incidents" / "2025-03-14-payments-502" / "index.html").read_text("utf-8")
    assert "returns 503" in page and "returns 502" not in page
    home = (site / "index.html").read_text("utf-8")
    assert home.count('<div class="pmkb-home">') == 1


def test_a_hand_written_file_in_the_way_stops_the_run(project: Callable[..., Path]) -> None:
    root = project()
    hand_written = root / "site" / "causes" / "index.md"
    hand_written.parent.mkdir(parents=True)
    hand_written.write_text("# Mine\n", encoding="utf-8")
    code, out, err = generate(root)
    assert code == 2
    assert "causes/index.md: hand-written" in err
    assert "nothing written" in err
    assert hand_written.read_text("utf-8") == "# Mine\n"
    assert not (root / "site" / MANIFEST_NAME).exists()
    assert not (root / "site" / "incidents").exists()
    assert out == ""


def test_hand_written_home_and_guide_stay(project: Callable[..., Path]) -> None:
    root = project(home="# Our postmortems\n")
    guide = root / "site" / "guide" / "index.md"
    guide.parent.mkdir()
    guide.write_text("# How we write them\n", encoding="utf-8")
    code, _out, err = generate(root)
    assert code == 0
    assert "index.md is hand-written and stays as it is" in err
    assert (root / "site" / "index.md").read_text("utf-8") == "# Our postmortems\n"
    assert guide.read_text("utf-8") == "# How we write them\n"
    assert not {"index.md", "guide/index.md"} & listed(root / "site")


def test_a_rerun_removes_stale_pages_and_rewrites_only_changes(
    project: Callable[..., Path],
) -> None:
    root = project()
    docs = root / "site"
    assert generate(root)[0] == 0
    schema = docs / "schema" / "postmortem.schema.json"
    before = schema.stat().st_ino
    mine = docs / "incidents" / "notes.md"
    mine.write_text("hand-written, beside generated pages\n", encoding="utf-8")
    (root / "postmortems" / PAYMENTS_FILE).unlink()

    code, out, _err = generate(root)
    assert code == 0
    # Its page, the pages of terms only it named, and the feeds and API files of those.
    assert "10 removed" in out
    assert not (docs / "feeds" / "causes" / "insufficient-testing.xml").exists()
    assert not (docs / "incidents" / "2025-03-14-payments-502.md").exists()
    assert not (docs / "went-well" / "fast-rollback.md").exists()
    assert "incidents/2025-03-14-payments-502.md" not in listed(docs)
    assert (docs / "incidents" / "2024-11-02-edge-lb-partial-outage.md").is_file()
    assert schema.stat().st_ino == before  # unchanged: not rewritten
    assert mine.is_file()
    assert not list(docs.rglob("*.tmp"))


def test_a_stale_file_goes_with_the_folders_it_empties(project: Callable[..., Path]) -> None:
    root = project()
    docs = root / "site"
    assert generate(root)[0] == 0
    # A page an earlier version generated where none is generated now.
    old = docs / "old" / "deep" / "page.md"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"old\n")
    manifest = Manifest.read(docs)
    manifest.entries["old/deep/page.md"] = digest(b"old\n")
    manifest.write(docs)
    assert generate(root)[0] == 0
    assert not (docs / "old").exists()
    assert "old/deep/page.md" not in listed(docs)


def test_a_generated_file_someone_edited_is_not_replaced(project: Callable[..., Path]) -> None:
    root = project()
    assert generate(root)[0] == 0
    page = root / "site" / "tags" / "index.md"
    page.write_text(page.read_text("utf-8") + "\nA note.\n", encoding="utf-8")
    edited = page.read_text("utf-8")
    (root / "postmortems" / PAYMENTS_FILE).unlink()
    code, _out, err = generate(root)
    assert code == 2
    assert "tags/index.md: changed since it was generated" in err
    assert page.read_text("utf-8") == edited
    # Nothing else moved either: the deleted postmortem's page is still there.
    assert (root / "site" / "incidents" / "2025-03-14-payments-502.md").is_file()


def test_check_errors_write_nothing(project: Callable[..., Path]) -> None:
    root = project({EDGE_FILE: EDGE.replace("severity: SEV3", "severity: SEV9")})
    code, _out, err = generate(root)
    assert code == 1
    assert re.search(rf"postmortems/{EDGE_FILE}:\d+:\d+: error: severity", err)
    assert "nothing written" in err
    assert not (root / "site" / MANIFEST_NAME).exists()
    assert not (root / "site" / "incidents").exists()


def test_warnings_fail_only_with_strict(project: Callable[..., Path]) -> None:
    root = project({EDGE_FILE: EDGE.replace("term: config-change", "term: bad-config")})
    assert generate(root, "--strict")[0] == 1
    assert not (root / "site" / "incidents").exists()
    code, _out, err = generate(root)
    assert code == 0
    assert "warning: causes[0]" in err


def test_an_interrupted_run_leaves_files_the_next_run_owns(
    project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project()
    real = generate_module.write_atomic
    calls = 0

    def failing(path: Path, content: bytes, *, durable: bool = True) -> None:
        nonlocal calls
        calls += 1
        if calls == 10:
            raise OSError("disk full")
        real(path, content, durable=durable)

    monkeypatch.setattr(generate_module, "write_atomic", failing)
    result = CliRunner().invoke(cli, ["--root", str(root), "site", "generate"])
    assert isinstance(result.exception, OSError)
    assert (root / "site" / MANIFEST_NAME).is_file()  # listing every file it may have written
    monkeypatch.setattr(generate_module, "write_atomic", real)
    code, _out, err = generate(root)
    assert code == 0, err


# -- mkdocs.yml read without MkDocs ------------------------------------------------


def test_mkdocs_yml_with_python_tags_and_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMKB_SITE_DIR", "out/site")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        "docs_dir: docs\n"
        "site_dir: !ENV [PMKB_SITE_DIR, build/site]\n"
        "repo_url: https://github.com/org/kb\n"
        "edit_uri: edit/main/docs\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "plugins:\n"
        "  - search\n"
        "  - postmortems:\n"
        "      today: 2025-06-01\n"
        "      related_limit: 3\n",
        encoding="utf-8",
    )
    config = read_docs_config(tmp_path / "mkdocs.yml")
    assert config.docs_dir == tmp_path / "docs"
    assert config.site_dir == tmp_path / "out" / "site"
    assert config.use_directory_urls is True
    assert config.has_plugin
    assert config.options.related_limit == 3
    assert str(config.options.today_date()) == "2025-06-01"
    assert config.edit_uri == "edit/main/docs/"
    assert config.edit_url_template() == "https://github.com/org/kb/edit/main/{path}"
    assert config.nav is None


def test_mkdocs_defaults_for_edit_uri(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nrepo_url: https://github.com/org/kb\n", encoding="utf-8"
    )
    config = read_docs_config(tmp_path / "mkdocs.yml")
    # MkDocs' default for GitHub, edit/master/docs/, points at docs/, the default docs_dir.
    assert config.edit_uri == "edit/master/docs/"
    assert config.edit_url_template() == "https://github.com/org/kb/edit/master/{path}"
    assert not config.has_plugin


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"related_limit": "ten"}, "related_limit: expected a whole number, got 'ten'"),
        ({"search": "yes"}, "search: expected true or false"),
        ({"recent_limit": True}, "recent_limit: expected a whole number, got True"),
        ({"render_processes": "two"}, "render_processes: expected a whole number, got 'two'"),
        ({"colour": "red"}, "unknown option colour"),
    ],
)
def test_wrong_plugin_options_name_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        SiteOptions.from_mapping(options, "mkdocs.yml: plugins: postmortems")


def test_render_processes_default_to_one_less_than_the_cpus() -> None:
    cpus = default_jobs()
    assert SiteOptions().render_workers() == min(2, cpus - 1)
    assert SiteOptions(render_processes=3).render_workers() == 3
    assert SiteOptions(render_processes=-1).render_workers() == 0
    assert SiteOptions.from_mapping({"render_processes": None}, "x").render_workers() == min(
        2, cpus - 1
    )


def test_today_must_be_a_date() -> None:
    with pytest.raises(ConfigurationError, match="write it as YYYY-MM-DD"):
        SiteOptions(today="June").today_date()


def test_a_missing_mkdocs_yml_is_a_usage_error(project: Callable[..., Path]) -> None:
    root = project()
    (root / "mkdocs.yml").unlink()
    code, _out, err = generate(root)
    assert code == 2
    assert "mkdocs.yml: no such file" in err


def test_notes_say_what_zensical_needs_in_mkdocs_yml(project: Callable[..., Path]) -> None:
    root = project()
    code, _out, err = generate(root)
    assert code == 0
    assert "has no nav" in err
    assert "- Home: index.md" in err
    assert "extra_css:\n  - assets/postmortem-kb/postmortem-kb.css" in err
    config = yaml.safe_load(err.split("add the one the plugin uses:\n", 1)[1].split("\nnote:")[0])
    assert config["nav"][0] == {"Home": "index.md"}


# -- site index ---------------------------------------------------------------------


def test_site_index_removes_zensical_search_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text(
        "<html><body><div data-pagefind-body><h1>Leap day</h1><p>quota</p></div></body></html>",
        encoding="utf-8",
    )
    (site / "search.json").write_text('{"config":{"lang":["en"]},"items":[]}', "utf-8")
    (site / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    result = run_cli(["site", "index", str(site)])
    assert result.exit_code == 0, result.output
    assert "Pagefind indexed 1 pages" in result.stdout
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "search.json").exists()
    assert not (site / "search" / "search_index.json").exists()


def test_site_index_keeps_a_search_json_of_the_sites_own(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>x</body></html>", encoding="utf-8")
    (site / "search.json").write_text('[{"ours": true}]', encoding="utf-8")
    result = run_cli(["site", "index", str(site)])
    assert result.exit_code == 0
    assert (site / "search.json").is_file()


def test_site_index_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["site", "index", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no built site to index" in result.stderr


@pytest.mark.parametrize("command", ["generate", "index"])
def test_site_commands_have_help_with_examples(command: str) -> None:
    result = run_cli(["site", command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
