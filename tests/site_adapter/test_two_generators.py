"""This repository's site, built both ways from the same mkdocs.yml, in copies of it:

- MkDocs: ``mkdocs build --strict`` with the postmortems plugin;
- Zensical: ``postmortem site generate``, ``zensical build``, ``postmortem site index``.

Each must hold every page (an incident page per file in postmortems/, a page per
term and tag, every index page) and no broken internal link. The generators run
as real subprocesses, as `make site` and a Zensical user run them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from postmortem_kb.model.kinds import PAGED_KINDS, Kind
from postmortem_kb.project.repository import Project
from postmortem_kb.validation.checker import Checker

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SOURCES = ("site", "schema", "postmortems", "mkdocs.yml", ".gitignore")
INDEX_PAGES = (
    "causes",
    "lucky-breaks",
    "went-well",
    "services",
    "tags",
    "action-items",
    "archive",
    "guide",
    "guide/fields",
    "guide/taxonomy",
)


def _copy_repository(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            # Leave out generated files a `postmortem site generate` left in this checkout.
            shutil.copytree(source, dest / name, ignore=_generated_in(source))
        else:
            shutil.copy(source, dest / name)
    return dest


def _generated_in(source: Path) -> object:
    listed = source / ".postmortem-generated"
    names = set()
    if listed.is_file():
        for line in listed.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.add(str(source / line.split("  ", 1)[1]))
        names.add(str(listed))

    def ignore(folder: str, entries: list[str]) -> set[str]:
        return {e for e in entries if str(Path(folder) / e) in names}

    return ignore


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(command)} failed ({completed.returncode}):\n"
        f"{completed.stdout}{completed.stderr}"
    )
    return completed


@dataclass
class Built:
    name: str
    root: Path  # the copy of the repository
    site: Path  # its built site
    log: str

    def page(self, url: str) -> Path:
        """The file a site-relative page URL (``causes/dns/``) is served from."""
        return self.site / url / "index.html" if url.endswith("/") or not url else self.site / url


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _copy_repository(tmp_path_factory.mktemp("two-generators") / "mkdocs")
    done = _run(root, "mkdocs", "build", "--strict")
    return Built("mkdocs", root, root / "build" / "site", done.stdout + done.stderr)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _copy_repository(tmp_path_factory.mktemp("two-generators") / "zensical")
    generated = _run(root, "postmortem", "site", "generate")
    # --strict: a warning (a link to a page that does not exist, say) fails the build.
    built = _run(root, "zensical", "build", "--strict", "--clean")
    indexed = _run(root, "postmortem", "site", "index", "build/site")
    log = "".join(p.stdout + p.stderr for p in (generated, built, indexed))
    return Built("zensical", root, root / "build" / "site", log)


@pytest.fixture(params=["mkdocs", "zensical"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(f"{request.param}_site")  # type: ignore[no-any-return]


def expected_pages() -> list[str]:
    """Every page URL the site must have, from the example postmortems themselves."""
    project = Project(REPO_ROOT)
    files = sorted(project.postmortems_dir.glob("*.md"))
    urls = [f"incidents/{path.stem}/" for path in files]
    records = Checker(project).check().records
    assert len(records) == len(files), "an example postmortem does not check clean"
    for kind in PAGED_KINDS:
        folder = kind.spec.folder
        terms = {ref.term for record in records for ref in record.terms(kind)}
        assert terms or kind is Kind.TAG, f"no example postmortem names a {kind.singular}"
        urls += [f"{folder}/{term}/" for term in sorted(terms)]
    urls += [f"{name}/" for name in INDEX_PAGES]
    return urls


def test_every_page_exists(built: Built) -> None:
    missing = [url for url in expected_pages() if not built.page(url).is_file()]
    assert missing == [], f"{built.name} build lacks pages"


def test_every_internal_link_resolves(built: Built) -> None:
    pages = sorted(built.site.rglob("*.html"))
    assert len(pages) >= len(expected_pages())
    links = [(page, href) for page in pages for href in _links(page)]
    # Every page links to the others through the nav and its generated lists.
    assert len(links) > 10 * len(pages)
    broken = [
        f"{page.relative_to(built.site)}: {href}"
        for page, href in links
        if not _resolves(built.site, page, href)
    ]
    assert broken == [], f"{built.name} build has broken links"


def test_incident_pages_are_searchable(built: Built) -> None:
    assert (built.site / "pagefind" / "pagefind.js").is_file()
    assert not (built.site / "search" / "search_index.json").exists()
    assert not (built.site / "search.json").exists()
    page = built.page(f"incidents/{_first_postmortem()}/").read_text(encoding="utf-8")
    # One indexed element (Zensical writes the attribute as data-pagefind-body="...").
    assert len(re.findall(r"<[^>]*\sdata-pagefind-body[\s=>]", page)) == 1
    assert 'data-pagefind-filter="cause"' in page
    # The search page's script and its facet list, on both sites.
    search = built.page("search/").read_text(encoding="utf-8")
    assert "postmortem-search.js" in search
    assert (built.site / "assets" / "postmortem-kb" / "search-facets.json").is_file()


def test_generated_pages_carry_their_styles(built: Built) -> None:
    page = built.page("causes/").read_text(encoding="utf-8")
    assert "assets/postmortem-kb/postmortem-kb.css" in page
    assert "assets/postmortem-kb/table-filter.js" in page


def test_zensical_build_needs_no_fixes(zensical_site: Built) -> None:
    log = re.sub(r"\x1b\[[0-9;]*m", "", zensical_site.log)
    # Zensical warns of links to pages it does not find; every page was generated first.
    assert "does not exist" not in log
    # mkdocs.yml lists what a build without the plugin needs (nav, the pages' assets);
    # the one note left says the hand-written home text is kept as it is.
    notes = [line for line in log.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert notes[0].startswith("note: index.md is hand-written")


def test_generated_files_are_git_ignored(zensical_site: Built) -> None:
    """The repository's .gitignore covers every file `site generate` wrote, and nothing
    hand-written in the docs folder."""
    root = zensical_site.root
    manifest = root / "site" / ".postmortem-generated"
    written = [
        "site/" + line.split("  ", 1)[1]
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    hand_written = [
        p.relative_to(root).as_posix()
        for p in (root / "site").rglob("*")
        if p.is_file() and p != manifest and p.relative_to(root).as_posix() not in written
    ]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    names = [*written, "site/.postmortem-generated", *hand_written]
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=root,
        input="\n".join(names) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    ignored = set(result.stdout.splitlines())
    assert sorted(set(written) - ignored) == []
    assert "site/.postmortem-generated" in ignored
    assert sorted(ignored & set(hand_written)) == []


def _first_postmortem() -> str:
    return sorted((REPO_ROOT / "postmortems").glob("*.md"))[0].stem


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name):
                self.ids.add(str(values[name]))
        if tag in ("a", "link") and values.get("href") is not None:
            self.hrefs.append(str(values["href"]))
        if tag in ("script", "img") and values.get("src"):
            self.hrefs.append(str(values["src"]))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _links(page: Path) -> Iterator[str]:
    for href in _parse(page).hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            continue  # another site
        yield href


_ID_CACHE: dict[Path, set[str]] = {}


def _resolves(site: Path, page: Path, href: str) -> bool:
    parts = urlsplit(href)
    if parts.path.startswith("/"):
        target = site / unquote(parts.path).lstrip("/")
    else:
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if site.resolve() not in (target.resolve(), *target.resolve().parents):
        return False  # out of the site
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    fragment = unquote(parts.fragment)
    # Theme-internal anchors (Material's "#__main" skip link...) are the theme's business.
    if not fragment or fragment.startswith("__") or target.suffix != ".html":
        return True
    if target not in _ID_CACHE:
        _ID_CACHE[target] = _parse(target).ids
    return fragment in _ID_CACHE[target]


def test_the_link_checker_catches_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">x</h2>', encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text("", encoding="utf-8")
    assert _resolves(tmp_path, page, "a/")
    assert _resolves(tmp_path, page, "a/#here")
    assert _resolves(tmp_path, page, "/a/index.html")
    assert not _resolves(tmp_path, page, "b/")
    assert not _resolves(tmp_path, page, "a/#there")
    assert not _resolves(tmp_path, page, "../outside/")
