"""The strict YAML front-matter parser: values, positions and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_kb.loading.frontmatter_yaml import FrontMatterError, Position, parse_front_matter


def parse(text: str, first_line: int = 2):
    return parse_front_matter(text, first_line)


def error_of(text: str, first_line: int = 2) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter(text, first_line)
    return info.value


def where(error: FrontMatterError) -> tuple[int, int, str]:
    return error.line, error.column, error.message


# --- values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2025-03-14T09:12:00Z",
        "2025-03-14T09:12:00+01:00",
        "2025-03-14 09:12:00Z",
        "2025-03-14T09:12:00",
        "2025-03-14",
    ],
)
def test_timestamps_and_dates_stay_the_strings_that_were_written(written: str) -> None:
    assert parse(f"started: {written}\n").data == {"started": written}


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On"])
def test_yaml_1_1_booleans_are_plain_text(word: str) -> None:
    assert parse(f"status: {word}\n").data == {"status": word}


def test_sexagesimal_and_octal_looking_values_stay_text() -> None:
    data = parse("a: 1:30\nb: 0o17\nc: 0x1F\n").data
    assert data == {"a": "1:30", "b": "0o17", "c": "0x1F"}


def test_quoted_scalars_are_always_text() -> None:
    data = parse("a: '1'\nb: \"true\"\nc: '~'\nd: ''\n").data
    assert data == {"a": "1", "b": "true", "c": "~", "d": ""}


def test_block_scalars_are_text() -> None:
    data = parse("summary: |\n  line one\n  line two\nother: >\n  folded\n  text\n").data
    assert data == {"summary": "line one\nline two\n", "other": "folded text\n"}


def test_yaml_1_2_core_schema_plain_scalars_get_their_types() -> None:
    data = parse("a: 1\nb: -2\nc: 1.5\nd: true\ne: False\nf: ~\ng: null\nh:\n").data
    expected = {"a": 1, "b": -2, "c": 1.5, "d": True, "e": False, "f": None, "g": None, "h": None}
    assert data == expected


def test_plain_scalars_in_lists_get_their_types() -> None:
    assert parse("tags: [1, x, true]\n").data == {"tags": [1, "x", True]}


def test_nested_lists_and_mappings() -> None:
    data = parse("causes:\n  - term: dns\n    detail: d\n  - config-change\n").data
    assert data == {"causes": [{"term": "dns", "detail": "d"}, "config-change"]}


# --- positions ------------------------------------------------------------------------


def test_value_and_key_positions_are_file_lines_and_1_based_columns() -> None:
    parsed = parse("title: Hello\ncauses:\n  - term: dns\n    detail: x\n  - other\n")
    assert parsed.key_positions[("title",)] == Position(2, 1)
    assert parsed.value_positions[("title",)] == Position(2, 8)
    assert parsed.value_positions[("causes",)] == Position(4, 3)
    assert parsed.value_positions[("causes", 0)] == Position(4, 5)
    assert parsed.key_positions[("causes", 0, "term")] == Position(4, 5)
    assert parsed.value_positions[("causes", 0, "term")] == Position(4, 11)
    assert parsed.value_positions[("causes", 0, "detail")] == Position(5, 13)
    assert parsed.value_positions[("causes", 1)] == Position(6, 5)


def test_first_line_shifts_every_position() -> None:
    parsed = parse("title: Hello\n", first_line=10)
    assert parsed.value_positions[("title",)] == Position(10, 8)


def test_columns_count_characters_not_bytes() -> None:
    parsed = parse("tags: [é, ü, x]\n")
    assert [parsed.value_positions[("tags", i)] for i in range(3)] == [
        Position(2, 8),
        Position(2, 11),
        Position(2, 14),
    ]


# --- what is refused, and where -------------------------------------------------------


def test_duplicate_key_names_the_first_line() -> None:
    error = error_of("title: a\nstatus: draft\ntitle: b\n")
    assert where(error) == (4, 1, "duplicate key 'title' (first set on line 2)")


def test_duplicate_key_inside_a_list_item() -> None:
    error = error_of("action_items:\n  - id: AI-1\n    owner: a\n    id: AI-2\n")
    assert where(error) == (5, 5, "duplicate key 'id' (first set on line 3)")


def test_anchor_is_refused_where_it_is_written() -> None:
    error = error_of("title: &t Hello\nsummary: *t\n")
    assert where(error) == (
        2,
        8,
        "YAML anchors and aliases (&name, *name) are not allowed; write the value out",
    )


def test_alias_without_anchor_is_refused() -> None:
    error = error_of("title: x\nsummary: *nothing\n")
    assert error.line == 3
    assert error.message == (
        "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
    )


def test_billion_laughs_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        refs = ",".join([f"*{previous}"] * 9)
        lines.append(f"{name}: &{name} [{refs}]")
    error = error_of("\n".join(lines) + "\n")
    assert (error.line, error.column) == (2, 4)
    assert "anchors and aliases" in error.message


def test_python_tag_is_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'title: !!python/object/apply:os.system ["touch {marker}"]\n'
    error = error_of(text)
    assert where(error) == (
        2,
        8,
        "YAML tags such as '!!python/object/apply:os.system' are not allowed; remove the tag",
    )
    assert not marker.exists()


def test_python_tag_in_a_nested_value_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"causes:\n  - term: !!python/object/apply:os.system ['touch {marker}']\n"
    assert error_of(text).line == 3
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("title: !foo bar\n", "!foo"),
        ("title: !!str bar\n", "!!str"),
        ("title: !!binary aGVsbG8=\n", "!!binary"),
        ("tags: !!set {a, b}\n", "!!set"),
        ("title: !<tag:example.com,2000:x> bar\n", "tag:example.com,2000:x"),
    ],
)
def test_every_explicit_tag_is_refused(text: str, shown: str) -> None:
    error = error_of(text)
    assert error.message == f"YAML tags such as '{shown}' are not allowed; remove the tag"
    assert error.line == 2


def test_merge_key_is_refused() -> None:
    error = error_of("x:\n  <<: {a: 1}\n  b: 2\n")
    assert where(error) == (3, 3, "YAML merge keys (<<) are not allowed")


def test_merge_key_with_an_alias_reports_the_anchor_first() -> None:
    error = error_of("base: &b {a: 1}\nx:\n  <<: *b\n")
    assert (error.line, error.column) == (2, 7)
    assert "anchors and aliases" in error.message


def test_double_angle_as_a_value_is_just_text() -> None:
    assert parse("summary: <<\n").data == {"summary": "<<"}


@pytest.mark.parametrize(
    "text", ["title: x\nseverity:\n\tfoo: 1\n", "title: x\n\tstatus: draft\n", "causes:\n\t- dns\n"]
)
def test_tab_indentation_is_a_located_syntax_error(text: str) -> None:
    error = error_of(text)
    assert (error.line, error.column) == (text.count("\n", 0, text.index("\t")) + 2, 1)
    assert error.message.startswith("YAML syntax error: ")


def test_tab_indentation_message_says_tab() -> None:
    error = error_of("title: x\nseverity:\n\tfoo: 1\n")
    assert "tab" in error.message


def test_tab_inside_a_value_is_fine() -> None:
    assert parse('title: "a\\tb"\nsummary: a\tb\n').data == {"title": "a\tb", "summary": "a\tb"}


def test_syntax_error_is_located() -> None:
    error = error_of("title: x\nsummary: [one\nstatus: draft\n")
    assert error.message == "YAML syntax error: did not find expected ',' or ']'"
    assert error.line == 4


def test_unclosed_quote_is_located() -> None:
    error = error_of('title: "open\nstatus: draft\n')
    assert error.message.startswith("YAML syntax error: ")
    assert error.line >= 2


def test_non_scalar_key_is_refused() -> None:
    error = error_of("? [a, b]\n: c\n")
    assert where(error) == (2, 3, "keys must be plain names")


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("- a\n- b\n", "a list", (2, 1)),
        ("just words\n", "a single value", (2, 1)),
        ("'quoted'\n", "a single value", (2, 1)),
    ],
)
def test_front_matter_must_be_a_mapping(text: str, kind: str, position: tuple[int, int]) -> None:
    error = error_of(text)
    assert (error.line, error.column) == position
    assert error.message == f"front matter must be a mapping of fields (title: ...), not {kind}"


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "   \n\n"])
def test_empty_front_matter(text: str) -> None:
    error = error_of(text)
    assert where(error) == (1, 1, "front matter is empty")


def test_second_document_is_refused() -> None:
    error = error_of("title: a\n---\ntitle: b\n")
    assert error.message.startswith("YAML")


def test_control_character_is_a_located_error_not_a_crash() -> None:
    error = error_of("title: x!\nsummary: a\x07b\n")
    assert error.line == 3
    assert "\n" not in error.message


def test_control_character_message_is_one_located_line() -> None:
    error = error_of("title: x\nsummary: a\x07b\n")
    assert error.line == 3
    assert "<unicode string>" not in error.message
    assert "\n" not in error.message


# --- issue 11: what the oracles found ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: ! 12\n", {"title": "12"}),  # YAML spec example 6.28
        ("a: [! 1, 2]\n", {"a": ["1", 2]}),
        ("a: ! true\nb: ! null\n", {"a": "true", "b": "null"}),
        ("a: !\n", {"a": ""}),
    ],
)
def test_the_non_specific_tag_makes_a_plain_scalar_text(text: str, expected: object) -> None:
    assert parse(text).data == expected


def test_an_integer_of_too_many_digits_is_a_located_error() -> None:
    assert where(error_of("title: x\nn: " + "1" * 5000 + "\n")) == (
        3,
        4,
        "this number has more than 4,300 digits; quote it if it is meant as text",
    )


def test_the_longest_integer_python_converts_is_still_a_number() -> None:
    assert parse("n: " + "9" * 4300 + "\n").data["n"] == int("9" * 4300)


@pytest.mark.parametrize("depth", [65, 600, 997])
def test_deep_flow_nesting_is_a_located_error_not_a_recursion_error(depth: int) -> None:
    text = "tags: [database, " + "[" * depth + "]" * depth + "]\n"
    error = error_of(text)
    assert error.line == 2
    assert error.message == (
        "values are nested more than 64 levels deep; front matter needs a few levels at most"
    )


def test_nesting_past_libyaml_s_own_limit_is_a_located_syntax_error() -> None:
    error = error_of("tags: " + "[" * 1500 + "]" * 1500 + "\n")
    assert (error.line, error.message) == (2, "YAML syntax error: exceeded maximum nesting depth")


def test_nesting_of_a_few_levels_is_fine() -> None:
    assert parse("a: [[[[x]]]]\n").data == {"a": [[[["x"]]]]}
