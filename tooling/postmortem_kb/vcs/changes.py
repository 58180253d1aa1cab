"""Which postmortems a branch changes: the files behind `check --changed` and `review`.

Changes are taken against the merge base with a base ref (default ``origin/main``,
then ``main``), the way a pull request shows them: added, modified and renamed
files, including uncommitted and untracked ones when run locally. A rename or
deletion also affects every other postmortem whose ``related`` names the old id,
so those are checked too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.loading.files import LoadedFile, LoadError, load_bytes
from postmortem_kb.project.repository import Project

DEFAULT_BASES = ("origin/main", "main")


class ChangeKind(StrEnum):
    """How a postmortem changed since the merge base."""

    ADDED = "added"
    MODIFIED = "modified"
    RENAMED = "renamed"
    DELETED = "deleted"


@dataclass(frozen=True)
class Change:
    """One changed postmortem: the file now and, for a rename or deletion, before."""

    kind: ChangeKind
    path: Path | None  # the file now (None when deleted)
    old_path: Path | None = None  # the file at the merge base (renamed, deleted)

    @property
    def id(self) -> str:
        """The postmortem's id now (or, deleted, before)."""
        shown = self.path or self.old_path
        assert shown is not None
        return shown.stem

    @property
    def old_id(self) -> str | None:
        """Its id at the merge base, for a rename or a deletion."""
        return self.old_path.stem if self.old_path is not None else None


@dataclass(frozen=True)
class ChangeSet:
    """What a branch changes in postmortems/ since its merge base with ``base``."""

    base: str  # the ref compared with, e.g. origin/main
    merge_base: str  # its commit sha
    changes: tuple[Change, ...] = ()
    # Unchanged postmortems whose `related` names a renamed or deleted id; every
    # other postmortem when anything under schema/ changed.
    affected: tuple[Path, ...] = field(default=())
    # Files under schema/ the branch changes (repository-relative): a renamed term or a
    # stricter schema can break a postmortem nobody touched, so then every one is checked.
    schema_changes: tuple[str, ...] = ()

    @property
    def checks_everything(self) -> bool:
        """Whether a change under schema/ makes `check --changed` check every postmortem."""
        return bool(self.schema_changes)

    def reason(self) -> str | None:
        """Why more than the changed postmortems are checked, for people; None if not."""
        if not self.schema_changes:
            return None
        shown = ", ".join(self.schema_changes[:5]) + (
            " ..." if len(self.schema_changes) > 5 else ""
        )
        return f"schema/ changed ({shown}), so every postmortem is checked"

    @property
    def changed_files(self) -> list[Path]:
        """The changed files that still exist."""
        return [c.path for c in self.changes if c.path is not None]

    @property
    def removed_ids(self) -> dict[str, str | None]:
        """Old id -> new id for renames, None for deletions."""
        return {
            c.old_id: (c.id if c.path is not None else None)
            for c in self.changes
            if c.old_id is not None and c.kind in (ChangeKind.RENAMED, ChangeKind.DELETED)
        }

    @property
    def targets(self) -> list[Path]:
        """Every file `check --changed` must check: the changed ones and those they affect."""
        return sorted(set(self.changed_files) | set(self.affected))


def import_git(purpose: str) -> Any:
    """GitPython, imported when needed; ``purpose`` completes "... needs git"."""
    try:
        import git
    except ImportError as exc:  # GitPython refuses to import without a git executable
        raise ConfigurationError(f"{purpose} needs git: {exc}") from None
    return git


