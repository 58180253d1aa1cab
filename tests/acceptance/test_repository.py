"""The repository's own content: postmortems/, the schema, the taxonomy, the template."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from postmortem_kb.model.kinds import Kind
from postmortem_kb.model.taxonomy import Taxonomy
from postmortem_kb.project.repository import load_taxonomy
from postmortem_testkit import REPO_ROOT, TmpProject, run_cli

SCHEMA_PATH = REPO_ROOT / "schema" / "postmortem.schema.json"
TAXONOMY_PATH = REPO_ROOT / "schema" / "taxonomy.yml"
TEMPLATE_PATH = REPO_ROOT / "schema" / "template.md"


def test_real_postmortems_pass_strict_check() -> None:
    postmortems = sorted((REPO_ROOT / "postmortems").glob("*.md"))
    assert len(postmortems) >= 8  # the example content the Foundation issue asks for
    result = run_cli(["--root", str(REPO_ROOT), "check", "--strict"])
    assert result.exit_code == 0, result.stdout + result.stderr
    count = len(postmortems)
    assert result.stdout == f"checked {count} postmortem{'s' if count != 1 else ''}: no problems\n"


# --- the schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def test_schema_is_valid_against_its_metaschema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (location, property schema) under ``node``, however deeply nested."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{where}.properties.{name}", sub
        for key, value in node.items():
            yield from _properties(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _properties(item, f"{where}[{index}]")


def test_every_property_has_a_title_and_a_description(schema: dict[str, Any]) -> None:
    found = list(_properties(schema, "#"))
    assert len(found) > 20  # top level, $defs' termRef and actionItem
    assert any(".$defs." in where for where, _ in found)
    missing = [
        where
        for where, prop in found
        if not (isinstance(prop.get("title"), str) and prop["title"].strip())
        or not (isinstance(prop.get("description"), str) and prop["description"].strip())
    ]
    assert missing == [], f"properties without a title or description: {missing}"


def test_schema_and_its_title_describe_the_record(schema: dict[str, Any]) -> None:
    assert schema.get("title") and schema.get("description")
    assert schema["additionalProperties"] is False


# --- the taxonomy ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY_PATH)


def test_taxonomy_loads_with_the_core_groups(taxonomy: Taxonomy) -> None:
    for kind in (Kind.CAUSE, Kind.LUCKY_BREAK, Kind.WENT_WELL, Kind.DETECTION):
        assert taxonomy.has_group(kind), kind.value
        assert taxonomy.terms[kind], f"{kind.value} has no terms"


def test_every_term_is_described(taxonomy: Taxonomy) -> None:
    undescribed = [
        f"{kind.value}.{term.id}"
        for kind, terms in taxonomy.terms.items()
        for term in terms.values()
        if not term.description.strip()
    ]
    assert undescribed == []


def test_term_ids_and_aliases_are_slugs(taxonomy: Taxonomy) -> None:
    slug = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    bad = [
        f"{kind.value}.{name}"
        for kind, terms in taxonomy.terms.items()
        for term in terms.values()
        for name in (term.id, *term.aliases)
        if not slug.match(name)
    ]
    assert bad == []


def test_deprecated_terms_name_a_live_replacement(taxonomy: Taxonomy) -> None:
    for kind, terms in taxonomy.terms.items():
        for term in terms.values():
            if term.deprecated and term.replaced_by:
                replacement = terms[term.replaced_by]
                assert not replacement.deprecated, f"{kind.value}.{term.id}"


# --- the template ------------------------------------------------------------------------


def _first_terms(taxonomy: Taxonomy, kind: Kind, count: int) -> list[str]:
    live = [t.id for t in taxonomy.terms.get(kind, {}).values() if not t.deprecated]
    assert len(live) >= count, f"the taxonomy needs {count} live {kind.value} terms"
    return live[:count]


def filled_template(taxonomy: Taxonomy, status: str) -> str:
    """schema/template.md with every <<placeholder>> replaced by a real value, and every
    section written (a section holding only the template's comment counts as empty)."""
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    services = (
        _first_terms(taxonomy, Kind.SERVICE, 1)
        if taxonomy.has_group(Kind.SERVICE)
        else ["payments-api"]
    )
    values = {
        '"<<2026-01-01T00:00:00Z>>"': "2026-01-01T00:00:00Z",
        '"<<your-name>>"': "ana",
        '"<<service-id>>"': services[0],
        '"<<cause-term>>"': _first_terms(taxonomy, Kind.CAUSE, 1)[0],
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    text = re.sub(r'"<<[^"]*>>"', '"Written by the author in plain words."', text)
    text = re.sub(r"<<[^<>]*>>", "written", text)
    text = re.sub(r"(?m)^(## .+)\n\n<!--", r"\1\n\nWritten by the author.\n\n<!--", text)
    text = re.sub(r"(?m)^status: draft\b", f"status: {status}", text)
    return text


@pytest.fixture
def template_project(tmp_path: Path) -> TmpProject:
    shutil.copytree(REPO_ROOT / "schema", tmp_path / "schema")
    (tmp_path / "postmortems").mkdir()
    return TmpProject(tmp_path)


def _template_id() -> str:
    match = re.search(r'(?m)^started: "?(?:<<)?(\d{4}-\d{2}-\d{2})T', TEMPLATE_PATH.read_text())
    assert match, "the template has a started: time"
    return f"{match.group(1)}-template-filled"


@pytest.mark.parametrize("status", ["draft", "published"])
def test_filled_template_passes_check(
    template_project: TmpProject, taxonomy: Taxonomy, status: str
) -> None:
    text = filled_template(taxonomy, status)
    assert "<<" not in text, "the test fills every placeholder the template has"
    path = template_project.write_text(_template_id(), text)
    result = template_project.check("--strict", path)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "checked 1 postmortem: no problems\n"


def test_unfilled_template_fails_check(template_project: TmpProject) -> None:
    path = template_project.write_text(_template_id(), TEMPLATE_PATH.read_text())
    result = template_project.check(path)
    assert result.exit_code == 1
    assert "is a placeholder from the template" in result.stdout
