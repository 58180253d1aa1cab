"""`postmortem new --branch`: a branch ``postmortem/<id>`` with the new file committed.

Everything that can refuse is checked before the file is written, so a refusal
leaves the working tree as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from postmortem_kb.errors import UsageError
from postmortem_kb.vcs.changes import import_git

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
    if repo.is_dirty(index=True, working_tree=True, untracked_files=False):
        changed = sorted({d.a_path for d in repo.index.diff(None)} | _staged(repo))
        listing = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
        raise UsageError(
            f"the working tree has uncommitted changes ({listing}); "
            "commit or stash them first, so the new branch holds only the new postmortem"
        )
    return repo


def _staged(repo: Any) -> set[str]:
    return {d.a_path or d.b_path for d in repo.index.diff("HEAD")}


def ensure_branch_free(repo: Any, name: str) -> None:
    """Refuse (UsageError) when the branch for the new postmortem exists already."""
    if name in {head.name for head in repo.heads}:
        raise UsageError(
            f"a branch '{name}' already exists; check it out with 'git switch {name}' "
            "or pass --unique for a new id"
        )


def commit_on_new_branch(repo: Any, name: str, path: Path, message: str) -> str:
    """Create and check out branch ``name`` from HEAD, commit ``path`` on it; return the sha.

    git itself makes the commit (through GitPython), so the author and signing
    settings are the user's own from any git config; --no-verify because a fresh
    draft still has the template's placeholders, which a pre-commit check rejects.
    """
    repo.git.checkout("-b", name)
    relative = path.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    repo.git.add("--", relative)
    repo.git.commit("--no-verify", "--quiet", "-m", message, "--", relative)
    return str(repo.head.commit.hexsha)
