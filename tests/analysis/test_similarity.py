"""`postmortem similar` and the similarity API the PR tooling uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from postmortem_kb.analysis.similarity import (
    SimilarityTarget,
    similar_incidents,
    text_similarities,
)
from postmortem_kb.collection.index import Collection
from postmortem_kb.loading.files import LoadedFile, load_file
from postmortem_testkit import UNIT_SERVICES, UNIT_TAXONOMY, MakeProject, TmpProject
from postmortem_testkit.incidents import body, incident, ok

TARGET = "2024-03-01-cache-stampede"


@pytest.fixture
def stampede(make_project: MakeProject) -> TmpProject:
    project = make_project()
    project.write(
        TARGET,
        incident(
            "2024-03-01",
            title="Cache stampede overloads the payments database",
            causes=["capacity-exhaustion", "config-change"],
            services=["payments-api"],
            lucky_breaks=["off-peak-timing"],
        ),
        body=body("Every cache key expired at once and the stampede hit the database."),
    )
    project.write(
        "2023-09-09-earlier-stampede",
        incident(
            "2023-09-09",
            title="Another cache stampede on the payments database",
            causes=["capacity-exhaustion"],
            services=["payments-api"],
        ),
        body=body("Cache keys expired together; the stampede saturated the database."),
    )
    project.write(
        "2023-05-05-shared-services-only",
        incident(
            "2023-05-05", title="Unrelated checkout bug", causes=["dns"], services=["payments-api"]
        ),
    )
    project.write(
        "2022-01-01-nothing-in-common",
        incident(
            "2022-01-01",
            title="Zzz",
            summary="Qqq.",
            causes=["dns"],
            services=["checkout"],
        ),
        body="",
    )
    return project


def similar(project: TmpProject, *args: str) -> list[dict[str, Any]]:
    result = ok(project.cli("similar", "--format", "json", *args))
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_similar_to_an_id_ranks_shared_causes_and_text_first(stampede: TmpProject) -> None:
    found = similar(stampede, TARGET)
    ids = [f["id"] for f in found]
    assert TARGET not in ids
    assert ids[:2] == ["2023-09-09-earlier-stampede", "2023-05-05-shared-services-only"]
    best = found[0]
    assert best["shared_causes"] == ["capacity-exhaustion"]
    assert best["shared_services"] == ["payments-api"]
    assert best["shared_lucky_breaks"] == []
    assert best["text_similarity"] > found[1]["text_similarity"]
    assert best["reason"].startswith(
        "shares causes: capacity-exhaustion; services: payments-api; text 0."
    )
    assert set(best) == {
        "id",
        "path",
        "date",
        "severity",
        "title",
        "score",
        "text_similarity",
        "shared_causes",
        "shared_services",
        "shared_lucky_breaks",
        "reason",
    }


def test_limit(stampede: TmpProject) -> None:
    assert len(similar(stampede, TARGET, "--limit", "1")) == 1


def test_similar_to_an_uncommitted_file_that_is_not_valid_yet(
    stampede: TmpProject, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(
        "---\ntitle: Stampede of cache misses takes the database down\n"
        "causes: [overload-typo, {term: capacity-exhaustion}, 42]\n"
        "services: payments-api\nseverity: [not, valid]\n---\n"
        "The cache expired and a stampede followed.\n"
    )
    found = similar(stampede, str(draft))
    # Both stampedes share the cause (read despite the bad neighbours) and the service;
    # the target counts too, since the draft is a different file.
    assert {f["id"] for f in found[:2]} == {TARGET, "2023-09-09-earlier-stampede"}
    assert all(f["shared_causes"] == ["capacity-exhaustion"] for f in found[:2])
    assert all(f["shared_services"] == ["payments-api"] for f in found[:2])


def test_similar_to_a_file_without_front_matter(stampede: TmpProject, tmp_path: Path) -> None:
    draft = tmp_path / "notes.md"
    draft.write_text("cache stampede on the database again\n")
    found = similar(stampede, str(draft))
    assert found[0]["id"] in {TARGET, "2023-09-09-earlier-stampede"}
    assert found[0]["shared_causes"] == []


def test_similar_to_a_file_in_the_folder_excludes_itself(stampede: TmpProject) -> None:
    found = similar(stampede, str(stampede.path(TARGET)))
    assert TARGET not in [f["id"] for f in found]
    assert found[0]["id"] == "2023-09-09-earlier-stampede"


def test_text_output(stampede: TmpProject) -> None:
    lines = ok(stampede.cli("similar", TARGET, "--limit", "1")).stdout.splitlines()
    assert lines[0].startswith("1. 2023-09-09-earlier-stampede  SEV2  score ")
    assert lines[1].strip() == "Another cache stampede on the payments database"
    assert lines[2].strip().startswith("shares causes: capacity-exhaustion")
    assert "related" in lines[-1]


def test_an_unknown_id_is_a_usage_error(stampede: TmpProject) -> None:
    result = stampede.cli("similar", "2020-01-01-nope")
    assert result.exit_code == 2
    assert "no postmortem with this id and no such file" in result.stderr


# -- the library API -------------------------------------------------------------------


def test_api_from_record_and_from_loaded(stampede: TmpProject) -> None:
    project = stampede.project()
    collection = Collection(stampede.result().records, project.taxonomy)
    record = collection.by_id[TARGET]
    from_record = SimilarityTarget.from_record(record)
    assert from_record.causes == ("capacity-exhaustion", "config-change")
    assert from_record.lucky_breaks == ("off-peak-timing",)
    loaded = load_file(stampede.path(TARGET), project.root, 1 << 20)
    assert isinstance(loaded, LoadedFile)
    from_loaded = SimilarityTarget.from_loaded(loaded, project.taxonomy)
    assert (from_loaded.id, from_loaded.title, from_loaded.causes, from_loaded.services) == (
        from_record.id,
        from_record.title,
        from_record.causes,
        from_record.services,
    )
    found = similar_incidents(collection, from_record, limit=2)
    assert [s.record.id for s in found] == [
        "2023-09-09-earlier-stampede",
        "2023-05-05-shared-services-only",
    ]
    assert found[0].score > found[1].score > 0
    assert "capacity-exhaustion" in found[0].reason


def test_from_loaded_tolerates_wrong_types(stampede: TmpProject, tmp_path: Path) -> None:
    path = tmp_path / "odd.md"
    path.write_text(
        "---\ntitle: [a, list]\nsummary: {a: b}\ncauses: bad-config\nlucky_breaks: {term: low-traffic}\n"
        "services: [payments-api, 3, payments-api]\n---\nbody\n"
    )
    loaded = load_file(path, tmp_path, 1 << 20)
    assert isinstance(loaded, LoadedFile)
    target = SimilarityTarget.from_loaded(loaded, stampede.project().taxonomy)
    assert target.title == "" and target.summary == ""
    assert target.causes == ("config-change",)
    assert target.lucky_breaks == ("off-peak-timing",)  # one item written without a list
    assert target.services == ("payments-api",)


def test_text_similarity_is_cosine() -> None:
    same, other, empty = text_similarities(
        "cache stampede database", ["database cache stampede", "kernel panic", ""]
    )
    assert same == pytest.approx(1.0)
    assert other == 0.0 and empty == 0.0
    assert text_similarities("", ["anything"]) == [0.0]


_WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord"]
_WORDS += ["garnet", "harbor", "iris", "jasper", "kelp", "lagoon"]


def _neutral_body(n: int) -> str:
    # Draft bodies that share no words, so that only the terms decide.
    return f"## Summary\n\n{_WORDS[n % 12]}{n} {_WORDS[(n + 5) % 12]}{n}\n"


def _quiet(day: str, n: int, title: str, **terms: Any) -> dict[str, Any]:
    return incident(
        day,
        title=f"{title} outage, code name {_WORDS[n % 12]}{n}",
        summary=f"Summary zz{n} qq{n}.",
        status="draft",
        **terms,
    )


@pytest.fixture
def rare_and_generic(make_project: MakeProject) -> TmpProject:
    """A target naming one rare cause (dns) and two generic ones; one past incident shares
    the rare cause, another the two generic ones, and many others name the generic ones."""
    project = make_project()
    generic = ["config-change", "insufficient-testing"]
    project.write(
        "2025-01-01-target",
        _quiet("2025-01-01", 0, "Target", causes=["dns", *generic]),
        body=_neutral_body(0),
    )
    project.write(
        "2024-06-01-rare",
        _quiet("2024-06-01", 1, "Rare", causes=["dns"], services=["checkout"]),
        body=_neutral_body(1),
    )
    project.write(
        "2024-05-01-generic",
        _quiet("2024-05-01", 2, "Generic", causes=generic, services=["edge-lb"]),
        body=_neutral_body(2),
    )
    for n in range(3, 15):
        project.write(
            f"2023-01-{n:02d}-filler",
            _quiet(f"2023-01-{n:02d}", n, "Filler", causes=generic, services=["edge-lb"]),
            body=_neutral_body(n),
        )
    return project


def test_a_shared_rare_cause_outweighs_two_generic_ones(rare_and_generic: TmpProject) -> None:
    found = similar(rare_and_generic, "2025-01-01-target", "--limit", "3")
    assert found[0]["id"] == "2024-06-01-rare"
    assert found[0]["shared_causes"] == ["dns"]
    # The two causes it shares with "generic" are named by 14 of the 15 incidents: no evidence.
    assert "2024-05-01-generic" not in [f["id"] for f in found]


def test_below_the_minimum_score_there_is_no_close_match(make_project: MakeProject) -> None:
    project = make_project()
    for n in range(1, 6):
        project.write(
            f"2024-0{n}-01-same",
            _quiet(f"2024-0{n}-01", n, "Same", causes=["config-change"]),
            body=_neutral_body(n),
        )
    project.write(
        "2025-01-01-lonely",
        _quiet("2025-01-01", 7, "Lonely", causes=["config-change"]),
        body=_neutral_body(7),
    )
    # Every incident names config-change: sharing it is no evidence.
    assert similar(project, "2025-01-01-lonely") == []
    text = ok(project.cli("similar", "2025-01-01-lonely")).stdout
    # Five compared: the target is not compared with itself.
    assert text.startswith("no close match for 2025-01-01-lonely among 5 postmortems")


def test_placeholder_terms_are_never_shared(make_project: MakeProject) -> None:
    from postmortem_kb.analysis.similarity import is_placeholder

    assert is_placeholder("unknown") and is_placeholder("other")
    assert is_placeholder("unknown-cause") and is_placeholder("cause-tbd")
    assert not is_placeholder("dns") and not is_placeholder("unknowable-input")
    taxonomy = UNIT_TAXONOMY.replace(
        "causes:\n", "causes:\n  unknown:\n    title: Unknown\n    description: Not known yet.\n"
    )
    project = make_project(taxonomy=taxonomy + UNIT_SERVICES)
    project.write(
        "2025-01-01-a",
        _quiet("2025-01-01", 1, "First", causes=["unknown"]),
        body=_neutral_body(1),
    )
    project.write(
        "2025-01-02-b",
        _quiet("2025-01-02", 2, "Second", causes=["unknown"]),
        body=_neutral_body(2),
    )
    for found in similar(project, "2025-01-01-a"):
        assert found["shared_causes"] == []


# --- issue 12: unknowns are said, and a second write-up is not a similar incident ---


def test_similar_says_what_it_could_not_compare_and_skips_write_ups(stampede: TmpProject) -> None:
    stampede.write(
        "2024-03-01-cache-stampede-public",
        incident(
            "2024-03-01",
            title="Cache stampede overloads the payments database (public write-up)",
            causes=["capacity-exhaustion"],
            same_incident_as=TARGET,
        ),
        body=body("Every cache key expired at once and the stampede hit the database."),
    )
    stampede.write(
        "2024-04-01-imported",
        incident(
            "2024-04-01", title="Imported: cache keys expired at once", status="draft", causes=[]
        ),
        body=body("Every cache key expired at once."),
    )
    result = ok(stampede.cli("similar", TARGET))
    assert "2024-03-01-cache-stampede-public" not in result.stdout
    assert "2024-04-01-imported" in result.stdout  # its text still matches
    assert (
        "note: 1 of the 3 postmortems compared are not yet analysed (no causes): they can "
        "match by text, services and lucky breaks only" in result.stdout
    )
    assert "note: 1 other write-up of the same incident left out" in result.stdout
    imported = ok(stampede.cli("similar", "2024-04-01-imported")).stdout
    assert "note: 2024-04-01-imported names no cause yet" in imported
