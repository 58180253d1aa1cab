"""A project on disk: finding it, expanding paths, reading a postmortem with the guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_kb.errors import ConfigurationError, UsageError
from postmortem_kb.loading.files import LoadedFile, LoadError
from postmortem_kb.project.repository import find_project
from postmortem_testkit import VALID_ID, TmpProject


def test_find_project_from_a_subfolder(project: TmpProject) -> None:
    assert find_project(project.postmortems).root == project.root.absolute()


def test_no_schema_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"no schema/postmortem\.schema\.json found"):
        find_project(tmp_path)


def test_expand_folders_and_missing_paths(project: TmpProject) -> None:
    written = project.write()
    assert project.project().expand([project.postmortems]) == [written]
    with pytest.raises(UsageError, match="no such file or folder"):
        project.project().expand([project.root / "nope.md"])


def test_load_applies_the_size_guard(project: TmpProject) -> None:
    (project.root / "schema/config.yml").write_text("max_file_bytes: 100\n")
    path = project.write()
    loaded = project.project().load(path)
    assert isinstance(loaded, LoadError)
    assert "over the limit of 100" in loaded.message


def test_load_refuses_a_link_out_of_the_repository(project: TmpProject, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(project.write().read_text())
    link = project.postmortems / "2025-03-14-link.md"
    link.symlink_to(outside)
    assert isinstance(project.project().load(project.path(VALID_ID)), LoadedFile)
    loaded = project.project().load(link)
    assert isinstance(loaded, LoadError)
    assert "outside the repository" in loaded.message
