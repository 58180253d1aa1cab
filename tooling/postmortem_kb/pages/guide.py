"""The generated parts of the writing guide: the field reference from the JSON Schema
and the controlled vocabulary from schema/taxonomy.yml."""

from __future__ import annotations

from typing import Any

from postmortem_kb.model.kinds import KINDS, TAXONOMY_KINDS, TERM_PAGE_KINDS
from postmortem_kb.model.timestamps import TIMESTAMP_PATTERN
from postmortem_kb.pages import urls
from postmortem_kb.pages.context import SiteContext
from postmortem_kb.pages.html import a, esc, section, table, tr


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = schema.get("$defs", {}).get(ref.split("/")[-1], {})
        merged = dict(target)
        merged.update({k: v for k, v in spec.items() if k != "$ref"})
        return merged
    return spec


def _type_text(schema: dict[str, Any], spec: dict[str, Any]) -> str:
    spec = _resolve(schema, spec)
    if "enum" in spec:
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    if "oneOf" in spec:
        return " or ".join(_type_text(schema, option) for option in spec["oneOf"])
    kind = spec.get("type")
    if kind == "array":
        items = _resolve(schema, spec.get("items", {}))
        if "oneOf" in items:
            return "list of terms (a term id, or {term, detail})"
        if items.get("type") == "object":
            return "list of mappings (below)"
        return "list of " + _type_text(schema, items)
    if kind == "string" and spec.get("pattern") == TIMESTAMP_PATTERN:
        return "date and time with offset, or only a date or a month"
    if kind == "string" and spec.get("format") == "date-time":
        return "date and time with offset"
    if kind == "object" and "properties" in spec:
        return "mapping (below)" if "term" not in spec["properties"] else "{term, detail}"
    if kind == "string" and spec.get("format") == "date":
        return "date YYYY-MM-DD"
    if kind == "string" and spec.get("pattern", "").startswith("^[a-z0-9]+(-"):
        return "slug (lowercase-with-hyphens)"
    return str(kind or "value")


def _field_rows(schema: dict[str, Any], spec: dict[str, Any], prefix: str = "") -> list[str]:
    required = set(spec.get("required", []))
    rows = []
    for name, raw in spec.get("properties", {}).items():
        field = _resolve(schema, raw)
        rows.append(
            tr(
                [
                    f"<code>{esc(prefix + name)}</code>",
                    esc(field.get("title", "")),
                    "yes" if name in required else "",
                    esc(_type_text(schema, raw)),
                    esc(field.get("description", "")),
                ]
            )
        )
    return rows


def render_fields(ctx: SiteContext) -> str:
    here = urls.GUIDE_FIELDS
    schema = ctx.schema
    headers = ["Field", "Title", "Required", "Value", "Description"]
    parts = [
        "<h1>Field reference</h1>",
        f"<p>{esc(schema.get('description', ''))}</p>",
        "<p>Generated from the JSON Schema, which editors can use for completion and "
        f"checking: {a(ctx.href(here, urls.SCHEMA_JSON), 'postmortem.schema.json')}.</p>",
        section("Front matter", "front-matter", table(headers, _field_rows(schema, schema))),
    ]
    action_item = schema.get("$defs", {}).get("actionItem")
    if isinstance(action_item, dict):
        parts.append(
            section(
                "Action items",
                "action-items",
                table(headers, _field_rows(schema, action_item, "action_items[].")),
            )
        )
    for name, raw in schema.get("properties", {}).items():
        nested = _resolve(schema, raw) if isinstance(raw, dict) else {}
        if nested.get("type") == "object" and "properties" in nested:
            parts.append(
                section(
                    str(nested.get("title") or raw.get("title") or name),
                    f"field-{name.replace('_', '-')}",
                    table(headers, _field_rows(schema, nested, f"{name}.")),
                )
            )
    term_ref = schema.get("$defs", {}).get("termRef")
    if isinstance(term_ref, dict):
        objects = [
            o for o in term_ref.get("oneOf", []) if isinstance(o, dict) and "properties" in o
        ]
        rows = [row for o in objects for row in _field_rows(schema, o, "causes[].")]
        parts.append(
            section(
                "Terms with detail",
                "term-detail",
                f"<p>{esc(term_ref.get('description', ''))} The same shape is used by "
                "<code>lucky_breaks</code> and <code>went_well</code>, and by "
                "<code>trigger</code> for its one term.</p>" + table(headers, rows),
            )
        )
    return "\n".join(parts)


def render_taxonomy(ctx: SiteContext) -> str:
    here = urls.GUIDE_TAXONOMY
    parts = [
        "<h1>Taxonomy</h1>",
        "<p>The controlled vocabulary from <code>schema/taxonomy.yml</code>. Use the term id, "
        "not an alias: a cause only recurs if it is named the same way each time. "
        f"The raw file: {a(ctx.href(here, urls.TAXONOMY_YAML), 'taxonomy.yml')}.</p>",
    ]
    for kind in TAXONOMY_KINDS:
        terms = ctx.taxonomy.terms.get(kind)
        if not terms:
            continue
        rows = []
        for term in terms.values():
            used = kind in TERM_PAGE_KINDS and ctx.stats_for(kind, term.id) is not None
            name = ctx.term_link(here, kind, term.id) if used else f"<code>{esc(term.id)}</code>"
            note = esc(term.description)
            if term.deprecated:
                replacement = f" Use {esc(term.replaced_by)} instead." if term.replaced_by else ""
                note = f"<strong>Deprecated.</strong>{replacement} {note}"
            rows.append(
                tr(
                    [name, esc(term.title), note, esc(", ".join(term.aliases))],
                    f'id="{esc(kind.field)}-{esc(term.id)}"',
                )
            )
        parts.append(
            section(
                KINDS[kind].guide_heading,
                KINDS[kind].anchor,
                table(["Term", "Title", "Description", "Aliases"], rows),
            )
        )
    return "\n".join(parts)
