"""Writing every generated page and static file into a docs folder, for generators
that run no plugins (Zensical): ``postmortem site generate``.

A run first works out every path it will write and checks them all: a file in the
way that the manifest does not list (hand-written), or a listed one changed since
it was written, stops the run before anything is written. Then it writes each
file atomically (only those whose content changed), removes the files it wrote
before that are no longer generated (a deleted postmortem's page), and records
what it wrote in the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from postmortem_kb.errors import UsageError
from postmortem_kb.pages import GeneratedPage, SitePages, urls
from postmortem_kb.site_adapter.config import PLUGIN_NAME, DocsConfig
from postmortem_kb.site_adapter.files import page_file
from postmortem_kb.site_adapter.manifest import (
    MANIFEST_NAME,
    Manifest,
    digest,
    file_digest,
)
from postmortem_kb.site_adapter.nav import DEFAULT_NAV
from postmortem_kb.writing import write_atomic


class GenerateConflict(UsageError):
    """Files in the docs folder that a run would have to overwrite or remove but may not."""

    def __init__(self, folder: Path, problems: list[str]) -> None:
        self.folder = folder
        self.problems = problems
        listed = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(
            f"{folder}: nothing written; {len(problems)} file(s) in the way:\n{listed}\n"
            f"Only files listed in {MANIFEST_NAME} are replaced or removed. Move hand-written "
            "files out of the way, or choose another folder with --out."
        )


@dataclass(frozen=True)
class GenerateResult:
    """What a run did, each path relative to ``folder``."""

    folder: Path
    written: tuple[str, ...]  # new or changed
    unchanged: tuple[str, ...]  # already as generated: not rewritten
    removed: tuple[str, ...]  # generated before, no longer
    kept: tuple[str, ...]  # hand-written files left where a generated page would go

    @property
    def manifest_name(self) -> str:
        """The manifest's file name inside ``folder``."""
        return MANIFEST_NAME

    def notes(self) -> list[str]:
        """What a person should know about this run's output."""
        return [
            f"{name} is hand-written and stays as it is, so the home page shows its text "
            "without the generated sections (recent incidents, recurring causes, open action "
            "items); the MkDocs plugin adds them, and so does --out DIR, in DIR/index.md"
            for name in self.kept
        ]


def config_notes(config: DocsConfig) -> list[str]:
    """What mkdocs.yml lacks for a generator that runs no plugins (Zensical): the plugin
    fills these in for MkDocs, so they matter only to a build from generated files."""
    notes = []
    if not config.has_plugin:
        notes.append(
            f"{config.path.name} does not list the {PLUGIN_NAME} plugin; its default options apply"
        )
    if config.nav is None:
        nav = yaml.safe_dump({"nav": DEFAULT_NAV}, sort_keys=False, allow_unicode=True)
        notes.append(
            f"{config.path.name} has no nav, so Zensical would list every page in it, each "
            f"postmortem included; add the one the plugin uses:\n{nav.rstrip()}"
        )
    missing = [
        f"{key}:\n  - {path}"
        for key, path, listed in (
            ("extra_css", urls.CSS, config.extra_css),
            ("extra_css", urls.SEARCH_CSS, config.extra_css),
            ("extra_javascript", urls.JS, config.extra_javascript),
            ("extra_javascript", urls.SEARCH_JS, config.extra_javascript),
        )
        if path not in listed
    ]
    if missing:
        notes.append(
            "Zensical runs no plugins, and the plugin is what adds the pages' stylesheet and "
            f"script; list them in {config.path.name}:\n" + "\n".join(missing)
        )
    return notes


@dataclass(frozen=True)
class _Planned:
    name: str  # path inside the folder, POSIX
    content: Callable[[], bytes]  # built only when written: pages render one at a time


