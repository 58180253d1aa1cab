"""Shared fixtures: throw-away postmortem projects and ways to run `postmortem`.

Unit tests run against a project whose schema/ holds the real JSON Schema and
config.yml but a SMALL taxonomy (postmortem_testkit.UNIT_TAXONOMY), so they do
not change whenever the real taxonomy grows. Acceptance tests copy the real
schema/ as a whole. Helpers and constants live in tests/postmortem_testkit.py.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from postmortem_testkit import (
    REPO_ROOT,
    UNIT_SERVICES,
    UNIT_TAXONOMY,
    VALID_RECORD,
    MakeProject,
    TmpProject,
)
from postmortem_testkit.browser import build_site_copy
from postmortem_testkit.git import GIT_USER, GitProject, git
from postmortem_testkit.hostile import make_hostile
from postmortem_testkit.incidents import incident

# Re-exported for test modules that still import them from here.
__all__ = ["MakeProject", "TmpProject"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository this test suite lives in (/work/main)."""
    return REPO_ROOT


@pytest.fixture
def make_project(tmp_path: Path, repo_root: Path) -> MakeProject:
    """Factory: ``make_project(services=True, taxonomy=None, config=None, name="project")``.

    Copies the real JSON Schema and config.yml; writes UNIT_TAXONOMY (plus a
    services group unless ``services=False``) or ``taxonomy`` text if given;
    ``config`` text replaces config.yml.
    """
    counter = iter(range(1_000_000))

    def make(
        *,
        services: bool = True,
        taxonomy: str | None = None,
        config: str | None = None,
        name: str | None = None,
    ) -> TmpProject:
        root = tmp_path / (name or f"project{next(counter)}")
        schema = root / "schema"
        schema.mkdir(parents=True)
        (root / "postmortems").mkdir()
        shutil.copyfile(
            repo_root / "schema/postmortem.schema.json", schema / "postmortem.schema.json"
        )
        if config is None:
            shutil.copyfile(repo_root / "schema/config.yml", schema / "config.yml")
        else:
            (schema / "config.yml").write_text(config, encoding="utf-8")
        if taxonomy is None:
            taxonomy = UNIT_TAXONOMY + (UNIT_SERVICES if services else "")
        (schema / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
        return TmpProject(root)

    return make


@pytest.fixture
def project(make_project: MakeProject) -> TmpProject:
    """An empty project with the unit taxonomy (services included)."""
    return make_project()


@pytest.fixture
def valid_record() -> dict[str, Any]:
    """A fresh deep copy of the DESIGN.md record."""
    return copy.deepcopy(VALID_RECORD)


@pytest.fixture(scope="session")
def postmortem_exe() -> Path:
    """The installed `postmortem` console script of the interpreter running the tests."""
    beside = Path(sys.executable).parent / "postmortem"
    if beside.exists():
        return beside
    found = shutil.which("postmortem")
    if found is None:
        pytest.skip("the postmortem console script is not installed")
    return Path(found)


@pytest.fixture
def run_postmortem(postmortem_exe: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real console script as a subprocess (so start-up and exit codes are real);
    ``env`` adds to the environment."""

    def run(
        *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(postmortem_exe), *(str(a) for a in args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            check=False,
            env={**os.environ, **env} if env is not None else None,
        )

    return run


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


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The index goes to the project's .postmortem-cache/ unless a test says otherwise,
    # whatever the environment running the tests has set.
    monkeypatch.delenv("POSTMORTEM_CACHE_DIR", raising=False)
    yield


@pytest.fixture
def incidents(make_project: MakeProject) -> TmpProject:
    """Five valid incidents with distinct words, terms, services, severities and dates."""
    project = make_project()
    project.write(
        "2023-02-10-dns-resolver-timeouts",
        incident(
            "2023-02-10",
            title="Checkout fails while DNS resolvers time out",
            summary="Resolvers timed out under a query flood.",
            severity="SEV1",
            causes=["dns", "capacity-exhaustion"],
            services=["checkout"],
            lucky_breaks=["off-peak-timing"],
        ),
    )
    project.write(
        "2024-05-01-edge-config-push",
        incident(
            "2024-05-01",
            title="Edge load balancer drops TLS after a config push",
            summary="A configuration push removed the certificate chain.",
            causes=[{"term": "config-change", "detail": "The quokka flag was flipped globally."}],
            services=["edge-lb"],
            went_well=["fast-rollback"],
        ),
    )
    project.write(
        "2024-08-20-payments-capacity",
        incident(
            "2024-08-20",
            title="Payments API slow during a sale",
            summary="Database connections ran out during the summer sale.",
            severity="SEV3",
            status="review",
            causes=["capacity-exhaustion", "insufficient-testing"],
            services=["payments-api", "checkout"],
            lucky_breaks=["expert-on-hand"],
        ),
    )
    project.write(
        "2025-01-15-bad-config-payments",
        incident(
            "2025-01-15",
            title="Payments API errors after a config push",
            summary="Written with an alias of config-change.",
            causes=["bad-config"],  # an alias: a warning, the record counts as config-change
            services=["payments-api"],
            went_well=["clear-runbook"],
        ),
    )
    project.write(
        "2025-03-01-draft-checkout",
        incident(
            "2025-03-01",
            title="Checkout button hidden on small screens",
            summary="A stylesheet change hid the button.",
            severity="SEV4",
            status="draft",
            causes=["insufficient-testing"],
            services=["checkout"],
            minutes=None,
        ),
    )
    return project


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's site with Pagefind search, built once per session with
    ``mkdocs build --strict`` from a copy: <tmp>/build/kb/ (the log beside the copy)."""
    return build_site_copy(tmp_path_factory.mktemp("site-search"))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site with injection payloads in every front-matter text field and in the
    taxonomy's titles and descriptions (postmortem_testkit.hostile), built once."""
    return build_site_copy(tmp_path_factory.mktemp("hostile-site"), prepare=make_hostile)
