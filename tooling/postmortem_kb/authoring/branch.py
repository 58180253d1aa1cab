"""`postmortem new --branch`: a branch ``postmortem/<id>`` with the new file committed.

Everything that can refuse is checked before the file is written, so a refusal
leaves the working tree as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from postmortem_kb.errors import UsageError
from postmortem_kb.vcs.changes import import_git
from postmortem_kb.writing import write_atomic

BRANCH_PREFIX = "postmortem/"


def branch_name(postmortem_id: str) -> str:
    """The branch `new --branch` creates for a postmortem: ``postmortem/<id>``."""
    return f"{BRANCH_PREFIX}{postmortem_id}"


def open_clean_repo(folder: Path) -> Any:
    """The git repository ``folder`` is in; refuses outside one or with uncommitted changes.

    Untracked files are left alone: only the new file is committed.
    """
    git = import_git("--branch")
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(
            f"{folder} is not inside a git repository; run 'git init' first or leave out --branch"
        ) from None
    if repo.bare:
        raise UsageError(f"{folder}: the repository is bare; --branch needs a working tree")
    if not repo.head.is_valid():
        raise UsageError(
            "the repository has no commits yet; commit the schema/ folder first, "
            "or leave out --branch"
        )
    _require_identity(git, repo)
    listing = uncommitted(repo)
    if listing is not None:
        raise UsageError(
            f"the working tree has uncommitted changes ({listing}); "
            "commit or stash them first, so the new branch holds only the new postmortem"
        )
    return repo


def uncommitted(repo: Any) -> str | None:
    """The tracked files with uncommitted changes (staged or not), the first five and
    " ..." for more; None when there are none."""
    if not repo.is_dirty(index=True, working_tree=True, untracked_files=False):
        return None
    changed = sorted({d.a_path or d.b_path for d in repo.index.diff(None)} | _staged(repo))
    return ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")


def refuse_uncommitted(folder: Path, what: str, why: str) -> None:
    """UsageError when the git working tree of ``folder`` has uncommitted changes, naming
    them, then ``why``; ``what`` names the command if git is missing. Outside git, or in a
    repository that is bare or has no commits, there is nothing to keep apart."""
    git = import_git(what)
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return
    if repo.bare or not repo.head.is_valid():
        return
    listing = uncommitted(repo)
    if listing is not None:
        raise UsageError(f"the working tree has uncommitted changes ({listing}); {why}")


def _require_identity(git: Any, repo: Any) -> None:
    """Refuse before anything changes when git could not make the commit: no identity."""
    try:
        repo.git.var("GIT_AUTHOR_IDENT")
        repo.git.var("GIT_COMMITTER_IDENT")
    except git.GitCommandError:
        raise UsageError(
            "git does not know who you are, so it cannot commit the new postmortem; run "
            "git config --global user.name 'Your Name' and "
            "git config --global user.email you@example.com, or leave out --branch"
        ) from None


def _staged(repo: Any) -> set[str]:
    return {d.a_path or d.b_path for d in repo.index.diff("HEAD")}


def ensure_branch_free(repo: Any, name: str) -> None:
    """Refuse (UsageError) when the branch for the new postmortem exists already."""
    if name in {head.name for head in repo.heads}:
        raise UsageError(
            f"a branch '{name}' already exists; check it out with 'git switch {name}' "
            "or pass --unique for a new id"
        )


def commit_on_new_branch(
    repo: Any, name: str, paths: list[Path], message: str, before: Mapping[Path, bytes | None]
) -> str:
    """Create and check out branch ``name`` from HEAD, commit ``paths`` on it; return the sha.

    git itself makes the commit (through GitPython), so the author and signing
    settings are the user's own from any git config; --no-verify because a fresh
    draft still has the template's placeholders, which a pre-commit check rejects.
    If git fails half-way, everything is undone so that running `new --branch`
    again works: the previous branch is checked out, the new branch deleted, and
    each file of ``before`` put back as it was (None: it did not exist).
    """
    git = import_git("--branch")
    top = Path(repo.working_tree_dir).resolve()
    relative = [path.resolve().relative_to(top).as_posix() for path in paths]
    previous = repo.active_branch.name if not repo.head.is_detached else repo.head.commit.hexsha
    repo.git.checkout("-b", name)
    try:
        repo.git.add("--", *relative)
        repo.git.commit("--no-verify", "--quiet", "-m", message, "--", *relative)
    except git.GitCommandError as exc:
        repo.git.reset("--quiet", "--", *relative)
        repo.git.checkout("--quiet", previous)
        repo.git.branch("-D", name)
        _put_back(before)
        detail = " ".join(str(exc.stderr or exc).split())[:300]
        raise UsageError(
            f"git could not commit the new postmortem ({detail}); you are back on {previous} "
            "and nothing was changed: fix that, then run the same command again"
        ) from None
    return str(repo.head.commit.hexsha)


def _put_back(before: Mapping[Path, bytes | None]) -> None:
    for path, data in before.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, data)