def generate_site(
    site: SitePages, *, out: Path, docs_dir: Path, schema_dir: Path
) -> GenerateResult:
    """Write every page and static file of ``site`` into ``out``.

    ``docs_dir`` is the generator's docs folder (mkdocs.yml's ``docs_dir``), where the
    hand-written home text (index.md) and writing guide (guide/index.md) are read from.
    Raises GenerateConflict, having written nothing, if a file is in the way.
    """
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: not a folder")
    manifest = Manifest.read(out) if out.is_dir() else Manifest()
    same_folder = out.resolve() == docs_dir.resolve()
    docs_manifest = manifest if same_folder else Manifest.read(docs_dir)
    planned, kept = _plan(site, docs_dir, docs_manifest, schema_dir, same_folder)
    names = {p.name for p in planned}
    stale = sorted(name for name in manifest.entries if name not in names)
    problems = _problems(out, manifest, [p.name for p in planned], stale)
    if problems:
        raise GenerateConflict(out, problems)

    out.mkdir(parents=True, exist_ok=True)
    # Until the run ends, every file it may touch is listed: an interrupted run then
    # leaves files the next run knows as its own, never "hand-written" ones.
    Manifest(dict.fromkeys(manifest.entries.keys() | names)).write(out)
    written: list[str] = []
    unchanged: list[str] = []
    final: dict[str, str | None] = {}
    made: set[Path] = set()
    for item in planned:
        content = item.content()
        new = digest(content)
        final[item.name] = new
        target = out / item.name
        if _holds(target, manifest.entries.get(item.name), new):
            unchanged.append(item.name)
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        write_atomic(target, content, durable=False)
        written.append(item.name)
    removed = [name for name in stale if _remove(out, name)]
    Manifest(final).write(out)
    return GenerateResult(out, tuple(written), tuple(unchanged), tuple(removed), tuple(kept))


def _plan(
    site: SitePages,
    docs_dir: Path,
    docs_manifest: Manifest,
    schema_dir: Path,
    same_folder: bool,
) -> tuple[list[_Planned], list[str]]:
    def hand_written(name: str) -> bool:
        return (docs_dir / name).is_file() and name not in docs_manifest

    planned: list[_Planned] = []
    kept: list[str] = []
    home = site.home()
    if not hand_written(urls.HOME):
        planned.append(_Planned(home.src_uri, _file(home)))
    elif same_folder:
        # The generated sections cannot be merged into the author's own file.
        kept.append(urls.HOME)
    else:
        text = (docs_dir / urls.HOME).read_text(encoding="utf-8")
        planned.append(_Planned(home.src_uri, _file(home, text)))
    for optional in (site.guide(), site.search()):
        if not hand_written(optional.src_uri):
            planned.append(_Planned(optional.src_uri, _file(optional)))
    for page in site.pages():
        planned.append(_Planned(page.src_uri, _file(page)))
    for name, content in (site.static_files(schema_dir) | site.data_files()).items():
        planned.append(_Planned(name, _constant(content)))
    return planned, kept


def _file(page: GeneratedPage, document: str | None = None) -> Callable[[], bytes]:
    return lambda: page_file(page, document).encode("utf-8")


def _constant(content: bytes) -> Callable[[], bytes]:
    return lambda: content


def _problems(out: Path, manifest: Manifest, planned: list[str], stale: list[str]) -> list[str]:
    problems = [p for name in planned if (p := _in_the_way(out, manifest, name))]
    problems += [p for name in stale if (p := _in_the_way(out, manifest, name))]
    problems += _blocked_folders(out, planned)
    return problems


def _in_the_way(out: Path, manifest: Manifest, name: str) -> str | None:
    """Why the file at ``name`` may not be replaced or removed, or None if it may."""
    target = out / name
    if not target.exists() and not target.is_symlink():
        return None
    if name not in manifest:
        return f"{name}: hand-written (not listed in {MANIFEST_NAME})"
    if target.is_symlink() or not target.is_file():
        return f"{name}: not the file this command wrote (now a link or a folder)"
    recorded = manifest.entries[name]
    if recorded is not None and file_digest(target) != recorded:
        return (
            f"{name}: changed since it was generated (edit its source in postmortems/ or schema/)"
        )
    return None


def _blocked_folders(out: Path, planned: list[str]) -> list[str]:
    # A file where a page's folder must go (a file called "incidents", say).
    seen: set[str] = set()
    problems = []
    for name in planned:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            if folder in seen:
                continue
            seen.add(folder)
            path = out / folder
            if path.exists() and not path.is_dir():
                problems.append(f"{folder}: a file where a folder of generated pages goes")
    return problems


def _holds(target: Path, recorded: str | None, new: str) -> bool:
    """Whether ``target`` already holds the content whose digest is ``new``."""
    if not target.is_file():
        return False
    if recorded is not None:
        return recorded == new  # the disk was checked against ``recorded`` beforehand
    return file_digest(target) == new


def _remove(out: Path, name: str) -> bool:
    target = out / name
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    for folder in _parents_inside(out, target):
        try:
            folder.rmdir()  # only if empty: a folder with other files stays
        except OSError:
            break
    return True


def _parents_inside(out: Path, target: Path) -> Iterator[Path]:
    folder = target.parent
    while folder != out and out in folder.parents:
        yield folder
        folder = folder.parent
