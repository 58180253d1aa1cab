"""The controlled vocabulary: loading, resolving names, suggesting, refusing bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_kb.errors import ConfigurationError
from postmortem_kb.model.kinds import TAXONOMY_KINDS, Kind
from postmortem_kb.model.taxonomy import Resolution, Taxonomy
from postmortem_kb.project.repository import load_taxonomy
from postmortem_testkit import UNIT_SERVICES, UNIT_TAXONOMY, MakeProject


@pytest.fixture
def taxonomy(tmp_path: Path) -> Taxonomy:
    path = tmp_path / "taxonomy.yml"
    path.write_text(UNIT_TAXONOMY + UNIT_SERVICES)
    return load_taxonomy(path)


def load(tmp_path: Path, text: str) -> Taxonomy:
    path = tmp_path / "taxonomy.yml"
    path.write_text(text)
    return load_taxonomy(path)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigurationError) as info:
        load(tmp_path, text)
    message = str(info.value)
    prefix = f"{tmp_path / 'taxonomy.yml'}: "
    assert message.startswith(prefix)
    return message[len(prefix) :]


def test_loads_every_group(taxonomy: Taxonomy) -> None:
    assert all(taxonomy.has_group(kind) for kind in TAXONOMY_KINDS)
    assert list(taxonomy.terms[Kind.CAUSE]) == [
        "config-change",
        "insufficient-testing",
        "dns",
        "capacity-exhaustion",
        "human-error",
        "legacy-thing",
    ]
    term = taxonomy.get(Kind.CAUSE, "config-change")
    assert term is not None
    assert (term.title, term.aliases, term.deprecated) == (
        "Configuration change",
        ("bad-config", "config-push"),
        False,
    )


def test_services_group_is_optional(tmp_path: Path) -> None:
    taxonomy = load(tmp_path, UNIT_TAXONOMY)
    assert not taxonomy.has_group(Kind.SERVICE)
    assert taxonomy.canonical_id(Kind.SERVICE, "anything") == "anything"


def test_resolve_canonical(taxonomy: Taxonomy) -> None:
    resolved = taxonomy.resolve(Kind.CAUSE, "dns")
    assert resolved.outcome is Resolution.CANONICAL
    assert resolved.term is not None and resolved.term.id == "dns"


def test_resolve_alias_gives_the_canonical_term(taxonomy: Taxonomy) -> None:
    resolved = taxonomy.resolve(Kind.CAUSE, "config-push")
    assert resolved.outcome is Resolution.ALIAS
    assert resolved.term is not None and resolved.term.id == "config-change"
    assert taxonomy.canonical_id(Kind.CAUSE, "config-push") == "config-change"


def test_resolve_deprecated(taxonomy: Taxonomy) -> None:
    resolved = taxonomy.resolve(Kind.CAUSE, "human-error")
    assert resolved.outcome is Resolution.DEPRECATED
    assert resolved.term is not None and resolved.term.replaced_by == "config-change"
    assert taxonomy.canonical_id(Kind.CAUSE, "human-error") == "human-error"


def test_resolve_unknown_with_suggestions(taxonomy: Taxonomy) -> None:
    resolved = taxonomy.resolve(Kind.CAUSE, "dns-failure")
    assert resolved.outcome is Resolution.UNKNOWN
    assert resolved.term is None
    assert resolved.suggestions == ("dns",)
    assert taxonomy.canonical_id(Kind.CAUSE, "dns-failure") == "dns-failure"


def test_groups_do_not_share_names(taxonomy: Taxonomy) -> None:
    assert taxonomy.resolve(Kind.LUCKY_BREAK, "fast-rollback").outcome is Resolution.UNKNOWN


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        (Kind.CAUSE, "config-chnage", ("config-change",)),
        (Kind.CAUSE, "change-config", ("config-change",)),  # words in another order
        (Kind.CAUSE, "bad-confg", ("config-change",)),  # near an alias: suggest its term
        (Kind.CAUSE, "testing", ("insufficient-testing",)),
        (Kind.CAUSE, "human-eror", ()),  # deprecated terms are never suggested
        (Kind.CAUSE, "zzz", ()),
        (Kind.WENT_WELL, "rollback", ("fast-rollback",)),  # alias and term fold into one
    ],
)
def test_suggest(taxonomy: Taxonomy, kind: Kind, name: str, expected: tuple[str, ...]) -> None:
    assert taxonomy.suggest(kind, name) == expected


def test_suggest_gives_at_most_three_canonical_ids(tmp_path: Path) -> None:
    terms = "".join(f"  net-{i}:\n    title: Net {i}\n" for i in range(6))
    taxonomy = load(tmp_path, f"causes:\n{terms}")
    suggestions = taxonomy.suggest(Kind.CAUSE, "net-")
    assert 1 <= len(suggestions) <= 3
    assert len(set(suggestions)) == len(suggestions)


def test_empty_group_is_allowed(tmp_path: Path) -> None:
    taxonomy = load(tmp_path, "causes:\nservices:\n")
    assert taxonomy.has_group(Kind.SERVICE)
    assert taxonomy.terms[Kind.SERVICE] == {}


def test_unknown_group(tmp_path: Path) -> None:
    assert refused(tmp_path, "cause:\n  dns:\n    title: DNS\n") == (
        "unknown taxonomy group 'cause'; expected one of causes, trigger, lucky_breaks, "
        "went_well, detection, services"
    )


def test_term_without_title(tmp_path: Path) -> None:
    assert refused(tmp_path, "causes:\n  dns:\n    description: x\n") == (
        "causes.dns: a title is required"
    )


def test_term_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert refused(tmp_path, "causes:\n  dns: DNS\n") == (
        "causes.dns: expected a mapping with title and description"
    )


def test_aliases_must_be_a_list(tmp_path: Path) -> None:
    assert refused(tmp_path, "causes:\n  dns:\n    title: DNS\n    aliases: dns-failure\n") == (
        "causes.dns: aliases must be a list of names"
    )


def test_alias_used_twice(tmp_path: Path) -> None:
    text = "causes:\n  a:\n    title: A\n    aliases: [x]\n  b:\n    title: B\n    aliases: [x]\n"
    assert refused(tmp_path, text) == "causes.b: alias 'x' is already used"


def test_alias_equal_to_a_term_id(tmp_path: Path) -> None:
    text = "causes:\n  a:\n    title: A\n    aliases: [b]\n  b:\n    title: B\n"
    assert refused(tmp_path, text) == "causes.a: alias 'b' is already used"


def test_replaced_by_must_be_a_term(tmp_path: Path) -> None:
    text = "causes:\n  a:\n    title: A\n    deprecated: true\n    replaced_by: zz\n"
    assert refused(tmp_path, text) == "causes.a: replaced_by 'zz' is not a term in this group"


def test_taxonomy_must_be_a_mapping(tmp_path: Path) -> None:
    assert refused(tmp_path, "- causes\n") == "the taxonomy must be a mapping of groups"
    assert refused(tmp_path, "") == "the taxonomy must be a mapping of groups"


def test_invalid_yaml(tmp_path: Path) -> None:
    assert refused(tmp_path, "causes: [\n").startswith("the taxonomy is not valid YAML")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read the taxonomy"):
        load_taxonomy(tmp_path / "nope.yml")


def test_group_written_as_a_list_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load(tmp_path, "causes:\n  - dns\n  - config-change\n")


def test_group_written_as_a_list_exits_2_without_traceback(make_project: MakeProject) -> None:
    project = make_project(taxonomy="causes: [dns]\n")
    result = project.check()
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_broken_taxonomy_is_exit_2_with_a_message(make_project: MakeProject) -> None:
    project = make_project(taxonomy="cause:\n  dns:\n    title: DNS\n")
    project.write()
    result = project.check()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("postmortem: error: ")
    assert "unknown taxonomy group 'cause'" in result.stderr
