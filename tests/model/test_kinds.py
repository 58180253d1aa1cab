"""The kind table: every kind declared once, and the groups and facets read from it."""

from __future__ import annotations

from postmortem_kb.model.kinds import (
    FACET_KINDS,
    KINDS,
    PAGED_KINDS,
    TAXONOMY_KINDS,
    TERM_PAGE_KINDS,
    Control,
    Kind,
    Shape,
    WrittenTerm,
    written_terms,
)


def test_every_kind_is_declared_once_under_its_field() -> None:
    assert list(KINDS) == list(Kind)
    assert all(spec.kind is kind and spec.field == kind.value for kind, spec in KINDS.items())


def test_groups_pages_and_facets_follow_the_declarations() -> None:
    assert TAXONOMY_KINDS == (
        Kind.CAUSE,
        Kind.TRIGGER,
        Kind.LUCKY_BREAK,
        Kind.WENT_WELL,
        Kind.DETECTION,
        Kind.SERVICE,
    )
    assert Kind.TAG in PAGED_KINDS and Kind.DETECTION not in PAGED_KINDS
    assert Kind.TAG not in TERM_PAGE_KINDS
    assert FACET_KINDS == (Kind.CAUSE, Kind.TRIGGER, Kind.LUCKY_BREAK, Kind.WENT_WELL, Kind.SERVICE)
    assert [KINDS[k].cli_option for k in FACET_KINDS] == [
        "--cause",
        "--trigger",
        "--lucky-break",
        "--went-well",
        "--service",
    ]


def test_shapes_and_control() -> None:
    assert KINDS[Kind.DETECTION].shape is Shape.TERM
    assert KINDS[Kind.TRIGGER].shape is Shape.REF and not Shape.REF.is_list
    assert KINDS[Kind.TRIGGER].control is Control.ALWAYS
    assert KINDS[Kind.SERVICE].control is Control.IF_LISTED
    assert KINDS[Kind.TAG].control is Control.NEVER and not KINDS[Kind.TAG].in_taxonomy
    assert [k for k, s in KINDS.items() if s.has_detail] == [
        Kind.CAUSE,
        Kind.TRIGGER,
        Kind.LUCKY_BREAK,
        Kind.WENT_WELL,
    ]


def test_written_terms_reads_every_shape_defensively() -> None:
    trigger = KINDS[Kind.TRIGGER]
    assert written_terms(trigger, {"term": "deploy", "detail": "v2"}) == [
        WrittenTerm(("trigger", "term"), "deploy", "v2", ("trigger",))
    ]
    assert written_terms(trigger, "deploy") == [
        WrittenTerm(("trigger",), "deploy", "", ("trigger",))
    ]
    assert written_terms(trigger, ["deploy"]) == []  # a list is the schema's to report
    causes = KINDS[Kind.CAUSE]
    assert [w.path for w in written_terms(causes, ["dns", {"term": "x"}, 3, {"t": 1}])] == [
        ("causes", 0),
        ("causes", 1, "term"),
    ]
    assert written_terms(KINDS[Kind.DETECTION], {"term": "x"}) == []  # no detail: no mapping
