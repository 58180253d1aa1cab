"""The installed `postmortem` script as a real process: exit codes, streams, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from postmortem_testkit import MakeProject, TmpProject

Run = Callable[..., subprocess.CompletedProcess[str]]


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Traceback" not in done.stdout, done.stdout


def test_clean_project(project: TmpProject, run_postmortem: Run) -> None:
    project.write()
    done = run_postmortem("--root", project.root, "check", "--strict")
    no_traceback(done)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "checked 1 postmortem: no problems\n",
        "",
    )


def test_findings_exit_1_on_stdout(project: TmpProject, run_postmortem: Run) -> None:
    project.write(overrides={"severity": "SEV9"})
    project.write_bytes("2025-01-01-latin1", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    project.write_text("2025-01-02-laughs", "---\na: &a [x]\nb: [*a, *a]\n---\n")
    done = run_postmortem("--root", project.root, "check")
    no_traceback(done)
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        "postmortems/2025-01-01-latin1.md:2:11: error: file is not valid UTF-8 (byte 0xe9); "
        "save it as UTF-8",
        "postmortems/2025-01-02-laughs.md:2:4: error: YAML anchors and aliases (&name, *name) "
        "are not allowed; write the value out",
        "postmortems/2025-03-14-payments-502.md:4:11: error: severity: 'SEV9' is not one of: "
        "SEV1, SEV2, SEV3, SEV4, unknown",
        "checked 3 postmortems: 3 errors, 0 warnings",
    ]


def test_tag_is_not_executed(project: TmpProject, run_postmortem: Run, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    project.write_text(
        "2025-01-01-tag", f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
    )
    done = run_postmortem("--root", project.root, "check")
    no_traceback(done)
    assert done.returncode == 1
    assert not marker.exists()


def test_json_on_stdout(project: TmpProject, run_postmortem: Run) -> None:
    project.write(overrides={"causes": ["bad-config"]})
    done = run_postmortem("--root", project.root, "check", "--format", "json", "--strict")
    no_traceback(done)
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    assert (payload["errors"], payload["warnings"]) == (0, 1)
    assert payload["findings"][0]["code"] == "alias"


def test_nonexistent_path_exits_2(project: TmpProject, run_postmortem: Run) -> None:
    done = run_postmortem("--root", project.root, "check", "postmortems/nope.md")
    no_traceback(done)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "postmortem: error: postmortems/nope.md: no such file or folder\n"


def test_no_schema_exits_2(tmp_path: Path, run_postmortem: Run) -> None:
    done = run_postmortem("check", cwd=tmp_path)
    no_traceback(done)
    assert done.returncode == 2
    assert done.stderr.startswith("postmortem: error: no schema/postmortem.schema.json found")


def test_usage_error_exits_2(project: TmpProject, run_postmortem: Run) -> None:
    done = run_postmortem("--root", project.root, "check", "--no-such-option")
    no_traceback(done)
    assert done.returncode == 2
    assert "No such option" in done.stderr


def test_run_from_inside_the_repository(project: TmpProject, run_postmortem: Run) -> None:
    project.write()
    done = run_postmortem(
        "check", f"{project.postmortems.name}/2025-03-14-payments-502.md", cwd=project.root
    )
    no_traceback(done)
    assert done.returncode == 0


def test_control_character_is_a_finding_not_a_crash(
    project: TmpProject, run_postmortem: Run
) -> None:
    project.write_text("2025-01-01-bell", "---\ntitle: Ring! \x07\n---\n")
    done = run_postmortem("--root", project.root, "check")
    no_traceback(done)
    assert done.returncode == 1
    assert done.stdout.startswith("postmortems/2025-01-01-bell.md:2:")


def test_taxonomy_group_as_a_list_exits_2(make_project: MakeProject, run_postmortem: Run) -> None:
    project = make_project(taxonomy="causes: [dns]\n")
    done = run_postmortem("--root", project.root, "check")
    no_traceback(done)
    assert done.returncode == 2


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_help_exits_0(run_postmortem: Run, args: list[str]) -> None:
    done = run_postmortem(*args)
    no_traceback(done)
    assert done.returncode == 0
    assert "Example" in done.stdout


DEV_FULL = Path("/dev/full")


@pytest.mark.skipif(not DEV_FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("env", [{}, {"GITHUB_ACTIONS": "true"}])
def test_output_to_a_full_disk_is_an_environment_error(
    project: TmpProject, postmortem_exe: Path, env: dict[str, str]
) -> None:
    for n in range(300):  # enough output to fill any buffer
        project.write(f"2025-03-14-payments-{n}", overrides={"severity": "SEV9"})
    with DEV_FULL.open("w") as full:
        done = subprocess.run(
            [str(postmortem_exe), "--root", str(project.root), "check"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, **env},
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "postmortem: error: cannot write the output: No space left on device\n"


def test_a_closed_pipe_ends_quietly(project: TmpProject, postmortem_exe: Path) -> None:
    for n in range(300):
        project.write(f"2025-03-14-payments-{n}", overrides={"severity": "SEV9"})
    for env in ({}, {"GITHUB_ACTIONS": "true"}):
        process = subprocess.Popen(
            [str(postmortem_exe), "--root", str(project.root), "check"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # like `postmortem check | head -1`
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 1  # what click exits with on a closed pipe
        assert stderr == ""
