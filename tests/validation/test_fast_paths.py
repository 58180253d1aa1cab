"""The shortcuts that make a large check fast must never change what it reports.

Each shortcut is compared with the slow, obvious way over the same inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import postmortem_kb.validation.checker as checking
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_kb.validation.blameless import required_words
from postmortem_kb.validation.schema_check import SchemaChecker
from postmortem_testkit import MakeProject

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "tests/example-files").glob("*/*.md")) + sorted(
    (REPO / "postmortems").glob("*.md")
)


def _front_matters() -> list[tuple[str, dict[str, object]]]:
    loaded = [load_file(path, REPO, 2**20) for path in EXAMPLES]
    return [(f.path.name, f.front_matter.data) for f in loaded if isinstance(f, LoadedFile)]


@pytest.mark.parametrize(("name", "data"), _front_matters(), ids=lambda v: str(v)[:40])
def test_compiled_schema_agrees_with_jsonschema(name: str, data: dict[str, object]) -> None:
    schema = json.loads((REPO / "schema/postmortem.schema.json").read_text())
    fast = SchemaChecker(schema)
    slow = SchemaChecker(schema)
    slow._is_valid = None  # jsonschema alone
    assert fast.problems(data) == slow.problems(data)


def test_some_examples_are_schema_invalid() -> None:
    """The agreement test above is only worth something if it sees invalid files."""
    schema = json.loads((REPO / "schema/postmortem.schema.json").read_text())
    checker = SchemaChecker(schema)
    assert sum(1 for _, data in _front_matters() if checker.problems(data)) >= 5


def test_a_schema_keyword_the_compiled_validator_lacks_falls_back_to_jsonschema() -> None:
    schema = json.loads((REPO / "schema/postmortem.schema.json").read_text())
    schema["properties"]["tags"] = {"type": "array", "prefixItems": [{"const": "first"}]}
    checker = SchemaChecker(schema)
    assert checker._is_valid is None
    data = dict(_front_matters()[-1][1], tags=["second"])
    assert [p.message for p in checker.problems(data)] == ["'first' was expected"]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"(?<![\w-])human\s+error(?![\w-])", {"human"}),
        (r"\b(?:negligen(?:t|ce)|sloppy|lazy)\b", {"negligen", "sloppy", "lazy"}),
        (r"\b[\w.-]+['’]s\s+fault\b", {"fault"}),
        (r"\b(?:is|was)\s+to\s+blame\b", {"blame"}),
        (r"Careless", {"careless"}),
        (r"\w+", None),  # nothing is required: every line gets scanned
        (r"(ab|cde)x", None),  # 'ab' is too short to search for
        (r"(", None),  # not a regex: no shortcut
    ],
)
def test_required_words_are_in_every_match(pattern: str, words: set[str] | None) -> None:
    found = required_words(pattern)
    assert (set(found) if found is not None else None) == words


def test_blameless_warnings_are_the_same_without_the_trigger_shortcut(
    make_project: MakeProject,
) -> None:
    project = make_project()
    (project.root / "schema/blameless.yml").write_bytes(
        (REPO / "schema/blameless.yml").read_bytes()
    )
    body = (
        "## Summary\n\nThe deploy broke the cache. Ana failed to notice the alarm.\n"
        "It was human error, and the on-call engineer quickly forgot to page.\n"
        "```\nhuman error inside code\n```\n"
        "Bob's fault, really. <!-- blameless: ignore -->\nThe intern was careless.\n"
    )
    project.write(overrides={"authors": ["Ana"]}, body=body)
    checker = project.checker()
    fast = [f.render() for f in checker.check().findings]
    slow_lint = checker.blameless
    object.__setattr__(slow_lint, "_plan", None)  # no trigger words: every line, every rule
    slow = [f.render() for f in checker.check().findings]
    assert fast == slow
    assert sum("blame" in line or "person" in line for line in fast) == 4


def test_parallel_check_reports_what_a_serial_check_reports(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project()
    for day in range(1, 21):
        broken = {"severity": "SEV9"} if day % 5 == 0 else {}
        project.write(f"2025-03-{day:02d}-outage", broken)
    monkeypatch.setattr(checking, "_PARALLEL_FROM", 2)
    monkeypatch.setattr(checking, "_CHUNK", 3)
    serial = project.checker().check()
    parallel = project.checker().check(jobs=2)
    assert parallel.findings == serial.findings
    assert [r.id for r in parallel.records] == [r.id for r in serial.records]
    assert sum(f.field == "severity" for f in serial.errors) == 4
    assert parallel.files_checked == 20
