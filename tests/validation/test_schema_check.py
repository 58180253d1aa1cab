"""Schema validation in plain English: the messages a person fixing a file reads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.validation.schema_check import SchemaChecker
from postmortem_testkit import (
    REMOVE,
    VALID_RECORD,
    TmpProject,
    postmortem_text,
)


@pytest.fixture(scope="module")
def checker(repo_root: Path) -> SchemaChecker:
    return SchemaChecker(json.loads((repo_root / "schema/postmortem.schema.json").read_text()))


def problems(checker: SchemaChecker, **overrides: Any) -> list[tuple[tuple[Any, ...], str]]:
    data = copy.deepcopy(VALID_RECORD)
    for key, value in overrides.items():
        if value is REMOVE:
            data.pop(key, None)
        else:
            data[key] = value
    return [(p.field, p.message) for p in checker.problems(data)]


def test_the_design_record_is_valid(checker: SchemaChecker) -> None:
    assert problems(checker) == []


def test_minimal_record_is_valid(checker: SchemaChecker) -> None:
    minimal = {
        key: VALID_RECORD[key]
        for key in ("title", "status", "severity", "started", "authors", "services", "summary")
    }
    minimal["causes"] = ["dns"]
    assert checker.problems(minimal) == []


def test_unknown_field_suggests_the_close_one(checker: SchemaChecker) -> None:
    found = checker.problems({**VALID_RECORD, "sumary": "x"})
    assert [(p.field, p.message, p.at_key) for p in found] == [
        (("sumary",), "unknown field 'sumary'; did you mean 'summary'?", True)
    ]


def test_unknown_field_without_a_close_one_lists_the_fields(checker: SchemaChecker) -> None:
    assert problems(checker, zzz=1) == [
        (
            ("zzz",),
            "unknown field 'zzz'; known fields: title, status, severity, started, detected, "
            "mitigated, resolved, authors, services, summary, detection, trigger, causes, "
            "lucky_breaks, went_well, impact, roles, responders, action_items, related, "
            "same_incident_as, tags, source",
        )
    ]


def test_unknown_field_in_an_action_item(checker: SchemaChecker) -> None:
    item = {**VALID_RECORD["action_items"][0], "ownr": "x"}
    assert problems(checker, action_items=[item]) == [
        (("action_items", 0, "ownr"), "unknown field 'ownr'; did you mean 'owner'?")
    ]


def test_missing_required_fields_are_each_reported(checker: SchemaChecker) -> None:
    assert problems(checker, title=REMOVE, causes=REMOVE) == [
        ((), "required field 'title' is missing"),
        ((), "required field 'causes' is missing"),
    ]


def test_missing_action_item_fields(checker: SchemaChecker) -> None:
    assert problems(checker, action_items=[{"id": "AI-1", "title": "Do it", "owner": "me"}]) == [
        (("action_items", 0), f"required field '{name}' is missing")
        for name in ("type", "priority", "due", "status")
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("services", "payments-api", "must be a list, not text"),
        ("authors", "ana", "must be a list, not text"),
        ("causes", {"term": "dns"}, "must be a list, not a mapping"),
        ("title", 12345, "must be text, not a number"),
        ("title", None, "must be text, not empty"),
        ("summary", ["a"], "must be text, not a list"),
        ("started", 20250314, "must be text, not a number"),
        ("action_items", "none", "must be a list, not text"),
    ],
)
def test_wrong_types(checker: SchemaChecker, field: str, value: Any, message: str) -> None:
    assert problems(checker, **{field: value}) == [((field,), message)]


def test_severity_as_a_number(checker: SchemaChecker) -> None:
    assert problems(checker, severity=2) == [
        (("severity",), "2 is not one of: SEV1, SEV2, SEV3, SEV4, unknown")
    ]


def test_enum_lists_the_options(checker: SchemaChecker) -> None:
    assert problems(checker, status="done") == [
        (("status",), "'done' is not one of: draft, review, published")
    ]


def test_action_item_enums(checker: SchemaChecker) -> None:
    item = {**VALID_RECORD["action_items"][0], "type": "fix", "priority": "P0", "status": "closed"}
    assert problems(checker, action_items=[item]) == [
        (("action_items", 0, "type"), "'fix' is not one of: prevent, mitigate, detect, process"),
        (("action_items", 0, "priority"), "'P0' is not one of: P1, P2, P3, P4"),
        (
            ("action_items", 0, "status"),
            "'closed' is not one of: open, in-progress, done, wont-do",
        ),
    ]


def test_lengths(checker: SchemaChecker) -> None:
    assert problems(checker, title="abc") == [(("title",), "must be at least 5 characters long")]
    assert problems(checker, summary="x" * 2001) == [
        (("summary",), "is 2001 characters long; the limit is 2000")
    ]
    assert problems(checker, authors=[""]) == [(("authors", 0), "must not be empty")]


def test_empty_lists(checker: SchemaChecker) -> None:
    # Causes may be empty in the schema: a draft or an imported write-up is "not yet
    # analysed"; the rule that a review or published postmortem names one is in rules.py.
    assert problems(checker, authors=[], causes=[]) == [
        (("authors",), "must list at least 1 item"),
    ]


def test_duplicates_in_unique_lists(checker: SchemaChecker) -> None:
    assert problems(checker, tags=["a", "b", "a"]) == [
        (("tags",), "lists the same entry more than once: 'a'")
    ]


def test_patterns_explain_the_form(checker: SchemaChecker) -> None:
    assert problems(checker, services=["Payments API"], related=["last-week"]) == [
        (
            ("services", 0),
            "'Payments API' is not in the expected form: "
            "Lowercase words joined by hyphens, e.g. payments-api.",
        ),
        (
            ("related", 0),
            "'last-week' is not in the expected form: A postmortem id: its file name without "
            ".md, e.g. 2024-11-02-edge-lb-partial-outage.",
        ),
    ]


def test_due_must_be_a_plain_date(checker: SchemaChecker) -> None:
    item = {**VALID_RECORD["action_items"][0], "due": "2025-04-30T00:00:00Z"}
    assert problems(checker, action_items=[item]) == [
        (
            ("action_items", 0, "due"),
            "'2025-04-30T00:00:00Z' is not in the expected form: A calendar date, YYYY-MM-DD.",
        )
    ]


def test_long_values_are_shortened_in_messages(checker: SchemaChecker) -> None:
    ((_, message),) = problems(checker, severity="x" * 100)
    assert message == "'" + "x" * 56 + "... is not one of: SEV1, SEV2, SEV3, SEV4, unknown"


def test_bare_string_and_mapping_terms_are_both_valid(checker: SchemaChecker) -> None:
    assert problems(checker, causes=["dns", {"term": "dns"}, {"term": "x", "detail": "y"}]) == []


def test_term_of_the_wrong_type_entirely(checker: SchemaChecker) -> None:
    found = problems(checker, causes=[5])
    assert [field for field, _ in found] == [("causes", 0)]
    assert found[0][1].endswith("not a number")


def test_bare_string_term_in_the_wrong_form_gets_the_string_message(
    checker: SchemaChecker,
) -> None:
    assert problems(checker, causes=["Insufficient Testing"]) == [
        (
            ("causes", 0),
            "'Insufficient Testing' is not in the expected form: "
            "Lowercase words joined by hyphens, e.g. payments-api.",
        )
    ]


def test_term_mapping_with_a_typo_names_the_typo(checker: SchemaChecker) -> None:
    assert problems(checker, causes=[{"term": "dns", "detial": "x"}]) == [
        (("causes", 0, "detial"), "unknown field 'detial'; did you mean 'detail'?")
    ]


def test_term_mapping_without_term(checker: SchemaChecker) -> None:
    assert problems(checker, causes=[{"detail": "x"}]) == [
        (("causes", 0), "required field 'term' is missing")
    ]


def test_html_in_text_fields_is_accepted(checker: SchemaChecker) -> None:
    assert (
        problems(
            checker,
            title="<script>alert('x')</script> outage",
            summary="<img src=x onerror=alert(1)> & <b>bold</b>",
            causes=[{"term": "dns", "detail": "<iframe src='javascript:alert(1)'>"}],
        )
        == []
    )


def test_invalid_schema_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="the postmortem schema is invalid"):
        SchemaChecker({"type": "objekt"})


# --- the same messages as the user sees them, at file:line:col ----------------------------

FILE = "postmortems/2025-03-14-payments-502.md"


def test_unknown_field_points_at_the_key(project: TmpProject) -> None:
    text = postmortem_text().replace("summary: ", "sumary: typo\nsummary: ")
    project.write_text("2025-03-14-payments-502", text)
    assert project.check_lines() == [
        f"{FILE}:11:1: error: sumary: unknown field 'sumary'; did you mean 'summary'?"
    ]


def test_unknown_nested_field_points_at_its_key(project: TmpProject) -> None:
    text = postmortem_text().replace("  owner: edge-team\n", "  ownr: edge-team\n")
    project.write_text("2025-03-14-payments-502", text)
    assert project.check_lines() == [
        f"{FILE}:23:3: error: action_items[0]: required field 'owner' is missing",
        f"{FILE}:25:3: error: action_items[0].ownr: unknown field 'ownr'; did you mean 'owner'?",
    ]


def test_services_as_a_string_points_at_the_value(project: TmpProject) -> None:
    project.write(overrides={"services": "payments-api"})
    assert project.check_lines() == [f"{FILE}:10:11: error: services: must be a list, not text"]


def test_missing_required_field_is_reported_at_the_top(project: TmpProject) -> None:
    project.write(overrides={"summary": REMOVE})
    assert project.check_lines() == [f"{FILE}:1:1: error: required field 'summary' is missing"]


def test_html_is_accepted_by_check(project: TmpProject) -> None:
    project.write(overrides={"summary": "<script>alert(1)</script> & <b>x</b>"})
    assert project.check().exit_code == 0


def test_severity_written_as_a_number(project: TmpProject) -> None:
    project.write_text(
        "2025-03-14-payments-502", postmortem_text().replace("severity: SEV2", "severity: 2")
    )
    assert project.check_lines() == [
        f"{FILE}:4:11: error: severity: 2 is not one of: SEV1, SEV2, SEV3, SEV4, unknown"
    ]


def test_empty_optional_time_says_it_is_empty(project: TmpProject) -> None:
    text = postmortem_text().replace("detected: 2025-03-14T09:20:00Z", "detected:")
    project.write_text("2025-03-14-payments-502", text)
    assert project.check_lines() == [f"{FILE}:6:10: error: detected: must be text, not empty"]


def test_number_as_title_is_a_type_error(project: TmpProject) -> None:
    text = postmortem_text().replace(
        "title: Payments API returns 502 after load balancer config push", "title: 1234567"
    )
    project.write_text("2025-03-14-payments-502", text)
    assert project.check_lines() == [f"{FILE}:2:8: error: title: must be text, not a number"]


# --- issue 11, oracle 1: `pattern` has ECMA-262 semantics in both validators -------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tags", ["database\n"]),  # Python's $ matches before a final newline; ECMA's does not
        ("related", ["2024-11-02-edge-lb\n"]),
        ("services", ["\u0661\u0662"]),  # ECMA's \d and [0-9] are ASCII; these are Arabic digits
    ],
)
def test_pattern_is_ecma_262_in_the_explaining_validator(
    checker: SchemaChecker, field: str, value: Any
) -> None:
    found = problems(checker, **{field: value})
    assert [path for path, _ in found] == [(field, 0)], found
    assert "is not in the expected form" in found[0][1]


def test_pattern_is_ecma_262_in_the_fast_path_too(
    checker: SchemaChecker, valid_record: Any
) -> None:
    fast = checker._is_valid
    assert fast is not None, "the real schema has a fast path"
    assert fast(valid_record)
    assert not fast(dict(valid_record, tags=["database\n"]))
    # \d in a team's pattern: ASCII digits only, in the compiled validator as in jsonschema.
    schema = {"type": "object", "properties": {"n": {"type": "string", "pattern": "^\\d+$"}}}
    digits = SchemaChecker(schema)
    assert digits._is_valid is not None
    assert digits._is_valid({"n": "12"})
    assert not digits._is_valid({"n": "\u0661\u0662"})
    assert [p.field for p in digits.problems({"n": "\u0661\u0662"})] == [("n",)]


def test_a_pattern_that_is_not_ecma_262_is_a_configuration_error() -> None:
    schema = {"type": "string", "pattern": "(?P<name>x)"}  # Python-only syntax
    with pytest.raises(ConfigurationError, match="is not an ECMA-262 regular expression"):
        SchemaChecker(schema)


def test_a_block_scalar_tag_fails_check_and_names_the_line(project: Any) -> None:
    """The reproduction of the issue: `tags:` as a block scalar holding 'database\\n'."""
    from postmortem_testkit import postmortem_text

    text = postmortem_text().replace("tags: [load-balancer]", "tags:\n  - |\n    database")
    assert "    database" in text
    path = project.write_text("2025-03-14-payments-502", text)
    result = project.cli("check", str(path))
    assert result.exit_code == 1, result.output
    assert "error: tags[0]: 'database\\n' is not in the expected form" in result.output


@pytest.mark.parametrize("pattern", ["^(a+)+$", "^(\\w+\\s?)+$", "^(a|aa)*c$"])
def test_a_schema_pattern_that_could_backtrack_exponentially_is_refused(pattern: str) -> None:
    """Issue 11, attacker 9: team configuration a pull request can change."""
    schema = {"type": "object", "properties": {"title": {"type": "string", "pattern": pattern}}}
    with pytest.raises(ConfigurationError, match="could take exponential time"):
        SchemaChecker(schema)


def test_a_repeated_group_that_starts_with_its_own_separator_is_fine() -> None:
    SchemaChecker({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})  # the slug
