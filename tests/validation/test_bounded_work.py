"""The 1 MiB files of issue 11 through `postmortem check`: what it says about each.

These once took minutes (908 s for one line of "blame " repeated, 391 s for
100,000 unknown causes). Their speed is measured, against a baseline, by
benchmarks/hostile.py (no timings here); this test holds what check reports:
every finding, located, and nothing else.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from postmortem_testkit import REPO_ROOT, run_cli

MIB = 1024 * 1024


def _hostile() -> ModuleType:
    name = "benchmarks_hostile"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "benchmarks/hostile.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    hostile = _hostile()
    root = tmp_path_factory.mktemp("hostile")
    texts = {name: make(MIB) for name, make in hostile.HOSTILE.items()}
    hostile.write_project(root, texts)
    return root, texts


def check(files: tuple[Path, dict[str, str]], name: str) -> tuple[int, list[str], str]:
    root, texts = files
    assert len(texts[name].encode()) <= MIB  # under max_file_bytes: really checked
    result = run_cli(["--root", str(root), "check", f"{root}/postmortems/2025-03-14-{name}.md"])
    lines = result.output.splitlines()
    return result.exit_code, lines[:-1], lines[-1]


def _body_line(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if marker in line)


def test_one_line_of_blame_repeated(files: tuple[Path, dict[str, str]]) -> None:
    code, findings, summary = check(files, "blame-on-one-line")
    text = files[1]["blame-on-one-line"]
    count = text.count("blame ")
    assert code == 0
    assert len(findings) == count > 170_000
    line = _body_line(text, "blame blame")
    assert findings[0] == (
        f"postmortems/2025-03-14-blame-on-one-line.md:{line}:1: warning: 'blame' assigns "
        "blame; describe the contributing conditions instead of who is to blame"
    )
    assert findings[-1].split(":")[2] == str(1 + 6 * (count - 1))  # the last one's column
    assert summary == f"checked 1 postmortem: 0 errors, {count} warnings"


def test_a_person_failing_on_one_long_line(files: tuple[Path, dict[str, str]]) -> None:
    code, findings, _ = check(files, "people-failing")
    text = files[1]["people-failing"]
    assert code == 0
    assert len(findings) == text.count("the engineer failed to")
    assert all("'the engineer failed to' makes a person the subject" in f for f in findings)


def test_blame_on_many_lines(files: tuple[Path, dict[str, str]]) -> None:
    code, findings, _ = check(files, "blame-on-many-lines")
    text = files[1]["blame-on-many-lines"]
    first = _body_line(text, "human error")
    assert code == 0
    assert len(findings) == text.count("human error")
    assert [int(f.split(":")[1]) for f in findings[:3]] == [first, first + 1, first + 2]


def test_100_000_unknown_causes(files: tuple[Path, dict[str, str]]) -> None:
    code, findings, _ = check(files, "unknown-causes")
    causes = [f for f in findings if "is not a known cause" in f]
    assert code == 1
    assert len(causes) == files[1]["unknown-causes"].count("zq") > 100_000
    assert causes[0].startswith("postmortems/2025-03-14-unknown-causes.md:9:")
    assert "causes[0]: 'zq000000' is not a known cause" in causes[0]


def test_a_tag_repeated_a_quarter_of_a_million_times(files: tuple[Path, dict[str, str]]) -> None:
    code, findings, _ = check(files, "repeated-tags")
    assert code == 1
    assert [f for f in findings if "tags" in f] == [
        "postmortems/2025-03-14-repeated-tags.md:10:7: error: tags: lists the same entry "
        "more than once: 'db'"
    ]


@pytest.mark.parametrize("name", ["fault-of-a-long-name", "long-words"])
def test_lines_that_only_look_expensive(files: tuple[Path, dict[str, str]], name: str) -> None:
    code, findings, _ = check(files, name)
    assert code == 0
    assert findings == []
