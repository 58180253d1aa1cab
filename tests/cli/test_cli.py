"""The `postmortem` command line, run in-process: exit codes, paths, help."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from postmortem_kb import __version__
from postmortem_kb.cli import cli
from postmortem_testkit import VALID_ID, MakeProject, TmpProject, run_cli

FILE = f"postmortems/{VALID_ID}.md"


def test_clean_project_exits_0(project: TmpProject) -> None:
    project.write()
    result = project.check()
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "checked 1 postmortem: no problems\n",
        "",
    )


def test_errors_exit_1(project: TmpProject) -> None:
    project.write(overrides={"severity": "SEV9"})
    result = project.check()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{FILE}:4:11: error: severity: 'SEV9' is not one of: SEV1, SEV2, SEV3, SEV4, unknown",
        "checked 1 postmortem: 1 error, 0 warnings",
    ]


def test_warnings_exit_0_unless_strict(project: TmpProject) -> None:
    project.write(overrides={"causes": ["bad-config"]})
    plain, strict = project.check(), project.check("--strict")
    assert plain.exit_code == 0
    assert strict.exit_code == 1
    assert plain.stdout == strict.stdout
    assert plain.stdout.splitlines() == [
        f"{FILE}:13:10: warning: causes[0]: 'bad-config' is an alias; write the canonical "
        "cause 'config-change'",
        "checked 1 postmortem: 0 errors, 1 warning",
    ]


def test_strict_on_a_clean_project_exits_0(project: TmpProject) -> None:
    project.write()
    assert project.check("--strict").exit_code == 0


def test_nonexistent_path_exits_2(project: TmpProject) -> None:
    result = project.check(project.root / "postmortems/2020-01-01-nope.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"postmortem: error: {project.root}/postmortems/2020-01-01-nope.md: no such file or "
        "folder\n"
    )


def test_root_without_schema_exits_2(tmp_path: Path) -> None:
    result = run_cli(["--root", str(tmp_path), "check"])
    assert result.exit_code == 2
    assert result.stderr.startswith("postmortem: error: ")
    assert "schema/postmortem.schema.json" in result.stderr


def test_no_schema_above_the_current_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"postmortem: error: no schema/postmortem.schema.json found in {tmp_path} or any "
        "folder above it; run this inside a postmortem-kb repository or pass --root\n"
    )


def test_nonexistent_root_exits_2(tmp_path: Path) -> None:
    result = run_cli(["--root", str(tmp_path / "nope"), "check"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_broken_schema_exits_2(project: TmpProject) -> None:
    (project.root / "schema/postmortem.schema.json").write_text("{not json")
    result = project.check()
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_project_is_found_from_a_subfolder(
    project: TmpProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write(overrides={"severity": "SEV9"})
    monkeypatch.chdir(project.postmortems)
    result = run_cli(["check", f"{VALID_ID}.md"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{FILE}:4:11: error: severity:")


def test_no_postmortems_folder_checks_nothing(project: TmpProject) -> None:
    project.postmortems.rmdir()
    result = project.check()
    assert (result.exit_code, result.stdout) == (0, "checked 0 postmortems: no problems\n")


def test_folder_argument_checks_its_markdown_files(project: TmpProject) -> None:
    project.write()
    project.write_text("notes", "not a postmortem")
    (project.postmortems / "README.txt").write_text("ignored")
    result = project.check(project.postmortems)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "checked 2 postmortems: 1 error, 0 warnings"


def test_single_file_reports_its_unknown_related_id(project: TmpProject) -> None:
    project.write("2024-11-02-edge-lb-partial-outage", _other_incident())
    path = project.write(overrides={"related": ["2024-11-02-edge-lb-outage"]})
    result = project.check(path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{FILE}:32:11: error: related[0]: no postmortem '2024-11-02-edge-lb-outage' in "
        "postmortems/; did you mean '2024-11-02-edge-lb-partial-outage'?",
        "checked 1 postmortem: 1 error, 0 warnings",
    ]


def test_single_file_accepts_related_ids_that_exist(project: TmpProject) -> None:
    project.write("2024-11-02-edge-lb-partial-outage", _other_incident())
    path = project.write(overrides={"related": ["2024-11-02-edge-lb-partial-outage"]})
    result = project.check(path)
    assert (result.exit_code, result.stdout) == (0, "checked 1 postmortem: no problems\n")


def test_single_file_is_not_blamed_for_other_files(project: TmpProject) -> None:
    project.write_text("2024-01-01-broken", "")
    path = project.write()
    assert project.check(path).exit_code == 0


def test_one_bad_file_does_not_stop_the_others(project: TmpProject) -> None:
    project.write_bytes("2025-01-01-binary", b"---\ntitle: \xff\n---\n")
    project.write_text("2025-01-02-empty", "")
    project.write_text("2025-01-03-syntax", "---\ntitle: [\n---\n")
    project.write_text("2025-01-04-tag", "---\ntitle: !!python/object:os.system x\n---\n")
    project.write(overrides={"severity": "SEV9"})
    project.write("2025-03-15-good", {"started": "2025-03-15T09:12:00Z", **_no_later_times()})
    result = project.check()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":", 1)[0] for line in lines[:-1]] == [
        "postmortems/2025-01-01-binary.md",
        "postmortems/2025-01-02-empty.md",
        "postmortems/2025-01-03-syntax.md",
        "postmortems/2025-01-04-tag.md",
        FILE,
    ]
    assert lines[-1] == "checked 6 postmortems: 5 errors, 0 warnings"


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"postmortem, version {__version__}\n"


def test_group_help_has_examples() -> None:
    result = run_cli(["--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout


def command_names() -> list[str]:
    """Every command, including lazily imported ones (`cli.commands` holds only loaded ones)."""
    return sorted({*cli.commands, *cli.list_commands(click.Context(cli))})


def test_there_are_commands() -> None:
    assert "check" in command_names()


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help_with_examples(name: str) -> None:
    result = run_cli([name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"`postmortem {name} --help` shows no example"


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_a_one_line_summary(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.get_short_help_str().strip(), f"`postmortem {name}` has no short help"


def test_h_is_help(project: TmpProject) -> None:
    assert project.cli("check", "-h").exit_code == 0


def _no_later_times() -> dict[str, object]:
    from postmortem_testkit import REMOVE

    return {"detected": REMOVE, "mitigated": REMOVE, "resolved": REMOVE}


def _other_incident() -> dict[str, object]:
    return {"started": "2024-11-02T10:00:00Z", **_no_later_times()}


def test_make_project_without_services(make_project: MakeProject) -> None:
    project = make_project(services=False)
    project.write(overrides={"services": ["not-in-any-list"]})
    assert project.check("--strict").exit_code == 0
