"""Acceptance tests over folders of example postmortems, checked with the REAL schema/.

tests/example-files/valid/*.md must check clean with --strict. Every
tests/example-files/invalid/<name>.md has an <name>.expected file holding the
exact `file:line:col: level: field: message` lines `postmortem check` prints
for it (paths relative to the project root). Cases that need bytes a text file
cannot hold (bad UTF-8, NUL, a BOM, CRLF) are built here from a valid file.

To regenerate an .expected file after a deliberate message change, run with
UPDATE_EXPECTED=1 and then READ every changed file before committing it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from postmortem_testkit import (
    REPO_ROOT,
    TmpProject,
    run_cli,
)

EXAMPLES = REPO_ROOT / "tests" / "example-files"
VALID = EXAMPLES / "valid"
INVALID = EXAMPLES / "invalid"
BOM = b"\xef\xbb\xbf"
MAX_FILE_BYTES = 1024 * 1024  # schema/config.yml


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def as_stored(name: str, data: bytes) -> bytes:
    """Valid files named *-crlf.md are checked with CRLF endings, *-bom.md with a BOM."""
    stem = name.removesuffix(".md")
    if stem.endswith("-crlf") or "-crlf-" in stem:
        data = crlf(data)
    if stem.endswith("-bom") or "-bom-" in stem:
        data = BOM + data
    return data


def _base() -> bytes:
    return (VALID / "2025-01-01-edge-cache-config.md").read_bytes()


def _replace(old: bytes, new: bytes) -> Callable[[], bytes]:
    def build() -> bytes:
        base = _base()
        assert old in base, old
        return base.replace(old, new, 1)

    return build


# Invalid cases written as bytes, built from the valid 2025-01-01 base file.
BYTE_CASES: dict[str, Callable[[], bytes]] = {
    "2025-01-01-not-utf8": _replace(b"authors: [sam,", b"authors: [s\xe9m,"),
    "2025-01-01-nul-byte": _replace(b"summary: Edge", b"summary: Ed\x00ge"),
    "2025-01-01-utf16": lambda: _base().decode().encode("utf-16"),
    "2025-01-01-bom-with-error": lambda: BOM + _replace(b"SEV3", b"SEV0")(),
    "2025-01-01-crlf-with-error": lambda: crlf(
        _replace(b"  - insufficient-testing", b"  - insufficent-testing")()
    ),
    "2025-01-01-bom-crlf-with-error": lambda: BOM + crlf(_replace(b"SEV3", b"SEV0")()),
    "2025-01-01-file-too-large": lambda: _base() + b"x" * MAX_FILE_BYTES,
}


def invalid_cases() -> list[str]:
    return sorted([p.stem for p in INVALID.glob("*.md")] + list(BYTE_CASES))


def case_param(name: str) -> object:
    return pytest.param(name, id=name)


@pytest.fixture(scope="module")
def examples_project(tmp_path_factory: pytest.TempPathFactory) -> TmpProject:
    """One project holding every example file, with a copy of the real schema/."""
    root = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO_ROOT / "schema", root / "schema")
    project = TmpProject(root)
    for path in sorted(VALID.glob("*.md")):
        project.write_bytes(path.name, as_stored(path.name, path.read_bytes()))
    for path in sorted(INVALID.glob("*.md")):
        project.write_bytes(path.name, path.read_bytes())
    for name, build in BYTE_CASES.items():
        project.write_bytes(name, build())
    return project


def finding_lines(project: TmpProject, *args: str) -> tuple[int, list[str], str]:
    result = run_cli(["--root", str(project.root), "check", *args])
    lines = result.stdout.splitlines()
    return result.exit_code, lines[:-1], lines[-1] if lines else ""


def test_there_are_enough_examples() -> None:
    assert len(list(VALID.glob("*.md"))) >= 4
    assert len(invalid_cases()) >= 25


def test_every_invalid_case_has_an_expected_file_and_vice_versa() -> None:
    expected = {p.stem for p in INVALID.glob("*.expected")}
    assert expected == set(invalid_cases())


def test_example_names_are_unique() -> None:
    names = [p.stem for p in VALID.glob("*.md")] + invalid_cases()
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", sorted(p.name for p in VALID.glob("*.md")))
def test_valid_file_checks_clean(examples_project: TmpProject, name: str) -> None:
    code, lines, summary = finding_lines(
        examples_project, str(examples_project.path(name)), "--strict"
    )
    assert lines == []
    assert (code, summary) == (0, "checked 1 postmortem: no problems")


def test_valid_folder_checks_clean_together(examples_project: TmpProject, tmp_path: Path) -> None:
    only_valid = tmp_path / "valid"
    only_valid.mkdir()
    for path in VALID.glob("*.md"):
        shutil.copy(examples_project.path(path.name), only_valid / path.name)
    code, lines, summary = finding_lines(examples_project, str(only_valid), "--strict")
    count = len(list(VALID.glob("*.md")))
    assert (code, lines, summary) == (0, [], f"checked {count} postmortems: no problems")


@pytest.mark.parametrize("name", [case_param(n) for n in invalid_cases()])
def test_invalid_file_reports_exactly_the_expected_lines(
    examples_project: TmpProject, name: str
) -> None:
    expected_file = INVALID / f"{name}.expected"
    code, lines, summary = finding_lines(
        examples_project, str(examples_project.path(name)), "--strict"
    )
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert lines == expected
    assert code == 1, "every invalid example has at least one finding (--strict)"
    assert summary.startswith("checked 1 postmortem: ")


def test_all_files_at_once_report_the_same_lines(examples_project: TmpProject) -> None:
    """Checked together, one bad file never stops or changes the others' findings."""
    code, lines, summary = finding_lines(examples_project)
    expected: list[str] = []
    for name in invalid_cases():
        expected += (INVALID / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(expected)
    assert code == 1
    total = len(list(VALID.glob("*.md"))) + len(invalid_cases())
    assert summary.startswith(f"checked {total} postmortems: ")
