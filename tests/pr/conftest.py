"""Fixtures for the pull-request workflow: projects that are real git repositories.

``git_project`` is a clone of a bare "origin" whose main branch holds a base
commit (schema/ and any postmortems written before ``push_base()``), so tests
can branch, modify, rename and compare with ``origin/main`` the way CI does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from postmortem_testkit import MakeProject
from pr.helpers import GIT_USER, GitProject, git


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No user or system git config leaks in; commits get a fixed author."""
    home = tmp_path_factory.mktemp("gitconfig")
    config = home / "gitconfig"
    config.write_text(
        f"[user]\n\tname = {GIT_USER[0]}\n\temail = {GIT_USER[1]}\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


MakeGitProject = Callable[..., GitProject]


@pytest.fixture
def make_git_project(make_project: MakeProject, repo_root: Path, tmp_path: Path) -> MakeGitProject:
    """``make_git_project(**make_project_options)``: an empty clone of a fresh origin.

    schema/ is the unit one from make_project plus the real blameless.yml and
    template.md; nothing is committed yet, so tests add postmortems, then push_base().
    """
    counter = iter(range(1000))

    def make(**options: Any) -> GitProject:
        n = next(counter)
        origin = tmp_path / f"origin{n}.git"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
        plain = make_project(name=f"clone{n}", **options)
        git(plain.root, "init", "-q", "-b", "main")
        git(plain.root, "remote", "add", "origin", str(origin))
        for name in ("blameless.yml", "template.md"):
            shutil.copyfile(repo_root / "schema" / name, plain.root / "schema" / name)
        return GitProject(plain.root, origin)

    return make


@pytest.fixture
def git_project(make_git_project: MakeGitProject) -> GitProject:
    return make_git_project()
