"""Every guard of `check` (links out of the repository, loops, special files, size)
applies to every command that reads a postmortem: check, search, similar, patterns.

Run through the real console script with a timeout, so a command that would block
on a FIFO or read /dev/zero forever fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from postmortem_kb.loading.files import LoadError, load_file
from postmortem_testkit import VALID_ID, TmpProject, postmortem_text

Run = Callable[..., subprocess.CompletedProcess[str]]
LOOP = "2025-04-03-loop"


def refused(project: TmpProject, path: Path) -> str:
    result = load_file(path, project.root, 1 << 20)
    assert isinstance(result, LoadError), result
    return result.message


def test_symlink_loop_is_a_located_error(project: TmpProject) -> None:
    link = project.path(LOOP)
    link.symlink_to(link.name)  # ln -s 2025-04-03-loop.md postmortems/2025-04-03-loop.md
    assert refused(project, link) == "symbolic link loop: the link points (in the end) to itself"


def test_a_fifo_is_refused_without_blocking(project: TmpProject) -> None:
    fifo = project.path("x")
    os.mkfifo(fifo)
    assert refused(project, fifo) == "a FIFO (named pipe), not a regular file; refusing to read"


def test_a_linked_postmortems_folder_outside_the_repository_is_refused(
    make_project: Callable[..., TmpProject], tmp_path: Path
) -> None:
    project = make_project()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / f"{VALID_ID}.md").write_text(postmortem_text(), encoding="utf-8")
    project.postmortems.rmdir()
    project.postmortems.symlink_to(outside)
    assert refused(project, project.path(VALID_ID)) == (
        "symbolic link points outside the repository; refusing to read"
    )


def test_a_device_is_refused_even_through_a_link_inside(project: TmpProject) -> None:
    # /dev/zero is outside the repository; the special-file guard must hold on its own
    # too, so the link is checked with the repository root at "/".
    link = project.path("zero")
    link.symlink_to("/dev/zero")
    result = load_file(link, Path("/"), 1 << 20)
    assert isinstance(result, LoadError)
    assert result.message == "a device, not a regular file; refusing to read"


@pytest.fixture
def hostile(project: TmpProject) -> TmpProject:
    """One valid postmortem beside a loop, a FIFO and a link to /dev/zero."""
    project.write()
    loop = project.path(LOOP)
    loop.symlink_to(loop.name)
    os.mkfifo(project.path("2025-04-04-fifo"))
    project.path("2025-04-05-zero").symlink_to("/dev/zero")
    return project


def test_check_reports_each_hostile_file_and_goes_on(
    hostile: TmpProject, run_postmortem: Run
) -> None:
    result = run_postmortem("--root", hostile.root, "check")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "postmortems/2025-04-03-loop.md:1:1: error: symbolic link loop" in result.stdout
    assert "postmortems/2025-04-04-fifo.md:1:1: error: a FIFO (named pipe)" in result.stdout
    assert (
        "postmortems/2025-04-05-zero.md:1:1: error: symbolic link points outside the repository"
        in result.stdout
    )


@pytest.mark.parametrize(
    "command",
    [
        ("search", "payments", "--no-cache"),
        ("search", "payments"),  # the on-disk index hashes each file
        ("patterns",),
        ("similar", VALID_ID),
    ],
    ids=lambda args: " ".join(args),
)
def test_other_commands_skip_hostile_files(
    hostile: TmpProject, run_postmortem: Run, command: tuple[str, ...]
) -> None:
    result = run_postmortem("--root", hostile.root, *command)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (f"postmortems/{LOOP}.md", "symbolic link loop"),
        ("postmortems/2025-04-04-fifo.md", "a FIFO (named pipe), not a regular file"),
        ("postmortems/2025-04-05-zero.md", "symbolic link points outside the repository"),
    ],
)
def test_similar_to_a_hostile_file_is_a_usage_error(
    hostile: TmpProject, run_postmortem: Run, name: str, message: str
) -> None:
    result = run_postmortem("--root", hostile.root, "similar", hostile.root / name)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_similar_refuses_a_huge_file_without_reading_it(
    project: TmpProject, run_postmortem: Run
) -> None:
    project.write()
    huge = project.root / "huge.md"
    with huge.open("wb") as handle:  # sparse: 300 MB on paper, no disk used
        handle.truncate(300 * 1024 * 1024)
    result = run_postmortem("--root", project.root, "similar", huge)
    assert result.returncode == 2
    assert "over the limit of 1,048,576" in result.stderr
