"""Shared fixtures: throw-away postmortem projects and ways to run `postmortem`.

Unit tests run against a project whose schema/ holds the real JSON Schema and
config.yml but a SMALL taxonomy (postmortem_testkit.UNIT_TAXONOMY), so they do
not change whenever the real taxonomy grows. Acceptance tests copy the real
schema/ as a whole. Helpers and constants live in tests/postmortem_testkit.py.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from collections.abc import Callable
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
    """Run the real console script as a subprocess (so start-up and exit codes are real)."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(postmortem_exe), *(str(a) for a in args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=120,
            check=False,
        )

    return run
