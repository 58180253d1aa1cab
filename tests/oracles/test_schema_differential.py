"""`check`'s schema verdicts against an independent JSON Schema validator.

The oracle is jsonschema-rs: another implementation (Rust), with ECMA-262
regular expressions as JSON Schema specifies. The inputs are mutations of the
front matter of every valid example file: one field replaced by a hostile value
(a trailing newline, Unicode digits, the wrong type, too long, a nested list...),
removed, or an unknown one added. For each, our SchemaChecker (its compiled fast
path and its explaining validator) must agree with the oracle on "valid or not".
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_kb.validation.schema_check import SchemaChecker
from postmortem_testkit import REPO_ROOT

SCHEMA = json.loads((REPO_ROOT / "schema" / "postmortem.schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((REPO_ROOT / "tests" / "example-files" / "valid").glob("*.md"))


def front_matter(path: Path) -> dict[str, Any]:
    loaded = load_file(path, REPO_ROOT, 1 << 20)
    assert isinstance(loaded, LoadedFile), loaded
    return loaded.front_matter.data


BASES = [front_matter(path) for path in EXAMPLES]
CHECKER = SchemaChecker(SCHEMA)
ORACLE = jsonschema_rs.validator_for(SCHEMA, validate_formats=False)


def test_the_oracle_has_ecma_262_semantics() -> None:
    assert not jsonschema_rs.validator_for({"pattern": "^a$"}).is_valid("a\n")
    assert not jsonschema_rs.validator_for({"pattern": "^\\d$"}).is_valid("\u0661")


def test_every_example_is_valid_for_both() -> None:
    for base in BASES:
        assert ORACLE.is_valid(base)
        assert CHECKER.problems(base) == []


_TEXT = st.sampled_from(
    [
        "database\n", "AI-1\n", "https://tracker.example.com/X-1\n", "payments-api", "",
        " ", "x" * 81, "x" * 4001, "\u0661\u0662\u0663", "Payments", "a--b", "-a", "a-",
        "2025-03-14T09:12:00Z", "2025-03-14T09:12:00Z\n", "2025-03-14t09:12:00Z",
        "2025-03-14 09:12Z", "2025-03-14T09:12:00+0100", "2025-03-14", "2025-02-30",
        "2025-03-14\n", "\u0662025-03-14", "javascript:alert(1)", "http://x", "https://x",
        "draft", "published", "SEV1", "SEV5", "open", "wont-do", "P1", "P9", "prevent",
        "2024-11-02-edge-lb-partial-outage", "2024-11-02-edge-lb-partial-outage\n", "Title ok",
        # Schema version 2: precision, unknown, percentages, addresses.
        "2017-02", "2017-13", "2017-02-00", "2016-12-31T23:59:60Z", "2016-12-31T23:59:61Z",
        "2017-02\n", "unknown", "Unknown", "12%", "12.5%", "100%", "100.0%", "100.5%", "101%",
        "-1%", "%", "12 %", "ftp://x", "https://example.com/a b", "HTTPS://X",
    ]
)  # fmt: skip
_SCALARS = st.one_of(
    _TEXT,
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["term", "detail", "id", "x", "title", "url", "customer_facing", "scribe"]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _paths(sub, (*path, index))
    return found


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths)) if paths else ("title",)
        *parents, last = path
        holder: Any = data
        for part in parents:
            holder = holder[part]
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
        if action == "replace":
            holder[last] = draw(_VALUES)
        elif action == "remove" and isinstance(holder, dict):
            del holder[last]
        elif action == "remove" and isinstance(holder, list):
            holder.pop(last)
        elif isinstance(holder, dict):
            added = ["unknown", "Title", "tags", "link", "trigger", "impact", "roles", "source"]
            holder[draw(st.sampled_from(added))] = draw(_VALUES)
        else:
            holder.append(draw(_VALUES))
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_verdicts_agree_with_an_independent_validator(data: dict[str, Any]) -> None:
    expected = ORACLE.is_valid(data)
    problems = CHECKER.problems(data)
    assert (not problems) == expected, (problems, data)
    fast = CHECKER._is_valid
    assert fast is not None
    assert fast(data) == expected, data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tags", ["database\n"]),
        ("services", ["\u0661"]),
        ("started", "2025-03-14T09:12:00Z\n"),
        ("started", "2025-03-14T09:12Z"),
        ("started", "2025-03-14t09:12:00Z"),
        ("started", "2017-02"),
        ("started", "2016-12-31T23:59:60Z"),
        ("severity", "unknown"),
        ("causes", []),
        ("impact", {"customers_affected": "100.5%"}),
        ("impact", {"customers_affected": 1.0}),
        ("impact", {"support_tickets": True}),
        ("source", {"url": "javascript:alert(1)"}),
        ("roles", {"scribe": []}),
        ("responders", 0),
    ],
)
def test_the_cases_the_issue_names(field: str, value: Any) -> None:
    data = dict(BASES[0], **{field: value})
    assert (not CHECKER.problems(data)) == ORACLE.is_valid(data)