def open_repo(project: Project) -> Any:
    """The git repository the project is in; a UsageError outside one."""
    git = import_git("finding changed postmortems")
    try:
        return git.Repo(project.root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(
            f"{project.root} is not inside a git repository, so there are no changes to find; "
            "check files by name instead"
        ) from None


def resolve_base(repo: Any, base: str | None) -> str:
    """``base`` if it names a commit, else the first of origin/main, main that exists."""
    candidates = (base,) if base else DEFAULT_BASES
    for candidate in candidates:
        if _is_commit(repo, candidate):
            return candidate
    if base:
        raise UsageError(
            f"'{base}' is not a branch, tag or commit here; fetch it first "
            f"(git fetch origin {base.removeprefix('origin/')}) or pass another --base"
        )
    raise UsageError(
        "neither origin/main nor main exists here; pass the branch to compare with as --base REF"
    )


def _is_commit(repo: Any, ref: str) -> bool:
    git = import_git("finding changed postmortems")
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitCommandError:
        return False
    return True


def changed_postmortems(project: Project, base: str | None = None) -> ChangeSet:
    """Postmortems added, modified, renamed or deleted since the merge base with ``base``."""
    git = import_git("finding changed postmortems")
    repo = open_repo(project)
    ref = resolve_base(repo, base)
    try:
        merge_base = str(repo.git.merge_base(ref, "HEAD")).strip()
    except git.GitCommandError:
        raise UsageError(
            f"HEAD and {ref} share no history (in a shallow clone, fetch all of it: "
            "git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
        ) from None
    # realpath, not Path.resolve(): on Python 3.11 a symbolic link loop makes resolve()
    # raise RuntimeError; realpath leaves the loop unresolved, and reading it is refused.
    top = Path(os.path.realpath(repo.working_tree_dir))
    folder = Path(os.path.realpath(project.postmortems_dir))
    try:
        pathspec = folder.relative_to(top).as_posix()
    except ValueError:
        raise UsageError(f"{folder} is outside the git repository at {top}") from None
    # Against the working tree, not HEAD: locally, uncommitted edits count too.
    diff = repo.git.diff("--name-status", "-z", "-M", merge_base, "--", pathspec)
    untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", pathspec)
    changes = [*_parse_name_status(diff, top), *_untracked(untracked, top)]
    changes = [_within(project, c) for c in changes if _is_postmortem(c.path or c.old_path, folder)]
    changes.sort(key=lambda c: c.id)
    result = ChangeSet(ref, merge_base, tuple(changes))
    schema_changes = _schema_changes(repo, project, merge_base, top)
    if schema_changes:
        changed = set(result.changed_files)
        affected = [p for p in project.postmortem_files() if p not in changed]
    else:
        affected = _referring_to(project, result.removed_ids, set(result.changed_files))
    return ChangeSet(ref, merge_base, tuple(changes), tuple(affected), schema_changes)


def _schema_changes(repo: Any, project: Project, merge_base: str, top: Path) -> tuple[str, ...]:
    """Files under schema/ changed since ``merge_base``: committed, uncommitted or new.

    A file of schema/ that is a symbolic link to another file of the repository (this
    repository's schema is the starter kit's) counts as changed when its target does.
    """
    try:
        pathspecs = [project.schema_dir.resolve().relative_to(top).as_posix()]
    except ValueError:
        return ()
    for path in sorted(project.schema_dir.iterdir()):
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if target.is_file() and target.is_relative_to(top):
                pathspecs.append(target.relative_to(top).as_posix())
    diff = repo.git.diff("--name-only", "-z", "--no-renames", merge_base, "--", *pathspecs)
    untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", *pathspecs)
    names = {name for name in (*diff.split("\0"), *untracked.split("\0")) if name}
    return tuple(sorted(names))


def _parse_name_status(output: str, top: Path) -> list[Change]:
    """Parse ``git diff --name-status -z -M``: ``R100\\0old\\0new\\0M\\0path\\0...``."""
    fields = output.split("\0")
    changes: list[Change] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][0]
        if status in "RC":
            old, new = top / fields[index + 1], top / fields[index + 2]
            index += 3
            if status == "R":
                changes.append(Change(ChangeKind.RENAMED, new, old))
            else:  # a copy is a new file
                changes.append(Change(ChangeKind.ADDED, new))
            continue
        path = top / fields[index + 1]
        index += 2
        if status == "A":
            changes.append(Change(ChangeKind.ADDED, path))
        elif status == "D":
            changes.append(Change(ChangeKind.DELETED, None, path))
        else:  # M, T (type change), U (unmerged)
            changes.append(Change(ChangeKind.MODIFIED, path))
    return changes


def _untracked(output: str, top: Path) -> list[Change]:
    return [Change(ChangeKind.ADDED, top / name) for name in output.split("\0") if name]


def _within(project: Project, change: Change) -> Change:
    """The change with paths spelled under the project root, as every other path is."""

    def spelled(path: Path | None) -> Path | None:
        return project.postmortems_dir / path.name if path is not None else None

    return Change(change.kind, spelled(change.path), spelled(change.old_path))


def _is_postmortem(path: Path | None, folder: Path) -> bool:
    return path is not None and path.suffix == ".md" and path.parent == folder


def _referring_to(
    project: Project, removed: dict[str, str | None], changed: set[Path]
) -> list[Path]:
    """Postmortems outside ``changed`` whose ``related`` names one of the ``removed`` ids."""
    if not removed:
        return []
    found = []
    for path in project.postmortem_files():
        if path in changed:
            continue
        raw = project.read(path)  # guarded: a FIFO or a link out of the repository is skipped
        if isinstance(raw, LoadError):
            continue
        if not any(old_id.encode() in raw for old_id in removed):
            continue  # cheap test before parsing
        loaded = load_bytes(path, raw)
        if isinstance(loaded, LoadedFile):
            related = loaded.front_matter.data.get("related")
            if isinstance(related, list) and any(
                r in removed for r in related if isinstance(r, str)
            ):
                found.append(path)
    return found
